/// The estimator a BMS runs: one per cell, updated with what the firmware measures (current,
/// voltage, temperature, dt) and reporting SOC with its uncertainty, state of energy, time to
/// empty/full and faults in a `StateEstimate`.
///
/// The algorithm is chosen at creation and its filter held as a concrete value in place — one
/// optional stored property per algorithm, only the configuration's set (no existentials; an
/// update mutates the filter where it lies instead of copying it out of an enum and back, which
/// in firmware cost a ~10 KiB stack frame). `filter` presents it as the `Filter` enum. Firmware
/// built with `-D LITHOS_FW_EKF_ONLY` (scripts/firmware) keeps only the EKF: the UKF and
/// Coulomb-counting code is compiled out and other algorithms are rejected at creation. The public entry points carry exported specialisations for Double and Float,
/// so callers in other modules (the C layer) run specialised code, not the ~20× slower
/// unspecialised generic path (Embedded Swift specialises everything anyway). Storage is fixed at creation: `update` touches only inline state and reads
/// tables allocated in `init`, so it does not allocate.
///
/// Measurement handling (a missing reading never reaches the state):
/// - dt ≤ 0, NaN or infinite: `update` throws and changes nothing;
/// - current NaN/±∞ or beyond ±100C: the last valid current drives the prediction, the
///   correction is skipped (the predicted voltage depends on the current), `measurementSkipped`;
/// - voltage NaN/±∞, ≤ 0 or above twice the maximum voltage: prediction only, `measurementSkipped`;
/// - temperature NaN or outside the API's range: the last valid temperature is used,
///   `measurementSkipped`;
/// - a voltage whose innovation fails the gate, or a reading repeated bit for bit while the
///   model expects it to move (frozen sensor; also when the safety monitor reports
///   `voltageSensorStuck`): prediction only, `measurementRejected`.
///
/// Around the SOC filter it runs the state-of-health estimators (`ResistanceEstimator`:
/// R₀ and resistance SOH; `CapacityEstimator`: capacity and capacity SOH), the power limits
/// (`PowerLimits`, from the filter's state, the capacity estimate and the R₀ scale) and the
/// `SafetyMonitor`, whose faults join the estimator's own in the estimate. The capacity
/// estimate also scales the state of energy and the times to empty/full. (The SOC filter
/// itself keeps the model's capacity and R₀.)
public struct StateEstimator<Scalar: LithosReal>: Sendable {
    #if !LITHOS_FW_EKF_ONLY
    /// The running algorithm with its state.
    public enum Filter: Sendable, Equatable {
        case coulombCounting(CoulombCounter<Scalar>)
        case extendedKalman(ExtendedKalmanFilter<Scalar>)
        case unscentedKalman(SigmaPointKalmanFilter<Scalar>)
    }
    #endif

    /// The configuration and the energy table live behind one reference (`EstimatorStorage`):
    /// copying the estimator costs one reference count, and updates read the model in place.
    @usableFromInline let storage: EstimatorStorage<Scalar>
    // (Inlinable: `estimator.configuration.model.capacity_Ah`, which the C layer reads at every
    // update, then loads one number instead of copying the whole configuration — every table
    // array retained and released — through the getter.)
    @inlinable public var configuration: EstimatorConfiguration<Scalar> { storage.configuration }
    /// The SOC filter: exactly one of these is set, the configuration's algorithm's.
    private(set) var extendedKalman: ExtendedKalmanFilter<Scalar>?
    #if !LITHOS_FW_EKF_ONLY
    private(set) var unscentedKalman: SigmaPointKalmanFilter<Scalar>?
    private(set) var coulombCounter: CoulombCounter<Scalar>?

    /// The running algorithm with its state (a copy).
    public var filter: Filter {
        if let f = coulombCounter { return .coulombCounting(f) }
        if let f = unscentedKalman { return .unscentedKalman(f) }
        return .extendedKalman(extendedKalman!)
    }
    #endif
    /// Series-resistance and capacity estimators, power limits and safety monitor.
    public private(set) var resistance: ResistanceEstimator<Scalar>
    public private(set) var capacity: CapacityEstimator<Scalar>
    public private(set) var power: PowerLimits<Scalar>
    public private(set) var safety: SafetyMonitor<Scalar>
    /// State-of-energy table of the configuration's model.
    public var energyTable: StateOfEnergyTable<Scalar> { storage.energyTable }
    /// Fingerprint of the configuration: a saved state loads only into an estimator with the
    /// same one.
    public let parameterFingerprint: UInt64
    /// The latest estimate (after creation: the initial state, no update yet).
    public private(set) var estimate = StateEstimate<Scalar>()
    /// The current [A] and temperature [K] the estimator last used (held over invalid readings).
    public private(set) var lastCurrent_A: Scalar = 0
    public private(set) var lastTemperature_K: Scalar
    /// The last valid voltage reading [V] and how many consecutive valid readings repeated it
    /// bit for bit (a frozen sensor) — frozen readings do not trigger divergence recovery.
    var lastVoltage_V: Scalar = 0
    var hasVoltage = false
    var repeatedVoltageSamples = 0
    /// Frozen-sensor detection: the predicted voltage when the readings started repeating,
    /// and whether the repetition has been judged a frozen sensor (until the reading changes).
    var frozenReferenceVoltage_V: Scalar = 0
    public private(set) var voltageFrozen = false
    /// Change of the predicted voltage [V] beyond which repeated identical readings are
    /// a frozen sensor: 2 resolution steps + 6σ of the sensor noise, at least 1 mV.
    public let frozenVoltageChange_V: Scalar
    /// Time since the power limits were last computed [s] (`OperatingLimits.powerLimitInterval_s`).
    var sincePowerLimits_s: Scalar = 0
    /// The last OCV inversion of the safety monitor's (voltage, temperature → SOC): a reading
    /// repeated bit for bit (a quantised sensor during a steady load or a rest) is not searched
    /// again. A pure function's result, so it is not part of the saved state.
    var ocvInverse = OCVInverseCache<Scalar>()

