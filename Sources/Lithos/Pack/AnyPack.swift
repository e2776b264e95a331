/// A pack whose cell kind is chosen at run time (the C ABI, the CLI, Python): an enum over
/// `PackSimulation` of each concrete model, so every call inside a step is a static call.
public enum AnyPack {
    case ecm(PackSimulation<EquivalentCircuitModel>)
    case ssbSPM(PackSimulation<SolidStateSPM>)
    case ssbP2D(PackSimulation<SolidStateP2D>)

    /// Builds the pack: the cell parameters once from the design (or the explicit "ecm"/"ssb"
    /// parameters), then each cell with its variation (`CellVariation.apply`), initial SOC and
    /// temperature.
    public static func make(_ c: PackConfiguration) throws(LithosError) -> AnyPack {
        let variation = CellVariation(settings: c.variation, count: c.cellCount)
        let options = c.modelOptions
        switch options.kind {
        case .ecm:
            var base: ECMParameters<Double>
            if let explicit = options.explicitECM {
                base = explicit
            } else if let design = c.design {
                base = try ECMFromCellDesign.parameters(design, rcPairs: options.derivedRCPairs)
            } else {
                throw LithosError(.config, "pack: an ECM pack needs \"cell\" or explicit \"model\".\"ecm\" parameters")
            }
            options.applyThermal(&base.thermal)
            var cells: [EquivalentCircuitModel] = []
            for v in variation.cells {
                cells.append(try EquivalentCircuitModel(parameters: try CellVariation.apply(v, to: base),
                                                        initialSOC: CellVariation.soc(c.initialSOC, v),
                                                        initialTemperature_K: CellVariation.temperature(c.initialTemperature_K, v)))
            }
            let window = try voltageWindow(c, base.limits)
            return .ecm(PackSimulation(configuration: c, variation: variation, cells: cells,
                                       heatCapacities: Array(repeating: base.thermal.heatCapacity_J_per_K, count: cells.count),
                                       minimumVoltage_V: window.0, maximumVoltage_V: window.1))
        case .ssbSPM, .ssbP2D:
            var base: SolidStateCellParameters
            if let explicit = options.explicitSSB {
                base = explicit
            } else if let design = c.design {
                base = try SolidStateCellParameters(design: design)
            } else {
                throw LithosError(.config, "pack: an SSB pack needs \"cell\" or explicit \"model\".\"ssb\" parameters")
            }
            options.applyThermal(&base.thermal)
            try base.validate()
            let window = try voltageWindow(c, base.limits)
            let heat = Array(repeating: base.thermal.heatCapacity_J_per_K, count: c.cellCount)
            if options.kind == .ssbSPM {
                var cells: [SolidStateSPM] = []
                for v in variation.cells {
                    cells.append(try SolidStateSPM(parameters: try CellVariation.apply(v, to: base), shellCount: options.particleShells,
                                                   initialSOC: CellVariation.soc(c.initialSOC, v),
                                                   initialTemperature_K: CellVariation.temperature(c.initialTemperature_K, v)))
                }
                return .ssbSPM(PackSimulation(configuration: c, variation: variation, cells: cells, heatCapacities: heat,
                                              minimumVoltage_V: window.0, maximumVoltage_V: window.1))
            }
            var cells: [SolidStateP2D] = []
            for v in variation.cells {
                cells.append(try SolidStateP2D(parameters: try CellVariation.apply(v, to: base), nodeCount: options.cathodeNodes,
                                               shellCount: options.particleShells,
                                               initialSOC: CellVariation.soc(c.initialSOC, v),
                                               initialTemperature_K: CellVariation.temperature(c.initialTemperature_K, v)))
            }
            return .ssbP2D(PackSimulation(configuration: c, variation: variation, cells: cells, heatCapacities: heat,
                                          minimumVoltage_V: window.0, maximumVoltage_V: window.1))
        }
    }

    public static func make(json text: String) throws(LithosError) -> AnyPack {
        try make(PackConfiguration.fromJSON(text))
    }

    private static func voltageWindow(_ c: PackConfiguration, _ cell: ModelLimits) throws(LithosError) -> (Double, Double) {
        let lo = c.minimumVoltage_V ?? Double(c.series) * cell.minimumVoltage_V
        let hi = c.maximumVoltage_V ?? Double(c.series) * cell.maximumVoltage_V
        guard lo < hi else { throw LithosError(.config, "pack: limits.minimum_voltage_V (\(lo) V) must be below maximum_voltage_V (\(hi) V)") }
        return (lo, hi)
    }

    // MARK: facts

    public var kind: StaticString {
        switch self {
        case .ecm: return "ecm"
        case .ssbSPM: return "ssb-spm"
        case .ssbP2D: return "ssb-p2d"
        }
    }

    public var kindCode: UInt32 {
        switch self {
        case .ecm: return 1
        case .ssbSPM: return 2
        case .ssbP2D: return 3
        }
    }

