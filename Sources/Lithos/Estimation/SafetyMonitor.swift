/// Thresholds of the safety monitor's plausibility and diagnostic checks (the limit checks use
/// `OperatingLimits`). Defaults scale with the cell's capacity where a current is involved.
public struct SafetyMonitorSettings<Scalar: LithosReal>: Sendable, Equatable {
    /// Capacity for the Coulomb-counted SOC change [A·h].
    public var capacity_Ah: Scalar

    /// Stuck voltage sensor: the reading has not changed by a single bit while |I| exceeded
    /// `stuckVoltageCurrent_A` for a total of `stuckVoltageTime_s` [s]. Time at lower current
    /// neither counts nor resets (a rest legitimately holds the voltage); any change resets.
    public var stuckVoltageTime_s: Scalar = 10
    public var stuckVoltageCurrent_A: Scalar

    /// Time constant of the low-pass filter applied to the measured current before the rest and
    /// steadiness tests [s] (sensor noise of 10 mA would otherwise break every rest at C/50).
    public var currentFilterTime_s: Scalar = 30

    /// Current-sensor offset: after the (filtered) current has been steady (within
    /// ± `offsetSteadyBand_A` of its mean since it settled) for `offsetSettleTime_s`, each window of
    /// `offsetWindow_s` compares the two halves. An offset is flagged when the mean measured
    /// current is at least `offsetMinimumCurrent_A`, the counted charge should have moved the
    /// SOC by at least `offsetMinimumSOCChange` between the half-window centres, the voltage
    /// moved by at most `offsetVoltageChange_V` (dV/dt ≈ 0) and the OCV-implied SOC moved by
    /// less than `offsetExplainedFraction` of the counted change (in its direction): the
    /// voltage sees a rest the current sensor does not.
    public var offsetSettleTime_s: Scalar = 300
    public var offsetWindow_s: Scalar = 900
    public var offsetMinimumCurrent_A: Scalar
    public var offsetSteadyBand_A: Scalar
    public var offsetMinimumSOCChange: Scalar = 0.003
    public var offsetVoltageChange_V: Scalar = 0.003
    public var offsetExplainedFraction: Scalar = 0.3

    /// Temperature-sensor step: |ΔT| > `temperatureRate_K_per_s`·Δt + `temperatureStepAllowance_K`
    /// between two valid readings (no cell heats or cools faster; the allowance absorbs sensor
    /// resolution). An event: active for `temperatureStepHold_s` after the step, then latched.
    public var temperatureRate_K_per_s: Scalar = 1
    public var temperatureStepAllowance_K: Scalar = 2
    public var temperatureStepHold_s: Scalar = 5

    /// Internal short: rest (filtered |I| ≤ `restCurrent_A`) lasting `shortSettleTime_s` (RC
    /// relaxation over), then in each window of `shortWindow_s` the least-squares slope of the
    /// OCV-implied SOC, minus what the measured current explains, is below
    /// −`shortSelfDischargeRate_per_h`: an unexplained self-discharge (a leakage path the
    /// current sensor does not see). Active from the first such window until a rest window
    /// without it.
    public var restCurrent_A: Scalar
    public var shortSettleTime_s: Scalar = 1800
    public var shortWindow_s: Scalar = 1800
    public var shortSelfDischargeRate_per_h: Scalar = 0.01

    /// Defaults for a cell of `capacity_Ah`: stuck-sensor current C/10, offset at least C/100
    /// and steady within C/20, rest below C/50.
    public init(capacity_Ah: Scalar) {
        self.capacity_Ah = capacity_Ah
        stuckVoltageCurrent_A = capacity_Ah / 10
        offsetMinimumCurrent_A = capacity_Ah / 100
        offsetSteadyBand_A = capacity_Ah / 20
        restCurrent_A = capacity_Ah / 50
    }

