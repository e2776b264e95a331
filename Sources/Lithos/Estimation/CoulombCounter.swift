/// SOC by current integration with coulombic efficiency, corrected from the open-circuit
/// voltage after a qualified rest — the baseline every BMS carries.
///
/// Integration (I positive on discharge, η = 1 on discharge and η_c on charge):
///   z ← z − η·I·Δt/(3600·Q)        (compensated summation, so millions of small steps in
///                                   single precision do not drift)
/// Uncertainty: σ_z² = σ_rand² + σ_off², where σ_rand² grows by (η·Δt·σ_I/(3600·Q))² per sample
/// (white current noise) and σ_off grows linearly, by η·Δt·σ_offset/(3600·Q) (an unknown
/// constant offset, fully correlated in time).
///
/// Rest correction: once |I| has stayed below the threshold for the qualification time, the
/// terminal voltage (less the modelled residual RC voltages and hysteresis, which an open-loop
/// copy of the ECM tracks) is taken as the OCV and inverted, z_ocv = OCV⁻¹(V, T), by bisection.
/// The two are blended with the confidence weight
///   w = σ_z² / (σ_z² + σ_ocv²),  σ_ocv = √(σ_ocvV² + σ_V²) / |∂OCV/∂z|
/// (a scalar Kalman update: a flat OCV gives little weight), z ← z + w·(z_ocv − z), and the
/// variance becomes (1 − w)·σ_z² with the offset part reset. One correction per rest; the next
/// needs current to flow and a new qualified rest.
public struct CoulombCounter<Scalar: LithosReal>: Sendable, Equatable {
    /// SOC [1].
    public internal(set) var soc: Scalar
    /// Compensation term of the Kahan summation (the low-order bits `soc` could not hold).
    var compensation: Scalar = 0
    /// White-noise part of the SOC variance [1].
    public internal(set) var randomVariance: Scalar
    /// Offset part of the SOC standard deviation [1].
    public internal(set) var offsetStandardDeviation: Scalar = 0
    /// Time the current has stayed below the rest threshold [s].
    public internal(set) var restTime_s: Scalar = 0
    /// Whether this rest has been used for a correction already.
    public internal(set) var restCorrected: Bool = false
    /// Open-loop model state for the RC voltages and hysteresis (its `soc` mirrors `soc`).
    public internal(set) var circuit: ECMState<Scalar>

    public init(soc: Scalar, socStandardDeviation sigma: Scalar) {
        self.soc = soc
        randomVariance = sigma * sigma
        circuit = ECMState(soc: soc)
    }

    @inlinable public var socStandardDeviation: Scalar {
        Scalar.sqrt(randomVariance + offsetStandardDeviation * offsetStandardDeviation)
    }

    /// Integrates `current` [A] over dt [s] at temperature [K].
    public mutating func predict(current: Scalar, dt: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>,
                                 sensor: SensorModel<Scalar>, rest: RestCorrectionSettings<Scalar>, tuning: EstimatorTuning<Scalar>) {
        let eta = ECMDynamics.efficiency(current, p)
        let perAmp = eta * dt / (3600 * p.capacity_Ah)
        // Kahan: soc −= perAmp·I, keeping the rounding error for the next step.
        let y = -perAmp * current - compensation
        let t = soc + y
        compensation = (t - soc) - y
        soc = min(max(t, tuning.minimumSOC), tuning.maximumSOC)
        if soc != t { compensation = 0 }
        randomVariance += perAmp * perAmp * sensor.currentVariance_A2
        offsetStandardDeviation += perAmp * sensor.currentOffset_A
        // Open-loop RC and hysteresis (for the rest correction and the predicted voltage).
        var c = circuit
        c.soc = soc
        let sign = c.lastCurrentSign
        c = ECMDynamics.propagate(c, current: current, dt: dt, temperature: temperature, parameters: p)
        c.lastCurrentSign = ECMStateSpace.nextSign(sign, current: current, deadband: sensor.currentDeadband_A)
        c.soc = soc
        circuit = c
        if abs(current) < rest.currentThreshold_A {
            restTime_s += dt
        } else {
            restTime_s = 0
            restCorrected = false
        }
    }

