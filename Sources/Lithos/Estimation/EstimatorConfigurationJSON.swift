/// Estimator configuration as JSON (host side, Double; the firmware gets the parsed
/// configuration `converted(to: Float.self)`). Units are key suffixes. Only "ecm" is required:
///
/// ```json
/// {
///   "ecm": { …ECM parameters, the format of ECMParameters.fromJSON… },
///   "algorithm": "ekf",                      // "coulomb" | "ekf" | "ukf"
///   "initial_soc": 0.5, "initial_soc_std": 0.2, "initial_temperature_K": 298.15,
///   "tuning": {
///     "process_noise_soc_per_s": 1e-8, "process_noise_rc_V2_per_s": 1e-5,
///     "process_noise_hysteresis_per_s": 1e-5, "measurement_noise_V": 0.01,
///     "measurement_noise_fraction_of_r0": 0.5, "innovation_gate_sigma": 6,
///     "divergence_window_samples": 20, "divergence_nis_threshold": 9,
///     "iterations": 4, "iteration_step": 0.01, "soc_range": [-0.05, 1.05],
///     "ukf_alpha": 1, "ukf_beta": 2, "ukf_kappa": 0
///   },
///   "sensor": {"current_noise_A": 0.01, "current_offset_A": 0, "voltage_noise_V": 0.002,
///              "voltage_resolution_V": 0, "current_resolution_A": 0},
///   "rest": {"current_threshold_A": 0.1, "qualification_time_s": 1800, "ocv_uncertainty_V": 0.005},
///   "limits": { …OperatingLimits.from(json:)… },  // default: from the ECM, 3C / 1C
///   "resistance_estimator": {"minimum_current_step_A": 1, "forgetting_factor": 0.995, "initial_scale_std": 0.5,
///                            "minimum_scale": 0.5, "maximum_scale": 5, "model_error_V": 0.001, "outlier_gate_sigma": 5},
///   "capacity_estimator": {"initial_std_Ah": 0.5, "minimum_fraction": 0.5, "maximum_fraction": 1.2,
///                          "minimum_soc_change": 0.2, "forgetting_factor": 0.98, "current_offset_A": 0.005},
///   "safety": {"stuck_voltage_time_s": 10, "stuck_voltage_current_A": 0.5, "rest_current_A": 0.1,
///              "short_self_discharge_per_h": 0.01, "temperature_rate_K_per_s": 1}
/// }
/// The component objects are optional; their defaults come from the ECM's capacity and the
/// "sensor" object (see `EstimatorConfiguration`).
/// ```
extension EstimatorConfiguration where Scalar == Double {
    public static var jsonContext: String { "estimator configuration" }

    public static func fromJSON(_ text: String) throws(LithosError) -> EstimatorConfiguration<Double> {
        try from(json: JSONParser.parse(text))
    }

