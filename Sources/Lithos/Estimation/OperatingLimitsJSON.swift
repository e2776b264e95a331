/// Operating limits from JSON and from a cell design (host side, Double; outside the
/// firmware-ready core).
///
/// JSON (units as key suffixes; every key but the four voltage/current limits has a default):
/// ```json
/// {"minimum_voltage_V": 3.0, "maximum_voltage_V": 4.25, "voltage_hysteresis_V": 0.02,
///  "maximum_discharge_current_A": 6, "maximum_charge_current_A": 2,
///  "minimum_temperature_K": 253.15, "maximum_temperature_K": 333.15, "temperature_hysteresis_K": 3,
///  "minimum_soc": 0, "maximum_soc": 1, "debounce_s": 1, "power_limit_interval_s": 0,
///  "ccd": {"critical_current_density_25C_A_per_m2": 10, "activation_energy_J_per_mol": 36700,
///          "stack_pressure_Pa": 5e6, "area_m2": 0.01, "margin": 0.8,
///          "reference_pressure_Pa": 5e6, "pressure_sensitivity_per_Pa": 1e-7,
///          "saturation_pressure_Pa": 1e7, "minimum_pressure_factor": 0.2}}
/// ```
extension OperatingLimits where Scalar == Double {
    public static var jsonContext: String { "operating limits" }

    public static func fromJSON(_ text: String) throws(LithosError) -> OperatingLimits<Double> {
        try from(json: JSONParser.parse(text))
    }

    /// Parses and validates a limits object. `path`/`context` place error messages when the
    /// object is part of a larger document (e.g. `"limits"` in an estimator configuration).
    public static func from(json: JSONValue, path: String = "", context: String = jsonContext) throws(LithosError) -> OperatingLimits<Double> {
        var r = try JSONObjectReader(json, path: path, context: context)
        let limits = try read(&r)
        try r.finish()
        return limits
    }

    /// Reads the limits' keys from an object reader (the caller calls `finish()`), validated.
    public static func read(_ r: inout JSONObjectReader) throws(LithosError) -> OperatingLimits<Double> {
        let tmin = Validate.minimumTemperature_K, tmax = Validate.maximumTemperature_K
        var limits = OperatingLimits<Double>(
            minimumVoltage_V: try r.number("minimum_voltage_V", in: 0...10),
            maximumVoltage_V: try r.number("maximum_voltage_V", in: 0...10),
            voltageHysteresis_V: try r.number("voltage_hysteresis_V", default: 0.02, in: 0...1),
            dischargeCurrentLimit_A: try r.positiveNumber("maximum_discharge_current_A", maximum: 1e6),
            chargeCurrentLimit_A: try r.positiveNumber("maximum_charge_current_A", maximum: 1e6),
            minimumTemperature_K: try r.number("minimum_temperature_K", default: 253.15, in: tmin...tmax),
            maximumTemperature_K: try r.number("maximum_temperature_K", default: 333.15, in: tmin...tmax),
            temperatureHysteresis_K: try r.number("temperature_hysteresis_K", default: 3, in: 0...100),
            minimumSOC: try r.number("minimum_soc", default: 0, in: -0.5...1.5),
            maximumSOC: try r.number("maximum_soc", default: 1, in: -0.5...1.5),
            debounce_s: try r.number("debounce_s", default: 1, in: 0...3600))
        limits.powerLimitInterval_s = try r.number("power_limit_interval_s", default: 0, in: 0...3600)
        if var c = try r.optionalObject("ccd") {
            typealias CCD = CriticalCurrentDensityLimit<Double>
            limits.criticalCurrentDensity = CCD(
                criticalCurrentDensity25C_A_per_m2: try c.positiveNumber("critical_current_density_25C_A_per_m2", maximum: 1e6),
                activationEnergy_J_per_mol: try c.number("activation_energy_J_per_mol", in: 0...500_000),
                stackPressure_Pa: try c.number("stack_pressure_Pa", in: 0...1e9),
                area_m2: try c.positiveNumber("area_m2", maximum: 100),
                margin: try c.number("margin", default: CCD.defaultMargin, in: 0...1),
                referencePressure_Pa: try c.number("reference_pressure_Pa", default: CCD.defaultReferencePressure_Pa, in: 0...1e9),
                pressureSensitivity_per_Pa: try c.number("pressure_sensitivity_per_Pa", default: CCD.defaultPressureSensitivity_per_Pa, in: 0...1e-3),
                saturationPressure_Pa: try c.number("saturation_pressure_Pa", default: CCD.defaultSaturationPressure_Pa, in: 0...1e9),
                minimumPressureFactor: try c.number("minimum_pressure_factor", default: CCD.defaultMinimumPressureFactor, in: 0...1))
            try c.finish()
        }
        try limits.validate(context: r.path.isEmpty ? jsonContext : "\(jsonContext) (\(r.path))")
        return limits
    }

