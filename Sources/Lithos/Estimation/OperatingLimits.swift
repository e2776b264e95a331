/// The window a BMS keeps the cell in: what the safety monitor checks each update and what the
/// power limits (SOP) are computed against. Plain numbers, fixed size, generic over the scalar
/// (firmware-ready: no Foundation, no allocation). JSON and the derivation from a cell design
/// live in `OperatingLimitsJSON.swift`.
///
/// Sign convention as everywhere: current positive on discharge; the current limits here are
/// magnitudes (> 0).
public struct OperatingLimits<Scalar: LithosReal>: Sendable, Equatable {
    /// Terminal-voltage window [V].
    public var minimumVoltage_V: Scalar
    public var maximumVoltage_V: Scalar
    /// Release hysteresis of the voltage faults [V]: an under-voltage fault clears only once
    /// V ≥ V_min + this (over-voltage: V ≤ V_max − this), so a cell that relaxes back across the
    /// limit at rest does not chatter.
    public var voltageHysteresis_V: Scalar
    /// Largest discharge / charge current magnitude [A] (> 0).
    public var dischargeCurrentLimit_A: Scalar
    public var chargeCurrentLimit_A: Scalar
    /// Cell-temperature window [K].
    public var minimumTemperature_K: Scalar
    public var maximumTemperature_K: Scalar
    /// Release hysteresis of the temperature faults [K] (over-temperature clears below
    /// T_max − this, under-temperature above T_min + this).
    public var temperatureHysteresis_K: Scalar
    /// SOC window the power limits keep the cell in [1].
    public var minimumSOC: Scalar
    public var maximumSOC: Scalar
    /// A limit violation must persist this long before its fault becomes active, and must be
    /// absent (beyond the hysteresis) this long before it clears [s].
    public var debounce_s: Scalar
    /// Plating limit of a lithium-metal (or anode-free) anode; nil for intercalation anodes.
    public var criticalCurrentDensity: CriticalCurrentDensityLimit<Scalar>?
    /// How often the estimator recomputes the power limits [s]: 0 (default) at every update;
    /// otherwise at the first update at which this much time has passed since the last
    /// computation (and at creation, reset and load), the estimate keeping the last limits in
    /// between — a BMS computes power limits at 1–10 Hz while its SOC filter may run at
    /// 100 Hz–1 kHz. (The safety monitor does not use it.)
    public var powerLimitInterval_s: Scalar = 0

    public init(minimumVoltage_V: Scalar, maximumVoltage_V: Scalar, voltageHysteresis_V: Scalar = 0.02,
                dischargeCurrentLimit_A: Scalar, chargeCurrentLimit_A: Scalar,
                minimumTemperature_K: Scalar = 253.15, maximumTemperature_K: Scalar = 333.15,
                temperatureHysteresis_K: Scalar = 3,
                minimumSOC: Scalar = 0, maximumSOC: Scalar = 1, debounce_s: Scalar = 1,
                criticalCurrentDensity: CriticalCurrentDensityLimit<Scalar>? = nil) {
        self.minimumVoltage_V = minimumVoltage_V
        self.maximumVoltage_V = maximumVoltage_V
        self.voltageHysteresis_V = voltageHysteresis_V
        self.dischargeCurrentLimit_A = dischargeCurrentLimit_A
        self.chargeCurrentLimit_A = chargeCurrentLimit_A
        self.minimumTemperature_K = minimumTemperature_K
        self.maximumTemperature_K = maximumTemperature_K
        self.temperatureHysteresis_K = temperatureHysteresis_K
        self.minimumSOC = minimumSOC
        self.maximumSOC = maximumSOC
        self.debounce_s = debounce_s
        self.criticalCurrentDensity = criticalCurrentDensity
    }

    /// Largest charge-current magnitude [A] at a temperature [K]: the charge current limit, and
    /// for a lithium-metal anode also the CCD-margin current `margin·CCD(T, p)·A`.
    @inlinable
    public func maximumChargeCurrent_A(temperature_K: Scalar) -> Scalar {
        guard let ccd = criticalCurrentDensity else { return chargeCurrentLimit_A }
        return min(chargeCurrentLimit_A, ccd.maximumChargeCurrent_A(temperature_K: temperature_K))
    }

