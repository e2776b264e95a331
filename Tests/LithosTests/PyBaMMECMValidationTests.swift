import Foundation
import Testing
@testable import Lithos

/// The ECM against an independent reference: PyBaMM's `Thevenin` model on PyBaMM's
/// `ECM_Example` parameters over a 5200 s pulse profile (0.5C…3C discharge pulses, a 1C charge
/// pulse, 10 s HPPC-style pulses, rests), sampled every second.
///
/// The reference and the parameter export are made by `validation/pybamm/generate_ecm_reference.py`
/// (PyBaMM is needed only there; this test reads its committed outputs). The comparison is exact
/// in the equations: the same tables (exported from PyBaMM's own interpolants at the grid nodes,
/// with the current argument of R0/R1/C1 pinned to 0 A), isothermal on both sides, and a current
/// that is piecewise constant with breakpoints on the sample times, so Lithos' zero-order hold is
/// exact. What remains is Lithos freezing R_j and τ_j at the start-of-step SOC for the exact
/// exponential update (PyBaMM lets them vary with SOC inside the step), and the linear
/// interpolation of τ_j where PyBaMM interpolates C_j and multiplies by R_j. See
/// validation/pybamm/README.md.
@Suite struct PyBaMMECMValidationTests {
    struct Reference {
        var time_s: [Double] = []
        var current_A: [Double] = []
        var voltage_V: [Double] = []
        var soc: [Double] = []
        var temperature_K: [Double] = []
    }

    static var directory: URL {
        URL(fileURLWithPath: #filePath)          // …/Tests/LithosTests/PyBaMMECMValidationTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("validation/pybamm")
    }

    static func parameters(_ name: String) throws -> ECMParameters<Double> {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return try ECMParameters.fromJSON(text)
    }

    static func reference(_ name: String) throws -> Reference {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        #expect(lines.removeFirst() == "time_s,current_A,voltage_V,soc,temperature_K")
        var r = Reference()
        for line in lines {
            let f = line.split(separator: ",").map { Double($0)! }
            r.time_s.append(f[0]); r.current_A.append(f[1]); r.voltage_V.append(f[2])
            r.soc.append(f[3]); r.temperature_K.append(f[4])
        }
        return r
    }

    struct Errors { var rmsVoltage_V: Double; var maxVoltage_V: Double; var maxSOC: Double; var steps: Int }

    /// Runs the ECM on the reference's current samples: row k's current held for
    /// time_k − time_{k−1}, its voltage compared with the model's end-of-step voltage.
    static func compare(parameters p: ECMParameters<Double>, with r: Reference) throws -> Errors {
        #expect(!p.thermal.enabled, "the reference is isothermal: the export must leave thermal off")
        let ambient = r.temperature_K[0]
        var model = try EquivalentCircuitModel(parameters: p, initialSOC: r.soc[0], initialTemperature_K: ambient)
        var sumSquares = 0.0, worst = 0.0, worstSOC = 0.0
        func record(_ v: Double, _ z: Double, _ k: Int) {
            let e = v - r.voltage_V[k]
            sumSquares += e * e
            worst = max(worst, abs(e))
            worstSOC = max(worstSOC, abs(z - r.soc[k]))
        }
        record(model.output.voltage_V, model.output.soc, 0)
        for k in 1..<r.time_s.count {
            let out = try model.step(.current(r.current_A[k], dt_s: r.time_s[k] - r.time_s[k - 1], ambient_K: ambient))
            #expect(out.temperature_K == r.temperature_K[k])
            record(out.voltage_V, out.soc, k)
        }
        return Errors(rmsVoltage_V: (sumSquares / Double(r.time_s.count)).squareRoot(), maxVoltage_V: worst,
                      maxSOC: worstSOC, steps: r.time_s.count - 1)
    }

    /// Bounds: RMS ≤ 1 mV is the acceptance figure. Max ≤ 0.1 mV: the start-of-step freezing of
    /// R_j, τ_j gives 14 µV (1 RC) and 34 µV (2 RC) on this profile (printed, and recorded in
    /// validation/pybamm/README.md). SOC is Coulomb counting on both sides: equal to the CSV's
    /// 12 decimals.
    @Test(arguments: [
        ("ecm_example.json", "ecm_example_pulse_reference.csv"),
        ("ecm_example_2rc.json", "ecm_example_2rc_pulse_reference.csv"),
    ])
    func matchesPyBaMMThevenin(parametersFile: String, referenceFile: String) throws {
        let p = try Self.parameters(parametersFile)
        let r = try Self.reference(referenceFile)
        #expect(r.time_s.count == 5201)
        let e = try Self.compare(parameters: p, with: r)
        print("PyBaMM Thevenin vs Lithos ECM (\(p.rcPairCount) RC, \(r.temperature_K[0]) K, \(e.steps) steps of 1 s): "
              + "RMS \(e.rmsVoltage_V * 1e6) µV, max \(e.maxVoltage_V * 1e6) µV, max |ΔSOC| \(e.maxSOC)")
        #expect(e.rmsVoltage_V <= 1e-3, "RMS voltage error \(e.rmsVoltage_V * 1e3) mV exceeds 1 mV")
        #expect(e.maxVoltage_V <= 1e-4, "max voltage error \(e.maxVoltage_V * 1e3) mV exceeds 0.1 mV")
        #expect(e.maxSOC <= 1e-11)
    }

    /// The export's shape: ECM_Example's capacity and voltage window, the 0.01 SOC grid, 25 °C a
    /// temperature node, and the OCV at SOC 1 equal to PyBaMM's initial rest voltage.
    @Test func exportedTablesHaveTheReferenceGrid() throws {
        let p = try Self.parameters("ecm_example.json")
        #expect(p.capacity_Ah == 100)
        #expect(p.rcPairCount == 1)
        #expect(p.openCircuitVoltage.xs.count == 101)
        #expect(p.openCircuitVoltage.ys.contains(298.15))
        #expect(p.limits.minimumVoltage_V == 3.2 && p.limits.maximumVoltage_V == 4.2)
        let r = try Self.reference("ecm_example_pulse_reference.csv")
        #expect(abs(p.ocv(soc: 1, temperature_K: 298.15) - r.voltage_V[0]) < 1e-10)
    }
}