    /// Identical consecutive voltage readings from which the readings count as frozen.
    public static var frozenReadingSamples: Int { 3 }
    /// Currents beyond this multiple of the capacity [1/h] are sensor errors.
    public static var maximumCRate: Scalar { 100 }

    /// Creates an estimator (validates the configuration; builds the energy table).
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public init(configuration c: EstimatorConfiguration<Scalar>) throws(LithosError) {
        try c.validate()
        #if LITHOS_FW_EKF_ONLY
        guard c.algorithm == .extendedKalman else {
            throw LithosError(.notSupported, "estimator: this firmware build runs the EKF only")
        }
        #endif
        storage = EstimatorStorage(configuration: c, energyTable: try StateOfEnergyTable(parameters: c.model))
        lastTemperature_K = c.initialTemperature_K
        let offsetSigma: Scalar = c.tuning.currentOffsetEstimation ? c.sensor.currentOffset_A : 0
        switch c.algorithm {
        case .extendedKalman:
            extendedKalman = ExtendedKalmanFilter(parameters: c.model, soc: c.initialSOC, socStandardDeviation: c.initialSOCStandardDeviation,
                                                  currentOffsetStandardDeviation: offsetSigma)
        #if !LITHOS_FW_EKF_ONLY
        case .coulombCounting:
            coulombCounter = CoulombCounter(soc: c.initialSOC, socStandardDeviation: c.initialSOCStandardDeviation)
        case .unscentedKalman:
            unscentedKalman = SigmaPointKalmanFilter(parameters: c.model, soc: c.initialSOC, socStandardDeviation: c.initialSOCStandardDeviation,
                                                     tuning: c.tuning, currentOffsetStandardDeviation: offsetSigma)
        #else
        default:
            fatalError("unreachable: checked above")
        #endif
        }
        resistance = ResistanceEstimator(settings: c.resistanceEstimator)
        capacity = CapacityEstimator(settings: c.capacityEstimator)
        power = PowerLimits()
        safety = SafetyMonitor(settings: c.safety)
        parameterFingerprint = Self.fingerprint(c)
        frozenVoltageChange_V = max(2 * c.sensor.voltageResolution_V + 6 * c.sensor.voltageNoise_V, Scalar(0.001))
        updatePowerLimits()
        refreshEstimate(time: 0, flags: [], latched: [], correction: nil,
                        predictedVoltage: filterVoltage(current: 0, temperature: lastTemperature_K))
    }

    // MARK: state access

    /// SOC [1] and its standard deviation [1] now.
    // Each reads the filter in place (optional chaining on the one that is set).
    @inline(__always)
    public var soc: Scalar {
        #if !LITHOS_FW_EKF_ONLY
        if let z = coulombCounter?.soc { return z }
        if let z = unscentedKalman?.soc { return z }
        #endif
        return extendedKalman!.soc
    }

    @inline(__always)
    public var socStandardDeviation: Scalar {
        #if !LITHOS_FW_EKF_ONLY
        if let s = coulombCounter?.socStandardDeviation { return s }
        if let s = unscentedKalman?.socStandardDeviation { return s }
        #endif
        return extendedKalman!.socStandardDeviation
    }

    /// The current-sensor offset estimate b [A] and its standard deviation [A] (0, 0 when the
    /// filter does not track it).
    // (Reads the filter in place through optional chaining: binding it with `if let` would
    // copy the whole filter onto the stack.)
    @inline(__always)
    public var currentOffset: (value_A: Scalar, standardDeviation_A: Scalar) {
        #if !LITHOS_FW_EKF_ONLY
        if let o = unscentedKalman?.currentOffset { return o }
        #endif
        return extendedKalman?.currentOffset ?? (0, 0)
    }

    /// n: the dimension of the filter state (1 for Coulomb counting).
    public var stateDimension: Int {
        #if !LITHOS_FW_EKF_ONLY
        if coulombCounter != nil { return 1 }
        if let n = unscentedKalman?.space.dimension { return n }
        #endif
        return extendedKalman!.space.dimension
    }

    /// The filter state x = [SOC, RC voltages, hysteresis] (Coulomb counting: [SOC]).
    public var stateVector: SmallVector<Scalar> {
        #if !LITHOS_FW_EKF_ONLY
        if let z = coulombCounter?.soc { var x = SmallVector<Scalar>(); x[0] = z; return x }
        if let x = unscentedKalman?.state { return x }
        #endif
        return extendedKalman!.state
    }

