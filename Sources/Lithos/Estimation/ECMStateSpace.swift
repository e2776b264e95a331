/// The Kalman filters' state-space view of the equivalent circuit, shared by the EKF and the
/// UKF so both predict and measure with exactly the same functions:
///
///   x = [z, v₁ … v_m, h, b]   (n ≤ 5; h only when the model has dynamic hysteresis, b only
///                              when the current-sensor offset is estimated)
///
/// - prediction x⁺ = f(x, I): `ECMDynamics.propagate` (exact zero-order-hold discretisation) with
///   the circuit's elements evaluated at the start of the step at the measured temperature;
/// - measurement y = g(x, I) = OCV(z,T) + M₀·s + M(z,T)·h − Σvⱼ − R₀(z,T)·I.
///
/// With the offset state b (augmented-state estimation of a sensor bias; Plett 2004, "Extended
/// Kalman filtering for battery management systems … Part 3", §4.3 treats the current-sensor
/// bias as a state the same way) the cell's current is the measured one minus the offset,
/// I = I_m − b, in both f and g; b is a random walk (`EstimatorTuning.currentOffsetProcessNoise_A2_per_s`)
/// started at 0 with the sensor's offset σ (`SensorModel.currentOffset_A`). It is observable
/// because an offset makes Coulomb-counted SOC drift away from the OCV the voltage shows, and
/// shifts the ohmic drop by R₀·b.
///
/// The instantaneous-hysteresis sign s is not a random state: it follows the sign of the
/// measured current outside a dead band (`SensorModel.currentDeadband_A`), so noise around zero
/// current does not flip it.
public struct ECMStateSpace<Scalar: LithosReal>: Sendable, Equatable {
    /// RC pairs of the estimator's model (0…3).
    public let rcPairCount: Int
    /// Whether h is a state (the model has a non-zero dynamic-hysteresis magnitude and rate).
    public let tracksHysteresis: Bool
    /// Whether b (the current-sensor offset [A]) is a state.
    public let tracksCurrentOffset: Bool
    /// Initial standard deviation of b [A] (0 when not tracked).
    public let currentOffsetStandardDeviation: Scalar
    /// n: the state dimension (1…5).
    public let dimension: Int

    /// R₀ multiplier of the measurement function [1]: the resistance estimator's R₀,est/R₀,model
    /// when the tuning feeds it back (dual estimation), else 1. Set by the estimator before each
    /// update; not part of the filter's saved state (it is derived from the resistance
    /// estimator's, which is saved).
    public var seriesResistanceScale: Scalar = 1

    /// Index of h in x (valid when `tracksHysteresis`).
    @inlinable public var hysteresisIndex: Int { 1 + rcPairCount }
    /// Index of b in x (valid when `tracksCurrentOffset`): the last state.
    @inlinable public var currentOffsetIndex: Int { dimension - 1 }

    /// - Parameter currentOffsetStandardDeviation: > 0 makes the current-sensor offset a state
    ///   with this initial σ [A], provided the vector has room (`canTrackCurrentOffset`);
    ///   0 (default) leaves it out.
    public init(parameters p: ECMParameters<Scalar>, currentOffsetStandardDeviation: Scalar = 0) {
        rcPairCount = p.rcPairCount
        var anyMagnitude = false
        for v in p.hysteresisMagnitude.values where v != 0 { anyMagnitude = true }
        tracksHysteresis = p.hysteresisRate > 0 && anyMagnitude
        let base = 1 + p.rcPairCount + (tracksHysteresis ? 1 : 0)
        tracksCurrentOffset = currentOffsetStandardDeviation > 0 && base < SmallVector<Scalar>.capacity
        self.currentOffsetStandardDeviation = tracksCurrentOffset ? currentOffsetStandardDeviation : 0
        dimension = base + (tracksCurrentOffset ? 1 : 0)
    }

    /// Whether a model leaves room for the offset state (SOC + RC pairs + hysteresis < 5).
    public static func canTrackCurrentOffset(_ p: ECMParameters<Scalar>) -> Bool {
        ECMStateSpace(parameters: p, currentOffsetStandardDeviation: 1).tracksCurrentOffset
    }

