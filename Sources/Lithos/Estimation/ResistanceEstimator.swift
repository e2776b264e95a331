/// Tuning of the series-resistance estimator.
public struct ResistanceEstimatorSettings<Scalar: LithosReal>: Sendable, Equatable {
    /// A sample pair enters the regression only if the current changed by at least this [A].
    public var minimumCurrentStep_A: Scalar
    /// Forgetting factor λ per accepted current step (memory ≈ 1/(1 − λ) steps).
    public var forgettingFactor: Scalar = 0.995
    /// Prior standard deviation of the resistance scale θ = R₀,est/R₀,model [1].
    public var initialScaleStandardDeviation: Scalar = 0.5
    /// Bounds of θ [1]: R₀ cannot fall far below the new cell's, and a cell whose resistance
    /// has grown more than fivefold is long past its end of life.
    public var minimumScale: Scalar = 0.5
    public var maximumScale: Scalar = 5
    /// Sensor noise per sample: voltage [V] and current [A] standard deviations.
    public var voltageNoise_V: Scalar = 0.002
    public var currentNoise_A: Scalar = 0.01
    /// Standard deviation of what the open-loop model gets wrong in one sample's voltage
    /// change [V] (RC and OCV-slope errors).
    public var modelError_V: Scalar = 0.001
    /// A step whose residual exceeds this many standard deviations is rejected as an outlier.
    public var outlierGate_sigma: Scalar = 5
    /// After this many consecutive rejections the estimator assumes the resistance really moved
    /// and re-opens its covariance to the prior (0 disables).
    public var rejectionsBeforeReset: Int = 10
    /// Sample pairs further apart than this are not used [s].
    public var maximumSampleInterval_s: Scalar = 5
    /// Readings within ± this are zero current for the open-loop model [A] (3σ of the current
    /// noise), so noise at rest does not flip the instantaneous-hysteresis sign.
    public var currentDeadband_A: Scalar = 0.03

    /// Defaults for a cell of `capacity_Ah`: steps of at least C/5.
    public init(capacity_Ah: Scalar) {
        minimumCurrentStep_A = capacity_Ah / 5
    }

    public func validate(context: @autoclosure () -> String = "resistance estimator") throws(LithosError) {
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(LithosError) {
            if !ok { throw LithosError(.config, "\(context()): \(what())") }
        }
        try check(minimumCurrentStep_A > 0 && minimumCurrentStep_A.isFinite, "minimum_current_step_A must be > 0")
        try check(forgettingFactor > 0.5 && forgettingFactor <= 1, "forgetting_factor must be within (0.5, 1]")
        try check(initialScaleStandardDeviation > 0 && initialScaleStandardDeviation <= 10, "initial scale std must be within (0, 10]")
        try check(minimumScale > 0 && minimumScale < 1 && maximumScale > 1 && maximumScale <= 100, "scale bounds must satisfy 0 < min < 1 < max ≤ 100")
        try check(voltageNoise_V >= 0 && currentNoise_A >= 0 && modelError_V >= 0
                  && voltageNoise_V + modelError_V > 0, "noise figures must be ≥ 0 (voltage noise + model error > 0)")
        try check(outlierGate_sigma > 0, "outlier gate must be > 0")
        try check(rejectionsBeforeReset >= 0, "rejections before reset must be ≥ 0")
        try check(maximumSampleInterval_s > 0, "maximum sample interval must be > 0")
        try check(currentDeadband_A >= 0 && currentDeadband_A < minimumCurrentStep_A, "current deadband must be ≥ 0 and below the minimum step")
    }
}

