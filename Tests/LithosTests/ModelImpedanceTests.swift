import Foundation
import Testing
@testable import Lithos

/// Model impedance against the time-domain models: a small sinusoidal current is applied to
/// the model, and Z = −V̂/Î is extracted by Fourier projection over whole periods after one
/// period of settling. Agreement within 1 % (issue 6's criterion).
@Suite struct ModelImpedanceTests {
    /// Z of a model from a small sine at frequency f (current held piecewise constant at the
    /// step midpoints, dt = period/steps).
    static func measured<M: CellModel>(_ model: inout M, frequency f: Double, amplitude: Double, steps: Int = 2000) throws -> ComplexNumber {
        let period = 1 / f, dt = period / Double(steps), omega = 2 * Double.pi * f
        for k in 0..<steps {   // settling period
            _ = try model.step(.current(amplitude * Physics.sin(omega * (Double(k) + 0.5) * dt), dt_s: dt))
        }
        var v = ComplexNumber(0), i = ComplexNumber(0), vMean = 0.0
        var samples: [(t: Double, v: Double, i: Double)] = []
        for k in 0..<(2 * steps) {
            let t = (Double(k) + 0.5) * dt
            let current = amplitude * Physics.sin(omega * t)
            let o = try model.step(.current(current, dt_s: dt))
            samples.append((Double(k + 1) * dt, o.voltage_V, current))
            vMean += o.voltage_V
        }
        vMean /= Double(samples.count)
        for (k, s) in samples.enumerated() {
            // Voltage at the end of step k, current over the step (its midpoint).
            let tv = s.t, ti = (Double(k) + 0.5) * dt
            v = v + ComplexNumber((s.v - vMean) * Physics.cos(omega * tv), -(s.v - vMean) * Physics.sin(omega * tv))
            i = i + ComplexNumber(s.i * Physics.cos(omega * ti), -s.i * Physics.sin(omega * ti))
        }
        return ComplexNumber(0) - v / i
    }

    @Test func ecmMatchesItsTimeDomainResponse() throws {
        let p = try linearECM(r0: 0.01, rc: [(0.02, 30), (0.015, 400)], capacity: 2)
        for f in [1e-3, 1e-2, 0.1, 1.0] {
            var model = try EquivalentCircuitModel(parameters: p, initialSOC: 0.5, initialTemperature_K: 298.15)
            let z = try Self.measured(&model, frequency: f, amplitude: 0.02)
            let zModel = ModelImpedance.ecm(p, soc: 0.5, temperature_K: 298.15, frequency_Hz: f)
            let error = (z - zModel).magnitude / zModel.magnitude
            print("ECM f = \(f) Hz: model \(zModel.real) \(zModel.imaginary)j Ω, time domain \(z.real) \(z.imaginary)j Ω, error \(error * 100) %")
            #expect(error < 0.01)
        }
    }

    @Test func solidStateSPMMatchesItsTimeDomainResponse() throws {
        let design = try BuiltInCells.defaultDesign()
        var p = try SolidStateCellParameters(design: design)
        p.thermal.enabled = false
        for f in [1e-3, 1e-2, 0.1] {
            var model = try SolidStateSPM(parameters: p, shellCount: 200, initialSOC: 0.5, initialTemperature_K: 298.15)
            let z = try Self.measured(&model, frequency: f, amplitude: 0.002 * p.capacity_Ah)
            let zModel = ModelImpedance.solidStateSPM(p, soc: 0.5, temperature_K: 298.15, frequency_Hz: f)
            let error = (z - zModel).magnitude / zModel.magnitude
            print("SSB-SPM f = \(f) Hz: model \(zModel.real) \(zModel.imaginary)j Ω, time domain \(z.real) \(z.imaginary)j Ω, error \(error * 100) %")
            #expect(error < 0.01)
        }
    }
}
