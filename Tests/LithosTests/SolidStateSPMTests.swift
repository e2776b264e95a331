import Foundation
import Testing
@testable import Lithos

/// Shared helpers for the SSB model tests.
enum SSBTestSupport {
    static var repository: String { "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/") }

    static func design(_ name: String) throws -> CellDesign {
        try CellDesign.fromJSON(String(contentsOfFile: repository + "/examples/cells/\(name).json", encoding: .utf8))
    }

    static func spm(_ design: CellDesign, shells: Int = 20, soc: Double = 1, temperature_K: Double = 298.15,
                    edit: (inout SolidStateCellParameters) -> Void = { _ in }) throws -> SolidStateSPM {
        var p = try SolidStateCellParameters(design: design)
        p.thermal.enabled = false
        edit(&p)
        return try SolidStateSPM(parameters: p, shellCount: shells, initialSOC: soc, initialTemperature_K: temperature_K)
    }

    /// Constant-current discharge until the minimum voltage (or `maximumSteps`): the voltages.
    static func discharge<M: CellModel>(_ model: inout M, cRate: Double, dt: Double = 1, ambient_K: Double = 298.15,
                                        maximumSteps: Int = 1_000_000) throws -> [Double] {
        let current = cRate * model.capacity_Ah
        var voltages: [Double] = []
        for _ in 0..<maximumSteps {
            let o = try model.step(StepInput(mode: .current, value: current, dt_s: dt, ambient_K: ambient_K))
            if o.voltage_V < model.limits.minimumVoltage_V || o.soc < 0 { break }
            voltages.append(o.voltage_V)
        }
        return voltages
    }

    static func rms(_ a: [Double], _ b: [Double]) -> Double {
        let n = min(a.count, b.count)
        var s = 0.0
        for i in 0..<n { s += (a[i] - b[i]) * (a[i] - b[i]) }
        return (s / Double(max(n, 1))).squareRoot()
    }
}

@Suite struct SphericalParticleDiffusionTests {
    /// Constant outward flux N into a sphere: after the transient (t ≫ R²/D) the profile is
    /// parabolic and c̄ − c_s = N·R/(5D) exactly, while c̄ falls at exactly 3N/R (mass balance).
    @Test func constantFluxReachesTheParabolicProfile() {
        let radius = 5e-6, d = 1e-14, flux = 1e-5   // mol/(m²·s)
        var particle = SphericalParticleDiffusion(radius_m: radius, shellCount: 20)
        var c = [Double](repeating: 30_000, count: 20)
        let dt = 5.0
        particle.prepare(diffusivity_m2_per_s: d, dt_s: dt)
        let steps = 2000   // 10 000 s = 4 R²/D
        for _ in 0..<steps {
            var next = c
            c.withUnsafeBufferPointer { old in next.withUnsafeMutableBufferPointer { particle.advanceWithoutFlux(from: old, into: $0) } }
            next.withUnsafeMutableBufferPointer { particle.addFluxResponse(flux, to: $0) }
            c = next
        }
        let mean = c.withUnsafeBufferPointer { particle.meanConcentration($0) }
        let surface = c.withUnsafeBufferPointer { particle.surfaceConcentration($0, flux: flux) }
        let expectedMean = 30_000 - 3 * flux / radius * Double(steps) * dt
        #expect(abs(mean - expectedMean) < 1e-9 * 30_000, "mean \(mean) expected \(expectedMean)")
        let expectedGap = flux * radius / (5 * d)
        print("parabolic gap: \(mean - surface) mol/m³ vs analytic \(expectedGap)")
        #expect(abs((mean - surface) - expectedGap) < 0.005 * expectedGap)
    }
}

@Suite struct SolidStateSPMTests {
    @Test func restVoltageIsTheDesignOpenCircuitVoltage() throws {
        let design = try BuiltInCells.defaultDesign()
        let ocv = try CellOpenCircuitVoltage(design: design)
        for soc in [0.0, 0.3, 0.5, 0.9, 1.0] {
            let model = try SSBTestSupport.spm(design, soc: soc)
            #expect(abs(model.output.voltage_V - ocv.voltage(soc: soc, temperature_K: 298.15)) < 1e-9)
            #expect(abs(model.output.soc - soc) < 1e-12)
        }
    }

    @Test func capacityIsTheDesignsPracticalCapacity() throws {
        for name in ["default", "oxide-llzo", "lfp-sulfide", "peo", "anode-free"] {
            let design = try SSBTestSupport.design(name)
            let model = try SSBTestSupport.spm(design)
            let practical = try design.metrics(at: 298.15).practicalCapacity_Ah
            print("\(name): SPM capacity \(model.capacity_Ah) Ah, design practical \(practical) Ah")
            #expect(abs(model.capacity_Ah / practical - 1) < 0.01, "\(name)")
        }
    }