    /// The filter covariance P (leading `stateDimension` block; Coulomb counting: [σ²]).
    public var covariance: SmallMatrix<Scalar> {
        #if !LITHOS_FW_EKF_ONLY
        if let sigma = coulombCounter?.socStandardDeviation {
            var p = SmallMatrix<Scalar>()
            p[0, 0] = sigma * sigma
            return p
        }
        if let p = unscentedKalman?.covariance { return p }
        #endif
        return extendedKalman!.covariance
    }

    /// The estimated circuit state (SOC, RC voltages, hysteresis and its sign); Coulomb
    /// counting: the open-loop model at the counted SOC.
    @inline(__always)
    public var circuitState: ECMState<Scalar> {
        #if !LITHOS_FW_EKF_ONLY
        if let f = coulombCounter { var c = f.circuit; c.soc = f.soc; return c }
        if let c = unscentedKalman?.circuitState { return c }
        #endif
        return extendedKalman!.circuitState
    }

    @inline(__always)
    var covarianceRepairs: UInt32 {
        #if !LITHOS_FW_EKF_ONLY
        if coulombCounter != nil { return 0 }
        if let n = unscentedKalman?.covarianceRepairs { return n }
        #endif
        return extendedKalman!.covarianceRepairs
    }

    /// Terminal voltage [V] the filter predicts for its present state at `current` [A] and
    /// `temperature` [K] (Coulomb counting: the open-loop model at the counted SOC).
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public func predictedVoltage(current: Scalar, temperature: Scalar) -> Scalar {
        var estimator = self
        return estimator.filterVoltage(current: current, temperature: temperature)
    }

    /// `predictedVoltage`, for `update`: `mutating` only so that it runs on the estimator in
    /// place (it changes nothing) — a non-mutating call from a mutating method copies the
    /// whole estimator to the stack first in an -Osize firmware build.
    mutating func filterVoltage(current: Scalar, temperature: Scalar) -> Scalar {
        let model = storage.model
        #if !LITHOS_FW_EKF_ONLY
        if let v = coulombCounter?.predictedVoltage(current: current, temperature: temperature, parameters: model) { return v }
        if let v = unscentedKalman?.predictedVoltage(current: current, temperature: temperature, parameters: model) { return v }
        #endif
        return extendedKalman!.predictedVoltage(current: current, temperature: temperature, parameters: model)
    }

    // MARK: update