    /// Largest discharge-current magnitude [A] (temperature-independent here; the voltage and
    /// SOC constraints of the power limits carry the temperature dependence).
    @inlinable
    public func maximumDischargeCurrent_A(temperature_K: Scalar) -> Scalar { dischargeCurrentLimit_A }

    /// Checks every number; the message names the field (`context` prefixes it).
    public func validate(context: @autoclosure () -> String = "operating limits") throws(LithosError) {
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(LithosError) {
            if !ok { throw LithosError(.config, "\(context()): \(what())") }
        }
        try check(minimumVoltage_V.isFinite && maximumVoltage_V.isFinite && minimumVoltage_V > 0 && minimumVoltage_V < maximumVoltage_V,
                  "minimum_voltage_V must be > 0 and below maximum_voltage_V (got \(minimumVoltage_V) and \(maximumVoltage_V))")
        try check(voltageHysteresis_V >= 0 && voltageHysteresis_V < maximumVoltage_V - minimumVoltage_V,
                  "voltage_hysteresis_V must be ≥ 0 and smaller than the voltage window")
        try check(dischargeCurrentLimit_A > 0 && dischargeCurrentLimit_A.isFinite, "maximum_discharge_current_A must be > 0 and finite")
        try check(chargeCurrentLimit_A > 0 && chargeCurrentLimit_A.isFinite, "maximum_charge_current_A must be > 0 and finite")
        try check(minimumTemperature_K >= Scalar(Validate.minimumTemperature_K) && maximumTemperature_K <= Scalar(Validate.maximumTemperature_K)
                  && minimumTemperature_K < maximumTemperature_K,
                  "temperature limits must satisfy \(Validate.minimumTemperature_K) K ≤ minimum < maximum ≤ \(Validate.maximumTemperature_K) K")
        try check(temperatureHysteresis_K >= 0 && temperatureHysteresis_K < maximumTemperature_K - minimumTemperature_K,
                  "temperature_hysteresis_K must be ≥ 0 and smaller than the temperature window")
        try check(minimumSOC >= -0.5 && maximumSOC <= 1.5 && minimumSOC < maximumSOC, "SOC window must satisfy −0.5 ≤ minimum_soc < maximum_soc ≤ 1.5")
        try check(debounce_s >= 0 && debounce_s <= 3600, "debounce_s must be within 0…3600 s")
        try check(powerLimitInterval_s >= 0 && powerLimitInterval_s <= 3600, "power_limit_interval_s must be within 0…3600 s")
        if let c = criticalCurrentDensity { try c.validate(context: context() + ": ccd") }
    }

    /// The same limits in another precision.
    public func converted<Other: LithosReal>(to: Other.Type) -> OperatingLimits<Other> {
        var l = OperatingLimits<Other>(
            minimumVoltage_V: Other(minimumVoltage_V), maximumVoltage_V: Other(maximumVoltage_V),
            voltageHysteresis_V: Other(voltageHysteresis_V),
            dischargeCurrentLimit_A: Other(dischargeCurrentLimit_A), chargeCurrentLimit_A: Other(chargeCurrentLimit_A),
            minimumTemperature_K: Other(minimumTemperature_K), maximumTemperature_K: Other(maximumTemperature_K),
            temperatureHysteresis_K: Other(temperatureHysteresis_K),
            minimumSOC: Other(minimumSOC), maximumSOC: Other(maximumSOC), debounce_s: Other(debounce_s),
            criticalCurrentDensity: criticalCurrentDensity?.converted(to: Other.self))
        l.powerLimitInterval_s = Other(powerLimitInterval_s)
        return l
    }
}