    /// The current through the cell [A] for a measured current and state: I_m − b.
    @inlinable
    public func cellCurrent(_ x: SmallVector<Scalar>, measured current: Scalar) -> Scalar {
        tracksCurrentOffset ? current - x[currentOffsetIndex] : current
    }

    /// The circuit state for a filter state vector and hysteresis sign.
    @inlinable
    public func circuitState(_ x: SmallVector<Scalar>, sign: Scalar) -> ECMState<Scalar> {
        var s = ECMState<Scalar>(soc: x[0])
        for j in 0..<rcPairCount { s.setRCVoltage(j, x[1 + j]) }
        if tracksHysteresis { s.hysteresis = x[hysteresisIndex] }
        s.lastCurrentSign = sign
        return s
    }

    /// The filter state vector of a circuit state.
    @inlinable
    public func vector(_ s: ECMState<Scalar>) -> SmallVector<Scalar> {
        var x = SmallVector<Scalar>()
        x[0] = s.soc
        for j in 0..<rcPairCount { x[1 + j] = s.rcVoltage(j) }
        if tracksHysteresis { x[hysteresisIndex] = s.hysteresis }
        return x
    }

    /// The hysteresis sign after a step with `current` [A]: −1 after discharge, +1 after
    /// charge; unchanged within ± `deadband` [A].
    @inlinable
    public static func nextSign(_ sign: Scalar, current: Scalar, deadband: Scalar) -> Scalar {
        if current > deadband { return -1 }
        if current < -deadband { return 1 }
        return sign
    }

    /// One prediction step and its linearisation.
    public struct Transition: Sendable {
        /// x⁺ = f(x, I).
        public var next = SmallVector<Scalar>()
        /// Diagonal of A = ∂f/∂x: [1, a₁ … a_m, b] with aⱼ = exp(−Δt/τⱼ),
        /// b = exp(−|η·I·γ·Δt/(3600·Q)|) (∂z⁺/∂z = 1: SOC does not feed back into itself).
        public var jacobianDiagonal = SmallVector<Scalar>()
        /// ∂f/∂I [per A]: how current-sensor noise enters the state
        /// [−η·Δt/(3600·Q), Rⱼ(1 − aⱼ), ∂h⁺/∂I, 0].
        public var inputGain = SmallVector<Scalar>()
        /// With the offset state: the off-diagonal column of A, ∂f/∂b = −∂f/∂I (zero in b's
        /// own row, whose diagonal entry is 1), so A = diag(jacobianDiagonal) + offsetColumn·e_bᵀ.
        public var offsetColumn = SmallVector<Scalar>()

        @inlinable public init() {}
    }

    /// x⁺ = f(x, I) at temperature T [K] over dt [s], with A and ∂f/∂I. The RC resistances and
    /// time constants are evaluated at the state's SOC; their SOC dependence is left out of A
    /// (it is second order: ∂Rⱼ/∂z · (1 − aⱼ) · I is tiny next to ∂OCV/∂z in the measurement).
    @inlinable
    public func predict(_ x: SmallVector<Scalar>, sign: Scalar, current: Scalar, dt: Scalar, temperature: Scalar,
                        parameters p: ECMParameters<Scalar>) -> Transition {
        let start = p.evaluate(soc: x[0], temperature_K: temperature)
        let s = circuitState(x, sign: sign)
        let current = cellCurrent(x, measured: current)
        let next = ECMDynamics.propagate(s, current: current, dt: dt, start: start, parameters: p)
        var t = Transition()
        t.next = vector(next)
        let eta = ECMDynamics.efficiency(current, p)
        let perAmp = eta * dt / (3600 * p.capacity_Ah)
        t.jacobianDiagonal[0] = 1
        t.inputGain[0] = -perAmp
        for j in 0..<rcPairCount {
            let oneMinusA = -Scalar.expm1(-dt / start.rcTimeConstant(j))
            t.jacobianDiagonal[1 + j] = 1 - oneMinusA
            t.inputGain[1 + j] = start.rcResistance(j) * oneMinusA
        }
        if tracksHysteresis {
            let k = hysteresisIndex
            if current != 0 {
                let c = perAmp * p.hysteresisRate                  // b = exp(−c·|I|)
                let b = 1 + Scalar.expm1(-abs(current) * c)
                let sgn: Scalar = current > 0 ? 1 : -1
                t.jacobianDiagonal[k] = b
                // h⁺ = b·h − (1 − b)·sgn(I), ∂b/∂I = −c·sgn(I)·b.
                t.inputGain[k] = -c * sgn * b * (x[k] + sgn)
            } else {
                t.jacobianDiagonal[k] = 1
                t.inputGain[k] = 0
            }
        }
        if tracksCurrentOffset {
            let b = currentOffsetIndex
            t.next[b] = x[b]
            t.jacobianDiagonal[b] = 1
            t.inputGain[b] = 0
            for j in 0..<b { t.offsetColumn[j] = -t.inputGain[j] }
        }
        return t
    }

