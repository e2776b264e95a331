import Lithos

/// `lithos fit-ocv` and `lithos fit-ecm`: parameter identification from cycler CSV logs
/// (docs/identification.md).
enum FitCommands {
    static func readLog(_ path: String, dischargeNegative: Bool) throws -> CyclerData {
        let data = try CyclerData.parse(csv: readTextFile(path), currentSign: dischargeNegative ? .dischargeNegative : .dischargePositive)
        if data.skippedRowCount > 0 {
            printError("\(path): skipped \(data.skippedRowCount) rows (first: line \(data.skippedRows[0].line): \(data.skippedRows[0].reason))")
        }
        return data
    }

    static func format(_ x: Double, _ digits: Int = 4) -> String {
        guard x.isFinite else { return "nan" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (abs(x) * scale).rounded() / scale
        var s = String(r)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return (x < 0 && r != 0 ? "-" : "") + s
    }

    /// lithos fit-ocv --data C20.csv [--charge CHARGE.csv] [--capacity-Ah Q] [--grid-step 0.005]
    ///                [--discharge-negative] --out ocv.json
    static func fitOCV(_ o: inout Options) throws {
        guard let path = try o.value("--data") else { throw UsageError(message: "--data C20.csv is required") }
        guard let out = try o.value("--out") else { throw UsageError(message: "--out ocv.json is required") }
        let chargePath = try o.value("--charge")
        let capacity = try o.number("--capacity-Ah")
        let step = try o.number("--grid-step") ?? 0.005
        let negative = o.flag("--discharge-negative")
        try o.finish()
        guard step > 0, step <= 0.5 else { throw UsageError(message: "--grid-step must be within (0, 0.5]") }
        let data = try readLog(path, dischargeNegative: negative)
        let charge = try chargePath.map { try readLog($0, dischargeNegative: negative) }
        let table = try OCVIdentification.fromLowRateTest(data, charge: charge, capacity_Ah: capacity,
                                                          grid: OCVIdentification.uniformGrid(step: step))
        try writeTextFile(out, JSONWriter.write(table.toJSON(), pretty: true) + "\n")
        print("OCV from \(path): Q = \(format(table.capacity_Ah)) Ah (charge removed by the discharge), \(table.soc.count) SOC points")
        print("  OCV \(format(table.ocv_V.first!, 3))…\(format(table.ocv_V.last!, 3)) V", terminator: "")
        if !table.hysteresis_V.isEmpty {
            let h = table.hysteresis_V
            print(", hysteresis half-width \(format(h.min()! * 1000, 1))…\(format(h.max()! * 1000, 1)) mV")
        } else { print(" (no charge branch: OCV = discharge branch)") }
        print("wrote \(out)")
    }

    /// lithos fit-ecm --hppc FILE[,FILE…] --ocv ocv.json --capacity-Ah Q --out ecm.json
    ///                [--rc-pairs 2] [--grid-step 0.01] [--ocv-source rests|table] [--no-thermal]
    ///                [--discharge-negative] [--validate FILE[,FILE…]]
    static func fitECM(_ o: inout Options) throws {
        guard let hppc = try o.value("--hppc") else { throw UsageError(message: "--hppc FILE[,FILE…] is required") }
        guard let ocvPath = try o.value("--ocv") else { throw UsageError(message: "--ocv ocv.json is required") }
        guard let q = try o.number("--capacity-Ah"), q > 0 else { throw UsageError(message: "--capacity-Ah Q (> 0) is required") }
        guard let out = try o.value("--out") else { throw UsageError(message: "--out ecm.json is required") }
        let pairs = try o.number("--rc-pairs") ?? 2
        let step = try o.number("--grid-step") ?? 0.01
        let source = try o.value("--ocv-source") ?? "rests"
        let noThermal = o.flag("--no-thermal")
        let negative = o.flag("--discharge-negative")
        let validate = try o.value("--validate")
        try o.finish()
        guard [1.0, 2, 3].contains(pairs) else { throw UsageError(message: "--rc-pairs must be 1, 2 or 3") }
        guard step > 0, step <= 0.5 else { throw UsageError(message: "--grid-step must be within (0, 0.5]") }
        guard source == "rests" || source == "table" else { throw UsageError(message: "--ocv-source must be 'rests' or 'table'") }
        let files = hppc.split(separator: ",").map(String.init)
        let logs = try files.map { try readLog($0, dischargeNegative: negative) }
        let ocv = try OCVTable.fromJSON(readTextFile(ocvPath))
        var options = HPPCOptions()
        options.rcPairs = Int(pairs)
        var thermal = ECMIdentification.cylindrical18650Thermal
        if noThermal { thermal.enabled = false }
        let result = try ECMIdentification.identify(hppc: logs, ocv: ocv, capacity_Ah: q, socGrid: OCVIdentification.uniformGrid(step: step),
                                                    ocvFromRests: source == "rests", options: options, thermal: thermal)
        try writeTextFile(out, JSONWriter.write(result.parameters.toJSON(), pretty: true) + "\n")
        print("ECM: \(Int(pairs)) RC pair(s), Q = \(format(q)) Ah, temperatures \(result.temperatures_K.map { format($0 - 273.15, 1) }.joined(separator: ", ")) °C")
        for (k, t) in result.temperatures_K.enumerated() {
            let pulses = result.pulses[k]
            let rms = pulses.map(\.fitRMS_V)
            print("\n\(format(t - 273.15, 1)) °C: \(pulses.count) pulses in \(result.levels[k].count) SOC levels, pulse-fit RMS median \(format(median(rms) * 1000, 2)) mV, max \(format(rms.max()! * 1000, 2)) mV, \(pulses.filter { !$0.converged }.count) not converged")
            print("  SOC    R0[mΩ]  " + (0..<Int(pairs)).map { "R\($0 + 1)[mΩ] (95% CI of the 1C pulse)   tau\($0 + 1)[s] (95% CI)        " }.joined()
                  + (result.levels[k].first?.fitRMS_V.isFinite == true ? "(level values: joint fit of the pulse set; CIs: the 1C pulse's own fit)" : ""))
            for level in result.levels[k] {
                // The pulse nearest 1C in the level, to show its confidence intervals.
                let inLevel = pulses.filter { abs($0.soc - level.soc) < 0.03 }
                let ref = inLevel.min { abs(abs($0.current_A) - q) < abs(abs($1.current_A) - q) }
                var line = "  \(format(level.soc, 3).padding(6))\(format(level.seriesResistance_ohm * 1000, 2).padding(8))"
                for j in 0..<Int(pairs) {
                    var r = format(level.rcResistance_ohm[j] * 1000, 2)
                    var tau = format(level.rcTimeConstant_s[j], 2)
                    if let ref {
                        r += " [\(format(ref.rcResistanceInterval95[j].lower * 1000, 2)), \(format(ref.rcResistanceInterval95[j].upper * 1000, 2))]"
                        tau += " [\(format(ref.rcTimeConstantInterval95[j].lower, 2)), \(format(ref.rcTimeConstantInterval95[j].upper, 2))]"
                    }
                    line += r.padding(30) + tau.padding(26)
                }
                if level.fitRMS_V.isFinite { line += "level fit \(format(level.fitRMS_V * 1000, 2)) mV" }
                print(line)
            }
        }
        print("\nvoltage RMS of the fitted model on each HPPC log (each pulse set from its rested start):")
        for (path, log) in zip(files, logs) {
            let sim = try ECMIdentification.simulate(log, parameters: result.parameters, resetAfterGap_s: 600)
            print("  \(path): \(format(sim.rms_V * 1000, 2)) mV RMS, max \(format(sim.maximumError_V * 1000, 1)) mV")
        }
        if let validate {
            print("validation (SOC0 = 1 − A·h/Q, measured current and temperature):")
            for path in validate.split(separator: ",").map(String.init) {
                let sim = try ECMIdentification.simulate(readLog(path, dischargeNegative: negative), parameters: result.parameters)
                print("  \(path): \(format(sim.rms_V * 1000, 2)) mV RMS, max \(format(sim.maximumError_V * 1000, 1)) mV")
            }
        }
        print("wrote \(out)")
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.isEmpty ? .nan : s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}

