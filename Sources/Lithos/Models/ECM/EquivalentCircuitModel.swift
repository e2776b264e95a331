/// The equivalent-circuit cell model (Rint when it has no RC pair, Thevenin with 1–3 pairs),
/// with optional hysteresis and a lumped thermal model. See `ECMParameters` for the equations
/// and `ECMDynamics` for the exact discretisation.
///
/// Current steps are explicit in the parameters (frozen at the start of the step) and exact in
/// the dynamics. Voltage and power steps solve for the constant current that gives the
/// requested end-of-step voltage (or power V·I) with a bracketed Newton iteration (at most
/// `maximumSolverIterations`); no allocation.
public struct EquivalentCircuitModel: CellModel, Sendable {
    /// The parameters live behind one reference: copying or moving the model (value type)
    /// then costs one reference count, not one per table.
    final class ParameterStorage: Sendable {
        let parameters: ECMParameters<Double>
        init(_ parameters: ECMParameters<Double>) { self.parameters = parameters }

        /// One current step of the model's state (see `EquivalentCircuitModel.step`). A method of
        /// the storage object so the parameters are read in place: passing the struct out of
        /// the object would copy it (and retain every table) on each step.
        @inline(__always)
        func advance(current: Double, input: StepInput, state: inout ECMState<Double>,
                     temperature_K: inout Double, output: inout ModelOutput,
                     cache: inout EndOfStepCache) throws(LithosError) {
            let p = parameters
            let t0 = temperature_K
            var location = cache.location
            let start = state.soc == cache.soc && t0 == cache.temperature_K
                ? cache.elements : p.evaluate(soc: state.soc, temperature_K: t0, hint: &location)
            let next = ECMDynamics.propagate(state, current: current, dt: input.dt_s, start: start, parameters: p)
            var end = p.evaluate(soc: next.soc, temperature_K: t0, hint: &location)
            let voltage = ECMDynamics.terminalVoltage(next, current: current, here: end, parameters: p)
            let heat = LumpedThermalModel.heat(current_A: current, openCircuitVoltage_V: end.openCircuitVoltage, voltage_V: voltage,
                                               temperature_K: t0, entropicCoefficient_V_per_K: end.entropicCoefficient)
            let t1 = p.thermal.advance(temperature_K: t0, heat_W: heat + input.heatSource_W, ambient_K: input.ambient_K, dt_s: input.dt_s)
            guard voltage.isFinite, t1.isFinite, next.soc.isFinite else {
                throw LithosError(.internal, "ECM step produced a non-finite value (V = \(voltage), T = \(t1))")
            }
            // Commit.
            state = next
            temperature_K = t1
            if t1 != t0 { end = p.evaluate(soc: next.soc, temperature_K: t1, hint: &location) }
            cache = EndOfStepCache(elements: end, soc: next.soc, temperature_K: t1, location: location)
            output.time_s += input.dt_s
            output.current_A = current
            output.voltage_V = voltage
            output.openCircuitVoltage_V = end.openCircuitVoltage   // at the new temperature
            output.soc = next.soc
            output.temperature_K = t1
            output.heatGeneration_W = heat
            output.dischargedCharge_Ah += current * input.dt_s / 3600
            output.dischargedEnergy_Wh += current * voltage * input.dt_s / 3600
            output.limits = p.limits.flags(voltage_V: voltage, soc: next.soc, temperature_K: t1)
        }
    }

    private let storage: ParameterStorage
    public var parameters: ECMParameters<Double> { storage.parameters }
    public private(set) var state: ECMState<Double>
    public private(set) var temperature_K: Double
    public private(set) var output = ModelOutput()
    /// The next step starts where the last one ended, so its start-of-step evaluation of the
    /// tables is taken from here instead of repeated (identical numbers, one table search per
    /// step saved). Not part of the saved state; a load or reset invalidates it.
    var cache = EndOfStepCache()

