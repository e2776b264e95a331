import Testing
@testable import Lithos

/// The default design's derived ECM (NMC811 | Li6PS5Cl | Li, 0.30 A·h, two RC pairs, tables over
/// SOC × temperature), optionally without its thermal model.
func defaultCellECM(thermal: Bool = true) throws -> ECMParameters<Double> {
    var p = try ECMFromCellDesign.parameters(BuiltInCells.defaultDesign())
    p.thermal.enabled = thermal
    return p
}

/// The same ECM in single precision.
func singlePrecisionECM(_ m: ECMParameters<Double>) throws -> ECMParameters<Float> {
    try ECMParameters<Float>(
        capacity_Ah: Float(m.capacity_Ah), chargeEfficiency: Float(m.chargeEfficiency),
        openCircuitVoltage: m.openCircuitVoltage.converted(to: Float.self),
        entropicCoefficient: m.entropicCoefficient.converted(to: Float.self),
        seriesResistance: m.seriesResistance.converted(to: Float.self),
        rcResistances: m.rcResistances.map { $0.converted(to: Float.self) },
        rcTimeConstants: m.rcTimeConstants.map { $0.converted(to: Float.self) },
        hysteresisMagnitude: m.hysteresisMagnitude.converted(to: Float.self),
        instantaneousHysteresis_V: Float(m.instantaneousHysteresis_V), hysteresisRate: Float(m.hysteresisRate),
        thermal: LumpedThermalModel<Float>(enabled: m.thermal.enabled, heatCapacity_J_per_K: Float(m.thermal.heatCapacity_J_per_K),
                                           heatTransfer_W_per_K: Float(m.thermal.heatTransfer_W_per_K)),
        limits: m.limits)
}

/// Generous current limits so that the voltage is what limits (for the voltage checks).
func voltageLimitedLimits(_ p: ECMParameters<Double>) -> OperatingLimits<Double> {
    OperatingLimits(minimumVoltage_V: p.limits.minimumVoltage_V, maximumVoltage_V: p.limits.maximumVoltage_V,
                    dischargeCurrentLimit_A: 50 * p.capacity_Ah, chargeCurrentLimit_A: 50 * p.capacity_Ah,
                    minimumTemperature_K: 243.15, maximumTemperature_K: 333.15)
}

/// A truth model brought to a non-trivial state (RC voltages and hysteresis set by a history).
func truthWithHistory(_ p: ECMParameters<Double>, soc: Double, temperature_K: Double,
                   history: [(current: Double, seconds: Double)]) throws -> EquivalentCircuitModel {
    var truth = try EquivalentCircuitModel(parameters: p, initialSOC: soc, initialTemperature_K: temperature_K)
    for (i, seconds) in history {
        for _ in 0..<Int(seconds * 10) { _ = try truth.step(.current(i, dt_s: 0.1, ambient_K: temperature_K)) }
    }
    return truth
}

/// Holds a constant current on a copy of the truth for `seconds` in steps of `dt`; returns the
/// lowest and highest voltage seen and the final one.
func holdConstantCurrent(_ truth: EquivalentCircuitModel, current: Double, seconds: Double, dt: Double,
          ambient_K: Double) throws -> (final: Double, low: Double, high: Double) {
    var m = truth
    var low = Double.infinity, high = -Double.infinity, last = 0.0
    for _ in 0..<Int((seconds / dt).rounded()) {
        let o = try m.step(.current(current, dt_s: dt, ambient_K: ambient_K))
        low = min(low, o.voltage_V); high = max(high, o.voltage_V); last = o.voltage_V
    }
    return (last, low, high)
}

/// Temperature rise [K] of the truth after 30 s at a current.
func truthTemperatureRise(_ truth: EquivalentCircuitModel, current: Double) -> Double {
    var m = truth
    for _ in 0..<300 { _ = try? m.step(.current(current, dt_s: 0.1, ambient_K: truth.temperature_K)) }
    return m.temperature_K - truth.temperature_K
}