    public func validate(context: @autoclosure () -> String = "safety monitor") throws(LithosError) {
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(LithosError) {
            if !ok { throw LithosError(.config, "\(context()): \(what())") }
        }
        func positive(_ v: Scalar) -> Bool { v > 0 && v.isFinite }
        func nonNegative(_ v: Scalar) -> Bool { v >= 0 && v.isFinite }
        try check(positive(capacity_Ah), "capacity_Ah must be > 0")
        try check(positive(stuckVoltageTime_s) && nonNegative(stuckVoltageCurrent_A), "stuck-voltage time must be > 0 and current ≥ 0")
        try check(nonNegative(offsetSettleTime_s) && positive(offsetWindow_s) && positive(offsetMinimumCurrent_A)
                  && positive(offsetSteadyBand_A) && positive(offsetMinimumSOCChange) && positive(offsetVoltageChange_V)
                  && offsetExplainedFraction > 0 && offsetExplainedFraction < 1,
                  "current-offset settings must be > 0 (explained fraction within (0, 1))")
        try check(positive(temperatureRate_K_per_s) && nonNegative(temperatureStepAllowance_K) && nonNegative(temperatureStepHold_s),
                  "temperature-step settings must be > 0")
        try check(nonNegative(currentFilterTime_s), "current filter time must be ≥ 0")
        try check(positive(restCurrent_A) && nonNegative(shortSettleTime_s) && positive(shortWindow_s) && positive(shortSelfDischargeRate_per_h),
                  "internal-short settings must be > 0")
    }
}

/// A condition that must hold for a debounce time before it becomes active and must be absent
/// (its clear condition — the set condition's complement beyond any hysteresis — holding) for
/// the same time before it clears.
public struct Debouncer<Scalar: LithosReal>: Sendable, Equatable {
    public private(set) var active = false
    /// Time the set (while inactive) or clear (while active) condition has held [s].
    public private(set) var elapsed_s: Scalar = 0

    public init() {}

    /// Advances by `dt` [s]. `set`: the fault condition holds; `clear`: the release condition
    /// holds (for a fault without hysteresis, `!set`). Returns `active`.
    public mutating func update(set: Bool, clear: Bool, dt: Scalar, debounce: Scalar) -> Bool {
        // A sliver of tolerance so that n samples of dt reach n·dt despite rounding.
        let due = debounce - dt / 1000
        if active {
            if clear { elapsed_s += dt; if elapsed_s >= due { active = false; elapsed_s = 0 } } else { elapsed_s = 0 }
        } else {
            if set { elapsed_s += dt; if elapsed_s >= due { active = true; elapsed_s = 0 } } else { elapsed_s = 0 }
        }
        return active
    }

    public mutating func reset() { active = false; elapsed_s = 0 }
}

/// The BMS safety monitor: limit checks with debounce and hysteresis, sensor-plausibility
/// checks, and the two cell diagnostics a solid-state cell needs (internal short, dendrite
/// risk). Fixed-size state, no allocation, generic over the scalar.
///
/// Per update (one measurement):
/// - over/under-voltage: V > V_max (V < V_min) for `debounce_s`; clears after V ≤ V_max − ΔV_h
///   (V ≥ V_min + ΔV_h) for `debounce_s`.
/// - over-current: I > discharge limit or −I > charge limit for `debounce_s` (symmetric).
/// - over/under-temperature: T > T_max (T < T_min) for `debounce_s`; clears below
///   T_max − ΔT_h (above T_min + ΔT_h) held for `debounce_s`.
/// - dendrite risk (lithium-metal anode): charging with −I/A > margin·CCD(T, p) for
///   `debounce_s`; clears once below for `debounce_s`.
/// - sensor plausibility and internal short: see `SafetyMonitorSettings`.
/// A NaN reading skips the checks that need it (their timers hold); a non-positive or NaN dt
/// skips the update. Every active fault is latched until `clearLatched()`.
public struct SafetyMonitor<Scalar: LithosReal>: Sendable, Equatable {
    public var settings: SafetyMonitorSettings<Scalar>
    public private(set) var active: FaultFlags = []
    public private(set) var latched: FaultFlags = []

    var overVoltage = Debouncer<Scalar>()
    var underVoltage = Debouncer<Scalar>()
    var overCurrent = Debouncer<Scalar>()
    var overTemperature = Debouncer<Scalar>()
    var underTemperature = Debouncer<Scalar>()
    var dendrite = Debouncer<Scalar>()