    /// One BMS cycle: prediction with the measured current over dt, correction with the
    /// measured voltage (see the type's documentation for invalid readings).
    /// - Throws: `.invalidArgument` when dt is not a finite number > 0 (nothing changes).
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public mutating func update(_ m: Measurement<Scalar>) throws(LithosError) -> StateEstimate<Scalar> {
        let dt = m.dt_s
        guard dt > 0, dt.isFinite else {
            throw LithosError(.invalidArgument, "estimator update: dt_s must be a finite number > 0 (got \(dt))")
        }
        // (Local copies of the read-only parts, once per update: read from `storage` at each
        // use instead, the -Osize firmware build copied them to the stack at each use.)
        let model = storage.model, tuning = storage.tuning, sensor = storage.sensor, rest = storage.rest, limits = storage.limits
        let capacity_Ah = model.capacity_Ah
        var flags: FaultFlags = []

        var current = m.current_A
        let currentValid = current.isFinite && abs(current) <= Self.maximumCRate * capacity_Ah
        if currentValid { lastCurrent_A = current } else { current = lastCurrent_A; flags.insert(.measurementSkipped) }

        var temperature = m.temperature_K
        let temperatureValid = temperature >= Scalar(Validate.minimumTemperature_K) && temperature <= Scalar(Validate.maximumTemperature_K)
        if temperatureValid {
            lastTemperature_K = temperature
        } else {
            temperature = lastTemperature_K
            flags.insert(.measurementSkipped)
        }

        let voltage = m.voltage_V
        let voltageValid = voltage.isFinite && voltage > 0 && voltage < 2 * Scalar(model.limits.maximumVoltage_V)
        if voltageValid {
            if hasVoltage && voltage == lastVoltage_V {
                repeatedVoltageSamples = min(repeatedVoltageSamples &+ 1, 1 << 30)
                // The prediction at the first reading of the run, to compare with later.
                if repeatedVoltageSamples == 1 { frozenReferenceVoltage_V = estimate.predictedVoltage_V }
            } else {
                repeatedVoltageSamples = 0
                voltageFrozen = false
            }
            lastVoltage_V = voltage
            hasVoltage = true
        } else {
            flags.insert(.measurementSkipped)
        }
        // Safety monitor: the readings as measured (NaN where absent); the OCV-implied SOC for
        // its offset and internal-short checks.
        // (OCV⁻¹ is a search: computed only when one of the monitor's checks needs it — the
        // current-offset check during a steady current, the internal-short check during a long
        // rest: then at every update — and not again for a reading repeated bit for bit.)
        var inverse = ocvInverse
        let safetyFaults = safety.update(Measurement(current_A: m.current_A.isFinite ? m.current_A : .nan,
                                                     voltage_V: m.voltage_V.isFinite ? m.voltage_V : .nan,
                                                     temperature_K: m.temperature_K.isFinite ? m.temperature_K : .nan, dt_s: dt),
                                         restSOCAvailable: voltageValid,
                                         restSOC: { inverse.soc(voltage: voltage, temperature: temperature, parameters: model, tuning: tuning) },
                                         limits: limits)
        ocvInverse = inverse
        if safetyFaults.active.contains(.voltageSensorStuck) { voltageFrozen = true }
        // Dual estimation: the filters measure with the resistance estimator's R₀ (it has seen
        // the previous readings only; this update's come after the correction).
        // (The filter is mutated in place: optional chaining on the one that is set.)
        if tuning.resistanceFeedback {
            extendedKalman?.space.seriesResistanceScale = resistance.scale
            #if !LITHOS_FW_EKF_ONLY
            unscentedKalman?.space.seriesResistanceScale = resistance.scale
            #endif
        }
        // Prediction.
        extendedKalman?.predict(current: current, dt: dt, temperature: temperature, parameters: model, tuning: tuning, sensor: sensor)
        #if !LITHOS_FW_EKF_ONLY
        unscentedKalman?.predict(current: current, dt: dt, temperature: temperature, parameters: model, tuning: tuning, sensor: sensor)
        coulombCounter?.predict(current: current, dt: dt, temperature: temperature, parameters: model, sensor: sensor, rest: rest,
                                tuning: tuning)
        #endif
        var prior: Scalar? = nil
        // A reading repeated bit for bit while the model expects it to move is a frozen sensor.
        if voltageValid, !voltageFrozen, repeatedVoltageSamples >= Self.frozenReadingSamples - 1 {
            let y = filterVoltage(current: current, temperature: temperature)
            prior = y
            if abs(y - frozenReferenceVoltage_V) > frozenVoltageChange_V { voltageFrozen = true }
        }
        if voltageFrozen { flags.insert(.measurementRejected) }
        let corrects = voltageValid && currentValid && !voltageFrozen
        let mayRecover = repeatedVoltageSamples < Self.frozenReadingSamples

        // Correction.
        var correction: FilterCorrection<Scalar>? = nil
        if corrects {
            correction = extendedKalman?.correct(voltage: voltage, current: current, temperature: temperature,
                                                 parameters: model, tuning: tuning, sensor: sensor, mayRecover: mayRecover)
            #if !LITHOS_FW_EKF_ONLY
            if let r = unscentedKalman?.correct(voltage: voltage, current: current, temperature: temperature,
                                                parameters: model, tuning: tuning, sensor: sensor, mayRecover: mayRecover) {
                correction = r
            }
            _ = coulombCounter?.correctAfterRest(voltage: voltage, current: current, temperature: temperature, parameters: model,
                                                 sensor: sensor, rest: rest, tuning: tuning)
            #endif
        }
        if let r = correction, r.outcome == .rejected { flags.insert(.measurementRejected) }
        let predicted: Scalar
        if let v = correction?.predictedVoltage ?? prior { predicted = v } else { predicted = filterVoltage(current: current, temperature: temperature) }

        // State of health and power, from the corrected state; missing readings as NaN.
        let z = soc
        let usable = Measurement(current_A: currentValid ? current : .nan,
                                 voltage_V: voltageValid && !voltageFrozen ? voltage : .nan,
                                 temperature_K: temperatureValid ? temperature : .nan, dt_s: dt)
        updateStateOfHealth(usable, soc: z)
        // Power limits at their own rate (`OperatingLimits.powerLimitInterval_s`; 0: every
        // update). In between the estimate keeps the last ones.
        sincePowerLimits_s += dt
        let interval = limits.powerLimitInterval_s
        if !(interval > 0) || sincePowerLimits_s >= interval - dt / 1000 { updatePowerLimits() }

        flags.formUnion(safetyFaults.active)
        refreshEstimate(time: estimate.time_s + dt, flags: flags, latched: estimate.latchedFaults.union(flags).union(safetyFaults.latched),
                        correction: correction, predictedVoltage: predicted)
        #if !LITHOS_FW_EKF_ONLY
        if correction == nil, voltageValid, coulombCounter != nil {
            // Coulomb counting: the open-loop model's voltage error, for monitoring only.
            estimate.innovation_V = voltage - predicted
        }
        #endif
        return estimate
    }

    /// `update` with the readings as arguments.
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public mutating func update(current_A: Scalar, voltage_V: Scalar, temperature_K: Scalar, dt_s: Scalar) throws(LithosError) -> StateEstimate<Scalar> {
        try update(Measurement(current_A: current_A, voltage_V: voltage_V, temperature_K: temperature_K, dt_s: dt_s))
    }