@Suite struct PowerLimitTests {
    /// The computed limit current, applied to a true ECM with the same parameters for the
    /// horizon, ends at the voltage limit within 1 mV — discharge at V_min, charge at V_max — for
    /// every horizon, from a state with RC voltages and hysteresis set by a history.
    @Test(arguments: [(0.2, 298.15), (0.5, 298.15), (0.8, 298.15), (0.5, 273.15), (0.35, 318.15)])
    func limitCurrentEndsAtTheVoltageLimit(soc: Double, temperature: Double) throws {
        let p = try defaultCellECM(thermal: false)
        let limits = voltageLimitedLimits(p)
        let truth = try truthWithHistory(p, soc: soc, temperature_K: temperature,
                                      history: [(0.3, 60), (-0.15, 20), (0.1, 30)])
        var sop = PowerLimits<Double>()
        sop.update(parameters: p, state: truth.state, temperature_K: truth.temperature_K, limits: limits)
        let horizons = [2.0, 10, 30]
        let discharge = [sop.discharge.0, sop.discharge.1, sop.discharge.2]
        let charge = [sop.charge.0, sop.charge.1, sop.charge.2]
        for k in 0..<3 {
            let d = discharge[k], c = charge[k]
            #expect(d.constraint == .voltage && c.constraint == .voltage, "z=\(soc) T=\(temperature) h=\(horizons[k]): \(d.constraint) \(c.constraint)")
            // Fine steps: the truth re-evaluates its tables every 0.1 s.
            let dv = try holdConstantCurrent(truth, current: d.current_A, seconds: horizons[k], dt: 0.1, ambient_K: temperature)
            let cv = try holdConstantCurrent(truth, current: -c.current_A, seconds: horizons[k], dt: 0.1, ambient_K: temperature)
            #expect(abs(dv.final - limits.minimumVoltage_V) < 1e-3, "discharge h=\(horizons[k]): I=\(d.current_A) V_end=\(dv.final)")
            #expect(abs(cv.final - limits.maximumVoltage_V) < 1e-3, "charge h=\(horizons[k]): I=\(c.current_A) V_end=\(cv.final)")
            // Never beyond the limit during the horizon either (1 mV tolerance).
            #expect(dv.low > limits.minimumVoltage_V - 1e-3)
            #expect(cv.high < limits.maximumVoltage_V + 1e-3)
            #expect(abs(dv.final - d.endVoltage_V) < 1e-3 && abs(cv.final - c.endVoltage_V) < 1e-3)
            // Power is I·V at the end of the horizon (= I·V_min when the voltage limits).
            #expect(abs(d.power_W - d.current_A * limits.minimumVoltage_V) < 1e-4 * d.power_W)
            #expect(abs(c.power_W - c.current_A * limits.maximumVoltage_V) < 1e-4 * c.power_W)
        }
        // Longer horizons allow less (RC voltages build up, OCV moves).
        #expect(sop.discharge.0.current_A > sop.discharge.1.current_A && sop.discharge.1.current_A > sop.discharge.2.current_A)
        #expect(sop.charge.0.current_A > sop.charge.1.current_A && sop.charge.1.current_A > sop.charge.2.current_A)
    }

    /// With the thermal model on, the truth heats during the pulse, its resistance falls, and it
    /// ends slightly above V_min: the prediction at the present temperature is conservative.
    @Test func predictionWithoutHeatingIsConservative() throws {
        let p = try defaultCellECM(thermal: true)
        let limits = voltageLimitedLimits(p)
        let truth = try truthWithHistory(p, soc: 0.5, temperature_K: 298.15, history: [])
        let d = PowerLimits<Double>.limit(discharging: true, horizon_s: 30, parameters: p, state: truth.state,
                                          temperature_K: 298.15, limits: limits)
        let v = try holdConstantCurrent(truth, current: d.current_A, seconds: 30, dt: 0.1, ambient_K: 298.15)
        #expect(v.final >= limits.minimumVoltage_V)
        #expect(v.final - limits.minimumVoltage_V < 0.15, "heating effect \(v.final - limits.minimumVoltage_V) V")
        #expect(truthTemperatureRise(truth, current: d.current_A) > 3)
    }