    /// One evaluation of the measurement function.
    public struct Observation: Sendable {
        /// Predicted terminal voltage [V].
        public var voltage: Scalar = 0
        /// H = ∂y/∂x [V per unit state]:
        /// [∂OCV/∂z + ∂M/∂z·h − ∂R₀/∂z·I, −1 … −1, M, R₀].
        public var jacobian = SmallVector<Scalar>()
        /// R₀ at the state [Ω] (current noise enters the voltage through it).
        public var seriesResistance: Scalar = 0

        @inlinable public init() {}
    }

    /// y = g(x, I) at temperature T [K], with H.
    @inlinable
    public func observe(_ x: SmallVector<Scalar>, sign: Scalar, current: Scalar, temperature: Scalar,
                        parameters p: ECMParameters<Scalar>) -> Observation {
        // The slopes are read at the location the evaluation found (tables on one grid): the
        // same values as searching again for each.
        var at = BilinearTable<Scalar>.Location(i: -1, wx: 0, j: -1, wy: 0)
        let e = p.evaluate(soc: x[0], temperature_K: temperature, hint: &at)
        let shared = p.tablesShareGrid
        var o = Observation()
        let k = seriesResistanceScale
        let current = cellCurrent(x, measured: current)
        o.voltage = ECMDynamics.terminalVoltage(circuitState(x, sign: sign), current: current, here: e, parameters: p)
        if k != 1 { o.voltage -= (k - 1) * e.seriesResistance * current }
        o.seriesResistance = k * e.seriesResistance
        var dz = shared
            ? p.ocvSlope(at: at, temperature_K: temperature) - k * p.seriesResistance.slopeX(at: at) * current
            : p.ocvSlope(soc: x[0], temperature_K: temperature) - k * p.seriesResistance.slopeX(x: x[0], y: temperature) * current
        for j in 0..<rcPairCount { o.jacobian[1 + j] = -1 }
        if tracksHysteresis {
            let h = x[hysteresisIndex]
            dz += (shared ? p.hysteresisMagnitude.slopeX(at: at) : p.hysteresisMagnitude.slopeX(x: x[0], y: temperature)) * h
            o.jacobian[hysteresisIndex] = e.hysteresisMagnitude
        }
        if tracksCurrentOffset { o.jacobian[currentOffsetIndex] = k * e.seriesResistance }
        o.jacobian[0] = dz
        return o
    }

    /// Voltage only (the UKF's sigma points need no Jacobian).
    @inlinable
    public func voltage(_ x: SmallVector<Scalar>, sign: Scalar, current: Scalar, temperature: Scalar,
                        parameters p: ECMParameters<Scalar>) -> Scalar {
        let e = p.evaluate(soc: x[0], temperature_K: temperature)
        let current = cellCurrent(x, measured: current)
        let v = ECMDynamics.terminalVoltage(circuitState(x, sign: sign), current: current, here: e, parameters: p)
        let k = seriesResistanceScale
        return k == 1 ? v : v - (k - 1) * e.seriesResistance * current
    }