    /// Runs a batch of measurements, writing one estimate per measurement. Every dt is checked
    /// before the first update, so on error nothing has changed.
    /// - Throws: `.bufferTooSmall` when `estimates` is shorter than `measurements`;
    ///   `.invalidArgument` naming the first sample with an invalid dt.
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public mutating func run(_ measurements: UnsafeBufferPointer<Measurement<Scalar>>,
                             into estimates: UnsafeMutableBufferPointer<StateEstimate<Scalar>>) throws(LithosError) {
        guard estimates.count >= measurements.count else {
            throw LithosError(.bufferTooSmall, "estimator run: \(measurements.count) measurements need as many estimates (got room for \(estimates.count))")
        }
        for k in 0..<measurements.count where !(measurements[k].dt_s > 0 && measurements[k].dt_s.isFinite) {
            throw LithosError(.invalidArgument, "estimator run: sample \(k) has dt_s = \(measurements[k].dt_s); dt must be a finite number > 0")
        }
        for k in 0..<measurements.count { estimates[k] = try update(measurements[k]) }
    }

    /// Runs a batch given as separate arrays of equal length (the C/Python layout), writing one
    /// estimate per sample; same checks as `run(_:into:)`.
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public mutating func run(current_A: UnsafeBufferPointer<Scalar>, voltage_V: UnsafeBufferPointer<Scalar>,
                             temperature_K: UnsafeBufferPointer<Scalar>, dt_s: UnsafeBufferPointer<Scalar>,
                             into estimates: UnsafeMutableBufferPointer<StateEstimate<Scalar>>) throws(LithosError) {
        let n = current_A.count
        guard voltage_V.count == n, temperature_K.count == n, dt_s.count == n else {
            throw LithosError(.invalidArgument, "estimator run: current, voltage, temperature and dt arrays must have the same length")
        }
        guard estimates.count >= n else {
            throw LithosError(.bufferTooSmall, "estimator run: \(n) samples need as many estimates (got room for \(estimates.count))")
        }
        for k in 0..<n where !(dt_s[k] > 0 && dt_s[k].isFinite) {
            throw LithosError(.invalidArgument, "estimator run: sample \(k) has dt_s = \(dt_s[k]); dt must be a finite number > 0")
        }
        for k in 0..<n {
            estimates[k] = try update(Measurement(current_A: current_A[k], voltage_V: voltage_V[k],
                                                  temperature_K: temperature_K[k], dt_s: dt_s[k]))
        }
    }

    /// Restarts the SOC estimate at `soc` with standard deviation `sigma` (RC voltages and
    /// hysteresis back to zero, rest timing restarted). Time, held readings, latched faults and
    /// the SOH estimators and safety monitor are kept.
    /// - Throws: `.outOfRange` when soc is outside the tuning's SOC range or sigma not in (0, 1].
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public mutating func reset(soc: Scalar, socStandardDeviation sigma: Scalar) throws(LithosError) {
        let t = storage.configuration.tuning
        guard soc.isFinite, soc >= t.minimumSOC, soc <= t.maximumSOC else {
            throw LithosError(.outOfRange, "estimator reset: soc must lie within \(t.minimumSOC)…\(t.maximumSOC) (got \(soc))")
        }
        guard sigma > 0, sigma <= 1 else {
            throw LithosError(.outOfRange, "estimator reset: the SOC standard deviation must lie within (0, 1] (got \(sigma))")
        }
        extendedKalman?.reset(soc: soc, socStandardDeviation: sigma)
        #if !LITHOS_FW_EKF_ONLY
        unscentedKalman?.reset(soc: soc, socStandardDeviation: sigma)
        coulombCounter?.reset(soc: soc, socStandardDeviation: sigma)
        #endif
        updatePowerLimits()
        refreshEstimate(time: estimate.time_s, flags: estimate.activeFaults, latched: estimate.latchedFaults,
                        correction: nil, predictedVoltage: estimate.predictedVoltage_V)
    }

    /// Clears the latched faults (the active ones stay until they clear).
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public mutating func clearLatchedFaults() {
        safety.clearLatched()
        estimate.latchedFaults = estimate.activeFaults
    }

    /// R₀ and capacity estimators after the filter's update. (Out of line: it keeps
    /// `update`'s stack frame small on a microcontroller.)
    @inline(never)
    mutating func updateStateOfHealth(_ usable: Measurement<Scalar>, soc z: Scalar) {
        resistance.update(usable, soc: z, parameters: storage.model)
        // The capacity estimator pairs ΔSOC with ∫I dt: with the offset estimated, the cell's
        // current (measured − b) — the same current the filter's SOC integrated.
        let offset = currentOffset.value_A
        capacity.update(soc: z, socStandardDeviation: socStandardDeviation, current_A: usable.current_A - offset, dt_s: usable.dt_s)
    }

    // MARK: outputs

    /// Recomputes the power limits from the present state (and restarts their interval).
    mutating func updatePowerLimits() {
        let model = storage.model, limits = storage.limits
        power.update(parameters: model, state: circuitState, temperature_K: lastTemperature_K,
                     limits: limits, capacity_Ah: capacity.capacity_Ah, seriesResistanceScale: resistance.scale)
        sincePowerLimits_s = 0
    }