/// The critical current density (CCD) of lithium plating through a solid electrolyte: above it,
/// Li deposits as filaments (dendrites) that penetrate the SE and short the cell. A limit no
/// liquid-electrolyte BMS has; it applies on charge (plating at the negative side) of a
/// lithium-metal or anode-free cell.
///
///   CCD(T, p) = CCD₂₅ · exp(−Eₐ/R · (1/T − 1/298.15 K)) · f(p)
///   f(p)      = max(f_min, 1 + β·(min(p, p_sat) − p_ref))
///   I_max,charge = margin · CCD(T, p) · A
///
/// - Temperature: Arrhenius. CCD rises with temperature (LLZO: Sharafi et al., J. Power
///   Sources 302 (2016) 135) and falls exponentially as the Li|SE interface resistance grows
///   (Flatscher et al., J. Mater. Chem. A 8 (2020) 15782), a thermally activated quantity;
///   Eₐ is the apparent activation energy of that rise. Cold charging is where this bites: with
///   Eₐ ≈ 37 kJ/mol the CCD at −10 °C is ≈ 14 % of its 25 °C value.
/// - Stack pressure: linear rise about the reference pressure at which CCD₂₅ was measured, with
///   saturation. Pressure keeps Li in contact with the SE by creep, so fewer voids form on
///   stripping and the following plating is more uniform: the critical current rises with
///   stack pressure (Kasemchainan et al., Nat. Mater. 18 (2019) 1105, Li|Li6PS5Cl, 3–7 MPa).
///   Beyond a few MPa more pressure stops helping and eventually drives Li creep into the SE's
///   pores and shorts (Doux et al., Adv. Energy Mater. 10 (2020) 1903253, who recommend
///   ≈ 5 MPa), so no credit is given beyond p_sat. The defaults (p_ref = 5 MPa, β = 0.1 MPa⁻¹,
///   p_sat = 10 MPa, f_min = 0.2) are engineering defaults of that shape, not a fit: replace
///   them with the cell's own CCD-vs-pressure data.
/// - Margin: the BMS charges at most `margin` (e.g. 0.8) of the CCD.
public struct CriticalCurrentDensityLimit<Scalar: LithosReal>: Sendable, Equatable {
    /// CCD at 25 °C and the reference pressure [A/m²].
    public var criticalCurrentDensity25C_A_per_m2: Scalar
    /// Apparent activation energy of the CCD [J/mol] (0: temperature-independent).
    public var activationEnergy_J_per_mol: Scalar
    /// Applied stack pressure [Pa].
    public var stackPressure_Pa: Scalar
    /// Pressure at which `criticalCurrentDensity25C_A_per_m2` holds [Pa].
    public var referencePressure_Pa: Scalar
    /// Relative CCD change per pascal about the reference pressure [1/Pa] (β).
    public var pressureSensitivity_per_Pa: Scalar
    /// Pressure beyond which more pressure gives no more CCD [Pa].
    public var saturationPressure_Pa: Scalar
    /// Floor of the pressure factor [1].
    public var minimumPressureFactor: Scalar
    /// Electrode (plating) area [m²].
    public var area_m2: Scalar
    /// Fraction of the CCD the BMS allows [1], 0 < margin ≤ 1.
    public var margin: Scalar

    public static var defaultReferencePressure_Pa: Scalar { 5e6 }
    public static var defaultPressureSensitivity_per_Pa: Scalar { 1e-7 }
    public static var defaultSaturationPressure_Pa: Scalar { 10e6 }
    public static var defaultMinimumPressureFactor: Scalar { 0.2 }
    public static var defaultMargin: Scalar { 0.8 }

    public init(criticalCurrentDensity25C_A_per_m2: Scalar, activationEnergy_J_per_mol: Scalar,
                stackPressure_Pa: Scalar, area_m2: Scalar, margin: Scalar = defaultMargin,
                referencePressure_Pa: Scalar = defaultReferencePressure_Pa,
                pressureSensitivity_per_Pa: Scalar = defaultPressureSensitivity_per_Pa,
                saturationPressure_Pa: Scalar = defaultSaturationPressure_Pa,
                minimumPressureFactor: Scalar = defaultMinimumPressureFactor) {
        self.criticalCurrentDensity25C_A_per_m2 = criticalCurrentDensity25C_A_per_m2
        self.activationEnergy_J_per_mol = activationEnergy_J_per_mol
        self.stackPressure_Pa = stackPressure_Pa
        self.area_m2 = area_m2
        self.margin = margin
        self.referencePressure_Pa = referencePressure_Pa
        self.pressureSensitivity_per_Pa = pressureSensitivity_per_Pa
        self.saturationPressure_Pa = saturationPressure_Pa
        self.minimumPressureFactor = minimumPressureFactor
    }