    /// Q for one step of dt [s]: the tuning's variance rates × dt on the diagonal plus the
    /// current-sensor noise carried through the input gain, B·σ_I²·Bᵀ.
    @inlinable
    public func processNoise(dt: Scalar, inputGain: SmallVector<Scalar>, tuning: EstimatorTuning<Scalar>,
                             sensor: SensorModel<Scalar>) -> SmallMatrix<Scalar> {
        var q = SmallMatrix<Scalar>()
        q[0, 0] = tuning.socProcessNoise_per_s * dt
        for j in 0..<rcPairCount { q[1 + j, 1 + j] = tuning.rcProcessNoise_V2_per_s * dt }
        if tracksHysteresis { q[hysteresisIndex, hysteresisIndex] = tuning.hysteresisProcessNoise_per_s * dt }
        if tracksCurrentOffset { q[currentOffsetIndex, currentOffsetIndex] = tuning.currentOffsetProcessNoise_A2_per_s * dt }
        q.addOuterProduct(inputGain, inputGain, scale: sensor.currentVariance_A2, dimension)
        return q
    }

    /// Variance of the voltage measurement [V²] at `current` [A]: model error (a constant part
    /// and a part proportional to the ohmic drop R₀·I), sensor noise and resolution, and
    /// current noise through R₀.
    @inlinable
    public func measurementVariance(current: Scalar, seriesResistance r0: Scalar, tuning: EstimatorTuning<Scalar>,
                                    sensor: SensorModel<Scalar>) -> Scalar {
        let proportional = tuning.measurementNoiseResistanceFraction * r0 * current
        return tuning.measurementNoise_V * tuning.measurementNoise_V + proportional * proportional
            + sensor.voltageVariance_V2 + r0 * r0 * sensor.currentVariance_A2
    }

    /// The initial covariance: SOC variance σ², RC voltages (20 mV)², hysteresis (0.5)² —
    /// RC voltages decay within a few time constants and h is bounded, so these are "unknown
    /// but small"; the SOC term is the one that matters.
    @inlinable
    public func initialCovariance(socStandardDeviation sigma: Scalar) -> SmallMatrix<Scalar> {
        var p = SmallMatrix<Scalar>()
        p[0, 0] = sigma * sigma
        for j in 0..<rcPairCount { p[1 + j, 1 + j] = Scalar(0.02) * Scalar(0.02) }
        if tracksHysteresis { p[hysteresisIndex, hysteresisIndex] = Scalar(0.25) }
        if tracksCurrentOffset { p[currentOffsetIndex, currentOffsetIndex] = currentOffsetStandardDeviation * currentOffsetStandardDeviation }
        return p
    }

    /// Clamps SOC to the tuning's range and h to [−1, 1] (the physical ranges; a filter
    /// update may overshoot them on a large innovation).
    @inlinable
    public func clamp(_ x: inout SmallVector<Scalar>, tuning: EstimatorTuning<Scalar>) {
        x[0] = min(max(x[0], tuning.minimumSOC), tuning.maximumSOC)
        if tracksHysteresis { x[hysteresisIndex] = min(max(x[hysteresisIndex], -1), 1) }
        if tracksCurrentOffset {
            // b stays within 5σ of the sensor's stated offset: beyond it the offset is not a
            // plausible sensor error but something else the filter must not absorb.
            let bound = 5 * currentOffsetStandardDeviation
            x[currentOffsetIndex] = min(max(x[currentOffsetIndex], -bound), bound)
        }
    }

    /// P ← A·P·Aᵀ for A = diag(d) + c·e_bᵀ (`Transition`): D·P·D plus the offset column's
    /// cross terms D·P·e_b·cᵀ + c·e_bᵀ·P·D + P_bb·c·cᵀ (without the offset state, D·P·D).
    /// In place: no matrix is copied (the firmware's stack budget).
    @inlinable
    public func propagateCovariance(_ p: inout SmallMatrix<Scalar>, _ t: Transition) {
        let n = dimension
        guard tracksCurrentOffset else {
            p.scaleSymmetrically(by: t.jacobianDiagonal, n)
            return
        }
        let b = currentOffsetIndex
        let pbb = p[b, b]
        var w = SmallVector<Scalar>()
        for i in 0..<n { w[i] = t.jacobianDiagonal[i] * p[i, b] }
        p.scaleSymmetrically(by: t.jacobianDiagonal, n)
        p.addOuterProduct(w, t.offsetColumn, scale: 1, n)
        p.addOuterProduct(t.offsetColumn, w, scale: 1, n)
        p.addOuterProduct(t.offsetColumn, t.offsetColumn, scale: pbb, n)
    }