    public static func from(json: JSONValue) throws(LithosError) -> EstimatorConfiguration<Double> {
        var r = try JSONObjectReader(json, path: "", context: jsonContext)
        let ecmValue = try r.requiredValue("ecm")
        let model: ECMParameters<Double>
        do {
            model = try ECMParameters.from(json: ecmValue)
        } catch {
            throw LithosError(error.kind, "\(jsonContext): ecm: \(error.message)")
        }
        let algorithmName = try r.string("algorithm", default: "ekf")
        let algorithm: EstimatorAlgorithm
        switch algorithmName.lowercased() {
        case "coulomb", "coulomb_counting", "cc": algorithm = .coulombCounting
        case "ekf", "extended_kalman": algorithm = .extendedKalman
        case "ukf", "unscented_kalman", "spkf": algorithm = .unscentedKalman
        default: throw r.fail("algorithm", "must be \"coulomb\", \"ekf\" or \"ukf\" (got \"\(algorithmName)\")")
        }
        var tuning = EstimatorTuning<Double>()
        if var t = try r.optionalObject("tuning") {
            tuning.socProcessNoise_per_s = try t.number("process_noise_soc_per_s", default: tuning.socProcessNoise_per_s, in: 0...1)
            tuning.rcProcessNoise_V2_per_s = try t.number("process_noise_rc_V2_per_s", default: tuning.rcProcessNoise_V2_per_s, in: 0...1)
            tuning.hysteresisProcessNoise_per_s = try t.number("process_noise_hysteresis_per_s", default: tuning.hysteresisProcessNoise_per_s, in: 0...1)
            tuning.measurementNoise_V = try t.number("measurement_noise_V", default: tuning.measurementNoise_V, in: 0...1)
            tuning.measurementNoiseResistanceFraction = try t.number("measurement_noise_fraction_of_r0", default: tuning.measurementNoiseResistanceFraction, in: 0...10)
            tuning.innovationGate_sigma = try t.number("innovation_gate_sigma", default: tuning.innovationGate_sigma, in: 0...1000)
            let window = try t.number("divergence_window_samples", default: Double(tuning.divergenceWindowSamples), in: 0...1e9)
            guard window == window.rounded() else { throw t.fail("divergence_window_samples", "must be a whole number") }
            tuning.divergenceWindowSamples = Int(window)
            tuning.divergenceThreshold = try t.number("divergence_nis_threshold", default: tuning.divergenceThreshold, in: 1.000001...1e6)
            tuning.resistanceFeedback = try t.optionalBool("resistance_feedback") ?? tuning.resistanceFeedback
            tuning.currentOffsetEstimation = try t.optionalBool("current_offset_estimation") ?? tuning.currentOffsetEstimation
            tuning.currentOffsetProcessNoise_A2_per_s = try t.number("current_offset_process_noise_A2_per_s",
                                                                     default: tuning.currentOffsetProcessNoise_A2_per_s, in: 0...1)
            let iterations = try t.number("iterations", default: Double(tuning.maximumIterations), in: 1...20)
            guard iterations == iterations.rounded() else { throw t.fail("iterations", "must be a whole number") }
            tuning.maximumIterations = Int(iterations)
            tuning.iterationStep = try t.number("iteration_step", default: tuning.iterationStep, in: 1e-9...1)
            if let range = t.value("soc_range") {
                guard case let .array(items) = range, items.count == 2, case let .number(lo) = items[0], case let .number(hi) = items[1],
                      lo >= -0.5, hi <= 1.5, lo < hi else {
                    throw t.fail("soc_range", "must be [min, max] with −0.5 ≤ min < max ≤ 1.5")
                }
                tuning.minimumSOC = lo
                tuning.maximumSOC = hi
            }
            tuning.ukfAlpha = try t.number("ukf_alpha", default: tuning.ukfAlpha, in: 1e-4...1)
            tuning.ukfBeta = try t.number("ukf_beta", default: tuning.ukfBeta, in: 0...10)
            tuning.ukfKappa = try t.number("ukf_kappa", default: tuning.ukfKappa, in: 0...10)
            try t.finish()
        }
        var sensor = SensorModel<Double>()
        if var s = try r.optionalObject("sensor") {
            sensor.currentNoise_A = try s.number("current_noise_A", default: sensor.currentNoise_A, in: 0...1e3)
            sensor.currentOffset_A = try s.number("current_offset_A", default: sensor.currentOffset_A, in: 0...1e3)
            sensor.voltageNoise_V = try s.number("voltage_noise_V", default: sensor.voltageNoise_V, in: 0...1)
            sensor.voltageResolution_V = try s.number("voltage_resolution_V", default: sensor.voltageResolution_V, in: 0...1)
            sensor.currentResolution_A = try s.number("current_resolution_A", default: sensor.currentResolution_A, in: 0...1e3)
            try s.finish()
        }
        var rest = RestCorrectionSettings<Double>(capacity_Ah: model.capacity_Ah)
        if var s = try r.optionalObject("rest") {
            rest.currentThreshold_A = try s.positiveNumber("current_threshold_A", default: rest.currentThreshold_A, maximum: 1e6)
            rest.qualificationTime_s = try s.positiveNumber("qualification_time_s", default: rest.qualificationTime_s, maximum: 1e7)
            rest.ocvUncertainty_V = try s.number("ocv_uncertainty_V", default: rest.ocvUncertainty_V, in: 0...1)
            try s.finish()
        }
        var limits: OperatingLimits<Double>? = nil
        if let l = r.value("limits") {
            limits = try OperatingLimits.from(json: l, path: "limits", context: jsonContext)
        }
        var configuration = EstimatorConfiguration(
            model: model, algorithm: algorithm,
            initialSOC: try r.number("initial_soc", default: 0.5, in: tuning.minimumSOC...tuning.maximumSOC),
            initialSOCStandardDeviation: try r.number("initial_soc_std", default: 0.2, in: 1e-6...1),
            initialTemperature_K: try r.number("initial_temperature_K", default: Physics.referenceTemperature_K,
                                               in: Validate.minimumTemperature_K...Validate.maximumTemperature_K),
            tuning: tuning, sensor: sensor, rest: rest, limits: limits)
        if var o = try r.optionalObject("resistance_estimator") {
            var x = configuration.resistanceEstimator
            x.minimumCurrentStep_A = try o.positiveNumber("minimum_current_step_A", default: x.minimumCurrentStep_A, maximum: 1e6)
            x.forgettingFactor = try o.number("forgetting_factor", default: x.forgettingFactor, in: 0.5...1)
            x.initialScaleStandardDeviation = try o.positiveNumber("initial_scale_std", default: x.initialScaleStandardDeviation, maximum: 10)
            x.minimumScale = try o.number("minimum_scale", default: x.minimumScale, in: 0...1)
            x.maximumScale = try o.number("maximum_scale", default: x.maximumScale, in: 1...100)
            x.modelError_V = try o.number("model_error_V", default: x.modelError_V, in: 0...1)
            x.outlierGate_sigma = try o.positiveNumber("outlier_gate_sigma", default: x.outlierGate_sigma, maximum: 1000)
            try o.finish()
            configuration.resistanceEstimator = x
        }
        if var o = try r.optionalObject("capacity_estimator") {
            var x = configuration.capacityEstimator
            x.initialStandardDeviation_Ah = try o.positiveNumber("initial_std_Ah", default: x.initialStandardDeviation_Ah, maximum: 1e6)
            x.minimumFraction = try o.number("minimum_fraction", default: x.minimumFraction, in: 0...1)
            x.maximumFraction = try o.number("maximum_fraction", default: x.maximumFraction, in: 1...10)
            x.minimumSOCChange = try o.number("minimum_soc_change", default: x.minimumSOCChange, in: 0...1)
            x.forgettingFactor = try o.number("forgetting_factor", default: x.forgettingFactor, in: 0.5...1)
            x.currentOffset_A = try o.number("current_offset_A", default: x.currentOffset_A, in: 0...1e3)
            try o.finish()
            configuration.capacityEstimator = x
        }
        if var o = try r.optionalObject("safety") {
            var x = configuration.safety
            x.stuckVoltageTime_s = try o.positiveNumber("stuck_voltage_time_s", default: x.stuckVoltageTime_s, maximum: 1e6)
            x.stuckVoltageCurrent_A = try o.number("stuck_voltage_current_A", default: x.stuckVoltageCurrent_A, in: 0...1e6)
            x.restCurrent_A = try o.positiveNumber("rest_current_A", default: x.restCurrent_A, maximum: 1e6)
            x.shortSelfDischargeRate_per_h = try o.positiveNumber("short_self_discharge_per_h", default: x.shortSelfDischargeRate_per_h, maximum: 1)
            x.temperatureRate_K_per_s = try o.positiveNumber("temperature_rate_K_per_s", default: x.temperatureRate_K_per_s, maximum: 1e3)
            try o.finish()
            configuration.safety = x
        }
        try r.finish()
        try configuration.validate()
        return configuration
    }