    /// f(p) [1]: the CCD relative to its value at the reference pressure.
    @inlinable
    public var pressureFactor: Scalar {
        let p = min(stackPressure_Pa, saturationPressure_Pa)
        return max(minimumPressureFactor, 1 + pressureSensitivity_per_Pa * (p - referencePressure_Pa))
    }

    /// CCD(T, p) [A/m²] at a temperature [K].
    @inlinable
    public func criticalCurrentDensity_A_per_m2(temperature_K t: Scalar) -> Scalar {
        let reference = Scalar(Physics.referenceTemperature_K)
        let arrhenius = Scalar.exp(-activationEnergy_J_per_mol / Scalar(Physics.gasConstant) * (1 / t - 1 / reference))
        return criticalCurrentDensity25C_A_per_m2 * arrhenius * pressureFactor
    }

    /// margin · CCD(T, p) · A [A]: the largest charge-current magnitude that plates below the
    /// CCD margin.
    @inlinable
    public func maximumChargeCurrent_A(temperature_K: Scalar) -> Scalar {
        margin * criticalCurrentDensity_A_per_m2(temperature_K: temperature_K) * area_m2
    }

    /// Plating current density [A/m²] for a cell current [A] (discharge +): −I/A on charge,
    /// 0 on discharge.
    @inlinable
    public func platingCurrentDensity_A_per_m2(current_A: Scalar) -> Scalar {
        current_A < 0 ? -current_A / area_m2 : 0
    }

    @inline(__always)  // so that the caller's context closure folds away in firmware builds (no message there)
    public func validate(context: @autoclosure () -> String) throws(LithosError) {
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(LithosError) {
            if !ok { throw LithosError(.config, "\(context()): \(what())") }
        }
        try check(criticalCurrentDensity25C_A_per_m2 > 0 && criticalCurrentDensity25C_A_per_m2.isFinite,
                  "critical_current_density_25C_A_per_m2 must be > 0 and finite")
        try check(activationEnergy_J_per_mol >= 0 && activationEnergy_J_per_mol <= 500_000, "activation_energy_J_per_mol must be within 0…500000")
        try check(stackPressure_Pa >= 0 && stackPressure_Pa <= 1e9, "stack_pressure_Pa must be within 0…1e9 Pa")
        try check(referencePressure_Pa >= 0 && referencePressure_Pa <= 1e9, "reference_pressure_Pa must be within 0…1e9 Pa")
        try check(pressureSensitivity_per_Pa >= 0 && pressureSensitivity_per_Pa <= 1e-3, "pressure_sensitivity_per_Pa must be within 0…1e-3")
        try check(saturationPressure_Pa >= 0 && saturationPressure_Pa <= 1e9, "saturation_pressure_Pa must be within 0…1e9 Pa")
        try check(minimumPressureFactor > 0 && minimumPressureFactor <= 1, "minimum_pressure_factor must be within (0, 1]")
        try check(area_m2 > 0 && area_m2 <= 100, "area_m2 must be within (0, 100] m²")
        try check(margin > 0 && margin <= 1, "margin must be within (0, 1]")
    }

    public func converted<Other: LithosReal>(to: Other.Type) -> CriticalCurrentDensityLimit<Other> {
        CriticalCurrentDensityLimit<Other>(
            criticalCurrentDensity25C_A_per_m2: Other(criticalCurrentDensity25C_A_per_m2),
            activationEnergy_J_per_mol: Other(activationEnergy_J_per_mol), stackPressure_Pa: Other(stackPressure_Pa),
            area_m2: Other(area_m2), margin: Other(margin), referencePressure_Pa: Other(referencePressure_Pa),
            pressureSensitivity_per_Pa: Other(pressureSensitivity_per_Pa), saturationPressure_Pa: Other(saturationPressure_Pa),
            minimumPressureFactor: Other(minimumPressureFactor))
    }
}