    public var configuration: PackConfiguration {
        switch self {
        case let .ecm(p): return p.configuration
        case let .ssbSPM(p): return p.configuration
        case let .ssbP2D(p): return p.configuration
        }
    }

    public var output: PackOutput {
        switch self {
        case let .ecm(p): return p.output
        case let .ssbSPM(p): return p.output
        case let .ssbP2D(p): return p.output
        }
    }

    public var faults: PackFaults {
        switch self {
        case let .ecm(p): return p.faults
        case let .ssbSPM(p): return p.faults
        case let .ssbP2D(p): return p.faults
        }
    }

    public var balancing: [Bool] {
        switch self {
        case let .ecm(p): return p.balancing
        case let .ssbSPM(p): return p.balancing
        case let .ssbP2D(p): return p.balancing
        }
    }

    public var series: Int { configuration.series }
    public var parallel: Int { configuration.parallel }
    public var cellCount: Int { configuration.cellCount }

    /// Pack voltage window [V].
    public var voltageWindow: (minimum_V: Double, maximum_V: Double) {
        switch self {
        case let .ecm(p): return (p.minimumVoltage_V, p.maximumVoltage_V)
        case let .ssbSPM(p): return (p.minimumVoltage_V, p.maximumVoltage_V)
        case let .ssbP2D(p): return (p.minimumVoltage_V, p.maximumVoltage_V)
        }
    }

    /// The cells' nominal (unvaried) limits and the pack's nominal capacity Np × the mean cell
    /// capacity [A·h].
    public var cellLimits: ModelLimits {
        switch self {
        case let .ecm(p): return p.cells[0].limits
        case let .ssbSPM(p): return p.cells[0].limits
        case let .ssbP2D(p): return p.cells[0].limits
        }
    }

    public var capacity_Ah: Double {
        let caps: [Double]
        switch self {
        case let .ecm(p): caps = p.cellCapacity_Ah
        case let .ssbSPM(p): caps = p.cellCapacity_Ah
        case let .ssbP2D(p): caps = p.cellCapacity_Ah
        }
        // Each group's capacity is the sum of its cells'; the string's is its smallest group's.
        var smallest = Double.infinity
        for s in 0..<series {
            var sum = 0.0
            for q in 0..<parallel { sum += caps[s * parallel + q] }
            smallest = min(smallest, sum)
        }
        return smallest
    }

    public func cellOutput(_ k: Int) -> ModelOutput {
        switch self {
        case let .ecm(p): return p.cellOutput(k)
        case let .ssbSPM(p): return p.cellOutput(k)
        case let .ssbP2D(p): return p.cellOutput(k)
        }
    }

    public func length(of q: PackQuantity) -> Int { q.isPerChannel ? series : cellCount }

    public func write(_ q: PackQuantity, to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        switch self {
        case let .ecm(p): return p.write(q, to: buffer)
        case let .ssbSPM(p): return p.write(q, to: buffer)
        case let .ssbP2D(p): return p.write(q, to: buffer)
        }
    }

    /// Quantity `q` as an array (allocates; for tests and tools).
    public func values(_ q: PackQuantity) -> [Double] {
        var out = Array(repeating: 0.0, count: length(of: q))
        out.withUnsafeMutableBufferPointer { _ = write(q, to: $0) }
        return out
    }

    // MARK: mutations (the payload is moved out and back, never copied: a copy would share the
    // arrays and the next step would then copy them — an allocation)

    @inline(__always)
    public mutating func step(current: Double, dt_s: Double, ambient_K: Double) throws(LithosError) -> PackOutput {
        switch consume self {
        case var .ecm(p): defer { self = .ecm(p) }; return try p.step(current: current, dt_s: dt_s, ambient_K: ambient_K)
        case var .ssbSPM(p): defer { self = .ssbSPM(p) }; return try p.step(current: current, dt_s: dt_s, ambient_K: ambient_K)
        case var .ssbP2D(p): defer { self = .ssbP2D(p) }; return try p.step(current: current, dt_s: dt_s, ambient_K: ambient_K)
        }
    }

    public mutating func setBalancing(_ on: UnsafeBufferPointer<UInt8>) throws(LithosError) {
        switch consume self {
        case var .ecm(p): defer { self = .ecm(p) }; try p.setBalancing(on)
        case var .ssbSPM(p): defer { self = .ssbSPM(p) }; try p.setBalancing(on)
        case var .ssbP2D(p): defer { self = .ssbP2D(p) }; try p.setBalancing(on)
        }
    }

    public mutating func setBalancing(_ on: [Bool]) throws(LithosError) {
        let bytes = on.map { UInt8($0 ? 1 : 0) }
        try bytes.withUnsafeBufferPointer { (b) throws(LithosError) in try setBalancing(b) }
    }