    /// Li leaving the cathode enters the Li metal (and back): conserved to round-off over a
    /// discharge, a charge and rests, for both anode kinds.
    @Test(arguments: ["default", "anode-free"])
    func lithiumIsConserved(name: String) throws {
        var model = try SSBTestSupport.spm(try SSBTestSupport.design(name), soc: 0.9)
        let initial = model.lithiumInventory_mol
        let capacity = model.capacity_Ah
        for (current, seconds) in [(capacity, 2400.0), (0.0, 600), (-0.5 * capacity, 3600), (2 * capacity, 300)] {
            for _ in 0..<Int(seconds / 10) { _ = try model.step(.current(current, dt_s: 10)) }
        }
        let drift = abs(model.lithiumInventory_mol / initial - 1)
        print("\(name): relative Li drift \(drift)")
        #expect(drift < 1e-12)
        // Coulomb count and SOC agree (SOC is the cathode stoichiometry, the count is ∫I dt).
        #expect(abs((0.9 - model.output.soc) * capacity - model.output.dischargedCharge_Ah) < 1e-9 * capacity)
    }

    /// Mesh convergence of the 1C discharge voltage (the bound stated in docs/ssb-models.md).
    @Test func meshConvergence() throws {
        let design = try BuiltInCells.defaultDesign()
        var curves: [Int: [Double]] = [:]
        for shells in [10, 20, 40, 80] {
            var m = try SSBTestSupport.spm(design, shells: shells)
            curves[shells] = try SSBTestSupport.discharge(&m, cRate: 1)
        }
        let e10 = SSBTestSupport.rms(curves[10]!, curves[80]!), e20 = SSBTestSupport.rms(curves[20]!, curves[80]!)
        let e40 = SSBTestSupport.rms(curves[40]!, curves[80]!)
        print("SPM 1C mesh: RMS vs 80 shells: 10 → \(e10 * 1e3) mV, 20 → \(e20 * 1e3) mV, 40 → \(e40 * 1e3) mV")
        #expect(SSBTestSupport.rms(curves[20]!, curves[40]!) < 0.5e-3)
        #expect(e40 < e20 && e20 < e10)
    }