    /// Sets `estimate` from the present state. (`mutating` so that it reads the estimator in
    /// place rather than a copy.)
    mutating func refreshEstimate(time: Scalar, flags: FaultFlags, latched: FaultFlags, correction: FilterCorrection<Scalar>?,
                                  predictedVoltage: Scalar) {
        // (Local copies: reading `storage.energyTable`/`storage.model` at each use made the
        // -Osize firmware build copy them to the stack at each use — a 5.5 KiB frame.)
        let model = storage.model, energyTable = storage.energyTable, threshold = storage.rest.currentThreshold_A
        let temperature = lastTemperature_K
        let z = soc
        var e = StateEstimate<Scalar>()
        e.soc = z
        e.socStandardDeviation = socStandardDeviation
        capacity.write(into: &e)
        if resistance.modelSeriesResistance_ohm > 0 {
            resistance.write(into: &e)
        } else {
            // No update yet: the model's R₀ at the present state.
            e.seriesResistance_ohm = resistance.scale * model.seriesResistance.value(x: z, y: temperature)
            e.resistanceSOH_percent = resistance.resistanceSOH_percent
        }
        power.write(into: &e)
        let capacityRatio = capacity.capacity_Ah / model.capacity_Ah
        e.energyRemaining_Wh = energyTable.energyRemaining_Wh(soc: z, temperature_K: temperature) * capacityRatio
        let current = lastCurrent_A - currentOffset.value_A
        let ampereSeconds = 3600 * capacity.capacity_Ah
        if current > threshold {
            e.timeToEmpty_s = max(z - energyTable.emptySOC(temperature_K: temperature), 0) * ampereSeconds / current
        }
        if current < -threshold {
            e.timeToFull_s = max(energyTable.fullSOC(temperature_K: temperature) - z, 0) * ampereSeconds / (-current * model.chargeEfficiency)
        }
        e.predictedVoltage_V = predictedVoltage
        if let r = correction {
            e.innovation_V = r.innovation
            e.innovationStandardDeviation_V = r.innovationStandardDeviation
        }
        e.activeFaults = flags
        e.latchedFaults = latched
        e.time_s = time
        e.covarianceRepairs = covarianceRepairs
        let offset = currentOffset
        e.currentOffset_A = offset.value_A
        e.currentOffsetStandardDeviation_A = offset.standardDeviation_A
        estimate = e
    }

    // MARK: save / load

    /// Number of Doubles in the saved state (the same for every algorithm).
    public var stateCount: Int { Self.stateCount }
    public static var stateCount: Int {
        filterStateCount + ResistanceEstimator<Scalar>.stateCount + CapacityEstimator<Scalar>.stateCount + SafetyMonitor<Scalar>.stateCount
    }
    static var filterStateCount: Int { 48 }

    /// Writes the dynamic state (exactly `stateCount` values; Float values are widened
    /// exactly). Layout: [0] algorithm code, [1] time, [2] held current, [3] held temperature,
    /// [4] last voltage, [5] has-voltage, [6] repeated-voltage count, [7] latched faults,
    /// [8] active faults, [9] predicted voltage, [10] innovation, [11] innovation σ,
    /// [12] average NIS, [13] covariance repairs, [14] hysteresis sign,
    /// [15…19] x, [20…34] P (upper triangle, row by row), [35…45] Coulomb counter (SOC,
    /// compensation, random variance, offset σ, rest time, rest used, RC voltages 1–3, h, sign),
    /// [46] frozen-reading reference voltage, [47] voltage frozen; then the resistance
    /// estimator (15 values), the capacity estimator (28) and the safety monitor (42) — see
    /// `EstimatorStateVector.swift`. The power limits are recomputed from these.
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public func writeState(to b: UnsafeMutableBufferPointer<Double>) {
        precondition(b.count >= Self.stateCount, "estimator writeState: buffer too small")
        for i in 0..<Self.filterStateCount { b[i] = 0 }
        var w = StateVectorWriter(b, at: Self.filterStateCount)
        resistance.writeState(&w)
        capacity.writeState(&w)
        safety.writeState(&w)
        precondition(w.index == Self.stateCount, "estimator writeState: layout out of step with stateCount")
        let e = estimate
        b[0] = Double(configuration.algorithm.code)
        b[1] = Double(e.time_s)
        b[2] = Double(lastCurrent_A)
        b[3] = Double(lastTemperature_K)
        b[4] = Double(lastVoltage_V)
        b[5] = hasVoltage ? 1 : 0
        b[6] = Double(repeatedVoltageSamples)
        b[7] = Double(e.latchedFaults.rawValue)
        b[8] = Double(e.activeFaults.rawValue)
        b[9] = Double(e.predictedVoltage_V)
        b[10] = Double(e.innovation_V)
        b[11] = Double(e.innovationStandardDeviation_V)
        b[46] = Double(frozenReferenceVoltage_V)
        b[47] = voltageFrozen ? 1 : 0
        func putFilter(_ x: SmallVector<Scalar>, _ p: SmallMatrix<Scalar>, sign: Scalar, nis: Scalar, repairs: UInt32) {
            b[12] = Double(nis)
            b[13] = Double(repairs)
            b[14] = Double(sign)
            for i in 0..<5 { b[15 + i] = Double(x[i]) }
            var k = 20
            for i in 0..<5 { for j in i..<5 { b[k] = Double(p[i, j]); k += 1 } }
        }
        #if !LITHOS_FW_EKF_ONLY
        if let f = coulombCounter {
            b[35] = Double(f.soc); b[36] = Double(f.compensation); b[37] = Double(f.randomVariance)
            b[38] = Double(f.offsetStandardDeviation); b[39] = Double(f.restTime_s); b[40] = f.restCorrected ? 1 : 0
            b[41] = Double(f.circuit.rcVoltage1); b[42] = Double(f.circuit.rcVoltage2); b[43] = Double(f.circuit.rcVoltage3)
            b[44] = Double(f.circuit.hysteresis); b[45] = Double(f.circuit.lastCurrentSign)
        }
        if let f = unscentedKalman {
            putFilter(f.state, f.covariance, sign: f.currentSign, nis: f.monitor.averageNIS, repairs: f.covarianceRepairs)
        }
        #endif
        if let f = extendedKalman {
            putFilter(f.state, f.covariance, sign: f.currentSign, nis: f.monitor.averageNIS, repairs: f.covarianceRepairs)
        }
    }

