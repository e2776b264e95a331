import Foundation
import Testing
@testable import Lithos

/// SSB-SPM and SSB-P2D against PyBaMM (validation/pybamm/generate_ssb_reference.py; README
/// there): the same equations, the same parameters, PyBaMM on fine meshes and tight
/// tolerances. Lithos runs at its default meshes on the CSV's own time grid (1 s), current
/// held over each interval, and the voltage errors are asserted.
@Suite struct PyBaMMSSBValidationTests {
    struct Reference {
        var time_s: [Double] = []
        var current_A: [Double] = []
        var voltage_V: [Double] = []
        var columns: [String: [Double]] = [:]
    }

    static var directory: String { SSBTestSupport.repository + "/validation/pybamm/" }

    static func reference(_ name: String) throws -> Reference {
        let text = try String(contentsOfFile: directory + name, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var r = Reference()
        for line in lines {
            let v = line.split(separator: ",").map { Double($0)! }
            r.time_s.append(v[0]); r.current_A.append(v[1]); r.voltage_V.append(v[2])
            for (k, name) in header.enumerated() { r.columns[name, default: []].append(v[k]) }
        }
        return r
    }

    /// Model options from a committed JSON with the mesh replaced (nil: Lithos' defaults).
    static func options(_ name: String, shells: Int? = nil, nodes: Int? = nil) throws -> ModelOptions {
        var o = try ModelOptions.fromJSON(String(contentsOfFile: directory + name, encoding: .utf8))
        o.particleShells = shells ?? SolidStateSPM.defaultShellCount
        o.cathodeNodes = nodes ?? 20
        return o
    }

    /// Steps the model through the reference's current samples; returns (RMS, max) voltage error.
    static func compare(_ model: inout AnyCellModel, _ r: Reference) throws -> (rms: Double, max: Double, count: Int) {
        var sum = 0.0, worst = 0.0
        var n = 0
        let e0 = model.output.voltage_V - r.voltage_V[0]
        sum += e0 * e0; worst = abs(e0); n = 1
        for k in 1..<r.time_s.count {
            let o = try model.step(.current(r.current_A[k], dt_s: r.time_s[k] - r.time_s[k - 1]))
            let e = o.voltage_V - r.voltage_V[k]
            sum += e * e; worst = max(worst, abs(e)); n += 1
        }
        return ((sum / Double(n)).squareRoot(), worst, n)
    }

    @Test(arguments: ["0p5C", "1C", "2C"])
    func spmMatchesPyBaMMSPM(rate: String) throws {
        let r = try Self.reference("ssb_spm_chen2020_\(rate)_reference.csv")
        for shells in [20, 100] {
            var model = try AnyCellModel.make(design: nil, options: Self.options("ssb_spm_chen2020.json", shells: shells))
            let e = try Self.compare(&model, r)
            print("SSB-SPM vs PyBaMM SPM, Chen2020 \(rate), \(shells) shells: RMS \(e.rms * 1e3) mV, max \(e.max * 1e3) mV over \(e.count) samples")
            if shells == 20 {
                #expect(e.rms < 2e-3)        // issue 4: ≤ 2 mV RMS at 0.5C, 1C, 2C
                #expect(e.max < 20e-3)       // the first seconds: a diffusion layer thinner than a shell
            } else {
                #expect(e.rms < 0.2e-3)
            }
        }
    }

    /// SSB-P2D with a Li-metal anode vs PyBaMM's DFN half cell configured as a solid electrolyte
    /// (t₊ = 1, constant κ = σ_SE, Bruggeman composite; README in validation/pybamm).
    @Test(arguments: ["1C", "3C"])
    func p2dMatchesPyBaMMHalfCellDFN(rate: String) throws {
        let r = try Self.reference("ssb_p2d_nmc811_lpscl_li_\(rate)_reference.csv")
        for (nodes, shells) in [(20, 20), (40, 100)] {
            var model = try AnyCellModel.make(design: nil, options: Self.options("ssb_p2d_nmc811_lpscl_li.json", shells: shells, nodes: nodes))
            let e = try Self.compare(&model, r)
            print("SSB-P2D vs PyBaMM DFN half cell, NMC811|Li6PS5Cl|Li \(rate), \(nodes) nodes × \(shells) shells: RMS \(e.rms * 1e3) mV, max \(e.max * 1e3) mV over \(e.count) samples")
            if nodes == 20 {
                // The internals PyBaMM also reports, at the same samples.
                var again = try AnyCellModel.make(design: nil, options: Self.options("ssb_p2d_nmc811_lpscl_li.json", shells: shells, nodes: nodes))
                let names = again.internalNames.map { "\($0)" }
                var sums: [String: Double] = [:]
                let checked = ["positive_surface_stoichiometry_separator_side", "positive_surface_stoichiometry_collector_side",
                               "electrolyte_potential_drop_V"]
                for k in 1..<r.time_s.count {
                    _ = try again.step(.current(r.current_A[k], dt_s: r.time_s[k] - r.time_s[k - 1]))
                    for name in checked {
                        let d = again.internalValue(names.firstIndex(of: name)!) - r.columns[name]![k]
                        sums[name, default: 0] += d * d
                    }
                }
                for name in checked {
                    let rms = (sums[name]! / Double(r.time_s.count - 1)).squareRoot()
                    print("  \(name): RMS difference \(rms)")
                    #expect(rms < (name.hasSuffix("_V") ? 1e-4 : 2e-3))
                }
                #expect(e.rms < 5e-3)        // issue 4: ≤ 5 mV RMS at 1C and 3C
                #expect(e.rms < 1.5e-3)      // what the default mesh reaches (0.33 / 0.96 mV)
            } else {
                #expect(e.rms < 0.5e-3)
            }
        }
    }
}