/// Series resistance R₀ from the voltage change across current steps, by scalar recursive
/// least squares with exponential forgetting on the resistance scale θ = R₀,est / R₀,model.
///
/// **Why this form.** Over one short sample the ohmic drop is the only part of the terminal
/// voltage that changes in proportion to the current step: with the ZOH model
///   Vₖ = Uₖ − R₀·Iₖ,   Uₖ = OCV(zₖ) + M₀·sₖ + M·hₖ − Σ vⱼ,ₖ,
/// the difference of two consecutive samples is
///   ΔUₖ − ΔVₖ = R₀·ΔIₖ.
/// ΔUₖ — the OCV change (∂OCV/∂z·Δz from the counted charge), the RC voltages' relaxation over
/// the sample (aⱼ, Rⱼ from the model, vⱼ from an open-loop copy of the RC dynamics driven by
/// the measured current), and the hysteresis change (a current reversal flips the
/// instantaneous hysteresis by 2M₀ in the same sample as the step) — is predicted and
/// subtracted rather than neglected: at 1 s sampling an RC pair with τ = 30 s already moves
/// (1 − e^{−1/30}) ≈ 3 % of Rⱼ·ΔI, a bias of several per cent on R₀ if ignored. The open-loop
/// RC state needs no measurement correction (it converges from any start within a few τ, the
/// dynamics being stable and driven by the measured current), and it is deliberately not the
/// filter's corrected state, which absorbs part of an R₀ error into the RC voltages. Only
/// steps with |ΔI| ≥ `minimumCurrentStep_A` are used (excitation); other samples carry no
/// information on R₀ and would only let the forgetting inflate the covariance.
///
/// Estimating the scale θ against the model's R₀(z, T) instead of R₀ itself lets one estimate
/// serve every temperature and SOC (resistance growth with age is modelled as a common
/// factor), so the estimate does not re-converge when the cell warms up.
///
/// **RLS.** Regressor φ = R₀,model(z, T)·ΔI [V], observation y = ΔU − ΔV [V], noise variance
/// r = 2σ_V² + 2θ²R₀²σ_I² + σ_model² (the current noise moved from the regressor into the
/// equation error; its errors-in-variables bias is (2σ_I²/ΔI²) ≈ 10⁻⁴ for the default step and
/// is neglected):
///   P ← P/λ;  S = φ²P + r;  K = Pφ/S;  θ ← θ + K(y − φθ);  P ← (1 − Kφ)P,
/// with an innovation gate (|y − φθ| > k√S rejects the step; after `rejectionsBeforeReset`
/// consecutive rejections P re-opens to the prior and the step is taken: a real jump in
/// resistance, e.g. a contact loss, is tracked rather than rejected forever), θ clamped to [minimumScale, maximumScale]
/// and P to at most its prior. Confidence: σ_R₀ = √P·R₀,model.
///
/// Resistance SOH = R₀,model / R₀,est = 100 %/θ. Fixed size; no allocation.
public struct ResistanceEstimator<Scalar: LithosReal>: Sendable, Equatable {
    public var settings: ResistanceEstimatorSettings<Scalar>
    /// θ = R₀,est / R₀,model [1] and its variance [1].
    public private(set) var scale: Scalar = 1
    public private(set) var scaleVariance: Scalar
    /// The model's R₀ and the estimate at the last update's SOC and temperature [Ω].
    public private(set) var modelSeriesResistance_ohm: Scalar = 0
    /// Current steps accepted into / rejected from the regression since creation.
    public private(set) var acceptedSteps: Int = 0
    public private(set) var rejectedSteps: Int = 0

    /// Open-loop RC/hysteresis state driven by the measured current.
    var model: ECMState<Scalar> = ECMState(soc: 0)
    var previousVoltage: Scalar = .nan
    var previousCurrent: Scalar = .nan
    var consecutiveRejections: Int = 0

    public init(settings: ResistanceEstimatorSettings<Scalar>) {
        self.settings = settings
        let s0 = settings.initialScaleStandardDeviation
        scaleVariance = s0 * s0
    }

    /// Estimated R₀ at the last update's SOC and temperature [Ω].
    public var seriesResistance_ohm: Scalar { scale * modelSeriesResistance_ohm }
    /// Standard deviation of that estimate [Ω].
    public var seriesResistanceStandardDeviation_ohm: Scalar { Scalar.sqrt(scaleVariance) * modelSeriesResistance_ohm }
    /// Resistance SOH = R₀,model / R₀,est [%].
    public var resistanceSOH_percent: Scalar { 100 / scale }