    public static let maximumSolverIterations = StepCurrentSolver.maximumIterations
    /// Largest current a voltage or power step may ask for, as a multiple of 1C.
    public static let maximumCRate = 100.0

    public var kind: StaticString { "ecm" }
    public var capacity_Ah: Double { storage.parameters.capacity_Ah }
    public var limits: ModelLimits { storage.parameters.limits }

    public init(parameters: ECMParameters<Double>, initialSOC: Double, initialTemperature_K: Double) throws(LithosError) {
        self.storage = ParameterStorage(parameters)
        self.state = ECMState(soc: 0)
        self.temperature_K = initialTemperature_K
        try reset(soc: initialSOC, temperature_K: initialTemperature_K)
    }

    public mutating func reset(soc: Double, temperature_K: Double) throws(LithosError) {
        try Validate.unitInterval(soc, "soc")
        try Validate.temperature(temperature_K)
        state = ECMState(soc: soc)
        cache = EndOfStepCache()
        self.temperature_K = temperature_K
        var o = ModelOutput()
        o.soc = soc
        o.temperature_K = temperature_K
        o.openCircuitVoltage_V = parameters.ocv(soc: soc, temperature_K: temperature_K)
        o.voltage_V = ECMDynamics.terminalVoltage(state, current: 0, temperature: temperature_K, parameters: parameters)
        o.limits = parameters.limits.flags(voltage_V: o.voltage_V, soc: soc, temperature_K: temperature_K)
        output = o
    }

    /// End-of-step terminal voltage for a trial current (no state change); `start` is the
    /// circuit evaluated at the present state (the same for every trial of one step).
    func endVoltage(current: Double, dt: Double, start: ECMLocalParameters<Double>) -> Double {
        let p = storage.parameters
        let next = ECMDynamics.propagate(state, current: current, dt: dt, start: start, parameters: p)
        return ECMDynamics.terminalVoltage(next, current: current, here: p.evaluate(soc: next.soc, temperature_K: temperature_K), parameters: p)
    }

    /// Circuit at the present state for trial evaluations (`prepareTrial`).
    var trialStart = ECMLocalParameters<Double>()
    var trialDt = 1.0

    public mutating func prepareTrial(dt_s: Double, ambient_K: Double) throws(LithosError) {
        try StepInput.current(0, dt_s: dt_s, ambient_K: ambient_K).validate()
        trialStart = storage.parameters.evaluate(soc: state.soc, temperature_K: temperature_K)
        trialDt = dt_s
    }

    public mutating func trialVoltage(current: Double) -> Double {
        endVoltage(current: current, dt: trialDt, start: trialStart)
    }

    /// The constant current [A] for a step, from its mode.
    func current(for input: StepInput) throws(LithosError) -> Double {
        let limit = Self.maximumCRate * storage.parameters.capacity_Ah
        if input.mode == .current {
            guard abs(input.value) <= limit else {
                throw LithosError(.outOfRange, "current \(input.value) A is beyond ±\(Self.maximumCRate)C (±\(limit) A) for this \(parameters.capacity_Ah) A·h cell")
            }
            return input.value
        }
        // Voltage and power steps try many currents from the same state: evaluate it once.
        let start = storage.parameters.evaluate(soc: state.soc, temperature_K: temperature_K)
        func endVoltage(current: Double, dt: Double) -> Double {
            self.endVoltage(current: current, dt: dt, start: start)
        }
        return try StepCurrentSolver.current(for: input, limit: limit, maximumCRate: Self.maximumCRate) {
            endVoltage(current: $0, dt: input.dt_s)
        }
    }

    public mutating func step(_ input: StepInput) throws(LithosError) -> ModelOutput {
        try input.validate()
        let current = try current(for: input)
        // A static function over the model's fields: the parameters are borrowed from the
        // storage object (no copy of the struct, which would retain every table), the state
        // fields are disjoint inout accesses.
        try storage.advance(current: current, input: input, state: &state,
                            temperature_K: &temperature_K, output: &output, cache: &cache)
        return output
    }

