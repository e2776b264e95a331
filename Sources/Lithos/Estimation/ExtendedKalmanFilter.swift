/// Extended Kalman filter over x = [SOC, RC voltages, hysteresis] (see `ECMStateSpace`).
///
/// Prediction (I and T as measured, parameters evaluated at the measured temperature):
///   x⁻ = f(x, I)                       exact discretisation (`ECMDynamics.propagate`)
///   P⁻ = A·P·Aᵀ + Q,  A = diag(1, a₁…a_m, b),  Q = diag(q)·Δt + B·σ_I²·Bᵀ
/// Correction with the terminal voltage y:
///   ŷ = g(x⁻, I),  H = ∂g/∂x,  S = H·P⁻·Hᵀ + R,  e = y − ŷ
///   gate: |e| > k·√S → rejected (state keeps x⁻, P⁻), unless the divergence monitor says the
///   filter itself is wrong (`DivergenceMonitor`)
///   K = P⁻·Hᵀ/S,  x = x⁻ + K·e
///   P = (I − K·H)·P⁻·(I − K·H)ᵀ + K·R·Kᵀ        (Joseph form: symmetric PSD for any K)
/// then P is symmetrised, checked by Cholesky (jitter if that fails) and x is clamped to the
/// physical ranges.
///
/// All storage is inline (`SmallVector`, `SmallMatrix`): the filter is a trivially copyable
/// value and neither step allocates. The model parameters are passed in (borrowed), not stored.
public struct ExtendedKalmanFilter<Scalar: LithosReal>: Sendable, Equatable {
    public var space: ECMStateSpace<Scalar>
    /// State estimate x.
    public internal(set) var state: SmallVector<Scalar>
    /// Its covariance P (leading n×n block).
    public internal(set) var covariance: SmallMatrix<Scalar>
    /// Instantaneous-hysteresis sign s.
    public internal(set) var currentSign: Scalar = 0
    /// Innovation gate and divergence monitor.
    public internal(set) var monitor = DivergenceMonitor<Scalar>()
    /// How many times P had to be repaired (jitter or reset) since creation.
    public internal(set) var covarianceRepairs: UInt32 = 0
    /// The covariance P is reset to when it cannot be repaired.
    var fallbackCovariance: SmallMatrix<Scalar>

    /// - Parameter currentOffsetStandardDeviation: > 0 estimates the current-sensor offset as a
    ///   state with this initial σ [A] (`ECMStateSpace`).
    public init(parameters: ECMParameters<Scalar>, soc: Scalar, socStandardDeviation: Scalar,
                currentOffsetStandardDeviation: Scalar = 0) {
        space = ECMStateSpace(parameters: parameters, currentOffsetStandardDeviation: currentOffsetStandardDeviation)
        state = SmallVector()
        state[0] = soc
        covariance = space.initialCovariance(socStandardDeviation: socStandardDeviation)
        fallbackCovariance = covariance
    }

    @inlinable public var soc: Scalar { state[0] }
    /// The circuit state of x and the hysteresis sign.
    public var circuitState: ECMState<Scalar> { space.circuitState(state, sign: currentSign) }
    @inlinable public var socStandardDeviation: Scalar { Scalar.sqrt(max(covariance[0, 0], 0)) }
    /// The current-sensor offset estimate [A] and its standard deviation [A]; (0, 0) when not tracked.
    @inlinable public var currentOffset: (value_A: Scalar, standardDeviation_A: Scalar) {
        guard space.tracksCurrentOffset else { return (0, 0) }
        let b = space.currentOffsetIndex
        return (state[b], Scalar.sqrt(max(covariance[b, b], 0)))
    }

    /// Time update with the measured current [A] over dt [s] at temperature [K].
    public mutating func predict(current: Scalar, dt: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>,
                                 tuning: EstimatorTuning<Scalar>, sensor: SensorModel<Scalar>) {
        let n = space.dimension
        let t = space.predict(state, sign: currentSign, current: current, dt: dt, temperature: temperature, parameters: p)
        state = t.next
        currentSign = ECMStateSpace.nextSign(currentSign, current: current, deadband: sensor.currentDeadband_A)
        space.propagateCovariance(&covariance, t)
        covariance.add(space.processNoise(dt: dt, inputGain: t.inputGain, tuning: tuning, sensor: sensor), n)
        space.clamp(&state, tuning: tuning)
        if space.repairCovariance(&covariance, fallback: fallbackCovariance) { covarianceRepairs &+= 1 }
    }

