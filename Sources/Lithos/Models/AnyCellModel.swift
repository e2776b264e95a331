/// One cell model of any kind, for code that picks the kind at run time (the C ABI, the CLI,
/// Python). An enum, not an existential: every call is a switch over concrete types, so the
/// step path stays free of boxing and allocation.
public enum AnyCellModel: Sendable {
    case ecm(EquivalentCircuitModel)
    case ssbSPM(SolidStateSPM)
    case ssbP2D(SolidStateP2D)

    /// Builds a model from a cell design (may be nil when the options carry explicit ECM
    /// parameters) and options.
    public static func make(design: CellDesign?, options: ModelOptions) throws(LithosError) -> AnyCellModel {
        switch options.kind {
        case .ecm:
            var parameters: ECMParameters<Double>
            if let explicit = options.explicitECM {
                parameters = explicit
            } else if let design {
                parameters = try ECMFromCellDesign.parameters(design, rcPairs: options.derivedRCPairs)
            } else {
                throw LithosError(.config, "model options: an ECM needs a cell design or explicit \"ecm\" parameters")
            }
            options.applyThermal(&parameters.thermal)
            return .ecm(try EquivalentCircuitModel(parameters: parameters, initialSOC: options.initialSOC,
                                                   initialTemperature_K: options.initialTemperature_K))
        case .ssbSPM, .ssbP2D:
            var parameters: SolidStateCellParameters
            if let explicit = options.explicitSSB {
                parameters = explicit
            } else if let design {
                parameters = try SolidStateCellParameters(design: design)
            } else {
                throw LithosError(.config, "model options: an SSB model needs a cell design or explicit \"ssb\" parameters")
            }
            options.applyThermal(&parameters.thermal)
            try parameters.validate()
            if options.kind == .ssbP2D {
                return .ssbP2D(try SolidStateP2D(parameters: parameters, nodeCount: options.cathodeNodes,
                                                 shellCount: options.particleShells,
                                                 initialSOC: options.initialSOC, initialTemperature_K: options.initialTemperature_K))
            }
            return .ssbSPM(try SolidStateSPM(parameters: parameters, shellCount: options.particleShells,
                                             initialSOC: options.initialSOC, initialTemperature_K: options.initialTemperature_K))
        }
    }

    /// Builds a model from JSON texts (cell design JSON may be nil).
    public static func make(designJSON: String?, optionsJSON: String?) throws(LithosError) -> AnyCellModel {
        let options = try optionsJSON.map { (text: String) throws(LithosError) -> ModelOptions in try ModelOptions.fromJSON(text) } ?? ModelOptions()
        let design = try designJSON.map { (text: String) throws(LithosError) -> CellDesign in try CellDesign.fromJSON(text) }
        return try make(design: design, options: options)
    }

    /// Numeric code of the kind (C `lithos_model_kind`, snapshot header).
    public var kindCode: UInt32 {
        switch self {
        case .ecm: return 1
        case .ssbSPM: return 2
        case .ssbP2D: return 3
        }
    }

    public var kind: StaticString {
        switch self {
        case let .ecm(m): return m.kind
        case let .ssbSPM(m): return m.kind
        case let .ssbP2D(m): return m.kind
        }
    }

    public var capacity_Ah: Double {
        switch self {
        case let .ecm(m): return m.capacity_Ah
        case let .ssbSPM(m): return m.capacity_Ah
        case let .ssbP2D(m): return m.capacity_Ah
        }
    }

    public var limits: ModelLimits {
        switch self {
        case let .ecm(m): return m.limits
        case let .ssbSPM(m): return m.limits
        case let .ssbP2D(m): return m.limits
        }
    }

    public var output: ModelOutput {
        switch self {
        case let .ecm(m): return m.output
        case let .ssbSPM(m): return m.output
        case let .ssbP2D(m): return m.output
        }
    }

    @inline(__always)
    public mutating func step(_ input: StepInput) throws(LithosError) -> ModelOutput {
        // Move the payload out (no copy, no reference-count traffic), step it, move it back —
        // on the error path too.
        switch consume self {
        case var .ecm(m):
            defer { self = .ecm(m) }
            return try m.step(input)
        case var .ssbSPM(m):
            defer { self = .ssbSPM(m) }
            return try m.step(input)
        case var .ssbP2D(m):
            defer { self = .ssbP2D(m) }
            return try m.step(input)
        }
    }