    /// The charge limit at the top of charge: max voltage respected, and the end of charge (SOC
    /// window) takes over as the cell approaches full.
    @Test func chargeLimitRespectsMaximumVoltageAndSOC() throws {
        let p = try defaultCellECM(thermal: false)
        var limits = voltageLimitedLimits(p)
        limits.maximumSOC = 0.9
        for soc in [0.6, 0.85, 0.899, 0.9, 0.95] {
            let truth = try truthWithHistory(p, soc: soc, temperature_K: 298.15, history: [])
            let c = PowerLimits<Double>.limit(discharging: false, horizon_s: 10, parameters: p, state: truth.state,
                                              temperature_K: 298.15, limits: limits)
            if c.current_A > 0 {
                let v = try holdConstantCurrent(truth, current: -c.current_A, seconds: 10, dt: 0.1, ambient_K: 298.15)
                #expect(v.high <= limits.maximumVoltage_V + 1e-3)
                var m = truth
                for _ in 0..<100 { _ = try m.step(.current(-c.current_A, dt_s: 0.1, ambient_K: 298.15)) }
                #expect(m.output.soc <= limits.maximumSOC + 1e-9)
            }
            if soc >= 0.9 { #expect(c.current_A == 0 && c.constraint == .soc) }
            if soc == 0.899 { #expect(c.constraint == .soc && abs(c.current_A - 0.001 * 3600 * p.capacity_Ah / 10) < 1e-9) }
        }
    }

    /// SOP shrinks at low SOC (discharge) and high SOC (charge), and at low temperature.
    @Test func limitsShrinkAtLowSOCAndLowTemperature() throws {
        let p = try defaultCellECM(thermal: false)
        let limits = voltageLimitedLimits(p)
        func sop(_ z: Double, _ t: Double) -> PowerLimits<Double> {
            var s = PowerLimits<Double>()
            s.update(parameters: p, state: ECMState(soc: z), temperature_K: t, limits: limits)
            return s
        }
        let warmHigh = sop(0.8, 298.15), warmLow = sop(0.15, 298.15), cold = sop(0.8, 263.15)
        #expect(warmLow.discharge.1.current_A < 0.7 * warmHigh.discharge.1.current_A)
        #expect(warmLow.discharge.1.power_W < 0.7 * warmHigh.discharge.1.power_W)
        #expect(warmHigh.charge.1.current_A < warmLow.charge.1.current_A)
        #expect(cold.discharge.1.current_A < 0.5 * warmHigh.discharge.1.current_A)
        #expect(cold.discharge.1.power_W < 0.5 * warmHigh.discharge.1.power_W)
        #expect(cold.charge.1.current_A < 0.5 * warmHigh.charge.1.current_A)
        // Outside the temperature window nothing may flow.
        let frozen = sop(0.8, 240)
        #expect(frozen.discharge.1.current_A == 0 && frozen.charge.1.current_A == 0 && frozen.charge.1.constraint == .temperature)
    }

    /// Lithium-metal anode: at −10 °C the charge limit is the CCD-margin current (CCD falls
    /// with temperature faster than the voltage limit does); at 45 °C near full charge it is
    /// the voltage.
    @Test func ccdLimitsChargeWhenCold() throws {
        let design = try BuiltInCells.defaultDesign()
        let p = try defaultCellECM(thermal: false)
        let limits = try OperatingLimits.fromCellDesign(design, ecm: p)
        let ccd = try #require(limits.criticalCurrentDensity)
        #expect(ccd.criticalCurrentDensity25C_A_per_m2 == 10 && ccd.area_m2 == 0.01 && ccd.stackPressure_Pa == 5e6)
        let state = ECMState<Double>(soc: 0.97)
        let cold = PowerLimits<Double>.limit(discharging: false, horizon_s: 10, parameters: p, state: state, temperature_K: 263.15, limits: limits)
        let warm = PowerLimits<Double>.limit(discharging: false, horizon_s: 10, parameters: p, state: state, temperature_K: 318.15, limits: limits)
        #expect(cold.constraint == .criticalCurrentDensity)
        #expect(abs(cold.current_A - ccd.maximumChargeCurrent_A(temperature_K: 263.15)) < 1e-12)
        #expect(warm.constraint == .voltage, "45 °C: \(warm.constraint), I = \(warm.current_A) A, CCD current \(ccd.maximumChargeCurrent_A(temperature_K: 318.15)) A")
        #expect(warm.current_A < ccd.maximumChargeCurrent_A(temperature_K: 318.15))
        // The CCD never limits discharge (no plating on the Li side).
        let discharge = PowerLimits<Double>.limit(discharging: true, horizon_s: 10, parameters: p, state: state, temperature_K: 263.15, limits: limits)
        #expect(discharge.constraint != .criticalCurrentDensity && discharge.current_A > 10 * cold.current_A)
    }

    /// The aged-resistance scale and the estimated capacity feed the prediction.
    @Test func resistanceScaleAndCapacityShrinkTheLimits() throws {
        let p = try defaultCellECM(thermal: false)
        let limits = voltageLimitedLimits(p)
        let s = ECMState<Double>(soc: 0.5)
        let new = PowerLimits<Double>.limit(discharging: true, horizon_s: 10, parameters: p, state: s, temperature_K: 298.15, limits: limits)
        let aged = PowerLimits<Double>.limit(discharging: true, horizon_s: 10, parameters: p, state: s, temperature_K: 298.15, limits: limits,
                                             seriesResistanceScale: 1.5)
        #expect(aged.current_A < 0.8 * new.current_A)
        var tight = limits
        tight.minimumSOC = 0.49
        let lowCapacity = PowerLimits<Double>.limit(discharging: true, horizon_s: 30, parameters: p, state: s, temperature_K: 298.15,
                                                    limits: tight, capacity_Ah: p.capacity_Ah / 2)
        let nominal = PowerLimits<Double>.limit(discharging: true, horizon_s: 30, parameters: p, state: s, temperature_K: 298.15, limits: tight)
        #expect(lowCapacity.constraint == .soc && nominal.constraint == .soc)
        #expect(abs(lowCapacity.current_A - nominal.current_A / 2) < 1e-9)
    }

    /// Adiabatic heating over the horizon limits a cell with a small heat capacity near its
    /// maximum temperature.
    @Test func heatingLimitsNearTheMaximumTemperature() throws {
        let p = try defaultCellECM(thermal: true)
        let limits = voltageLimitedLimits(p)
        let d = PowerLimits<Double>.limit(discharging: true, horizon_s: 30, parameters: p, state: ECMState(soc: 0.8),
                                          temperature_K: 333.0, limits: limits)
        #expect(d.constraint == .temperature)
        let e = p.evaluate(soc: 0.8, temperature_K: 333.0)
        let heat = 30 * (d.current_A * d.current_A * (e.seriesResistance + e.rcResistance1 + e.rcResistance2)
                         + d.current_A * 333.0 * abs(e.entropicCoefficient)) / p.thermal.heatCapacity_J_per_K
        #expect(abs(heat - (333.15 - 333.0)) < 1e-9)
    }

    /// Single precision gives the same limits (firmware).
    @Test func floatMatchesDouble() throws {
        let p = try defaultCellECM(thermal: false)
        let pf = try singlePrecisionECM(p)
        let limits = voltageLimitedLimits(p)
        var sd = PowerLimits<Double>(), sf = PowerLimits<Float>()
        var state = ECMState<Double>(soc: 0.6); state.rcVoltage1 = 0.01; state.rcVoltage2 = 0.02
        var statef = ECMState<Float>(soc: 0.6); statef.rcVoltage1 = 0.01; statef.rcVoltage2 = 0.02
        sd.update(parameters: p, state: state, temperature_K: 290, limits: limits)
        sf.update(parameters: pf, state: statef, temperature_K: 290, limits: limits.converted(to: Float.self))
        #expect(abs(Double(sf.discharge.1.current_A) - sd.discharge.1.current_A) < 1e-4 * sd.discharge.1.current_A)
        #expect(abs(Double(sf.charge.2.power_W) - sd.charge.2.power_W) < 1e-4 * sd.charge.2.power_W)
        var estimate = StateEstimate<Double>()
        sd.write(into: &estimate)
        #expect(estimate.dischargeCurrentLimit_A.1 == sd.discharge.1.current_A && estimate.chargePowerLimit_W.2 == sd.charge.2.power_W)
    }

    /// Degenerate inputs give zero limits, never NaN.
    @Test func degenerateInputsGiveZero() throws {
        let p = try defaultCellECM(thermal: false)
        let limits = voltageLimitedLimits(p)
        for (z, t, h) in [(Double.nan, 298.15, 10.0), (0.5, Double.nan, 10), (0.5, 298.15, 0), (0.5, 298.15, -1), (-0.2, 298.15, 10)] {
            let d = PowerLimits<Double>.limit(discharging: true, horizon_s: h, parameters: p, state: ECMState(soc: z), temperature_K: t, limits: limits)
            #expect(d.current_A == 0 && d.power_W == 0)
        }
    }
}

@Suite struct OperatingLimitsTests {
    @Test func jsonRoundTripsAndValidates() throws {
        let text = #"""
        {"minimum_voltage_V": 3.0, "maximum_voltage_V": 4.25, "maximum_discharge_current_A": 6, "maximum_charge_current_A": 2,
         "temperature_hysteresis_K": 4, "debounce_s": 2,
         "ccd": {"critical_current_density_25C_A_per_m2": 10, "activation_energy_J_per_mol": 36700, "stack_pressure_Pa": 2e6, "area_m2": 0.01}}
        """#
        let limits = try OperatingLimits.fromJSON(text)
        #expect(limits.chargeCurrentLimit_A == 2 && limits.debounce_s == 2 && limits.voltageHysteresis_V == 0.02)
        let ccd = try #require(limits.criticalCurrentDensity)
        #expect(ccd.margin == 0.8 && abs(ccd.pressureFactor - 0.7) < 1e-12)
        #expect(try OperatingLimits.from(json: limits.toJSON()) == limits)
        // Charge current at 25 °C: min(2 A, 0.8·10·0.7·0.01 = 0.056 A).
        #expect(abs(limits.maximumChargeCurrent_A(temperature_K: 298.15) - 0.056) < 1e-12)

        for (bad, fragment) in [
            (#"{"minimum_voltage_V": 3, "maximum_voltage_V": 4.2, "maximum_discharge_current_A": 6}"#, "maximum_charge_current_A"),
            (#"{"minimum_voltage_V": 4.3, "maximum_voltage_V": 4.2, "maximum_discharge_current_A": 6, "maximum_charge_current_A": 2}"#, "minimum_voltage_V"),
            (#"{"minimum_voltage_V": 3, "maximum_voltage_V": 4.2, "maximum_discharge_current_A": 6, "maximum_charge_current_A": 2, "debounce": 1}"#, "debounce"),
            (#"{"minimum_voltage_V": 3, "maximum_voltage_V": 4.2, "maximum_discharge_current_A": 6, "maximum_charge_current_A": 2, "ccd": {"critical_current_density_25C_A_per_m2": 10, "activation_energy_J_per_mol": 0, "stack_pressure_Pa": 1e6, "area_m2": 0.01, "margin": 1.5}}"#, "margin"),
        ] {
            do {
                _ = try OperatingLimits.fromJSON(bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    /// CCD law: Arrhenius in temperature, linear in pressure up to saturation, floored.
    @Test func criticalCurrentDensityLaw() {
        var c = CriticalCurrentDensityLimit<Double>(criticalCurrentDensity25C_A_per_m2: 10, activationEnergy_J_per_mol: 36_664,
                                                    stackPressure_Pa: 5e6, area_m2: 0.01)
        #expect(abs(c.criticalCurrentDensity_A_per_m2(temperature_K: 298.15) - 10) < 1e-12)
        let ratio = c.criticalCurrentDensity_A_per_m2(temperature_K: 263.15) / 10
        #expect(abs(ratio - Physics.exp(-36_664 / Physics.gasConstant * (1 / 263.15 - 1 / 298.15))) < 1e-12)
        #expect(ratio > 0.13 && ratio < 0.15)
        c.stackPressure_Pa = 8e6; #expect(abs(c.pressureFactor - 1.3) < 1e-12)
        c.stackPressure_Pa = 50e6; #expect(abs(c.pressureFactor - 1.5) < 1e-12)     // saturation at 10 MPa
        c.stackPressure_Pa = 0; #expect(abs(c.pressureFactor - 0.5) < 1e-12)
        c.pressureSensitivity_per_Pa = 3e-7; #expect(c.pressureFactor == 0.2)        // floor
        #expect(c.platingCurrentDensity_A_per_m2(current_A: -0.05) == 5 && c.platingCurrentDensity_A_per_m2(current_A: 1) == 0)
    }

    /// Intercalation anodes get no CCD limit; lithium-metal ones do, with the design's area and
    /// pressure (a lower stack pressure gives a lower CCD).
    @Test func fromCellDesign() throws {
        let design = try BuiltInCells.defaultDesign()
        let p = try ECMFromCellDesign.parameters(design)
        let limits = try OperatingLimits.fromCellDesign(design, ecm: p)
        #expect(limits.minimumVoltage_V == p.limits.minimumVoltage_V && limits.maximumVoltage_V == p.limits.maximumVoltage_V)
        #expect(abs(limits.dischargeCurrentLimit_A - 3 * p.capacity_Ah) < 1e-12)
        #expect(limits.criticalCurrentDensity?.activationEnergy_J_per_mol == 0.38 * Physics.electronvolt_J_per_mol)

        let lowPressure = try CellDesign.fromJSON(BuiltInCells.defaultDesignJSON.replacingOccurrences5MPa(with: "2"))
        let low = try OperatingLimits.fromCellDesign(lowPressure, ecm: p)
        #expect(try #require(low.criticalCurrentDensity).pressureFactor < 1)

        let graphite = try CellDesign.fromJSON(#"""
        {"area_cm2": 10, "anode": {"type": "composite", "active_material": "Graphite", "thickness_um": 80,
                                   "volume_fractions": {"active": 0.6, "electrolyte": 0.35, "carbon": 0.02, "binder": 0, "porosity": 0.03}},
         "separator": {"material": "Li6PS5Cl", "thickness_um": 30},
         "cathode": {"active_material": "NMC811", "thickness_um": 60,
                     "volume_fractions": {"active": 0.6, "electrolyte": 0.33, "carbon": 0.02, "binder": 0, "porosity": 0.05}}}
        """#)
        let g = try OperatingLimits.fromCellDesign(graphite, ecm: p)
        #expect(g.criticalCurrentDensity == nil)
    }
}

extension String {
    /// The default design with another stack pressure [MPa] (test helper; no Foundation).
    func replacingOccurrences5MPa(with value: String) -> String {
        var out = ""
        var rest = Substring(self)
        let key = "\"stack_pressure_MPa\": 5"
        while let r = rest.firstRange(of: key) {
            out += rest[..<r.lowerBound] + "\"stack_pressure_MPa\": " + value
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
