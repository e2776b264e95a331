/// Unscented (sigma-point) Kalman filter over x = [SOC, RC voltages, hysteresis], with the same
/// prediction and measurement functions as the EKF (`ECMStateSpace`) but no Jacobians in the
/// update: the mean and covariance are carried through the nonlinear functions by 2n + 1 sigma
/// points (Julier & Uhlmann 2004; Wan & van der Merwe 2000; Plett 2006, "Sigma-point Kalman
/// filtering for battery management systems").
///
/// Scaled unscented transform (α, β, κ from `EstimatorTuning`):
///   λ = α²(n + κ) − n,  γ = √(n + λ)
///   χ₀ = x̄,  χᵢ = x̄ + γ·Lᵢ,  χᵢ₊ₙ = x̄ − γ·Lᵢ   (Lᵢ: column i of the Cholesky factor of P)
///   W₀ᵐ = λ/(n + λ),  W₀ᶜ = W₀ᵐ + 1 − α² + β,  Wᵢᵐ = Wᵢᶜ = 1/(2(n + λ))
/// Prediction: χᵢ⁻ = f(χᵢ, I) (each point evaluates the tables at its own SOC),
///   x̄⁻ = Σ Wᵐ·χᵢ⁻,  P⁻ = Σ Wᶜ·(χᵢ⁻ − x̄⁻)(χᵢ⁻ − x̄⁻)ᵀ + Q   (additive noise, Q as in the EKF).
/// Correction: new sigma points from (x̄⁻, P⁻), yᵢ = g(χᵢ, I), ŷ = Σ Wᵐ·yᵢ,
///   S = Σ Wᶜ·(yᵢ − ŷ)² + R,  C = Σ Wᶜ·(χᵢ − x̄⁻)(yᵢ − ŷ),  K = C/S,
///   x = x̄⁻ + K·e,  P = P⁻ − S·K·Kᵀ,
/// with the same innovation gate and divergence recovery as the EKF. P is symmetrised after
/// every step; when its Cholesky factorisation fails, diagonal jitter is added (and counted in
/// `covarianceRepairs`) before the sigma points are drawn.
public struct SigmaPointKalmanFilter<Scalar: LithosReal>: Sendable, Equatable {
    public var space: ECMStateSpace<Scalar>
    public internal(set) var state: SmallVector<Scalar>
    public internal(set) var covariance: SmallMatrix<Scalar>
    public internal(set) var currentSign: Scalar = 0
    /// Innovation gate and divergence monitor.
    public internal(set) var monitor = DivergenceMonitor<Scalar>()
    public internal(set) var covarianceRepairs: UInt32 = 0
    var fallbackCovariance: SmallMatrix<Scalar>
    /// γ = √(n + λ) [1].
    public let spread: Scalar
    /// W₀ᵐ, W₀ᶜ, Wᵢ [1].
    public let meanWeight0: Scalar
    public let covarianceWeight0: Scalar
    public let pointWeight: Scalar

