import Testing
@testable import Lithos

/// A 1-RC ECM with constant parameters and linear OCV, for analytic checks.
func linearECM(r0: Double = 0.01, rc: [(r: Double, tau: Double)] = [(0.02, 30)], capacity: Double = 2.0,
               thermal: Bool = false, hysteresis: (m: Double, m0: Double, gamma: Double) = (0, 0, 0)) throws -> ECMParameters<Double> {
    try ECMParameters(
        capacity_Ah: capacity,
        openCircuitVoltage: BilinearTable(xs: [0, 1], ys: [298.15], values: [3.0, 4.2], name: "ocv"),
        seriesResistance: BilinearTable(constant: r0),
        rcResistances: rc.map { BilinearTable(constant: $0.r) },
        rcTimeConstants: rc.map { BilinearTable(constant: $0.tau) },
        hysteresisMagnitude: BilinearTable(constant: hysteresis.m),
        instantaneousHysteresis_V: hysteresis.m0, hysteresisRate: hysteresis.gamma,
        thermal: LumpedThermalModel(enabled: thermal, heatCapacity_J_per_K: 40, heatTransfer_W_per_K: 0.5),
        limits: ModelLimits(minimumVoltage_V: 2.5, maximumVoltage_V: 4.3))
}

@Suite struct ECMAnalyticTests {
    /// Step and relaxation of a 1-RC and a 2-RC circuit against the closed-form solution
    /// V(t) = OCV(z(t)) − R0·I − Σ Rj·I·(1 − e^{−t/τj}), for any dt.
    @Test(arguments: [0.1, 1.0, 7.3, 60.0])
    func stepResponseMatchesClosedForm(dt: Double) throws {
        let rc = [(r: 0.02, tau: 30.0), (r: 0.015, tau: 400.0)]
        var model = try EquivalentCircuitModel(parameters: linearECM(rc: rc), initialSOC: 0.8, initialTemperature_K: 298.15)
        let current = 3.0
        var t = 0.0
        for _ in 0..<Int(1200 / dt) {
            let out = try model.step(.current(current, dt_s: dt))
            t += dt
            let z = 0.8 - current * t / 3600 / 2.0
            var expected = 3.0 + 1.2 * z - 0.01 * current
            for p in rc { expected -= p.r * current * (1 - Physics.exp(-t / p.tau)) }
            #expect(abs(out.voltage_V - expected) < 1e-9, "t=\(t) V=\(out.voltage_V) expected \(expected)")
        }
        // Relaxation: current off, RC voltages decay as e^{−t/τ}.
        let v1 = model.internalValue(0), v2 = model.internalValue(1)
        let z = model.output.soc
        var rest = 0.0
        for _ in 0..<Int(600 / dt) {
            let out = try model.step(.current(0, dt_s: dt))
            rest += dt
            let expected = 3.0 + 1.2 * z - v1 * Physics.exp(-rest / 30) - v2 * Physics.exp(-rest / 400)
            #expect(abs(out.voltage_V - expected) < 1e-9)
        }
    }

    @Test func chargeIsConserved() throws {
        var model = try EquivalentCircuitModel(parameters: linearECM(), initialSOC: 0.5, initialTemperature_K: 298.15)
        var rng = SplitMix64(seed: 42)
        var integral = 0.0
        for _ in 0..<5000 {
            let i = (rng.uniform() - 0.5) * 8
            let dt = 0.05 + rng.uniform() * 2
            _ = try model.step(.current(i, dt_s: dt))
            integral += i * dt
        }
        let expectedSOC = 0.5 - integral / 3600 / 2.0
        #expect(abs(model.output.soc - expectedSOC) < 1e-12)
        #expect(abs(model.output.dischargedCharge_Ah - integral / 3600) < 1e-12)
    }

    @Test func voltageStepIsSolvedExactlyForCurrent() throws {
        var model = try EquivalentCircuitModel(parameters: linearECM(), initialSOC: 0.7, initialTemperature_K: 298.15)
        for target in [3.7, 3.9, 3.75, 4.1] {
            let out = try model.step(StepInput(mode: .voltage, value: target, dt_s: 1, ambient_K: 298.15))
            #expect(abs(out.voltage_V - target) < 1e-9)
        }
    }

