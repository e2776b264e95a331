import Testing
@testable import Lithos

/// Standard normal deviates from SplitMix64 (Box–Muller), deterministic.
struct NormalDeviates {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    mutating func next() -> Double {
        let u1 = max(rng.uniform(), 1e-300), u2 = rng.uniform()
        return Physics.sqrt(-2 * Physics.log(u1)) * testCosine(2 * Double.pi * u2)
    }
}

/// cos without Foundation (Taylor series after range reduction; test helper).
func testCosine(_ x: Double) -> Double {
    var r = x.truncatingRemainder(dividingBy: 2 * Double.pi)
    if r > Double.pi { r -= 2 * Double.pi }
    if r < -Double.pi { r += 2 * Double.pi }
    var term = 1.0, sum = 1.0
    for k in 1..<30 {
        term *= -r * r / Double((2 * k - 1) * (2 * k))
        sum += term
    }
    return sum
}

/// The SOC whose OCV at temperature T equals v (bisection; the OCV rises with SOC): what the
/// caller of the safety monitor passes as `restSOC`.
func ocvImpliedSOC(_ p: ECMParameters<Double>, voltage v: Double, temperature_K t: Double) -> Double {
    var lo = -0.1, hi = 1.05
    for _ in 0..<60 {
        let mid = (lo + hi) / 2
        if p.ocv(soc: mid, temperature_K: t) < v { lo = mid } else { hi = mid }
    }
    return (lo + hi) / 2
}

/// A simulated cell with sensors: true ECM (optionally with a parallel leakage resistance), the
/// measured current with noise and offset, the voltage with noise and 1 mV quantisation, the
/// temperature with 0.1 K quantisation.
struct SensedTestCell {
    var truth: EquivalentCircuitModel
    var noise: NormalDeviates
    var currentNoise_A = 0.01
    var voltageNoise_V = 0.002
    var currentOffset_A = 0.0
    var leakage_ohm = Double.infinity
    var ambient_K = 298.15

    init(parameters: ECMParameters<Double>, soc: Double, temperature_K: Double = 298.15, seed: UInt64 = 7) throws {
        truth = try EquivalentCircuitModel(parameters: parameters, initialSOC: soc, initialTemperature_K: temperature_K)
        noise = NormalDeviates(seed: seed)
        ambient_K = temperature_K
    }

    /// Steps the truth with external current `i` [A] for dt and returns what the BMS measures.
    mutating func step(_ i: Double, dt: Double = 1) throws -> Measurement<Double> {
        let leak = leakage_ohm.isFinite ? truth.output.voltage_V / leakage_ohm : 0
        let o = try truth.step(.current(i + leak, dt_s: dt, ambient_K: ambient_K))
        let v = ((o.voltage_V + voltageNoise_V * noise.next()) * 1000).rounded() / 1000
        let measuredI = i + currentOffset_A + currentNoise_A * noise.next()
        let t = (o.temperature_K * 10).rounded() / 10
        return Measurement(current_A: measuredI, voltage_V: v, temperature_K: t, dt_s: dt)
    }
}

/// A healthy default cell: its ECM, limits with a dense-separator CCD (90 A/m², Li6PS5Cl at
/// 99 % density) so that a drive cycle's regeneration is legitimately below the margin.
func denseSeparatorLimits(_ p: ECMParameters<Double>) -> OperatingLimits<Double> {
    OperatingLimits(minimumVoltage_V: p.limits.minimumVoltage_V, maximumVoltage_V: p.limits.maximumVoltage_V,
                    dischargeCurrentLimit_A: 4 * p.capacity_Ah, chargeCurrentLimit_A: 2 * p.capacity_Ah,
                    minimumTemperature_K: 253.15, maximumTemperature_K: 333.15,
                    criticalCurrentDensity: CriticalCurrentDensityLimit(criticalCurrentDensity25C_A_per_m2: 90, activationEnergy_J_per_mol: 36_664,
                                                                        stackPressure_Pa: 5e6, area_m2: 0.01))
}

@Suite struct SafetyMonitorTests {
    let limits = OperatingLimits<Double>(minimumVoltage_V: 3.0, maximumVoltage_V: 4.2, voltageHysteresis_V: 0.05,
                                         dischargeCurrentLimit_A: 10, chargeCurrentLimit_A: 5,
                                         minimumTemperature_K: 263.15, maximumTemperature_K: 318.15,
                                         temperatureHysteresis_K: 5, debounce_s: 2)

    func measurement(i: Double = 1, v: Double = 3.7, t: Double = 298.15, dt: Double = 0.1) -> Measurement<Double> {
        Measurement(current_A: i, voltage_V: v, temperature_K: t, dt_s: dt)
    }