    /// The configuration as JSON in the form `from(json:)` reads (every key written).
    public func toJSON() -> JSONValue {
        let t = tuning, s = sensor, r = rest
        return .object([
            ("ecm", model.toJSON()),
            ("algorithm", .string(algorithm.name.description)),
            ("initial_soc", .number(initialSOC)),
            ("initial_soc_std", .number(initialSOCStandardDeviation)),
            ("initial_temperature_K", .number(initialTemperature_K)),
            ("tuning", .object([
                ("process_noise_soc_per_s", .number(t.socProcessNoise_per_s)),
                ("process_noise_rc_V2_per_s", .number(t.rcProcessNoise_V2_per_s)),
                ("process_noise_hysteresis_per_s", .number(t.hysteresisProcessNoise_per_s)),
                ("measurement_noise_V", .number(t.measurementNoise_V)),
                ("measurement_noise_fraction_of_r0", .number(t.measurementNoiseResistanceFraction)),
                ("innovation_gate_sigma", .number(t.innovationGate_sigma)),
                ("divergence_window_samples", .number(Double(t.divergenceWindowSamples))),
                ("divergence_nis_threshold", .number(t.divergenceThreshold)),
                ("resistance_feedback", .bool(t.resistanceFeedback)),
                ("current_offset_estimation", .bool(t.currentOffsetEstimation)),
                ("current_offset_process_noise_A2_per_s", .number(t.currentOffsetProcessNoise_A2_per_s)),
                ("iterations", .number(Double(t.maximumIterations))),
                ("iteration_step", .number(t.iterationStep)),
                ("soc_range", .array([.number(t.minimumSOC), .number(t.maximumSOC)])),
                ("ukf_alpha", .number(t.ukfAlpha)), ("ukf_beta", .number(t.ukfBeta)), ("ukf_kappa", .number(t.ukfKappa)),
            ])),
            ("sensor", .object([
                ("current_noise_A", .number(s.currentNoise_A)), ("current_offset_A", .number(s.currentOffset_A)),
                ("voltage_noise_V", .number(s.voltageNoise_V)), ("voltage_resolution_V", .number(s.voltageResolution_V)),
                ("current_resolution_A", .number(s.currentResolution_A)),
            ])),
            ("rest", .object([
                ("current_threshold_A", .number(r.currentThreshold_A)), ("qualification_time_s", .number(r.qualificationTime_s)),
                ("ocv_uncertainty_V", .number(r.ocvUncertainty_V)),
            ])),
            ("limits", limits.toJSON()),
            ("resistance_estimator", .object([
                ("minimum_current_step_A", .number(resistanceEstimator.minimumCurrentStep_A)),
                ("forgetting_factor", .number(resistanceEstimator.forgettingFactor)),
                ("initial_scale_std", .number(resistanceEstimator.initialScaleStandardDeviation)),
                ("minimum_scale", .number(resistanceEstimator.minimumScale)),
                ("maximum_scale", .number(resistanceEstimator.maximumScale)),
                ("model_error_V", .number(resistanceEstimator.modelError_V)),
                ("outlier_gate_sigma", .number(resistanceEstimator.outlierGate_sigma)),
            ])),
            ("capacity_estimator", .object([
                ("initial_std_Ah", .number(capacityEstimator.initialStandardDeviation_Ah)),
                ("minimum_fraction", .number(capacityEstimator.minimumFraction)),
                ("maximum_fraction", .number(capacityEstimator.maximumFraction)),
                ("minimum_soc_change", .number(capacityEstimator.minimumSOCChange)),
                ("forgetting_factor", .number(capacityEstimator.forgettingFactor)),
                ("current_offset_A", .number(capacityEstimator.currentOffset_A)),
            ])),
            ("safety", .object([
                ("stuck_voltage_time_s", .number(safety.stuckVoltageTime_s)),
                ("stuck_voltage_current_A", .number(safety.stuckVoltageCurrent_A)),
                ("rest_current_A", .number(safety.restCurrent_A)),
                ("short_self_discharge_per_h", .number(safety.shortSelfDischargeRate_per_h)),
                ("temperature_rate_K_per_s", .number(safety.temperatureRate_K_per_s)),
            ])),
        ])
    }
}
