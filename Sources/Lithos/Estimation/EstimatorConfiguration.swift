/// The algorithm a `StateEstimator` runs, chosen at creation.
public enum EstimatorAlgorithm: Sendable, Equatable {
    /// Current integration with coulombic efficiency, corrected from the OCV after a
    /// qualified rest (`CoulombCounter`).
    case coulombCounting
    /// Extended Kalman filter over [SOC, RC voltages, hysteresis] (`ExtendedKalmanFilter`).
    case extendedKalman
    /// Unscented (sigma-point) Kalman filter over the same state (`SigmaPointKalmanFilter`).
    case unscentedKalman

    /// Stable numeric code (C `LITHOS_ESTIMATOR_*`, state snapshots): 1, 2, 3.
    public var code: UInt32 {
        switch self {
        case .coulombCounting: return 1
        case .extendedKalman: return 2
        case .unscentedKalman: return 3
        }
    }

    /// The algorithm for a code, or nil.
    public init?(code: UInt32) {
        switch code {
        case 1: self = .coulombCounting
        case 2: self = .extendedKalman
        case 3: self = .unscentedKalman
        default: return nil
        }
    }

    /// The JSON name: "coulomb", "ekf", "ukf".
    public var name: StaticString {
        switch self {
        case .coulombCounting: return "coulomb"
        case .extendedKalman: return "ekf"
        case .unscentedKalman: return "ukf"
        }
    }
}

/// Filter tuning (EKF and UKF). Process noise is given as a variance rate (variance added per
/// second of prediction), so the tuning does not depend on the sample rate.
public struct EstimatorTuning<Scalar: LithosReal>: Sendable, Equatable {
    /// SOC process noise [1/s]: SOC variance added per second (covers capacity error and
    /// current-sensor drift beyond `SensorModel.currentNoise_A`).
    public var socProcessNoise_per_s: Scalar = 1e-8
    /// RC-voltage process noise [V²/s] per RC pair (absorbs model error in the dynamics).
    public var rcProcessNoise_V2_per_s: Scalar = 1e-5
    /// Hysteresis-state process noise [1/s].
    public var hysteresisProcessNoise_per_s: Scalar = 1e-5
    /// Standard deviation of the voltage model error [V] (what the ECM cannot reproduce). The
    /// measurement noise the filter uses is √(this² + σ_V,sensor² + resolution²/12 + (R₀·σ_I)²).
    public var measurementNoise_V: Scalar = 0.01
    /// Part of the voltage model error that grows with the current, as a fraction of the ohmic
    /// drop R₀(z, T)·I [1]. An ECM's error is largest during high-current transients
    /// (unmodelled fast and slow polarisation, which scale like the resistances), so the
    /// model-error variance is measurementNoise_V² + (this·R₀·I)². The filter then leans on the
    /// voltage where the model is good (low current) and on current integration in between.
    public var measurementNoiseResistanceFraction: Scalar = 0.5
    /// Innovation gate k [1]: a voltage whose innovation exceeds k·√S (S = innovation
    /// variance) is rejected and flagged `measurementRejected`. 0 disables gating.
    public var innovationGate_sigma: Scalar = 6
    /// Divergence monitor: the filter keeps an exponentially weighted average of the
    /// normalised innovation squared, NIS = e²/S (1 for a consistent filter), over about this
    /// many samples (each sample's NIS capped at 4·`divergenceThreshold`, so single outliers do
    /// not trip it). When the average exceeds `divergenceThreshold` and the present sample's
    /// NIS does too, the filter no longer explains the measurements (it is confidently wrong,
    /// e.g. started far off with a small σ): it widens the SOC variance so the present
    /// innovation becomes one standard deviation and takes the measurement (even past the
    /// gate). 0 disables. Frozen voltage readings never trigger it.
    public var divergenceWindowSamples: Int = 20
    /// Dual estimation: the Kalman filters measure with R₀ scaled by the resistance
    /// estimator's R₀,est/R₀,model (bounded 0.5…5, see `ResistanceEstimatorSettings`), so an
    /// aged cell — or a cell whose real ohmic response differs from its model's — does not
    /// bias the SOC. JSON `tuning.resistance_feedback`.
    public var resistanceFeedback: Bool = false
    /// Current-sensor offset estimation: the Kalman filters carry the offset b of the current
    /// sensor as a state (I_cell = I_measured − b; `ECMStateSpace`), started at 0 with
    /// σ = `SensorModel.currentOffset_A` (which must then be > 0) and clamped to ±5σ. Needs a
    /// free state: SOC + RC pairs + hysteresis ≤ 4. JSON `tuning.current_offset_estimation`.
    public var currentOffsetEstimation: Bool = false
    /// Random-walk variance rate of the offset [A²/s] (how fast a sensor offset may drift;
    /// 1e-11 A²/s ≈ 0.2 mA per hour). JSON `tuning.current_offset_process_noise_A2_per_s`.
    public var currentOffsetProcessNoise_A2_per_s: Scalar = 1e-11
    /// Average NIS above which the filter counts as diverged [1].
    public var divergenceThreshold: Scalar = 9
    /// Iterated measurement update: when an update moves SOC by more than `iterationStep`
    /// (a large correction, where one linearisation is not enough — typically a wrong initial
    /// SOC on a curved OCV), it is relinearised at the corrected state (Gauss–Newton for the
    /// EKF — the iterated EKF; iterated posterior linearisation for the UKF) until a pass
    /// moves SOC by less than a tenth of `iterationStep`, up to `maximumIterations` passes in
    /// all. 1 = the plain filters. A fixed bound, so the worst-case update time is known; the
    /// small corrections of normal tracking take one pass.
    public var maximumIterations: Int = 4
    /// SOC correction that triggers the iteration [1].
    public var iterationStep: Scalar = 0.01
    /// SOC is clamped to this range after every update [1].
    public var minimumSOC: Scalar = -0.05
    public var maximumSOC: Scalar = 1.05
    /// Scaled unscented transform (UKF only): spread α (0 < α ≤ 1), prior-distribution weight β
    /// (2 is optimal for a Gaussian prior) and secondary scaling κ (≥ 0).
    /// λ = α²(n + κ) − n; sigma points x̄ ± √(n+λ)·(columns of chol P); weights
    /// W₀ᵐ = λ/(n+λ), W₀ᶜ = W₀ᵐ + 1 − α² + β, Wᵢ = 1/(2(n+λ)).
    /// The defaults (1, 2, 0) keep every weight ≥ 0 (W₀ᵐ = 0), which keeps the covariance
    /// positive semidefinite by construction and the arithmetic safe in single precision;
    /// small α (1e-3, common in textbooks) gives W₀ ≈ −10⁶ and is unusable in Float.
    public var ukfAlpha: Scalar = 1
    public var ukfBeta: Scalar = 2
    public var ukfKappa: Scalar = 0