    // Stuck voltage.
    var lastVoltage: Scalar = .nan
    var stuckTime: Scalar = 0
    // Temperature step.
    var lastTemperature: Scalar = .nan
    var timeSinceTemperature: Scalar = 0
    var stepHoldRemaining: Scalar = 0
    // Low-passed current (rest and steadiness tests).
    var filteredCurrent: Scalar = .nan
    // Current offset: steady-current tracking and the half-window sums.
    var steadyAnchor: Scalar = .nan       // mean filtered current of the steady period
    var steadyTime: Scalar = 0
    var offsetWindow = HalfWindowSums<Scalar>()
    var offsetActive = false
    // Internal short: rest tracking and the regression sums of the OCV-implied SOC.
    var restTime: Scalar = 0
    var shortWindow = RegressionSums<Scalar>()
    var shortActive = false

    public init(settings: SafetyMonitorSettings<Scalar>) {
        self.settings = settings
    }

    /// Time the cell has been at rest (|I| ≤ `restCurrent_A`) [s].
    public var restTime_s: Scalar { restTime }

    /// One update.
    /// - Parameters:
    ///   - m: the measurement (any field may be NaN).
    ///   - restSOC: the SOC implied by the measured voltage through the OCV curve at the
    ///     measured temperature, OCV⁻¹(V, T) [1] — pass it every update (nil when it cannot be
    ///     computed); the monitor decides itself when the cell is at rest and the value means
    ///     something. Used by the current-offset and internal-short checks.
    ///   - limits: the operating limits.
    /// - Returns: the faults active now and those latched since creation or `clearLatched()`.
    @discardableResult
    public mutating func update(_ m: Measurement<Scalar>, restSOC: Scalar?, limits: OperatingLimits<Scalar>)
        -> (active: FaultFlags, latched: FaultFlags) {
        let z = restSOC.flatMap { $0.isFinite ? $0 : nil }
        return update(m, restSOCAvailable: z != nil, restSOC: { z ?? .nan }, limits: limits)
    }