    /// Predicted voltage [V] for the present state (no update).
    public func predictedVoltage(current: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>) -> Scalar {
        space.voltage(state, sign: currentSign, current: current, temperature: temperature, parameters: p)
    }

    /// Measurement update with the measured terminal voltage [V]. `mayRecover` allows the
    /// divergence recovery (the caller passes false while the readings are frozen).
    ///
    /// Large corrections (SOC moving by more than `iterationStep`) are refined by the iterated
    /// EKF (Gauss–Newton on the posterior): with the prior x⁻, P⁻ and the linearisation point
    /// xᵢ (x₀ = x⁻),
    ///   Hᵢ = ∂g/∂x(xᵢ),  Sᵢ = Hᵢ·P⁻·Hᵢᵀ + R,  Kᵢ = P⁻·Hᵢᵀ/Sᵢ,
    ///   xᵢ₊₁ = x⁻ + Kᵢ·(y − g(xᵢ) − Hᵢ·(x⁻ − xᵢ)),
    /// until a pass moves SOC by less than `iterationStep`/10 or `maximumIterations` is
    /// reached; the covariance uses the last Hᵢ, Kᵢ in the Joseph form.
    public mutating func correct(voltage y: Scalar, current: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>,
                                 tuning: EstimatorTuning<Scalar>, sensor: SensorModel<Scalar>,
                                 mayRecover: Bool) -> FilterCorrection<Scalar> {
        let n = space.dimension
        var o = space.observe(state, sign: currentSign, current: current, temperature: temperature, parameters: p)
        var r = space.measurementVariance(current: current, seriesResistance: o.seriesResistance, tuning: tuning, sensor: sensor)
        var h = o.jacobian
        var s = covariance.quadraticForm(h, n) + r
        let e = y - o.voltage
        var result = FilterCorrection<Scalar>()
        result.predictedVoltage = o.voltage
        result.innovation = e
        result.innovationStandardDeviation = Scalar.sqrt(s)
        switch monitor.check(innovation: e, variance: s, tuning: tuning, mayRecover: mayRecover) {
        case .rejected:
            result.outcome = .rejected
            return result
        case .recovered:
            // Widen the SOC variance so this innovation is one standard deviation.
            covariance[0, 0] += DivergenceMonitor.widening(innovation: e, variance: s, socSensitivity: h[0], tuning: tuning)
            s = covariance.quadraticForm(h, n) + r
            result.outcome = .recovered
        case .accepted:
            break
        }
        let prior = state
        let iterations = max(tuning.maximumIterations, 1)
        var gain = SmallVector<Scalar>()
        var point = prior
        for i in 0..<iterations {
            if i > 0 {
                o = space.observe(point, sign: currentSign, current: current, temperature: temperature, parameters: p)
                r = space.measurementVariance(current: current, seriesResistance: o.seriesResistance, tuning: tuning, sensor: sensor)
                h = o.jacobian
                s = covariance.quadraticForm(h, n) + r
            }
            // Kalman gain K = P⁻·Hᵀ/S and the relinearised innovation.
            let ph = covariance.multiplied(by: h, n)
            for j in 0..<n { gain[j] = ph[j] / s }
            var innovation = y - o.voltage
            for j in 0..<n { innovation -= h[j] * (prior[j] - point[j]) }
            var next = prior
            for j in 0..<n { next[j] += gain[j] * innovation }
            space.clamp(&next, tuning: tuning)
            let step = abs(next[0] - point[0])
            point = next
            // Iterate only after a large first correction, until the passes become small.
            if !(step >= (i == 0 ? tuning.iterationStep : tuning.iterationStep / 10)) { break }
        }
        state = point
        // Joseph form: P = M·P⁻·Mᵀ + R·K·Kᵀ with M = I − K·H.
        var m = SmallMatrix<Scalar>.identity(n)
        m.addOuterProduct(gain, h, scale: -1, n)
        var updated = m.multiplied(by: covariance, n).multipliedByTranspose(of: m, n)
        updated.addOuterProduct(gain, gain, scale: r, n)
        covariance = updated
        if space.repairCovariance(&covariance, fallback: fallbackCovariance) { covarianceRepairs &+= 1 }
        return result
    }

    /// Puts the filter at `soc` with standard deviation `sigma`, RC voltages and hysteresis at
    /// zero (the initial covariance).
    public mutating func reset(soc: Scalar, socStandardDeviation sigma: Scalar) {
        state = SmallVector()
        state[0] = soc
        covariance = space.initialCovariance(socStandardDeviation: sigma)
        fallbackCovariance = covariance
        monitor = DivergenceMonitor()
    }
}