    public init() {}
}

/// What the estimator knows about its sensors.
public struct SensorModel<Scalar: LithosReal>: Sendable, Equatable {
    /// Current-sensor white noise, standard deviation per sample [A].
    public var currentNoise_A: Scalar = 0.01
    /// Standard deviation of an unknown constant current-sensor offset [A]: the Coulomb
    /// counter's SOC uncertainty grows linearly in time with it.
    public var currentOffset_A: Scalar = 0
    /// Voltage-sensor white noise, standard deviation per sample [V].
    public var voltageNoise_V: Scalar = 0.002
    /// Voltage-sensor resolution (quantisation step) [V]; 0 = ideal.
    public var voltageResolution_V: Scalar = 0
    /// Current-sensor resolution [A]; 0 = ideal.
    public var currentResolution_A: Scalar = 0

    public init() {}

    /// Variance of one voltage reading [V²]: noise plus uniform quantisation error.
    @inlinable
    public var voltageVariance_V2: Scalar {
        voltageNoise_V * voltageNoise_V + voltageResolution_V * voltageResolution_V / 12
    }

    /// Variance of one current reading [A²].
    @inlinable
    public var currentVariance_A2: Scalar {
        currentNoise_A * currentNoise_A + currentResolution_A * currentResolution_A / 12
    }

    /// Currents within ± this band [A] are "zero" for the instantaneous-hysteresis sign, so
    /// sensor noise at rest does not flip it: 3σ of a reading.
    @inlinable
    public var currentDeadband_A: Scalar { 3 * Scalar.sqrt(currentVariance_A2) }
}

/// OCV correction after a qualified rest (Coulomb counting).
public struct RestCorrectionSettings<Scalar: LithosReal>: Sendable, Equatable {
    /// |I| below this counts as rest [A].
    public var currentThreshold_A: Scalar
    /// Rest must last this long before the voltage is taken as the OCV [s].
    public var qualificationTime_s: Scalar = 1800
    /// Standard deviation of "terminal voltage after the rest = OCV" [V] (residual relaxation
    /// and OCV-table error); the sensor's noise adds to it.
    public var ocvUncertainty_V: Scalar = 0.005