    /// Runs `visitor` on the concrete model, moved out of the enum once for the whole visit —
    /// the batch path (`lithos_model_run`) loops inside, so its steps pay neither the enum's
    /// move (the enum is as large as its largest payload) nor dynamic dispatch. `@inlinable`
    /// so the visitor is specialised for each concrete model in the caller's module.
    @inlinable
    public mutating func accept<V: CellModelVisitor>(_ visitor: inout V) throws(LithosError) -> V.Result {
        switch consume self {
        case var .ecm(m):
            defer { self = .ecm(m) }
            return try visitor.visit(&m)
        case var .ssbSPM(m):
            defer { self = .ssbSPM(m) }
            return try visitor.visit(&m)
        case var .ssbP2D(m):
            defer { self = .ssbP2D(m) }
            return try visitor.visit(&m)
        }
    }

    /// `step`, then the internal variables written to `internals` while the model is still
    /// moved out of the enum (reading them afterwards through the enum would copy the model's
    /// payload — for the SSB models a retain and release of every array). Returns the output
    /// and how many internals were written. No allocation.
    @inline(__always)
    public mutating func step(_ input: StepInput, internals: UnsafeMutableBufferPointer<Double>) throws(LithosError)
        -> (output: ModelOutput, internalCount: Int) {
        switch consume self {
        case var .ecm(m):
            defer { self = .ecm(m) }
            let o = try m.step(input)
            return (o, m.writeInternals(to: internals))
        case var .ssbSPM(m):
            defer { self = .ssbSPM(m) }
            let o = try m.step(input)
            return (o, m.writeInternals(to: internals))
        case var .ssbP2D(m):
            defer { self = .ssbP2D(m) }
            let o = try m.step(input)
            return (o, m.writeInternals(to: internals))
        }
    }

    /// Number of internal variables.
    public var internalCount: Int {
        switch self {
        case let .ecm(m): return m.internalCount
        case let .ssbSPM(m): return m.internalCount
        case let .ssbP2D(m): return m.internalCount
        }
    }

    /// Writes min(internalCount, buffer.count) internal values; returns how many. No allocation.
    public func writeInternals(to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        switch self {
        case let .ecm(m): return m.writeInternals(to: buffer)
        case let .ssbSPM(m): return m.writeInternals(to: buffer)
        case let .ssbP2D(m): return m.writeInternals(to: buffer)
        }
    }

    public mutating func reset(soc: Double, temperature_K: Double) throws(LithosError) {
        // Moved out and back (as in `step`): a copy would share the SSB models' arrays and the
        // reset would then copy them (an allocation). Every model validates before it mutates.
        switch consume self {
        case var .ecm(m):
            defer { self = .ecm(m) }
            try m.reset(soc: soc, temperature_K: temperature_K)
        case var .ssbSPM(m):
            defer { self = .ssbSPM(m) }
            try m.reset(soc: soc, temperature_K: temperature_K)
        case var .ssbP2D(m):
            defer { self = .ssbP2D(m) }
            try m.reset(soc: soc, temperature_K: temperature_K)
        }
    }

    public var internalNames: [StaticString] {
        switch self {
        case let .ecm(m): return m.internalNames
        case let .ssbSPM(m): return m.internalNames
        case let .ssbP2D(m): return m.internalNames
        }
    }

    public func internalValue(_ index: Int) -> Double {
        switch self {
        case let .ecm(m): return m.internalValue(index)
        case let .ssbSPM(m): return m.internalValue(index)
        case let .ssbP2D(m): return m.internalValue(index)
        }
    }

    public var stateCount: Int {
        switch self {
        case let .ecm(m): return m.stateCount
        case let .ssbSPM(m): return m.stateCount
        case let .ssbP2D(m): return m.stateCount
        }
    }

    public var snapshotByteCount: Int { StateSnapshot.byteCount(stateCount: stateCount) }