    /// The limits as JSON (every key, defaults filled in); `from(json: toJSON())` round-trips.
    public func toJSON() -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("minimum_voltage_V", .number(minimumVoltage_V)), ("maximum_voltage_V", .number(maximumVoltage_V)),
            ("voltage_hysteresis_V", .number(voltageHysteresis_V)),
            ("maximum_discharge_current_A", .number(dischargeCurrentLimit_A)), ("maximum_charge_current_A", .number(chargeCurrentLimit_A)),
            ("minimum_temperature_K", .number(minimumTemperature_K)), ("maximum_temperature_K", .number(maximumTemperature_K)),
            ("temperature_hysteresis_K", .number(temperatureHysteresis_K)),
            ("minimum_soc", .number(minimumSOC)), ("maximum_soc", .number(maximumSOC)), ("debounce_s", .number(debounce_s)),
            ("power_limit_interval_s", .number(powerLimitInterval_s)),
        ]
        if let c = criticalCurrentDensity {
            members.append(("ccd", .object([
                ("critical_current_density_25C_A_per_m2", .number(c.criticalCurrentDensity25C_A_per_m2)),
                ("activation_energy_J_per_mol", .number(c.activationEnergy_J_per_mol)),
                ("stack_pressure_Pa", .number(c.stackPressure_Pa)), ("area_m2", .number(c.area_m2)), ("margin", .number(c.margin)),
                ("reference_pressure_Pa", .number(c.referencePressure_Pa)),
                ("pressure_sensitivity_per_Pa", .number(c.pressureSensitivity_per_Pa)),
                ("saturation_pressure_Pa", .number(c.saturationPressure_Pa)),
                ("minimum_pressure_factor", .number(c.minimumPressureFactor)),
            ])))
        }
        return .object(members)
    }

    /// Limits for a designed cell and its ECM:
    /// - voltage and temperature windows from the ECM's `limits` (derived from the materials by
    ///   `ECMFromCellDesign`), SOC window 0…1;
    /// - current limits `dischargeCRate`·Q and `chargeCRate`·Q with Q the ECM's capacity;
    /// - for a lithium-metal or anode-free design whose separator electrolyte carries
    ///   `critical_current_density_A_per_m2`: a CCD limit with that CCD at 25 °C, the design's
    ///   electrode area and stack pressure. The catalog CCDs are quoted without a pressure; they
    ///   are taken as holding at `referencePressure_Pa` (default 5 MPa, the default reference of
    ///   `CriticalCurrentDensityLimit`), so a design at lower stack pressure gets a lower CCD.
    ///   As activation energy the electrolyte's ionic-conduction activation energy
    ///   (assumption: the plating limit follows the ionic transport that focuses current at the
    ///   interface — see `CriticalCurrentDensityLimit`). No CCD limit otherwise.
    public static func fromCellDesign(_ design: CellDesign, ecm: ECMParameters<Double>,
                                      dischargeCRate: Double = 3, chargeCRate: Double = 1,
                                      margin: Double = CriticalCurrentDensityLimit<Double>.defaultMargin,
                                      referencePressure_Pa: Double? = nil) throws(LithosError) -> OperatingLimits<Double> {
        guard dischargeCRate > 0, chargeCRate > 0, dischargeCRate.isFinite, chargeCRate.isFinite else {
            throw LithosError(.invalidArgument, "operating limits: C-rates must be > 0 and finite")
        }
        let q = ecm.capacity_Ah
        var limits = OperatingLimits<Double>(
            minimumVoltage_V: ecm.limits.minimumVoltage_V, maximumVoltage_V: ecm.limits.maximumVoltage_V,
            dischargeCurrentLimit_A: dischargeCRate * q, chargeCurrentLimit_A: chargeCRate * q,
            minimumTemperature_K: ecm.limits.minimumTemperature_K, maximumTemperature_K: ecm.limits.maximumTemperature_K)
        let platesLithium: Bool
        switch design.anode {
        case .lithiumMetal, .anodeFree: platesLithium = true
        case .composite: platesLithium = false
        }
        let electrolyte = design.separator.material
        if platesLithium, let ccd = electrolyte.value(MaterialKey.criticalCurrentDensity) {
            limits.criticalCurrentDensity = CriticalCurrentDensityLimit(
                criticalCurrentDensity25C_A_per_m2: ccd,
                activationEnergy_J_per_mol: electrolyte.value(MaterialKey.conductivityActivationEnergy) ?? 0,
                stackPressure_Pa: design.stackPressure_Pa, area_m2: design.area_m2, margin: margin,
                referencePressure_Pa: referencePressure_Pa ?? CriticalCurrentDensityLimit<Double>.defaultReferencePressure_Pa)
        }
        try limits.validate(context: "operating limits of \(design.name)")
        return limits
    }
}