    /// Defaults with the rest threshold at C/50 of a cell of `capacity_Ah`.
    public init(capacity_Ah: Scalar) {
        currentThreshold_A = capacity_Ah / 50
    }
}

/// Everything a `StateEstimator` is created from. Generic over the scalar type so the same
/// configuration runs in Double on the host and Float in firmware (`converted(to:)`); the JSON
/// form is parsed in Double outside the generic core (`EstimatorConfigurationJSON.swift`).
public struct EstimatorConfiguration<Scalar: LithosReal>: Sendable, Equatable {
    /// The estimator's own model of the cell (it never sees the simulated cell's parameters).
    public var model: ECMParameters<Scalar>
    public var algorithm: EstimatorAlgorithm
    /// Initial SOC guess [1] and its standard deviation [1].
    public var initialSOC: Scalar
    public var initialSOCStandardDeviation: Scalar
    /// Temperature assumed until the first valid temperature reading [K].
    public var initialTemperature_K: Scalar
    public var tuning: EstimatorTuning<Scalar>
    public var sensor: SensorModel<Scalar>
    public var rest: RestCorrectionSettings<Scalar>
    /// The window the safety monitor checks and the power limits respect.
    public var limits: OperatingLimits<Scalar>
    /// Settings of the state-of-health estimators and the safety monitor. Their defaults are
    /// derived at `init` from the model's capacity and the sensor model (noise figures, current
    /// dead band, coulombic efficiency); set them after changing `sensor` if they should follow.
    public var resistanceEstimator: ResistanceEstimatorSettings<Scalar>
    public var capacityEstimator: CapacityEstimatorSettings<Scalar>
    public var safety: SafetyMonitorSettings<Scalar>

    public init(model: ECMParameters<Scalar>, algorithm: EstimatorAlgorithm, initialSOC: Scalar = 0.5,
                initialSOCStandardDeviation: Scalar = 0.2, initialTemperature_K: Scalar = 298.15,
                tuning: EstimatorTuning<Scalar> = EstimatorTuning(), sensor: SensorModel<Scalar> = SensorModel(),
                rest: RestCorrectionSettings<Scalar>? = nil, limits: OperatingLimits<Scalar>? = nil) {
        self.model = model
        self.algorithm = algorithm
        self.initialSOC = initialSOC
        self.initialSOCStandardDeviation = initialSOCStandardDeviation
        self.initialTemperature_K = initialTemperature_K
        self.tuning = tuning
        self.sensor = sensor
        self.rest = rest ?? RestCorrectionSettings(capacity_Ah: model.capacity_Ah)
        self.limits = limits ?? Self.defaultLimits(model: model)
        var r = ResistanceEstimatorSettings<Scalar>(capacity_Ah: model.capacity_Ah)
        r.voltageNoise_V = Scalar.sqrt(sensor.voltageVariance_V2)
        r.currentNoise_A = Scalar.sqrt(sensor.currentVariance_A2)
        r.currentDeadband_A = min(sensor.currentDeadband_A, r.minimumCurrentStep_A / 2)
        resistanceEstimator = r
        var q = CapacityEstimatorSettings<Scalar>(nominalCapacity_Ah: model.capacity_Ah)
        q.currentNoise_A = Scalar.sqrt(sensor.currentVariance_A2)
        if sensor.currentOffset_A > 0 { q.currentOffset_A = sensor.currentOffset_A }
        q.chargeEfficiency = model.chargeEfficiency
        capacityEstimator = q
        var m = SafetyMonitorSettings<Scalar>(capacity_Ah: model.capacity_Ah)
        m.restCurrent_A = self.rest.currentThreshold_A
        safety = m
    }

    /// Limits from the model when none are given: its voltage and temperature windows, SOC
    /// 0…1, current limits 3C discharge and 1C charge.
    public static func defaultLimits(model: ECMParameters<Scalar>) -> OperatingLimits<Scalar> {
        OperatingLimits(minimumVoltage_V: Scalar(model.limits.minimumVoltage_V), maximumVoltage_V: Scalar(model.limits.maximumVoltage_V),
                        dischargeCurrentLimit_A: 3 * model.capacity_Ah, chargeCurrentLimit_A: model.capacity_Ah,
                        minimumTemperature_K: Scalar(model.limits.minimumTemperature_K),
                        maximumTemperature_K: Scalar(model.limits.maximumTemperature_K))
    }