    public func saveState(scratch: UnsafeMutableBufferPointer<Double>, to buffer: UnsafeMutableRawBufferPointer) {
        switch self {
        case let .ecm(m): StateSnapshot.write(m, kindCode: kindCode, scratch: scratch, to: buffer)
        case let .ssbSPM(m): StateSnapshot.write(m, kindCode: kindCode, scratch: scratch, to: buffer)
        case let .ssbP2D(m): StateSnapshot.write(m, kindCode: kindCode, scratch: scratch, to: buffer)
        }
    }

    public mutating func loadState(scratch: UnsafeMutableBufferPointer<Double>, from buffer: UnsafeRawBufferPointer) throws(LithosError) {
        let code = kindCode
        // Moved out and back, not copied (see `reset`); `StateSnapshot.read` validates first.
        switch consume self {
        case var .ecm(m):
            defer { self = .ecm(m) }
            try StateSnapshot.read(&m, kindCode: code, scratch: scratch, from: buffer)
        case var .ssbSPM(m):
            defer { self = .ssbSPM(m) }
            try StateSnapshot.read(&m, kindCode: code, scratch: scratch, from: buffer)
        case var .ssbP2D(m):
            defer { self = .ssbP2D(m) }
            try StateSnapshot.read(&m, kindCode: code, scratch: scratch, from: buffer)
        }
    }

    /// The model's parameters as JSON (for an ECM: the form `ECMParameters.fromJSON` reads, so a
    /// design-derived ECM can be handed to the estimator).
    public func parametersJSON() -> JSONValue {
        switch self {
        case let .ecm(m): return m.parameters.toJSON()
        case let .ssbSPM(m): return m.parameters.toJSON()
        case let .ssbP2D(m): return m.parameters.toJSON()
        }
    }

    // MARK: profiles

    public var profileNames: [StaticString] {
        switch self {
        case let .ecm(m): return m.profileNames
        case let .ssbSPM(m): return m.profileNames
        case let .ssbP2D(m): return m.profileNames
        }
    }

    public var profileCount: Int {
        switch self {
        case let .ecm(m): return m.profileCount
        case let .ssbSPM(m): return m.profileCount
        case let .ssbP2D(m): return m.profileCount
        }
    }

    public func profileLength(_ index: Int) -> Int {
        switch self {
        case let .ecm(m): return m.profileLength(index)
        case let .ssbSPM(m): return m.profileLength(index)
        case let .ssbP2D(m): return m.profileLength(index)
        }
    }

    public func writeProfile(_ index: Int, to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        switch self {
        case let .ecm(m): return m.writeProfile(index, to: buffer)
        case let .ssbSPM(m): return m.writeProfile(index, to: buffer)
        case let .ssbP2D(m): return m.writeProfile(index, to: buffer)
        }
    }
}

extension AnyCellModel {
    /// Small-signal impedance Z(f) [Ω] at rest at (SOC, T) (`ModelImpedance`): the ECM, SSB-SPM
    /// and SSB-P2D (its composite cathode as a two-rail transmission line).
    public func impedance(soc: Double, temperature_K: Double, frequency_Hz: Double) throws(LithosError) -> ComplexNumber {
        try Validate.unitInterval(soc, "soc")
        try Validate.temperature(temperature_K)
        guard frequency_Hz.isFinite, frequency_Hz > 0, frequency_Hz <= 1e9 else {
            throw LithosError(.outOfRange, "frequency must be within (0, 1e9] Hz (got \(frequency_Hz))")
        }
        switch self {
        case let .ecm(m): return ModelImpedance.ecm(m.parameters, soc: soc, temperature_K: temperature_K, frequency_Hz: frequency_Hz)
        case let .ssbSPM(m): return ModelImpedance.solidStateSPM(m.parameters, soc: soc, temperature_K: temperature_K, frequency_Hz: frequency_Hz)
        case let .ssbP2D(m): return ModelImpedance.solidStateP2D(m.parameters, soc: soc, temperature_K: temperature_K, frequency_Hz: frequency_Hz)
        }
    }
}

/// An operation on a model of any kind, written once, generic over the concrete model
/// (`AnyCellModel.accept`).
public protocol CellModelVisitor {
    associatedtype Result
    mutating func visit<M: CellModel>(_ model: inout M) throws(LithosError) -> Result
}