    /// The elements evaluated at the end of the last step and the (SOC, temperature) they were
    /// evaluated at (see `cache`).
    struct EndOfStepCache: Sendable {
        var elements = ECMLocalParameters<Double>()
        var soc = Double.nan
        var temperature_K = Double.nan
        /// Grid interval of the last evaluation: the next search starts there.
        var location = BilinearTable<Double>.Location(i: -1, wx: 0, j: -1, wy: 0)
    }

    // MARK: internals and state

    public var internalNames: [StaticString] {
        ["rc1_voltage_V", "rc2_voltage_V", "rc3_voltage_V", "hysteresis_state", "instantaneous_hysteresis_sign",
         "series_resistance_ohm"]
    }

    public func internalValue(_ index: Int) -> Double {
        switch index {
        case 0: return state.rcVoltage1
        case 1: return state.rcVoltage2
        case 2: return state.rcVoltage3
        case 3: return state.hysteresis
        case 4: return state.lastCurrentSign
        case 5:
            if state.soc == cache.soc && temperature_K == cache.temperature_K { return cache.elements.seriesResistance }
            return storage.parameters.seriesResistance.value(x: state.soc, y: temperature_K)
        default: return .nan
        }
    }

    public var internalCount: Int { 6 }

    public func writeInternals(to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        let n = min(internalCount, buffer.count)
        for i in 0..<n { buffer[i] = internalValue(i) }
        return n
    }

    public var stateCount: Int { 16 }

    public func writeState(to b: UnsafeMutableBufferPointer<Double>) {
        let o = output
        let values: (Double, Double, Double, Double, Double, Double, Double, Double,
                     Double, Double, Double, Double, Double, Double, Double, Double) =
            (state.soc, state.rcVoltage1, state.rcVoltage2, state.rcVoltage3, state.hysteresis, state.lastCurrentSign,
             temperature_K, o.time_s, o.current_A, o.voltage_V, o.openCircuitVoltage_V, o.heatGeneration_W,
             o.dischargedCharge_Ah, o.dischargedEnergy_Wh, Double(o.limits.rawValue), o.temperature_K)
        withUnsafeBytes(of: values) { raw in
            for i in 0..<16 { b[i] = raw.load(fromByteOffset: 8 * i, as: Double.self) }
        }
    }

    public mutating func readState(from b: UnsafeBufferPointer<Double>) throws(LithosError) {
        for i in 0..<16 where !b[i].isFinite {
            throw LithosError(.invalidArgument, "state snapshot value \(i) is not finite")
        }
        // Temperature: any positive value the model itself can reach (an adiabatic abuse case
        // may heat far beyond the API's input range; its snapshot must still load).
        guard b[6] > 0, b[15] > 0,
              abs(b[4]) <= 1, abs(b[5]) <= 1, b[14] >= 0, b[14] < 65536, b[14] == b[14].rounded() else {
            throw LithosError(.invalidArgument, "state snapshot values are out of range")
        }
        var s = ECMState<Double>(soc: b[0])
        s.rcVoltage1 = b[1]; s.rcVoltage2 = b[2]; s.rcVoltage3 = b[3]
        s.hysteresis = b[4]; s.lastCurrentSign = b[5]
        var o = ModelOutput()
        o.soc = b[0]
        o.time_s = b[7]; o.current_A = b[8]; o.voltage_V = b[9]; o.openCircuitVoltage_V = b[10]
        o.heatGeneration_W = b[11]; o.dischargedCharge_Ah = b[12]; o.dischargedEnergy_Wh = b[13]
        o.limits = LimitFlags(rawValue: UInt32(b[14])); o.temperature_K = b[15]
        state = s
        cache = EndOfStepCache()
        temperature_K = b[6]
        output = o
    }

    public var parameterFingerprint: UInt64 { storage.parameters.fingerprint }
}