    /// Checks every number (the JSON reader checks ranges too; this guards direct Swift use).
    public func validate() throws(LithosError) {
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(LithosError) {
            if !ok { throw LithosError(.config, "estimator configuration: \(what())") }
        }
        let t = tuning, s = sensor, r = rest
        try check(initialSOC.isFinite && initialSOC >= t.minimumSOC && initialSOC <= t.maximumSOC,
                  "initial_soc must lie within the SOC range \(t.minimumSOC)…\(t.maximumSOC) (got \(initialSOC))")
        try check(initialSOCStandardDeviation > 0 && initialSOCStandardDeviation <= 1, "initial_soc_std must be within (0, 1]")
        try check(initialTemperature_K >= Scalar(Validate.minimumTemperature_K) && initialTemperature_K <= Scalar(Validate.maximumTemperature_K),
                  "initial_temperature_K must be within \(Validate.minimumTemperature_K)…\(Validate.maximumTemperature_K) K")
        try check(t.socProcessNoise_per_s >= 0 && t.socProcessNoise_per_s.isFinite
                  && t.rcProcessNoise_V2_per_s >= 0 && t.rcProcessNoise_V2_per_s.isFinite
                  && t.hysteresisProcessNoise_per_s >= 0 && t.hysteresisProcessNoise_per_s.isFinite,
                  "process noise must be finite and ≥ 0")
        try check(t.measurementNoise_V >= 0 && t.measurementNoise_V < 10, "measurement_noise_V must be within 0…10 V")
        try check(t.measurementNoiseResistanceFraction >= 0 && t.measurementNoiseResistanceFraction <= 10,
                  "measurement_noise_fraction_of_r0 must be within 0…10")
        try check(t.innovationGate_sigma >= 0 && t.innovationGate_sigma.isFinite, "innovation_gate_sigma must be ≥ 0 (0 disables the gate)")
        try check(t.divergenceWindowSamples >= 0 && t.divergenceWindowSamples <= 1_000_000_000, "divergence_window_samples must be ≥ 0")
        try check(t.divergenceThreshold > 1 && t.divergenceThreshold.isFinite, "divergence_nis_threshold must be > 1")
        try check(t.maximumIterations >= 1 && t.maximumIterations <= 20, "iterations must be within 1…20")
        try check(t.iterationStep > 0 && t.iterationStep <= 1, "iteration_step must be within (0, 1]")
        try check(t.minimumSOC >= -0.5 && t.maximumSOC <= 1.5 && t.minimumSOC < t.maximumSOC, "soc_range must satisfy −0.5 ≤ min < max ≤ 1.5")
        try check(t.ukfAlpha > 0 && t.ukfAlpha <= 1, "ukf_alpha must be within (0, 1]")
        try check(t.ukfBeta >= 0 && t.ukfBeta <= 10, "ukf_beta must be within 0…10")
        try check(t.ukfKappa >= 0 && t.ukfKappa <= 10, "ukf_kappa must be within 0…10")
        try check(t.currentOffsetProcessNoise_A2_per_s >= 0 && t.currentOffsetProcessNoise_A2_per_s <= 1,
                  "current_offset_process_noise_A2_per_s must be within 0…1 A²/s")
        if t.currentOffsetEstimation {
            try check(s.currentOffset_A > 0 && s.currentOffset_A < 1e6,
                      "tuning.current_offset_estimation needs sensor.current_offset_A > 0 (the offset's σ, its starting uncertainty)")
            try check(ECMStateSpace.canTrackCurrentOffset(model),
                      "tuning.current_offset_estimation needs a free filter state: SOC + \(model.rcPairCount) RC pairs + hysteresis leave none (at most 3 RC pairs without hysteresis, 2 with)")
        }
        for (v, name) in [(s.currentNoise_A, "current_noise_A"), (s.currentOffset_A, "current_offset_A"),
                          (s.voltageNoise_V, "voltage_noise_V"), (s.voltageResolution_V, "voltage_resolution_V"),
                          (s.currentResolution_A, "current_resolution_A")] {
            try check(v >= 0 && v < 1e6, "sensor.\(name) must be finite and ≥ 0")
        }
        try check(Scalar.sqrt(t.measurementNoise_V * t.measurementNoise_V + s.voltageVariance_V2) > 0,
                  "the voltage noise is zero (measurement_noise_V and sensor.voltage_noise_V are both 0); give one of them a value > 0")
        try check(r.currentThreshold_A > 0 && r.currentThreshold_A.isFinite, "rest.current_threshold_A must be > 0")
        try check(r.qualificationTime_s > 0 && r.qualificationTime_s.isFinite, "rest.qualification_time_s must be > 0")
        try check(r.ocvUncertainty_V >= 0 && r.ocvUncertainty_V < 1, "rest.ocv_uncertainty_V must be within 0…1 V")
        try limits.validate(context: "estimator configuration: limits")
        try resistanceEstimator.validate(context: "estimator configuration: resistance_estimator")
        try capacityEstimator.validate(context: "estimator configuration: capacity_estimator")
        try safety.validate(context: "estimator configuration: safety")
    }