    /// Terminal voltage [V] the open-loop model predicts at the counted SOC.
    public func predictedVoltage(current: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>) -> Scalar {
        var c = circuit
        c.soc = soc
        return ECMDynamics.terminalVoltage(c, current: current, temperature: temperature, parameters: p)
    }

    /// The result of a rest correction.
    public struct RestCorrection: Sendable, Equatable {
        /// SOC from the OCV [1], and the weight it was given [1].
        public var ocvSOC: Scalar
        public var weight: Scalar
    }

    /// Applies the OCV correction when the rest has qualified and has not been used yet.
    /// Returns what it did, or nil.
    public mutating func correctAfterRest(voltage: Scalar, current: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>,
                                          sensor: SensorModel<Scalar>, rest: RestCorrectionSettings<Scalar>,
                                          tuning: EstimatorTuning<Scalar>) -> RestCorrection? {
        guard !restCorrected, restTime_s >= rest.qualificationTime_s else { return nil }
        var c = circuit
        c.soc = soc
        let e = p.evaluate(soc: soc, temperature_K: temperature)
        // What the OCV would read: remove every modelled term but the OCV.
        let ocv = voltage + c.rcVoltageSum + e.seriesResistance * current
            - e.hysteresisMagnitude * c.hysteresis - p.instantaneousHysteresis_V * c.lastCurrentSign
        let target = Self.socFromOCV(ocv, temperature: temperature, parameters: p,
                                     lower: tuning.minimumSOC, upper: tuning.maximumSOC)
        let slope = abs(p.ocvSlope(soc: target, temperature_K: temperature))
        let sigmaV = Scalar.sqrt(rest.ocvUncertainty_V * rest.ocvUncertainty_V + sensor.voltageVariance_V2)
        // A flat OCV (|slope| → 0) says nothing about SOC: cap σ_ocv at the SOC range.
        let span = tuning.maximumSOC - tuning.minimumSOC
        let sigmaOCV = slope * span > sigmaV ? sigmaV / slope : span
        let prior = randomVariance + offsetStandardDeviation * offsetStandardDeviation
        let weight = prior / (prior + sigmaOCV * sigmaOCV)
        soc += weight * (target - soc)
        circuit.soc = soc
        compensation = 0
        randomVariance = (1 - weight) * prior
        offsetStandardDeviation = 0
        restCorrected = true
        return RestCorrection(ocvSOC: target, weight: weight)
    }

    /// Puts the counter at `soc` with standard deviation `sigma`; rest timing restarts.
    public mutating func reset(soc: Scalar, socStandardDeviation sigma: Scalar) {
        self.soc = soc
        circuit.soc = soc
        compensation = 0
        randomVariance = sigma * sigma
        offsetStandardDeviation = 0
        restTime_s = 0
        restCorrected = false
    }

    /// SOC whose OCV at `temperature` [K] equals `voltage` [V], by bisection on [lower, upper]
    /// (OCV is taken as non-decreasing in SOC; outside its range the nearer end is returned)
    /// to within `tolerance` [1] or the precision of the scalar, at most 64 halvings: no
    /// allocation, bounded time.
    @inlinable
    public static func socFromOCV(_ voltage: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>,
                                  lower: Scalar, upper: Scalar, tolerance: Scalar = 1e-7) -> Scalar {
        var lo = lower, hi = upper
        // Each OCV evaluation starts its grid search at the previous one's interval: once the
        // bracket lies inside one interval of the table, every search is O(1).
        var hint = BilinearTable<Scalar>.Location(i: -1, wx: 0, j: -1, wy: 0)
        if !(voltage > p.ocv(soc: lo, temperature_K: temperature, hint: &hint)) { return lo }
        if !(voltage < p.ocv(soc: hi, temperature_K: temperature, hint: &hint)) { return hi }
        for _ in 0..<64 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi || hi - lo <= tolerance { break }
            if p.ocv(soc: mid, temperature_K: temperature, hint: &hint) < voltage { lo = mid } else { hi = mid }
        }
        return lo + (hi - lo) / 2
    }
}