    /// Seeds the open-loop RC and hysteresis state (e.g. from the filter at start-up, when the
    /// cell may not be at rest). Optional: from rest the default zero state is right.
    public mutating func seed(rcAndHysteresisFrom state: ECMState<Scalar>) {
        model = state
        previousVoltage = .nan
        previousCurrent = .nan
    }

    /// One update.
    /// - Parameters:
    ///   - m: the measurement (NaN fields skip the update and break the sample pair).
    ///   - soc: the SOC estimate [1] (for R₀,model(z, T), ∂OCV/∂z and the RC elements).
    ///   - parameters: the estimator's ECM.
    public mutating func update(_ m: Measurement<Scalar>, soc: Scalar, parameters p: ECMParameters<Scalar>) {
        let i = m.current_A, v = m.voltage_V, t = m.temperature_K, dt = m.dt_s
        guard dt > 0, dt.isFinite, i.isFinite, t.isFinite, soc.isFinite else {
            previousVoltage = .nan; previousCurrent = .nan
            return
        }
        let e = p.evaluate(soc: soc, temperature_K: t)
        modelSeriesResistance_ohm = e.seriesResistance
        // Predicted non-ohmic voltage change over this sample (current i held over dt).
        var before = model
        before.soc = soc
        let iModel = abs(i) <= settings.currentDeadband_A ? 0 : i
        let after = ECMDynamics.propagate(before, current: iModel, dt: dt, start: e, parameters: p)
        let eta = ECMDynamics.efficiency(i, p)
        let ocvChange = p.ocvSlope(soc: soc, temperature_K: t) * (-eta * i * dt / (3600 * p.capacity_Ah))
        let nonOhmicChange = ocvChange
            + p.instantaneousHysteresis_V * (after.lastCurrentSign - before.lastCurrentSign)
            + e.hysteresisMagnitude * (after.hysteresis - before.hysteresis)
            - (after.rcVoltageSum - before.rcVoltageSum)
        model = after

        defer { previousVoltage = v; previousCurrent = i }
        guard v.isFinite, previousVoltage.isFinite, previousCurrent.isFinite, dt <= settings.maximumSampleInterval_s else { return }
        let currentStep = i - previousCurrent
        guard abs(currentStep) >= settings.minimumCurrentStep_A, e.seriesResistance > 0 else { return }

        let s = settings
        let phi = e.seriesResistance * currentStep
        let y = nonOhmicChange - (v - previousVoltage)
        let r0 = scale * e.seriesResistance
        let noise = 2 * s.voltageNoise_V * s.voltageNoise_V + 2 * r0 * r0 * s.currentNoise_A * s.currentNoise_A
            + s.modelError_V * s.modelError_V
        let prior = s.initialScaleStandardDeviation * s.initialScaleStandardDeviation
        var p0 = min(scaleVariance / s.forgettingFactor, prior)   // P/λ, never above the prior
        let innovationVariance = phi * phi * p0 + noise
        let innovation = y - phi * scale
        if innovation * innovation > s.outlierGate_sigma * s.outlierGate_sigma * innovationVariance {
            consecutiveRejections += 1
            // Persistent rejection means the resistance really moved (or the model is far off):
            // re-open the covariance and take this step ungated.
            guard s.rejectionsBeforeReset > 0 && consecutiveRejections >= s.rejectionsBeforeReset else {
                rejectedSteps += 1
                return
            }
            p0 = prior
        }
        consecutiveRejections = 0
        let gain = p0 * phi / (phi * phi * p0 + noise)
        scale = min(max(scale + gain * innovation, s.minimumScale), s.maximumScale)
        scaleVariance = max((1 - gain * phi) * p0, 0)
        acceptedSteps += 1
    }

    /// Writes R₀ and resistance SOH into an estimate.
    public func write(into e: inout StateEstimate<Scalar>) {
        e.seriesResistance_ohm = seriesResistance_ohm
        e.resistanceSOH_percent = resistanceSOH_percent
    }
}