    /// The same configuration in another precision (Double on the host → Float for a
    /// single-precision FPU).
    public func converted<Other: LithosReal>(to: Other.Type) throws(LithosError) -> EstimatorConfiguration<Other> {
        let m = model
        let converted = try ECMParameters<Other>(
            capacity_Ah: Other(m.capacity_Ah), chargeEfficiency: Other(m.chargeEfficiency),
            openCircuitVoltage: m.openCircuitVoltage.converted(to: Other.self),
            entropicCoefficient: m.entropicCoefficient.converted(to: Other.self),
            seriesResistance: m.seriesResistance.converted(to: Other.self),
            rcResistances: m.rcResistances.map { $0.converted(to: Other.self) },
            rcTimeConstants: m.rcTimeConstants.map { $0.converted(to: Other.self) },
            hysteresisMagnitude: m.hysteresisMagnitude.converted(to: Other.self),
            instantaneousHysteresis_V: Other(m.instantaneousHysteresis_V), hysteresisRate: Other(m.hysteresisRate),
            thermal: LumpedThermalModel<Other>(enabled: m.thermal.enabled, heatCapacity_J_per_K: Other(m.thermal.heatCapacity_J_per_K),
                                               heatTransfer_W_per_K: Other(m.thermal.heatTransfer_W_per_K)),
            limits: m.limits)
        var t = EstimatorTuning<Other>()
        t.socProcessNoise_per_s = Other(tuning.socProcessNoise_per_s)
        t.rcProcessNoise_V2_per_s = Other(tuning.rcProcessNoise_V2_per_s)
        t.hysteresisProcessNoise_per_s = Other(tuning.hysteresisProcessNoise_per_s)
        t.measurementNoise_V = Other(tuning.measurementNoise_V)
        t.measurementNoiseResistanceFraction = Other(tuning.measurementNoiseResistanceFraction)
        t.innovationGate_sigma = Other(tuning.innovationGate_sigma)
        t.divergenceWindowSamples = tuning.divergenceWindowSamples
        t.divergenceThreshold = Other(tuning.divergenceThreshold)
        t.maximumIterations = tuning.maximumIterations
        t.iterationStep = Other(tuning.iterationStep)
        t.minimumSOC = Other(tuning.minimumSOC)
        t.maximumSOC = Other(tuning.maximumSOC)
        t.ukfAlpha = Other(tuning.ukfAlpha)
        t.ukfBeta = Other(tuning.ukfBeta)
        t.ukfKappa = Other(tuning.ukfKappa)
        t.currentOffsetEstimation = tuning.currentOffsetEstimation
        t.currentOffsetProcessNoise_A2_per_s = Other(tuning.currentOffsetProcessNoise_A2_per_s)
        var s = SensorModel<Other>()
        s.currentNoise_A = Other(sensor.currentNoise_A)
        s.currentOffset_A = Other(sensor.currentOffset_A)
        s.voltageNoise_V = Other(sensor.voltageNoise_V)
        s.voltageResolution_V = Other(sensor.voltageResolution_V)
        s.currentResolution_A = Other(sensor.currentResolution_A)
        var r = RestCorrectionSettings<Other>(capacity_Ah: Other(rest.currentThreshold_A) * 50)
        r.currentThreshold_A = Other(rest.currentThreshold_A)
        r.qualificationTime_s = Other(rest.qualificationTime_s)
        r.ocvUncertainty_V = Other(rest.ocvUncertainty_V)
        var c = EstimatorConfiguration<Other>(
            model: converted, algorithm: algorithm, initialSOC: Other(initialSOC),
            initialSOCStandardDeviation: Other(initialSOCStandardDeviation), initialTemperature_K: Other(initialTemperature_K),
            tuning: t, sensor: s, rest: r, limits: limits.converted(to: Other.self))
        // The component settings, field by field.
        let re = resistanceEstimator
        c.resistanceEstimator.minimumCurrentStep_A = Other(re.minimumCurrentStep_A)
        c.resistanceEstimator.forgettingFactor = Other(re.forgettingFactor)
        c.resistanceEstimator.initialScaleStandardDeviation = Other(re.initialScaleStandardDeviation)
        c.resistanceEstimator.minimumScale = Other(re.minimumScale)
        c.resistanceEstimator.maximumScale = Other(re.maximumScale)
        c.resistanceEstimator.voltageNoise_V = Other(re.voltageNoise_V)
        c.resistanceEstimator.currentNoise_A = Other(re.currentNoise_A)
        c.resistanceEstimator.modelError_V = Other(re.modelError_V)
        c.resistanceEstimator.outlierGate_sigma = Other(re.outlierGate_sigma)
        c.resistanceEstimator.rejectionsBeforeReset = re.rejectionsBeforeReset
        c.resistanceEstimator.maximumSampleInterval_s = Other(re.maximumSampleInterval_s)
        c.resistanceEstimator.currentDeadband_A = Other(re.currentDeadband_A)
        let ce = capacityEstimator
        c.capacityEstimator.nominalCapacity_Ah = Other(ce.nominalCapacity_Ah)
        c.capacityEstimator.initialStandardDeviation_Ah = Other(ce.initialStandardDeviation_Ah)
        c.capacityEstimator.minimumFraction = Other(ce.minimumFraction)
        c.capacityEstimator.maximumFraction = Other(ce.maximumFraction)
        c.capacityEstimator.minimumSOCChange = Other(ce.minimumSOCChange)
        c.capacityEstimator.reversalSOCChange = Other(ce.reversalSOCChange)
        c.capacityEstimator.maximumEndpointSOCStandardDeviation = Other(ce.maximumEndpointSOCStandardDeviation)
        c.capacityEstimator.maximumSOCJump = Other(ce.maximumSOCJump)
        c.capacityEstimator.maximumPairDuration_s = Other(ce.maximumPairDuration_s)
        c.capacityEstimator.forgettingFactor = Other(ce.forgettingFactor)
        c.capacityEstimator.currentNoise_A = Other(ce.currentNoise_A)
        c.capacityEstimator.currentOffset_A = Other(ce.currentOffset_A)
        c.capacityEstimator.chargeEfficiency = Other(ce.chargeEfficiency)
        c.capacityEstimator.outlierGate_sigma = Other(ce.outlierGate_sigma)
        c.capacityEstimator.rejectionsBeforeAcceptance = ce.rejectionsBeforeAcceptance
        let sm = safety
        c.safety.capacity_Ah = Other(sm.capacity_Ah)
        c.safety.stuckVoltageTime_s = Other(sm.stuckVoltageTime_s)
        c.safety.stuckVoltageCurrent_A = Other(sm.stuckVoltageCurrent_A)
        c.safety.currentFilterTime_s = Other(sm.currentFilterTime_s)
        c.safety.offsetSettleTime_s = Other(sm.offsetSettleTime_s)
        c.safety.offsetWindow_s = Other(sm.offsetWindow_s)
        c.safety.offsetMinimumCurrent_A = Other(sm.offsetMinimumCurrent_A)
        c.safety.offsetSteadyBand_A = Other(sm.offsetSteadyBand_A)
        c.safety.offsetMinimumSOCChange = Other(sm.offsetMinimumSOCChange)
        c.safety.offsetVoltageChange_V = Other(sm.offsetVoltageChange_V)
        c.safety.offsetExplainedFraction = Other(sm.offsetExplainedFraction)
        c.safety.temperatureRate_K_per_s = Other(sm.temperatureRate_K_per_s)
        c.safety.temperatureStepAllowance_K = Other(sm.temperatureStepAllowance_K)
        c.safety.temperatureStepHold_s = Other(sm.temperatureStepHold_s)
        c.safety.restCurrent_A = Other(sm.restCurrent_A)
        c.safety.shortSettleTime_s = Other(sm.shortSettleTime_s)
        c.safety.shortWindow_s = Other(sm.shortWindow_s)
        c.safety.shortSelfDischargeRate_per_h = Other(sm.shortSelfDischargeRate_per_h)
        return c
    }
}