    /// Implicit Euler is stable for any dt; at dt = 10 s a 1C discharge stays within a few mV of
    /// dt = 1 s (compared at the same times).
    @Test func largeStepsAreStable() throws {
        let design = try BuiltInCells.defaultDesign()
        var fine = try SSBTestSupport.spm(design)
        let v1 = try SSBTestSupport.discharge(&fine, cRate: 1, dt: 1)
        for dt in [10.0, 60.0, 600.0] {
            var coarse = try SSBTestSupport.spm(design)
            let v = try SSBTestSupport.discharge(&coarse, cRate: 1, dt: dt)
            #expect(v.allSatisfy { $0.isFinite })
            var worst = 0.0
            for (k, value) in v.enumerated() where Int(Double(k + 1) * dt) - 1 < v1.count && (Double(k + 1) * dt) < 3300 {
                worst = max(worst, abs(value - v1[Int(Double(k + 1) * dt) - 1]))
            }
            print("SPM 1C dt = \(dt) s: max |ΔV| vs dt = 1 s before 3300 s: \(worst * 1e3) mV")
            if dt == 10 { #expect(worst < 5e-3) }
        }
    }

    @Test func snapshotResumesBitExactly() throws {
        let design = try SSBTestSupport.design("lfp-sulfide")
        var a = try SSBTestSupport.spm(design)
        for k in 0..<300 { _ = try a.step(.current(Double(k % 7) * 0.1 * a.capacity_Ah, dt_s: 2)) }
        var state = [Double](repeating: 0, count: a.stateCount)
        state.withUnsafeMutableBufferPointer { a.writeState(to: $0) }
        var b = try SSBTestSupport.spm(design, soc: 0.2)
        try state.withUnsafeBufferPointer { try b.readState(from: $0) }
        for k in 0..<300 {
            let input = StepInput.current(Double(k % 5) * 0.3 * a.capacity_Ah, dt_s: 3)
            let oa = try a.step(input), ob = try b.step(input)
            #expect(oa == ob)
            #expect(a.internalValue(0).bitPattern == b.internalValue(0).bitPattern)
        }
    }

    @Test func voltageAndPowerStepsReproduceTheCurrentStep() throws {
        let design = try BuiltInCells.defaultDesign()
        var reference = try SSBTestSupport.spm(design, soc: 0.6)
        let byCurrent = try reference.step(.current(2 * reference.capacity_Ah, dt_s: 5))
        var byVoltage = try SSBTestSupport.spm(design, soc: 0.6)
        let v = try byVoltage.step(StepInput(mode: .voltage, value: byCurrent.voltage_V, dt_s: 5, ambient_K: 298.15))
        #expect(abs(v.current_A - byCurrent.current_A) < 1e-9 * byCurrent.current_A)
        var byPower = try SSBTestSupport.spm(design, soc: 0.6)
        let p = try byPower.step(StepInput(mode: .power, value: byCurrent.voltage_V * byCurrent.current_A, dt_s: 5, ambient_K: 298.15))
        #expect(abs(p.current_A - byCurrent.current_A) < 1e-8 * byCurrent.current_A)
    }

    @Test func badInputLeavesTheModelUnchanged() throws {
        var model = try SSBTestSupport.spm(try BuiltInCells.defaultDesign(), soc: 0.5)
        _ = try model.step(.current(0.1, dt_s: 10))
        let before = model.output
        var state = [Double](repeating: 0, count: model.stateCount)
        state.withUnsafeMutableBufferPointer { model.writeState(to: $0) }
        for input in [StepInput.current(.nan, dt_s: 1), .current(1, dt_s: 0), .current(1e6, dt_s: 1),
                      StepInput(mode: .power, value: 1e6, dt_s: 1, ambient_K: 298.15), .current(1, dt_s: 1, ambient_K: 10)] {
            #expect(throws: LithosError.self) { try model.step(input) }
            #expect(model.output == before)
            var after = [Double](repeating: 0, count: model.stateCount)
            after.withUnsafeMutableBufferPointer { model.writeState(to: $0) }
            #expect(after.map(\.bitPattern) == state.map(\.bitPattern))
        }
    }

    /// A Li|SE interface resistance adds exactly i·ΔR to the overpotential: the 5542 vs 5 Ω·cm²
    /// of SEED_DATA (Li|LLZO before and after Li2CO3 removal, SEED 004 L114).
    @Test func lithiumInterfaceResistanceShowsAsAnOhmicDrop() throws {
        let design = try SSBTestSupport.design("oxide-llzo")
        func firstStepVoltage(_ r_ohm_cm2: Double) throws -> Double {
            var m = try SSBTestSupport.spm(design, soc: 0.8) { p in
                if case var .lithiumMetal(li) = p.negative { li.interfaceResistance_ohm_m2 = r_ohm_cm2 * 1e-4; p.negative = .lithiumMetal(li) }
            }
            return try m.step(.current(0.1 * m.capacity_Ah, dt_s: 1)).voltage_V
        }
        let low = try firstStepVoltage(5), high = try firstStepVoltage(5542)
        let model = try SSBTestSupport.spm(design)
        let i = 0.1 * model.capacity_Ah / model.parameters.area_m2
        let expected = i * (5542 - 5) * 1e-4
        print("Li|LLZO 5542 vs 5 Ω·cm² at C/10: ΔV = \(low - high) V (i·ΔR = \(expected) V)")
        #expect(abs((low - high) - expected) < 1e-9)
    }

    /// Temperature through σ_SE(T): the PEO cell cannot run C/10 at 25 °C but can at 60 °C
    /// (its capacity there is bounded by LFP's slow Fickian diffusion, D = 1.8e-18 m²/s, in
    /// 0.5 µm particles); the sulfide cell still works at −10 °C at a reduced rate (C/5), not at 1C (isothermal).
    @Test func electrolyteConductivityLawSetsTheUsableRate() throws {
        func delivered(_ name: String, _ cRate: Double, _ temperature: Double) throws -> Double {
            var m = try SSBTestSupport.spm(try SSBTestSupport.design(name), temperature_K: temperature)
            let v = try SSBTestSupport.discharge(&m, cRate: cRate, dt: 10, ambient_K: temperature)
            return Double(v.count) * 10 * cRate / 3600   // fraction of capacity
        }
        let peoCold = try delivered("peo", 0.1, 298.15), peoHot = try delivered("peo", 0.1, 333.15)
        let sulfideCold = try delivered("default", 1, 263.15), sulfideWarm = try delivered("default", 1, 298.15)
        let sulfideColdSlow = try delivered("default", 0.2, 263.15)
        print("PEO C/10: \(peoCold) at 25 °C, \(peoHot) at 60 °C; sulfide 1C: \(sulfideCold) at −10 °C, \(sulfideWarm) at 25 °C; C/5 at −10 °C: \(sulfideColdSlow)")
        #expect(peoCold < 0.02)
        #expect(peoHot > 0.6)
        #expect(sulfideWarm > 0.95)
        #expect(sulfideCold < 0.5 * sulfideWarm)
        #expect(sulfideColdSlow > 0.5)
    }
}