    /// Runs `n` samples, returns the index of the first sample at which `flag` was active (nil if never).
    func firstActive(_ monitor: inout SafetyMonitor<Double>, _ flag: FaultFlags, samples n: Int,
                     _ m: (Int) -> Measurement<Double>) -> Int? {
        var first: Int? = nil
        for k in 0..<n {
            let r = monitor.update(m(k), restSOC: nil, limits: limits)
            if first == nil && r.active.contains(flag) { first = k }
        }
        return first
    }

    /// Each limit fault becomes active only once its condition has held for the debounce
    /// time (2 s = 20 samples of 0.1 s), a shorter violation never fires, the fault clears only
    /// beyond the hysteresis held for the debounce time, and stays latched until cleared.
    @Test func limitFaultsDebounceHysteresisAndLatch() {
        // (flag, violating measurement, inside the hysteresis band (none for current), clearly back)
        let cases: [(FaultFlags, Measurement<Double>, Measurement<Double>?, Measurement<Double>)] = [
            (.overVoltage, measurement(v: 4.25), measurement(v: 4.18), measurement(v: 4.1)),
            (.underVoltage, measurement(v: 2.9), measurement(v: 3.02), measurement(v: 3.2)),
            (.overCurrent, measurement(i: 10.5), nil, measurement(i: 9.9)),
            (.overCurrent, measurement(i: -5.5), nil, measurement(i: -4.9)),
            (.overTemperature, measurement(t: 320), measurement(t: 315), measurement(t: 313)),
            (.underTemperature, measurement(t: 260), measurement(t: 266), measurement(t: 268.15)),
        ]
        for (flag, bad, band, good) in cases {
            var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: 2))
            // A 1.9 s violation never fires.
            #expect(firstActive(&monitor, flag, samples: 19) { _ in bad } == nil, "\(flag)")
            _ = firstActive(&monitor, flag, samples: 5) { _ in good }
            // A sustained one fires at the 20th sample (2.0 s), not before.
            #expect(firstActive(&monitor, flag, samples: 30) { _ in bad } == 19, "\(flag)")
            // Inside the hysteresis band it stays active, however long.
            var r = monitor.update(bad, restSOC: nil, limits: limits)
            if let band {
                for _ in 0..<100 { r = monitor.update(band, restSOC: nil, limits: limits) }
                #expect(r.active.contains(flag), "\(flag) cleared inside the hysteresis band")
            }
            // Clearly back: clears after the debounce time.
            for k in 0..<25 {
                r = monitor.update(good, restSOC: nil, limits: limits)
                #expect(r.active.contains(flag) == (k < 19), "\(flag) at \(k)")
            }
            #expect(r.latched.contains(flag))
            monitor.clearLatched()
            #expect(!monitor.latched.contains(flag))
        }
    }

    /// A NaN reading holds the debounce timers (neither advances nor resets them); a
    /// non-positive dt is ignored.
    @Test func invalidReadingsHoldTheTimers() {
        var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: 2))
        for _ in 0..<15 { monitor.update(measurement(v: 4.3), restSOC: nil, limits: limits) }
        for _ in 0..<50 { monitor.update(measurement(v: .nan), restSOC: nil, limits: limits) }
        for _ in 0..<10 { monitor.update(measurement(v: 4.3, dt: 0), restSOC: nil, limits: limits) }
        #expect(!monitor.active.contains(.overVoltage))
        for _ in 0..<5 { monitor.update(measurement(v: 4.3), restSOC: nil, limits: limits) }
        #expect(monitor.active.contains(.overVoltage))
    }

    /// A voltage reading frozen while current flows fires after 10 s; a voltage held at rest
    /// does not.
    @Test func stuckVoltageSensor() throws {
        let p = try defaultCellECM()
        var cell = try SensedTestCell(parameters: p, soc: 0.7)
        var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: p.capacity_Ah))
        let cycle = BuiltInDriveCycles.us06
        var frozen = Double.nan
        var firedAt: Int? = nil
        for k in 0..<300 {
            var m = try cell.step(cycle.values[k] * p.capacity_Ah / 2)
            if k >= 100 { if frozen.isNaN { frozen = m.voltage_V }; m.voltage_V = frozen }
            let r = monitor.update(m, restSOC: nil, limits: denseSeparatorLimits(p))
            if r.active.contains(.voltageSensorStuck) && firedAt == nil { firedAt = k }
            if k < 100 { #expect(!r.active.contains(.voltageSensorStuck)) }
        }
        let t = try #require(firedAt)
        #expect(t >= 109 && t < 140, "stuck voltage flagged at \(t) s")   // ≥ 10 s of current above C/10 after freezing
        // Exactly constant voltage at rest is not a fault.
        var rest = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: p.capacity_Ah))
        for _ in 0..<600 { rest.update(measurement(i: 0.001, v: 3.8, dt: 1), restSOC: nil, limits: denseSeparatorLimits(p)) }
        #expect(rest.latched.isEmpty)
    }

    /// A current sensor reading C/20 while the cell rests: the OCV-implied SOC does not move as
    /// the counted charge says it should. Fires after the settle time and one window; a real
    /// load of the same size does not fire.
    @Test func currentSensorOffset() throws {
        let p = try defaultCellECM()
        let limits = denseSeparatorLimits(p)
        for (offset, realLoad) in [(0.015, 0.0), (-0.015, 0.0), (0.0, 0.015), (0.0, 0.0)] {
            var cell = try SensedTestCell(parameters: p, soc: 0.6, seed: 11)
            cell.currentOffset_A = offset
            var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: p.capacity_Ah))
            var firedAt: Int? = nil
            for k in 0..<3000 {
                let m = try cell.step(realLoad)
                let z = ocvImpliedSOC(p, voltage: m.voltage_V, temperature_K: m.temperature_K)
                let r = monitor.update(m, restSOC: z, limits: limits)
                if r.active.contains(.currentSensorOffset) && firedAt == nil { firedAt = k }
            }
            if offset != 0 {
                let t = try #require(firedAt, "offset \(offset) A not detected")
                #expect(t >= 1199 && t <= 1300, "offset flagged at \(t) s")     // settle 300 s + window 900 s
                #expect(monitor.latched.contains(.currentSensorOffset))
            } else {
                #expect(firedAt == nil, "real load \(realLoad) A flagged as an offset at \(firedAt ?? -1) s")
            }
            #expect(!monitor.latched.contains(.internalShortSuspected))
        }
    }

    /// A temperature jump no cell can make fires at once, holds for 5 s and latches; a fast but
    /// physical warm-up does not.
    @Test func temperatureSensorStep() {
        var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: 2))
        var activeSamples = 0
        for k in 0..<200 {
            let t = k < 100 ? 298.15 + 0.05 * Double(k) : 330.0     // 0.5 K/s warm-up, then a 27 K jump
            let r = monitor.update(measurement(i: 0, t: t), restSOC: nil, limits: limits)
            if k < 100 { #expect(!r.active.contains(.temperatureSensorStep)) }
            if r.active.contains(.temperatureSensorStep) { activeSamples += 1 }
            if k == 100 { #expect(r.active.contains(.temperatureSensorStep)) }
        }
        #expect(activeSamples == 50)   // 5 s hold at 0.1 s
        #expect(monitor.latched.contains(.temperatureSensorStep) && monitor.latched.contains(.overTemperature))
        // Missing readings in between: the allowed change grows with the time since the last one.
        var gap = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: 2))
        gap.update(measurement(i: 0, t: 300, dt: 1), restSOC: nil, limits: limits)
        for _ in 0..<20 { gap.update(measurement(i: 0, t: .nan, dt: 1), restSOC: nil, limits: limits) }
        gap.update(measurement(i: 0, t: 315, dt: 1), restSOC: nil, limits: limits)
        #expect(gap.latched.isEmpty)
    }

    /// A parallel leakage path (5 %/h of capacity, invisible to the current sensor) at rest: the
    /// OCV-implied SOC falls; fires after the 30 min settle and one 30 min window. The same rest
    /// without leakage stays quiet.
    @Test func internalShortFromUnexplainedSelfDischarge() throws {
        let p = try defaultCellECM()
        let limits = denseSeparatorLimits(p)
        for leaky in [true, false] {
            var cell = try SensedTestCell(parameters: p, soc: 0.7, seed: 3)
            // Drive first, so the rest starts with relaxing RC voltages.
            var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: p.capacity_Ah))
            for k in 0..<600 {
                monitor.update(try cell.step(BuiltInDriveCycles.us06.values[k] * p.capacity_Ah / 2), restSOC: nil, limits: limits)
            }
            if leaky { cell.leakage_ohm = 3.8 / (0.05 * p.capacity_Ah) }   // ≈ 0.015 A ≈ 5 %/h
            var firedAt: Int? = nil
            for k in 0..<5400 {
                let m = try cell.step(0)
                let r = monitor.update(m, restSOC: ocvImpliedSOC(p, voltage: m.voltage_V, temperature_K: m.temperature_K), limits: limits)
                if r.active.contains(.internalShortSuspected) && firedAt == nil { firedAt = k }
            }
            if leaky {
                let t = try #require(firedAt, "leakage not detected")
                // 30 min settle + 30 min window after the filtered current reads rest (≈ 30 s).
                #expect(t >= 3599 && t <= 3700, "internal short flagged at \(t) s")
            } else {
                #expect(firedAt == nil && monitor.latched.isEmpty, "healthy rest flagged: \(monitor.latched)")
            }
            #expect(!monitor.latched.contains(.currentSensorOffset))
        }
    }

    /// Charging a lithium-metal cell above the CCD margin (the default cell at −10 °C: 0.8 ×
    /// 1.4 A/m² × 100 cm² ≈ 11 mA) fires after the debounce; below it, or discharging, never.
    @Test func dendriteRiskAboveTheCCDMargin() throws {
        let design = try BuiltInCells.defaultDesign()
        let p = try ECMFromCellDesign.parameters(design)
        let limits = try OperatingLimits.fromCellDesign(design, ecm: p)
        let margin = try #require(limits.criticalCurrentDensity).maximumChargeCurrent_A(temperature_K: 263.15)
        #expect(margin > 0.010 && margin < 0.012)
        for (current, expected) in [(-1.2 * margin, true), (-0.9 * margin, false), (0.3, false)] {
            var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: p.capacity_Ah))
            var firedAt: Int? = nil
            for k in 0..<40 {
                let r = monitor.update(Measurement(current_A: current, voltage_V: 3.9, temperature_K: 263.15, dt_s: 0.1),
                                       restSOC: nil, limits: limits)
                if r.active.contains(.dendriteRisk) && firedAt == nil { firedAt = k }
            }
            #expect((firedAt != nil) == expected, "I = \(current) A")
            if expected { #expect(firedAt == 9) }     // debounce 1 s at 0.1 s
        }
        // The same charge current is fine at 45 °C (CCD ≈ 2.5× its 25 °C value).
        var warm = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: p.capacity_Ah))
        for _ in 0..<40 { warm.update(Measurement(current_A: -0.1, voltage_V: 3.9, temperature_K: 318.15, dt_s: 0.1), restSOC: nil, limits: limits) }
        #expect(!warm.latched.contains(.dendriteRisk))
    }

    /// False-positive check: a healthy cell with realistic sensors (σ_I = 10 mA, σ_V = 2 mV,
    /// 1 mV and 0.1 K quantisation) through drive cycles (US06 at half scale: this 0.3 A·h cell's
    /// 0.6 Ω would take full-scale US06 outside its voltage window), rests, a charge and more
    /// rests for 7 h raises no fault at all.
    @Test func healthyDriveCycleRaisesNothing() throws {
        let p = try defaultCellECM()
        let limits = denseSeparatorLimits(p)
        var cell = try SensedTestCell(parameters: p, soc: 0.7, seed: 2024)
        var monitor = SafetyMonitor<Double>(settings: SafetyMonitorSettings(capacity_Ah: p.capacity_Ah))
        let us06 = BuiltInDriveCycles.us06.values.map { $0 / 2 }   // peaks 2.6C discharge, 1.1C regeneration
        var profile: [Double] = []
        for _ in 0..<3 { profile += us06.map { $0 * p.capacity_Ah } }
        profile += Array(repeating: 0, count: 3600)
        profile += Array(repeating: -p.capacity_Ah / 3, count: 2400)
        profile += Array(repeating: 0, count: 3600)
        for _ in 0..<2 { profile += us06.map { $0 * p.capacity_Ah } }
        profile += Array(repeating: 0, count: 7200)
        var zMin = 1.0, vMin = 10.0, vMax = 0.0
        for i in profile {
            let m = try cell.step(i)
            zMin = min(zMin, cell.truth.output.soc)
            vMin = min(vMin, cell.truth.output.voltage_V); vMax = max(vMax, cell.truth.output.voltage_V)
            monitor.update(m, restSOC: ocvImpliedSOC(p, voltage: m.voltage_V, temperature_K: m.temperature_K), limits: limits)
        }
        // The truth stays inside its window (healthy), the monitor stays quiet.
        #expect(vMin > limits.minimumVoltage_V + 0.05 && vMax < limits.maximumVoltage_V - 0.03, "true voltage \(vMin)…\(vMax) V")
        #expect(monitor.latched.isEmpty, "healthy run raised \(monitor.latched)")
        #expect(zMin < 0.55)
    }

    /// Float runs the same logic (firmware).
    @Test func runsInSinglePrecision() {
        var monitor = SafetyMonitor<Float>(settings: SafetyMonitorSettings(capacity_Ah: 2))
        let l = limits.converted(to: Float.self)
        var first: Int? = nil
        for k in 0..<40 {
            let r = monitor.update(Measurement<Float>(current_A: 1, voltage_V: 4.3, temperature_K: 298, dt_s: 0.1), restSOC: 0.5, limits: l)
            if first == nil && r.active.contains(.overVoltage) { first = k }
        }
        #expect(first == 19)
    }
}