    public init(parameters: ECMParameters<Scalar>, soc: Scalar, socStandardDeviation: Scalar, tuning: EstimatorTuning<Scalar>,
                currentOffsetStandardDeviation: Scalar = 0) {
        space = ECMStateSpace(parameters: parameters, currentOffsetStandardDeviation: currentOffsetStandardDeviation)
        state = SmallVector()
        state[0] = soc
        covariance = space.initialCovariance(socStandardDeviation: socStandardDeviation)
        fallbackCovariance = covariance
        let n = Scalar(space.dimension)
        let alpha2 = tuning.ukfAlpha * tuning.ukfAlpha
        let lambda = alpha2 * (n + tuning.ukfKappa) - n
        let c = n + lambda
        spread = Scalar.sqrt(c)
        meanWeight0 = lambda / c
        covarianceWeight0 = lambda / c + 1 - alpha2 + tuning.ukfBeta
        pointWeight = 1 / (2 * c)
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
    /// 2n + 1.
    @inlinable public var sigmaPointCount: Int { 2 * space.dimension + 1 }

    @inlinable func meanWeight(_ i: Int) -> Scalar { i == 0 ? meanWeight0 : pointWeight }
    @inlinable func covarianceWeight(_ i: Int) -> Scalar { i == 0 ? covarianceWeight0 : pointWeight }

    /// The Cholesky factor of P; P is repaired first (jitter, counted) if it has none.
    mutating func choleskyFactorRepairingIfNeeded() -> SmallMatrix<Scalar> {
        let n = space.dimension
        if let l = covariance.choleskyFactor(n) { return l }
        _ = space.repairCovariance(&covariance, fallback: fallbackCovariance)
        covarianceRepairs &+= 1
        return covariance.choleskyFactor(n) ?? fallbackCovariance.choleskyFactor(n) ?? SmallMatrix<Scalar>.identity(n)
    }

    /// The sigma points of (x, P). P is repaired first if it is not positive definite.
    mutating func sigmaPoints() -> SigmaPoints<Scalar> {
        let l = choleskyFactorRepairingIfNeeded()
        return sigmaPoints(around: state, factor: l)
    }

    /// x and x ± γ·(column j of L) for j < n, with L the Cholesky factor of the covariance.
    func sigmaPoints(around x: SmallVector<Scalar>, factor l: SmallMatrix<Scalar>) -> SigmaPoints<Scalar> {
        let n = space.dimension
        var points = SigmaPoints<Scalar>()
        points[0] = x
        for j in 0..<n {
            var plus = x, minus = x
            for i in 0..<n {
                let d = spread * l[i, j]
                plus[i] += d
                minus[i] -= d
            }
            points[1 + j] = plus
            points[1 + n + j] = minus
        }
        return points
    }

    /// Time update with the measured current [A] over dt [s] at temperature [K].
    public mutating func predict(current: Scalar, dt: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>,
                                 tuning: EstimatorTuning<Scalar>, sensor: SensorModel<Scalar>) {
        let n = space.dimension
        let count = sigmaPointCount
        var points = sigmaPoints()
        var inputGain = SmallVector<Scalar>()
        for i in 0..<count {
            let t = space.predict(points[i], sign: currentSign, current: current, dt: dt, temperature: temperature, parameters: p)
            points[i] = t.next
            if i == 0 { inputGain = t.inputGain }
        }
        var mean = SmallVector<Scalar>()
        for i in 0..<count {
            let w = meanWeight(i), x = points[i]
            for k in 0..<n { mean[k] += w * x[k] }
        }
        var cov = space.processNoise(dt: dt, inputGain: inputGain, tuning: tuning, sensor: sensor)
        for i in 0..<count {
            var d = points[i]
            for k in 0..<n { d[k] -= mean[k] }
            cov.addOuterProduct(d, d, scale: covarianceWeight(i), n)
        }
        state = mean
        covariance = cov
        currentSign = ECMStateSpace.nextSign(currentSign, current: current, deadband: sensor.currentDeadband_A)
        space.clamp(&state, tuning: tuning)
        if space.repairCovariance(&covariance, fallback: fallbackCovariance) { covarianceRepairs &+= 1 }
    }

    /// Predicted voltage [V] for the present state mean (no update).
    public func predictedVoltage(current: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>) -> Scalar {
        space.voltage(state, sign: currentSign, current: current, temperature: temperature, parameters: p)
    }

    /// Moments of the measurement over the sigma points of (x, P).
    struct MeasurementMoments {
        var mean: Scalar = 0
        /// Σ Wᶜ·(yᵢ − ŷ)² (without R).
        var variance: Scalar = 0
        /// Σ Wᶜ·(χᵢ − x)(yᵢ − ŷ).
        var cross = SmallVector<Scalar>()
    }

    /// ŷ, its variance and the cross covariance for sigma points drawn from (x, P); nil when P
    /// has no Cholesky factor.
    func moments(_ x: SmallVector<Scalar>, _ cov: SmallMatrix<Scalar>, factor l: SmallMatrix<Scalar>, current: Scalar,
                 temperature: Scalar, parameters p: ECMParameters<Scalar>) -> MeasurementMoments {
        let n = space.dimension
        let points = sigmaPoints(around: x, factor: l)
        var voltages = SigmaVoltages<Scalar>()
        var m = MeasurementMoments()
        for i in 0..<sigmaPointCount {
            let v = space.voltage(points[i], sign: currentSign, current: current, temperature: temperature, parameters: p)
            voltages[i] = v
            m.mean += meanWeight(i) * v
        }
        for i in 0..<sigmaPointCount {
            let dy = voltages[i] - m.mean
            let w = covarianceWeight(i)
            m.variance += w * dy * dy
            let point = points[i]
            for k in 0..<n { m.cross[k] += w * (point[k] - x[k]) * dy }
        }
        return m
    }

    /// Measurement update with the measured terminal voltage [V]; gating and divergence
    /// recovery as in `ExtendedKalmanFilter`.
    ///
    /// Large corrections (SOC moving by more than `iterationStep`) are refined by iterated
    /// posterior linearisation (García-Fernández, Svensson, Morelande & Särkkä, IEEE Trans.
    /// Signal Process. 63 (2015) 5561): sigma points are redrawn from the current posterior
    /// (xⱼ, Pⱼ), the measurement is statistically linearised there,
    ///   Hⱼ = Cⱼᵀ·Pⱼ⁻¹,  bⱼ = ŷⱼ − Hⱼ·xⱼ,  Ωⱼ = Sⱼ − Hⱼ·Pⱼ·Hⱼᵀ (linearisation error),
    /// and the prior is updated with that linear model (noise R + Ωⱼ). The first pass is the
    /// ordinary UKF update.
    public mutating func correct(voltage y: Scalar, current: Scalar, temperature: Scalar, parameters p: ECMParameters<Scalar>,
                                 tuning: EstimatorTuning<Scalar>, sensor: SensorModel<Scalar>,
                                 mayRecover: Bool) -> FilterCorrection<Scalar> {
        let n = space.dimension
        let l0 = choleskyFactorRepairingIfNeeded()
        var mom = moments(state, covariance, factor: l0, current: current, temperature: temperature, parameters: p)
        let r0 = p.seriesResistance.value(x: state[0], y: temperature)
        let r = space.measurementVariance(current: current, seriesResistance: r0, tuning: tuning, sensor: sensor)
        var s = mom.variance + r
        let e = y - mom.mean
        var result = FilterCorrection<Scalar>()
        result.predictedVoltage = mom.mean
        result.innovation = e
        result.innovationStandardDeviation = Scalar.sqrt(max(s, 0))
        switch monitor.check(innovation: e, variance: s, tuning: tuning, mayRecover: mayRecover) {
        case .rejected:
            result.outcome = .rejected
            return result
        case .recovered:
            // Widen the SOC variance by Δ (see the EKF); to first order this adds hz²·Δ to S
            // and hz·Δ to the SOC entry of the cross covariance, hz = ∂g/∂z.
            let hz = space.observe(state, sign: currentSign, current: current, temperature: temperature, parameters: p).jacobian[0]
            let widen = DivergenceMonitor.widening(innovation: e, variance: s, socSensitivity: hz, tuning: tuning)
            covariance[0, 0] += widen
            mom.variance += hz * hz * widen
            mom.cross[0] += hz * widen
            s = mom.variance + r
            result.outcome = .recovered
        case .accepted:
            break
        }
        let priorMean = state, priorCovariance = covariance
        // First pass: the UKF update.
        var gain = SmallVector<Scalar>()
        for i in 0..<n { gain[i] = mom.cross[i] / s }
        var mean = priorMean
        for i in 0..<n { mean[i] += gain[i] * e }
        space.clamp(&mean, tuning: tuning)
        var cov = priorCovariance
        cov.addOuterProduct(gain, gain, scale: -s, n)
        if abs(mean[0] - priorMean[0]) >= tuning.iterationStep {
            for _ in 1..<max(tuning.maximumIterations, 1) {
                cov.symmetrize(n)
                guard let l = cov.choleskyFactor(n) else { break }
                let m = moments(mean, cov, factor: l, current: current, temperature: temperature, parameters: p)
                // Statistical linearisation about (mean, cov).
                let h = SmallMatrix<Scalar>.choleskySolve(l, m.cross, n)     // Hᵀ = P⁻¹·C
                let omega = max(m.variance - h.dot(m.cross, n), 0)
                let b = m.mean - h.dot(mean, n)
                let ph = priorCovariance.multiplied(by: h, n)
                let sj = h.dot(ph, n) + r + omega
                guard sj > 0, sj.isFinite else { break }
                for i in 0..<n { gain[i] = ph[i] / sj }
                let innovation = y - h.dot(priorMean, n) - b
                var next = priorMean
                for i in 0..<n { next[i] += gain[i] * innovation }
                space.clamp(&next, tuning: tuning)
                var nextCov = priorCovariance
                nextCov.addOuterProduct(gain, gain, scale: -sj, n)
                let step = abs(next[0] - mean[0])
                mean = next
                cov = nextCov
                if !(step >= tuning.iterationStep / 10) { break }
            }
        }
        state = mean
        covariance = cov
        if space.repairCovariance(&covariance, fallback: fallbackCovariance) { covarianceRepairs &+= 1 }
        return result
    }

    /// Puts the filter at `soc` with standard deviation `sigma` (RC voltages and hysteresis at
    /// zero, initial covariance).
    public mutating func reset(soc: Scalar, socStandardDeviation sigma: Scalar) {
        state = SmallVector()
        state[0] = soc
        covariance = space.initialCovariance(socStandardDeviation: sigma)
        fallbackCovariance = covariance
        monitor = DivergenceMonitor()
    }
}

/// Up to 11 (= 2·5 + 1) sigma points in inline storage.
public struct SigmaPoints<Scalar: LithosReal>: Sendable {
    public static var capacity: Int { 11 }
    @usableFromInline
    var storage: (SmallVector<Scalar>, SmallVector<Scalar>, SmallVector<Scalar>, SmallVector<Scalar>,
                  SmallVector<Scalar>, SmallVector<Scalar>, SmallVector<Scalar>, SmallVector<Scalar>,
                  SmallVector<Scalar>, SmallVector<Scalar>, SmallVector<Scalar>) =
        (SmallVector(), SmallVector(), SmallVector(), SmallVector(), SmallVector(), SmallVector(),
         SmallVector(), SmallVector(), SmallVector(), SmallVector(), SmallVector())

