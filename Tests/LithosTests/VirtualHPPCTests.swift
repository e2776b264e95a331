import Foundation
import Testing
@testable import Lithos

/// An ECM identified from a virtual HPPC test on SSB-P2D follows the P2D on a US06 drive cycle
/// far better than the ECM derived from the design in closed form (which lumps the composite's
/// ohmic loss in the uniform-reaction limit), and the caller's model is left untouched.
@Suite struct VirtualHPPCTests {
    @Test func identifiedECMFollowsThePhysicsModel() throws {
        let design = try BuiltInCells.defaultDesign()
        var options = ModelOptions()
        options.kind = .ssbP2D
        options.thermalEnabled = false
        options.initialSOC = 0.7
        let plant = try AnyCellModel.make(design: design, options: options)
        let ocv = try CellOpenCircuitVoltage(design: design)
        let derived = try ECMFromCellDesign.parameters(design)
        let result = try VirtualHPPC.identify(plant, ocv: { ocv.voltage(soc: $0, temperature_K: 298.15) }, thermal: derived.thermal)
        #expect(abs(plant.output.soc - 0.7) < 1e-12 && plant.output.time_s == 0)   // the bench ran on a copy
        #expect(result.pulses[0].count >= 15)                            // 9 sets × 2 pulses, most fitted
        var identified = result.parameters
        identified.thermal.enabled = false
        var lumped = derived
        lumped.thermal.enabled = false

        options.initialSOC = 1
        var p2d = try AnyCellModel.make(design: design, options: options)
        var fitted = try EquivalentCircuitModel(parameters: identified, initialSOC: 1, initialTemperature_K: 298.15)
        var closedForm = try EquivalentCircuitModel(parameters: lumped, initialSOC: 1, initialTemperature_K: 298.15)
        var e1 = 0.0, e2 = 0.0
        let cycle = BuiltInDriveCycles.us06, q = p2d.capacity_Ah, n = 1500
        for k in 0..<n {
            let current = cycle.input(sample: k % cycle.sampleCount, capacity_Ah: q).value
            let v = try p2d.step(.current(current, dt_s: 1)).voltage_V
            let a = try fitted.step(.current(current, dt_s: 1)).voltage_V
            let b = try closedForm.step(.current(current, dt_s: 1)).voltage_V
            e1 += (a - v) * (a - v)
            e2 += (b - v) * (b - v)
        }
        let identifiedRMS = (e1 / Double(n)).squareRoot(), derivedRMS = (e2 / Double(n)).squareRoot()
        print("US06 vs SSB-P2D: ECM identified by virtual HPPC \(identifiedRMS * 1e3) mV RMS, derived in closed form \(derivedRMS * 1e3) mV RMS")
        #expect(identifiedRMS < 0.025)
        #expect(identifiedRMS < 0.4 * derivedRMS)
    }
}