    /// `update` with the rest SOC computed only when a check needs it (OCV⁻¹ is a search: the
    /// estimator calls this form). `restSOC` must return a finite value whenever
    /// `restSOCAvailable` is true; it is called at most once per update.
    @discardableResult
    public mutating func update(_ m: Measurement<Scalar>, restSOCAvailable: Bool, restSOC: () -> Scalar,
                                limits: OperatingLimits<Scalar>) -> (active: FaultFlags, latched: FaultFlags) {
        let dt = m.dt_s
        guard dt > 0, dt.isFinite else { return (active, latched) }
        let s = settings
        let debounce = limits.debounce_s
        var flags: FaultFlags = []
        let v = m.voltage_V, i = m.current_A, t = m.temperature_K
        var cachedSOC = Scalar.nan
        func z() -> Scalar {
            if cachedSOC.isNaN { cachedSOC = restSOC() }
            return cachedSOC
        }

        // Voltage limits.
        if !v.isNaN {
            _ = overVoltage.update(set: v > limits.maximumVoltage_V, clear: v <= limits.maximumVoltage_V - limits.voltageHysteresis_V,
                                   dt: dt, debounce: debounce)
            _ = underVoltage.update(set: v < limits.minimumVoltage_V, clear: v >= limits.minimumVoltage_V + limits.voltageHysteresis_V,
                                    dt: dt, debounce: debounce)
        }
        // Current limit.
        if !i.isNaN {
            let over = i > limits.dischargeCurrentLimit_A || -i > limits.chargeCurrentLimit_A
            _ = overCurrent.update(set: over, clear: !over, dt: dt, debounce: debounce)
        }
        // Temperature limits and step.
        if !t.isNaN {
            _ = overTemperature.update(set: t > limits.maximumTemperature_K,
                                       clear: t <= limits.maximumTemperature_K - limits.temperatureHysteresis_K,
                                       dt: dt, debounce: debounce)
            _ = underTemperature.update(set: t < limits.minimumTemperature_K,
                                        clear: t >= limits.minimumTemperature_K + limits.temperatureHysteresis_K,
                                        dt: dt, debounce: debounce)
            let elapsed = timeSinceTemperature + dt
            if !lastTemperature.isNaN,
               abs(t - lastTemperature) > s.temperatureRate_K_per_s * elapsed + s.temperatureStepAllowance_K {
                stepHoldRemaining = max(s.temperatureStepHold_s, dt)
                flags.insert(.temperatureSensorStep)
            } else if stepHoldRemaining > 0 {
                stepHoldRemaining -= dt
                if stepHoldRemaining > dt / 1000 { flags.insert(.temperatureSensorStep) }
            }
            lastTemperature = t
            timeSinceTemperature = 0
        } else {
            timeSinceTemperature += dt
            if stepHoldRemaining > 0 {
                stepHoldRemaining -= dt
                if stepHoldRemaining > dt / 1000 { flags.insert(.temperatureSensorStep) }
            }
        }
        // Dendrite risk: plating above the CCD margin.
        if let ccd = limits.criticalCurrentDensity, !i.isNaN, !t.isNaN {
            let over = -i > ccd.maximumChargeCurrent_A(temperature_K: t)
            _ = dendrite.update(set: over, clear: !over, dt: dt, debounce: debounce)
        } else if limits.criticalCurrentDensity == nil {
            dendrite.reset()
        }
        // Stuck voltage sensor.
        if !v.isNaN {
            if v == lastVoltage {
                if !i.isNaN && abs(i) > s.stuckVoltageCurrent_A { stuckTime += dt }
            } else {
                stuckTime = 0
            }
            lastVoltage = v
        }
        if stuckTime >= s.stuckVoltageTime_s - dt / 1000 { flags.insert(.voltageSensorStuck) }

        if i.isNaN {
            filteredCurrent = .nan
        } else if filteredCurrent.isNaN {
            filteredCurrent = i
        } else {
            filteredCurrent += (i - filteredCurrent) * dt / (s.currentFilterTime_s + dt)
        }
        updateCurrentOffset(current: i, voltage: v, restSOCAvailable: restSOCAvailable, restSOC: z, dt: dt)
        updateInternalShort(current: i, restSOCAvailable: restSOCAvailable, restSOC: z, dt: dt)

        if overVoltage.active { flags.insert(.overVoltage) }
        if underVoltage.active { flags.insert(.underVoltage) }
        if overCurrent.active { flags.insert(.overCurrent) }
        if overTemperature.active { flags.insert(.overTemperature) }
        if underTemperature.active { flags.insert(.underTemperature) }
        if dendrite.active { flags.insert(.dendriteRisk) }
        if offsetActive { flags.insert(.currentSensorOffset) }
        if shortActive { flags.insert(.internalShortSuspected) }
        active = flags
        latched.formUnion(flags)
        return (active, latched)
    }

    /// Forgets latched faults; those still active stay latched.
    public mutating func clearLatched() {
        latched = active
    }

    // MARK: current offset