    @inlinable public init() {}

    @inlinable
    public subscript(i: Int) -> SmallVector<Scalar> {
        get {
            precondition(i >= 0 && i < 11, "sigma point index out of range")
            return withUnsafeBytes(of: storage) {
                $0.load(fromByteOffset: i &* MemoryLayout<SmallVector<Scalar>>.stride, as: SmallVector<Scalar>.self)
            }
        }
        set {
            precondition(i >= 0 && i < 11, "sigma point index out of range")
            withUnsafeMutableBytes(of: &storage) {
                $0.storeBytes(of: newValue, toByteOffset: i &* MemoryLayout<SmallVector<Scalar>>.stride, as: SmallVector<Scalar>.self)
            }
        }
    }
}

/// The measurement of each sigma point [V], inline.
public struct SigmaVoltages<Scalar: LithosReal>: Sendable {
    @usableFromInline
    var storage: (Scalar, Scalar, Scalar, Scalar, Scalar, Scalar, Scalar, Scalar, Scalar, Scalar, Scalar) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    @inlinable public init() {}

    @inlinable
    public subscript(i: Int) -> Scalar {
        get {
            precondition(i >= 0 && i < 11, "sigma point index out of range")
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i &* MemoryLayout<Scalar>.stride, as: Scalar.self) }
        }
        set {
            precondition(i >= 0 && i < 11, "sigma point index out of range")
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: i &* MemoryLayout<Scalar>.stride, as: Scalar.self) }
        }
    }
}