    /// Restores the dynamic state written by `writeState` (exactly `stateCount` values).
    /// Validates everything first (algorithm, finiteness, ranges, P symmetric positive
    /// definite) and throws without changing anything on bad data.
    #if !hasFeature(Embedded)
    @_specialize(exported: true, where Scalar == Double)
    @_specialize(exported: true, where Scalar == Float)
    #endif
    public mutating func readState(from b: UnsafeBufferPointer<Double>) throws(LithosError) {
        func bad(_ what: String) -> LithosError { LithosError(.invalidArgument, "estimator state: \(what)") }
        guard b.count >= Self.stateCount else { throw bad("needs \(Self.stateCount) values, got \(b.count)") }
        for i in 0..<Self.filterStateCount where !b[i].isFinite { throw bad("value \(i) is not finite") }
        guard b[0] == Double(configuration.algorithm.code) else {
            throw bad("was saved by algorithm \(b[0]), this estimator runs \(configuration.algorithm.name)")
        }
        func isCount(_ v: Double) -> Bool { v >= 0 && v <= 4_294_967_295 && v == v.rounded() }
        guard b[1] >= 0, b[5] == 0 || b[5] == 1, isCount(b[6]), isCount(b[7]), isCount(b[8]), b[12] >= 0, isCount(b[13]),
              b[47] == 0 || b[47] == 1,
              abs(b[14]) <= 1, b[3] >= Validate.minimumTemperature_K, b[3] <= Validate.maximumTemperature_K else {
            throw bad("values are out of range")
        }
        let t = configuration.tuning
        func inRange(_ z: Double) -> Bool { z >= Double(t.minimumSOC) && z <= Double(t.maximumSOC) }
        var restoredEKF = extendedKalman
        if var f = restoredEKF {
            let (x, p) = try readFilter(b, dimension: f.space.dimension)
            f.state = x; f.covariance = p; f.currentSign = Scalar(b[14])
            f.monitor.averageNIS = Scalar(b[12]); f.covarianceRepairs = UInt32(b[13])
            restoredEKF = f
        }
        #if !LITHOS_FW_EKF_ONLY
        var restoredCounter = coulombCounter, restoredUKF = unscentedKalman
        if var f = restoredCounter {
            guard inRange(b[35]), b[37] >= 0, b[38] >= 0, b[39] >= 0, b[40] == 0 || b[40] == 1, abs(b[44]) <= 1, abs(b[45]) <= 1 else {
                throw bad("Coulomb-counter values are out of range")
            }
            f.soc = Scalar(b[35]); f.compensation = Scalar(b[36]); f.randomVariance = Scalar(b[37])
            f.offsetStandardDeviation = Scalar(b[38]); f.restTime_s = Scalar(b[39]); f.restCorrected = b[40] == 1
            f.circuit.rcVoltage1 = Scalar(b[41]); f.circuit.rcVoltage2 = Scalar(b[42]); f.circuit.rcVoltage3 = Scalar(b[43])
            f.circuit.hysteresis = Scalar(b[44]); f.circuit.lastCurrentSign = Scalar(b[45]); f.circuit.soc = f.soc
            restoredCounter = f
        }
        if var f = restoredUKF {
            let (x, p) = try readFilter(b, dimension: f.space.dimension)
            f.state = x; f.covariance = p; f.currentSign = Scalar(b[14])
            f.monitor.averageNIS = Scalar(b[12]); f.covarianceRepairs = UInt32(b[13])
            restoredUKF = f
        }
        #endif
        #if hasFeature(Embedded)
        throw LithosError(.notSupported, "estimator state: loading is not available in Embedded Swift builds (reset(soc:socStandardDeviation:) restarts from a stored SOC)")
        #else
        var reader = StateVectorReader(b, at: Self.filterStateCount)
        let restoredResistance = try resistance.readingState(&reader)
        let restoredCapacity = try capacity.readingState(&reader)
        let restoredSafety = try safety.readingState(&reader)
        // Commit.
        extendedKalman = restoredEKF
        #if !LITHOS_FW_EKF_ONLY
        coulombCounter = restoredCounter
        unscentedKalman = restoredUKF
        #endif
        resistance = restoredResistance
        capacity = restoredCapacity
        safety = restoredSafety
        lastCurrent_A = Scalar(b[2])
        lastTemperature_K = Scalar(b[3])
        lastVoltage_V = Scalar(b[4])
        hasVoltage = b[5] == 1
        repeatedVoltageSamples = Int(min(b[6], Double(1 << 30)))
        frozenReferenceVoltage_V = Scalar(b[46])
        voltageFrozen = b[47] == 1
        updatePowerLimits()
        var correction = FilterCorrection<Scalar>()
        correction.innovation = Scalar(b[10])
        correction.innovationStandardDeviation = Scalar(b[11])
        refreshEstimate(time: Scalar(b[1]), flags: FaultFlags(rawValue: UInt32(b[8])), latched: FaultFlags(rawValue: UInt32(b[7])),
                        correction: correction, predictedVoltage: Scalar(b[9]))
        #endif
    }