    public mutating func injectFault(_ kind: PackFaultKind, index: Int, value: Double) throws(LithosError) {
        switch consume self {
        case var .ecm(p): defer { self = .ecm(p) }; try p.injectFault(kind, index: index, value: value)
        case var .ssbSPM(p): defer { self = .ssbSPM(p) }; try p.injectFault(kind, index: index, value: value)
        case var .ssbP2D(p): defer { self = .ssbP2D(p) }; try p.injectFault(kind, index: index, value: value)
        }
    }

    public mutating func clearFault(_ kind: PackFaultKind, index: Int) throws(LithosError) {
        switch consume self {
        case var .ecm(p): defer { self = .ecm(p) }; try p.clearFault(kind, index: index)
        case var .ssbSPM(p): defer { self = .ssbSPM(p) }; try p.clearFault(kind, index: index)
        case var .ssbP2D(p): defer { self = .ssbP2D(p) }; try p.clearFault(kind, index: index)
        }
    }

    public mutating func clearFaults() {
        switch consume self {
        case var .ecm(p): p.clearFaults(); self = .ecm(p)
        case var .ssbSPM(p): p.clearFaults(); self = .ssbSPM(p)
        case var .ssbP2D(p): p.clearFaults(); self = .ssbP2D(p)
        }
    }

    public mutating func reset(soc: Double, temperature_K: Double) throws(LithosError) {
        switch consume self {
        case var .ecm(p): defer { self = .ecm(p) }; try p.reset(soc: soc, temperature_K: temperature_K)
        case var .ssbSPM(p): defer { self = .ssbSPM(p) }; try p.reset(soc: soc, temperature_K: temperature_K)
        case var .ssbP2D(p): defer { self = .ssbP2D(p) }; try p.reset(soc: soc, temperature_K: temperature_K)
        }
    }

    // MARK: snapshots

    /// Doubles of scratch space `saveState`/`loadState` need.
    public var snapshotScratchCount: Int {
        switch self {
        case let .ecm(p): return PackSnapshot.scratchCount(p)
        case let .ssbSPM(p): return PackSnapshot.scratchCount(p)
        case let .ssbP2D(p): return PackSnapshot.scratchCount(p)
        }
    }

    public var snapshotByteCount: Int {
        switch self {
        case let .ecm(p): return PackSnapshot.byteCount(p)
        case let .ssbSPM(p): return PackSnapshot.byteCount(p)
        case let .ssbP2D(p): return PackSnapshot.byteCount(p)
        }
    }

    public func saveState(scratch: UnsafeMutableBufferPointer<Double>, to buffer: UnsafeMutableRawBufferPointer) {
        switch self {
        case let .ecm(p): PackSnapshot.write(p, kindCode: kindCode, scratch: scratch, to: buffer)
        case let .ssbSPM(p): PackSnapshot.write(p, kindCode: kindCode, scratch: scratch, to: buffer)
        case let .ssbP2D(p): PackSnapshot.write(p, kindCode: kindCode, scratch: scratch, to: buffer)
        }
    }

    public mutating func loadState(scratch: UnsafeMutableBufferPointer<Double>, from buffer: UnsafeRawBufferPointer) throws(LithosError) {
        let code = kindCode
        switch consume self {
        case var .ecm(p): defer { self = .ecm(p) }; try PackSnapshot.read(&p, kindCode: code, scratch: scratch, from: buffer)
        case var .ssbSPM(p): defer { self = .ssbSPM(p) }; try PackSnapshot.read(&p, kindCode: code, scratch: scratch, from: buffer)
        case var .ssbP2D(p): defer { self = .ssbP2D(p) }; try PackSnapshot.read(&p, kindCode: code, scratch: scratch, from: buffer)
        }
    }

    /// Runs `visitor` on the concrete pack (moved out once for the whole visit).
    @inlinable
    public mutating func accept<V: PackVisitor>(_ visitor: inout V) throws(LithosError) -> V.Result {
        switch consume self {
        case var .ecm(p): defer { self = .ecm(p) }; return try visitor.visit(&p)
        case var .ssbSPM(p): defer { self = .ssbSPM(p) }; return try visitor.visit(&p)
        case var .ssbP2D(p): defer { self = .ssbP2D(p) }; return try visitor.visit(&p)
        }
    }

    /// The configuration as normalised JSON (`PackConfiguration.toJSON`).
    public func configurationJSON() -> JSONValue {
        let c = configuration
        let kind: ModelOptions.Kind
        switch self {
        case .ecm: kind = .ecm
        case .ssbSPM: kind = .ssbSPM
        case .ssbP2D: kind = .ssbP2D
        }
        let w = voltageWindow
        return c.toJSON(kind: kind, minimumVoltage_V: w.minimum_V, maximumVoltage_V: w.maximum_V)
    }
}

/// An operation on a pack of any kind, generic over its cell model (`AnyPack.accept`).
public protocol PackVisitor {
    associatedtype Result
    mutating func visit<M: CellModel>(_ pack: inout PackSimulation<M>) throws(LithosError) -> Result
}