    /// Makes P usable again when round-off (or a non-finite input that slipped through) left it
    /// not symmetric positive definite: symmetrise, then add growing diagonal jitter until the
    /// Cholesky factorisation succeeds, and if that fails (or P is not finite) fall back to
    /// `fallback` (the initial covariance). Returns whether P had to be changed beyond the
    /// symmetrisation.
    @inlinable
    public func repairCovariance(_ p: inout SmallMatrix<Scalar>, fallback: SmallMatrix<Scalar>) -> Bool {
        let n = dimension
        p.symmetrize(n)
        if p.isFinite(n), p.hasCholeskyFactor(n) { return false }
        if p.isFinite(n) {
            var floor: Scalar = 0
            for i in 0..<n { floor = max(floor, abs(p[i, i])) }
            floor = max(floor, Scalar.leastNormalMagnitude) * (Scalar.ulpOfOne * 16)
            var jitter = floor
            for _ in 0..<12 {
                var trial = p
                for i in 0..<n { trial[i, i] = max(trial[i, i], 0) + jitter }
                if trial.hasCholeskyFactor(n) { p = trial; return true }
                jitter *= 16
            }
        }
        p = fallback
        return true
    }
}

/// What a filter's measurement update did.
public struct FilterCorrection<Scalar: LithosReal>: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The voltage was used.
        case accepted
        /// The innovation was outside the gate; the state kept its prediction.
        case rejected
        /// Persistent rejection: the SOC variance was widened and the voltage used (the filter
        /// had diverged from the measurements).
        case recovered
    }
    /// Predicted terminal voltage before the update [V].
    public var predictedVoltage: Scalar = 0
    /// Measured − predicted [V].
    public var innovation: Scalar = 0
    /// √S, the standard deviation the filter expected of the innovation [V].
    public var innovationStandardDeviation: Scalar = 0
    public var outcome: Outcome = .accepted

    @inlinable public init() {}
}

/// The innovation gate and the divergence monitor shared by the EKF and the UKF.
///
/// Gate: a voltage whose normalised innovation squared NIS = e²/S exceeds k² is rejected.
/// Monitor: an exponentially weighted average of NIS over ~`divergenceWindowSamples` samples
/// (per-sample NIS capped at 4·threshold). A consistent filter averages 1; an average above
/// `divergenceThreshold` while the present sample also exceeds it means the filter is
/// confidently wrong — gating would then reject every measurement forever — so the sample is
/// taken after widening the SOC variance (`widening`), and the average restarts at 1.
public struct DivergenceMonitor<Scalar: LithosReal>: Sendable, Equatable {
    /// Average NIS [1].
    public internal(set) var averageNIS: Scalar = 1

    public enum Decision: Sendable, Equatable { case accepted, rejected, recovered }

    @inlinable public init() {}

    public mutating func check(innovation e: Scalar, variance s: Scalar, tuning: EstimatorTuning<Scalar>, mayRecover: Bool) -> Decision {
        let nis = s > 0 ? e * e / s : Scalar.greatestFiniteMagnitude
        let threshold = tuning.divergenceThreshold
        let window = tuning.divergenceWindowSamples
        if window > 0 {
            averageNIS += (min(nis, 4 * threshold) - averageNIS) / Scalar(window)
            if mayRecover, averageNIS > threshold, nis > threshold {
                averageNIS = 1
                return .recovered
            }
        }
        let k = tuning.innovationGate_sigma
        if k > 0, nis > k * k { return .rejected }
        return .accepted
    }

    /// Δ to add to the SOC variance so an innovation e with variance S becomes one standard
    /// deviation: (e² − S)/h_z², at most the square of the SOC range (h_z = ∂y/∂SOC).
    @inlinable
    public static func widening(innovation e: Scalar, variance s: Scalar, socSensitivity hz: Scalar, tuning: EstimatorTuning<Scalar>) -> Scalar {
        let span = tuning.maximumSOC - tuning.minimumSOC
        var widen = span * span
        if hz != 0 { widen = min(widen, (e * e - s) / (hz * hz)) }
        return max(widen, 0)
    }
}