    func readFilter(_ b: UnsafeBufferPointer<Double>, dimension n: Int) throws(LithosError) -> (SmallVector<Scalar>, SmallMatrix<Scalar>) {
        var x = SmallVector<Scalar>()
        for i in 0..<5 { x[i] = Scalar(b[15 + i]) }
        var p = SmallMatrix<Scalar>()
        var k = 20
        for i in 0..<5 { for j in i..<5 { p[i, j] = Scalar(b[k]); p[j, i] = Scalar(b[k]); k += 1 } }
        let t = configuration.tuning
        guard x[0] >= t.minimumSOC, x[0] <= t.maximumSOC, x.isFinite(5), p.isFinite(5), p.choleskyFactor(n) != nil else {
            throw LithosError(.invalidArgument, "estimator state: filter state out of range or covariance not positive definite")
        }
        for i in n..<5 where x[i] != 0 {
            throw LithosError(.invalidArgument, "estimator state: filter state has values beyond its dimension \(n)")
        }
        return (x, p)
    }

    /// FNV-1a over the configuration (model, algorithm, tuning, sensor, rest settings).
    static func fingerprint(_ c: EstimatorConfiguration<Scalar>) -> UInt64 {
        var h = FNV1a64()
        h.add(c.model.fingerprint)
        h.add(UInt64(c.algorithm.code))
        let t = c.tuning, s = c.sensor, r = c.rest
        for v in [t.socProcessNoise_per_s, t.rcProcessNoise_V2_per_s, t.hysteresisProcessNoise_per_s, t.measurementNoise_V, t.measurementNoiseResistanceFraction,
                  t.innovationGate_sigma, t.minimumSOC, t.maximumSOC, t.ukfAlpha, t.ukfBeta, t.ukfKappa,
                  s.currentNoise_A, s.currentOffset_A, s.voltageNoise_V, s.voltageResolution_V, s.currentResolution_A,
                  r.currentThreshold_A, r.qualificationTime_s, r.ocvUncertainty_V, c.initialTemperature_K] {
            h.add(Double(v))
        }
        h.add(UInt64(t.divergenceWindowSamples))
        h.add(Double(t.divergenceThreshold))
        h.add(UInt64(t.maximumIterations))
        h.add(Double(t.iterationStep))
        h.add(UInt64(MemoryLayout<Scalar>.size))
        return h.value
    }
}

/// The safety monitor's last OCV inversion: SOC for a (voltage, temperature) pair (NaN: none).
struct OCVInverseCache<Scalar: LithosReal>: Sendable, Equatable {
    var voltage: Scalar = .nan
    var temperature: Scalar = .nan
    var value: Scalar = .nan

    /// OCV⁻¹(voltage, temperature) over the tuning's SOC range, searched only when the pair
    /// differs from the last one.
    mutating func soc(voltage v: Scalar, temperature t: Scalar, parameters: ECMParameters<Scalar>,
                      tuning: EstimatorTuning<Scalar>) -> Scalar {
        if v == voltage && t == temperature { return value }
        value = CoulombCounter.socFromOCV(v, temperature: t, parameters: parameters, lower: tuning.minimumSOC, upper: tuning.maximumSOC)
        voltage = v
        temperature = t
        return value
    }
}

/// The estimator's read-only data (configuration, energy table) behind one reference.
/// `update` reads the parts it needs from their own copies (`model`, `tuning`, …): reading
/// them out of `configuration` made the -Osize firmware build copy the whole configuration to
/// the stack at every use.
@usableFromInline
final class EstimatorStorage<Scalar: LithosReal>: Sendable {
    @usableFromInline let configuration: EstimatorConfiguration<Scalar>
    let energyTable: StateOfEnergyTable<Scalar>
    let model: ECMParameters<Scalar>
    let tuning: EstimatorTuning<Scalar>
    let sensor: SensorModel<Scalar>
    let rest: RestCorrectionSettings<Scalar>
    let limits: OperatingLimits<Scalar>

    init(configuration: EstimatorConfiguration<Scalar>, energyTable: StateOfEnergyTable<Scalar>) {
        self.configuration = configuration
        self.energyTable = energyTable
        model = configuration.model
        tuning = configuration.tuning
        sensor = configuration.sensor
        rest = configuration.rest
        limits = configuration.limits
    }
}