    @Test func powerStepDeliversThePower() throws {
        var model = try EquivalentCircuitModel(parameters: linearECM(), initialSOC: 0.7, initialTemperature_K: 298.15)
        for power in [10.0, -8.0, 0.5, 30.0] {
            let out = try model.step(StepInput(mode: .power, value: power, dt_s: 2, ambient_K: 298.15))
            #expect(abs(out.voltage_V * out.current_A - power) < 1e-8 * max(1, abs(power)))
        }
        // Beyond the maximum power: an error, state unchanged.
        let before = model.output
        #expect(throws: LithosError.self) { try model.step(StepInput(mode: .power, value: 1e5, dt_s: 1, ambient_K: 298.15)) }
        #expect(model.output == before)
    }

    @Test func badInputLeavesStateUnchanged() throws {
        var model = try EquivalentCircuitModel(parameters: linearECM(), initialSOC: 0.7, initialTemperature_K: 298.15)
        _ = try model.step(.current(1, dt_s: 1))
        let before = model.output
        let bad: [StepInput] = [
            .current(.nan, dt_s: 1), .current(1, dt_s: 0), .current(1, dt_s: -1), .current(1, dt_s: .infinity),
            StepInput(mode: .current, value: 1, dt_s: 1, ambient_K: 25),
            StepInput(mode: .voltage, value: 0, dt_s: 1, ambient_K: 298.15),
            StepInput(mode: .voltage, value: 9.0, dt_s: 1, ambient_K: 298.15),
        ]
        for input in bad {
            #expect(throws: LithosError.self) { try model.step(input) }
            #expect(model.output == before)
        }
    }

    @Test func limitsAreReportedNotThrown() throws {
        var model = try EquivalentCircuitModel(parameters: linearECM(), initialSOC: 0.05, initialTemperature_K: 298.15)
        var flagged = false
        for _ in 0..<100 {
            let out = try model.step(.current(25, dt_s: 10))
            if out.limits.contains(.voltageBelowMinimum) { flagged = true }
        }
        #expect(flagged)
        #expect(model.output.limits.contains(.socBelowZero))
    }

    @Test func hysteresisMovesTowardsTheBranchOfTheCurrent() throws {
        var model = try EquivalentCircuitModel(parameters: linearECM(hysteresis: (0.02, 0.005, 100)), initialSOC: 0.5, initialTemperature_K: 298.15)
        for _ in 0..<600 { _ = try model.step(.current(2, dt_s: 1)) }
        #expect(model.internalValue(3) < -0.9)   // discharge → h → −1
        #expect(model.internalValue(4) == -1)
        for _ in 0..<600 { _ = try model.step(.current(-2, dt_s: 1)) }
        #expect(model.internalValue(3) > 0.9)
        #expect(model.internalValue(4) == 1)
    }

    @Test func saveAndLoadIsBitExact() throws {
        var a = try EquivalentCircuitModel(parameters: linearECM(thermal: true), initialSOC: 0.9, initialTemperature_K: 298.15)
        var rng = SplitMix64(seed: 7)
        var inputs: [Double] = []
        for _ in 0..<2000 { inputs.append((rng.uniform() - 0.3) * 6) }
        for i in inputs[..<1000] { _ = try a.step(.current(i, dt_s: 0.5)) }
        var scratch = [Double](repeating: 0, count: a.stateCount)
        var bytes = [UInt8](repeating: 0, count: StateSnapshot.byteCount(stateCount: a.stateCount))
        scratch.withUnsafeMutableBufferPointer { s in
            bytes.withUnsafeMutableBytes { StateSnapshot.write(a, kindCode: 1, scratch: s, to: $0) }
        }
        var b = try EquivalentCircuitModel(parameters: linearECM(thermal: true), initialSOC: 0.1, initialTemperature_K: 300)
        try load(&b, bytes, &scratch)
        for i in inputs[1000...] {
            let oa = try a.step(.current(i, dt_s: 0.5))
            let ob = try b.step(.current(i, dt_s: 0.5))
            #expect(oa.voltage_V.bitPattern == ob.voltage_V.bitPattern)
            #expect(oa.temperature_K.bitPattern == ob.temperature_K.bitPattern)
        }
        // A corrupted snapshot is refused and changes nothing.
        bytes[40] ^= 1
        let before = b.output
        #expect(throws: LithosError.self) { try load(&b, bytes, &scratch) }
        #expect(b.output == before)
    }
}

func load(_ model: inout EquivalentCircuitModel, _ bytes: [UInt8], _ scratch: inout [Double]) throws {
    var m = model
    try scratch.withUnsafeMutableBufferPointer { s in
        try bytes.withUnsafeBytes { raw in try StateSnapshot.read(&m, kindCode: 1, scratch: s, from: raw) }
    }
    model = m
}