    mutating func updateCurrentOffset(current i: Scalar, voltage v: Scalar, restSOCAvailable: Bool, restSOC z: () -> Scalar, dt: Scalar) {
        let s = settings
        guard !i.isNaN, !v.isNaN, restSOCAvailable else {
            // No evidence this cycle: start over (the active state holds until a window decides).
            steadyTime = 0; steadyAnchor = .nan; offsetWindow = HalfWindowSums()
            return
        }
        if steadyAnchor.isNaN || abs(filteredCurrent - steadyAnchor) > s.offsetSteadyBand_A {
            steadyAnchor = filteredCurrent; steadyTime = 0; offsetWindow = HalfWindowSums()
            return
        }
        steadyTime += dt
        steadyAnchor += (filteredCurrent - steadyAnchor) * dt / steadyTime
        guard steadyTime >= s.offsetSettleTime_s else { return }
        offsetWindow.add(current: i, voltage: v, soc: z(), dt: dt, window: s.offsetWindow_s)
        guard offsetWindow.time >= s.offsetWindow_s - dt / 1000 else { return }
        let w = offsetWindow
        offsetWindow = HalfWindowSums()
        guard w.firstTime > 0, w.secondTime > 0 else { return }
        let meanCurrent = (w.firstCharge + w.secondCharge) / (w.firstTime + w.secondTime)
        let separation = (w.firstTime + w.secondTime) / 2          // between the half-window centres
        let counted = -meanCurrent * separation / (3600 * s.capacity_Ah)
        let seen = w.secondSOC / w.secondTime - w.firstSOC / w.firstTime
        let voltageChange = abs(w.secondVoltage / w.secondTime - w.firstVoltage / w.firstTime)
        let direction: Scalar = counted < 0 ? -1 : 1
        offsetActive = abs(meanCurrent) >= s.offsetMinimumCurrent_A
            && abs(counted) >= s.offsetMinimumSOCChange
            && voltageChange <= s.offsetVoltageChange_V
            && seen * direction < s.offsetExplainedFraction * abs(counted)
    }

    // MARK: internal short

    mutating func updateInternalShort(current i: Scalar, restSOCAvailable: Bool, restSOC z: () -> Scalar, dt: Scalar) {
        let s = settings
        guard !i.isNaN, abs(filteredCurrent) <= s.restCurrent_A else {
            restTime = 0; shortWindow = RegressionSums()
            return
        }
        restTime += dt
        guard restTime >= s.shortSettleTime_s, restSOCAvailable else { return }
        shortWindow.add(soc: z(), current: i, dt: dt)
        guard shortWindow.time >= s.shortWindow_s - dt / 1000 else { return }
        let w = shortWindow
        shortWindow = RegressionSums()
        guard let slope = w.slope_per_s else { return }
        let explained = -w.charge / w.time / (3600 * s.capacity_Ah)
        let unexplained = slope - explained
        shortActive = unexplained < -s.shortSelfDischargeRate_per_h / 3600
    }
}

/// Time-weighted sums over the two halves of a window (current-offset check).
struct HalfWindowSums<Scalar: LithosReal>: Sendable, Equatable {
    var time: Scalar = 0
    var firstTime: Scalar = 0, firstCharge: Scalar = 0, firstVoltage: Scalar = 0, firstSOC: Scalar = 0
    var secondTime: Scalar = 0, secondCharge: Scalar = 0, secondVoltage: Scalar = 0, secondSOC: Scalar = 0

    mutating func add(current i: Scalar, voltage v: Scalar, soc z: Scalar, dt: Scalar, window: Scalar) {
        if time + dt / 2 <= window / 2 {
            firstTime += dt; firstCharge += i * dt; firstVoltage += v * dt; firstSOC += z * dt
        } else {
            secondTime += dt; secondCharge += i * dt; secondVoltage += v * dt; secondSOC += z * dt
        }
        time += dt
    }
}

/// Time-weighted least-squares sums of SOC against time over a window (internal-short check).
/// Times are relative to the window start and SOCs to the first SOC, so the sums stay well
/// conditioned in single precision.
struct RegressionSums<Scalar: LithosReal>: Sendable, Equatable {
    var time: Scalar = 0
    var s1: Scalar = 0, st: Scalar = 0, stt: Scalar = 0, sz: Scalar = 0, stz: Scalar = 0
    var charge: Scalar = 0
    var firstSOC: Scalar = .nan

    mutating func add(soc: Scalar, current i: Scalar, dt: Scalar) {
        if firstSOC.isNaN { firstSOC = soc }
        let z = soc - firstSOC
        let tm = time + dt / 2     // sample taken as the middle of its interval
        s1 += dt; st += tm * dt; stt += tm * tm * dt; sz += z * dt; stz += tm * z * dt
        charge += i * dt
        time += dt
    }

    /// dz/dt [1/s], nil when degenerate.
    var slope_per_s: Scalar? {
        let denominator = s1 * stt - st * st
        guard denominator > 0 else { return nil }
        return (s1 * stz - st * sz) / denominator
    }
}