@Suite struct ThermalModelTests {
    /// Energy balance: heat generated = heat stored + heat convected, to round-off.
    @Test func energyBalanceCloses() throws {
        var model = try EquivalentCircuitModel(parameters: linearECM(thermal: true), initialSOC: 0.9, initialTemperature_K: 298.15)
        let c = 40.0, hA = 0.5, ambient = 298.15
        var generated = 0.0, convected = 0.0
        var t = 298.15
        for k in 0..<3000 {
            let current = k < 2000 ? 6.0 : 0.0
            let out = try model.step(StepInput(mode: .current, value: current, dt_s: 1, ambient_K: ambient))
            generated += out.heatGeneration_W * 1
            // Exact convected heat over the step for constant Q: ∫hA(T − T_amb)dt = Q·dt − C·ΔT.
            convected += out.heatGeneration_W * 1 - c * (out.temperature_K - t)
            t = out.temperature_K
        }
        #expect(abs(generated - convected - c * (t - 298.15)) < 1e-6 * generated)
        #expect(generated > 0)
    }

    @Test func steadyStateTemperatureIsAmbientPlusQOverHA() {
        let thermal = LumpedThermalModel<Double>(enabled: true, heatCapacity_J_per_K: 40, heatTransfer_W_per_K: 0.5)
        var t = 298.15
        for _ in 0..<10_000 { t = thermal.advance(temperature_K: t, heat_W: 2, ambient_K: 298.15, dt_s: 1) }
        #expect(abs(t - (298.15 + 2 / 0.5)) < 1e-9)
        // Exact for any dt: one big step equals many small ones.
        let big = thermal.advance(temperature_K: 300, heat_W: 1, ambient_K: 290, dt_s: 100)
        var small = 300.0
        for _ in 0..<100 { small = thermal.advance(temperature_K: small, heat_W: 1, ambient_K: 290, dt_s: 1) }
        #expect(abs(big - small) < 1e-10)
    }
}

@Suite struct ECMFromDesignTests {
    @Test func defaultCellGivesPlausibleECM() throws {
        let design = try BuiltInCells.defaultDesign()
        let p = try ECMFromCellDesign.parameters(design)
        let metrics = try design.metrics(at: 298.15)
        #expect(abs(p.capacity_Ah - metrics.practicalCapacity_Ah) < 1e-12)
        let ocvFull = p.ocv(soc: 1, temperature_K: 298.15), ocvEmpty = p.ocv(soc: 0, temperature_K: 298.15)
        #expect(ocvFull > 4.0 && ocvFull < 4.4)
        #expect(ocvEmpty > 2.5 && ocvEmpty < 3.7)
        // Colder → more resistive (SE conductivity and kinetics are Arrhenius).
        let rCold = p.seriesResistance.value(x: 0.5, y: 263.15), rWarm = p.seriesResistance.value(x: 0.5, y: 318.15)
        #expect(rCold > 2 * rWarm)
        // 1C discharge delivers most of the capacity.
        var model = try EquivalentCircuitModel(parameters: p, initialSOC: 1, initialTemperature_K: 298.15)
        var delivered = 0.0
        while true {
            let out = try model.step(.current(p.capacity_Ah, dt_s: 5))
            if out.voltage_V < p.limits.minimumVoltage_V || out.soc < 0 { break }
            delivered = out.dischargedCharge_Ah
        }
        #expect(delivered > 0.7 * p.capacity_Ah)
        #expect(delivered <= p.capacity_Ah * (1 + 1e-9))
    }
}

@Suite struct TableTests {
    @Test func tablesReturnTheirStoredValuesAtBreakpoints() throws {
        let xs: [Double] = [-0.1, 0.0, 0.3, 0.7, 1.05]
        let ys: [Double] = [263.15, 298.15, 333.15]
        var rng = SplitMix64(seed: 3)
        let values = (0..<(xs.count * ys.count)).map { _ in rng.uniform() * 1e-5 + 3.3 }
        let t = try BilinearTable(xs: xs, ys: ys, values: values, name: "t")
        for (j, y) in ys.enumerated() {
            for (i, x) in xs.enumerated() {
                #expect(t.value(x: x, y: y).bitPattern == values[j * xs.count + i].bitPattern)
            }
        }
    }

    @Test func derivedECMParametersSurviveAJSONRoundTrip() throws {
        let p = try ECMFromCellDesign.parameters(BuiltInCells.defaultDesign())
        let q = try ECMParameters.from(json: p.toJSON())
        #expect(p == q)
        #expect(p.fingerprint == q.fingerprint)
    }
}
