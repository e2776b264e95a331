import Lithos

/// `lithos simulate --pack PACK.json`: runs a pack (docs/packs.md) with a constant current, a
/// C-rate of the pack capacity or a drive cycle of current (A or C-rate), writes a CSV with the
/// pack and every cell and channel, and prints a summary.
///
///     lithos simulate --pack PACK.json (--current-A I | --c-rate C | --drive-cycle CYCLE.csv [--scale X])
///                     [--duration-s T] [--dt s] [--ambient-K T] [--out out.csv] [--every N]
///                     [--balance CH[,CH…]] [--continue-past-limits]
///
/// A constant current runs for --duration-s (default: until a limit, at most 24 h); a drive
/// cycle for its own duration (or --duration-s, repeating it). Unless --continue-past-limits,
/// the run stops after the first step in which a cell or the pack crossed its voltage window.
enum PackSimulateCommand {
    static func run(packPath: String, _ options: inout Options) throws {
        let current = try options.number("--current-A")
        let cRate = try options.number("--c-rate")
        let cyclePath = try options.value("--drive-cycle")
        let scale = try options.number("--scale") ?? 1
        let durationArgument = try options.number("--duration-s")
        let dt = try options.number("--dt") ?? 1
        let ambient = try options.number("--ambient-K") ?? Physics.referenceTemperature_K
        let outPath = try options.value("--out")
        let every = try options.number("--every") ?? 1
        let balanceList = try options.value("--balance")
        let continuePastLimits = options.flag("--continue-past-limits")
        try options.finish()

        let sources = [current != nil, cRate != nil, cyclePath != nil].filter { $0 }.count
        guard sources == 1 else {
            throw UsageError(message: "simulate --pack needs exactly one of --current-A I, --c-rate C or --drive-cycle CYCLE.csv")
        }
        guard dt > 0 && dt <= 86_400 else { throw UsageError(message: "--dt must be within (0, 86400] s (got \(dt))") }
        guard every >= 1 && every == every.rounded() else { throw UsageError(message: "--every must be a whole number ≥ 1") }
        if let d = durationArgument, !(d > 0) { throw UsageError(message: "--duration-s must be > 0 (got \(d))") }
        try Validate.temperature(ambient, "--ambient-K")

        var pack = try AnyPack.make(json: try readTextFile(packPath))
        let capacity = pack.capacity_Ah
        if let list = balanceList {
            var on = Array(repeating: false, count: pack.series)
            for part in list.split(separator: ",") {
                guard let s = Int(part), s >= 0, s < pack.series else {
                    throw UsageError(message: "--balance takes voltage channels 0…\(pack.series - 1) separated by commas (got '\(part)')")
                }
                on[s] = true
            }
            try pack.setBalancing(on)
        }

        // The current profile.
        var cycle: DriveCycle? = nil
        if let cyclePath {
            let c = try DriveCycle.fromCSV(try readTextFile(cyclePath), name: "cycle", scale: scale)
            guard c.quantity != .power else {
                throw UsageError(message: "--drive-cycle: a pack runs current (current_A) or C-rate (c_rate) cycles, not power")
            }
            cycle = c
        }
        let duration = durationArgument ?? cycle?.duration_s ?? 86_400
        func currentAt(_ t: Double) -> Double {
            if let current { return current }
            if let cRate { return cRate * capacity }
            let c = cycle!
            let local = c.duration_s > 0 ? t.truncatingRemainder(dividingBy: c.duration_s) : 0
            let v = c.value(at: local)
            return c.quantity == .cRate ? v * capacity : v
        }

        let n = pack.cellCount, ns = pack.series
        var header = ["time_s", "current_A", "voltage_V", "soc", "minimum_cell_voltage_V", "maximum_cell_voltage_V",
                      "maximum_temperature_K", "balancing_current_A", "split_current_residual_A"]
        for k in 0..<n { header += ["cell\(k)_voltage_V", "cell\(k)_current_A", "cell\(k)_soc", "cell\(k)_temperature_K"] }
        for s in 0..<ns { header += ["channel\(s)_measured_voltage_V", "channel\(s)_balancing_current_A"] }
        var csv = header.joined(separator: ",") + "\n"
        func record(_ o: PackOutput) {
            var row = [o.time_s, o.current_A, o.voltage_V, o.soc, o.minimumCellVoltage_V, o.maximumCellVoltage_V,
                       o.maximumTemperature_K, o.balancingCurrent_A, o.splitCurrentResidual_A]
            let v = pack.values(.cellVoltage), i = pack.values(.cellCurrent), z = pack.values(.cellSOC), t = pack.values(.cellTemperature)
            for k in 0..<n { row += [v[k], i[k], z[k], t[k]] }
            let m = pack.values(.measuredVoltage), b = pack.values(.balancingCurrent)
            for s in 0..<ns { row += [m[s], b[s]] }
            csv += row.map { JSONWriter.number($0) }.joined(separator: ",") + "\n"
        }

        let start = pack.output
        if outPath != nil { record(start) }
        var minimumVoltage = start.voltage_V, maximumVoltage = start.voltage_V
        var minimumCell = start.minimumCellVoltage_V, maximumTemperature = start.maximumTemperature_K
        var worstResidual = 0.0, steps = 0, rows = 1
        var stopReason = "end of the profile"
        let voltageBits = LimitFlags.voltageBelowMinimum.rawValue | LimitFlags.voltageAboveMaximum.rawValue
            | PackOutput.packVoltageLow | PackOutput.packVoltageHigh
        var t = 0.0
        while t < duration - 1e-9 {
            let h = min(dt, duration - t)
            let o = try pack.step(current: currentAt(t), dt_s: h, ambient_K: ambient)
            t += h
            steps += 1
            minimumVoltage = min(minimumVoltage, o.voltage_V); maximumVoltage = max(maximumVoltage, o.voltage_V)
            minimumCell = min(minimumCell, o.minimumCellVoltage_V); maximumTemperature = max(maximumTemperature, o.maximumTemperature_K)
            worstResidual = max(worstResidual, o.splitCurrentResidual_A)
            let limited = o.limits & voltageBits != 0
            if outPath != nil && (steps % Int(every) == 0 || limited || t >= duration - 1e-9) { record(o); rows += 1 }
            if limited && !continuePastLimits {
                stopReason = limitText(o.limits)
                break
            }
        }
        let end = pack.output
        if let outPath { try writeTextFile(outPath, csv) }

        let c = pack.configuration
        print("pack: \(c.series)s\(c.parallel)p of \(pack.kind) cells, \(formatNumber(capacity, significant: 4)) Ah, "
              + "\(formatNumber(pack.voltageWindow.minimum_V))–\(formatNumber(pack.voltageWindow.maximum_V)) V; variation seed \(c.variation.seed)")
        let profile = current.map { "\(formatNumber($0)) A" } ?? cRate.map { "\(formatNumber($0))C = \(formatNumber($0 * capacity, significant: 4)) A" }
            ?? "drive cycle \(cyclePath!) (× \(formatNumber(scale)))"
        print("profile: \(profile); dt \(formatNumber(dt)) s; ambient \(formatNumber(ambient, significant: 5)) K\n")
        var table = TextTable(["result", "value", "unit"])
        table.add(["duration", formatNumber(end.time_s - start.time_s, significant: 6), "s"])
        table.add(["stopped by", stopReason, ""])
        table.add(["charge delivered", formatNumber(end.dischargedCharge_Ah - start.dischargedCharge_Ah, significant: 5), "A·h"])
        table.add(["energy delivered", formatNumber(end.dischargedEnergy_Wh - start.dischargedEnergy_Wh, significant: 5), "W·h"])
        table.add(["pack voltage min / max", "\(formatNumber(minimumVoltage, significant: 5)) / \(formatNumber(maximumVoltage, significant: 5))", "V"])
        table.add(["lowest cell voltage", formatNumber(minimumCell, significant: 5), "V"])
        table.add(["highest cell temperature", formatNumber(maximumTemperature, significant: 5), "K"])
        table.add(["SOC at end (mean, min–max)", "\(formatNumber(end.soc)) (\(formatNumber(end.minimumSOC))–\(formatNumber(end.maximumSOC)))", ""])
        table.add(["largest parallel-split residual", formatNumber(worstResidual, significant: 2), "A"])
        print(table.render())
        if let outPath {
            print("\nwrote \(outPath): \(rows) rows × \(header.count) columns (time_s,current_A,voltage_V,…, cell0_voltage_V,…, channel0_measured_voltage_V,…)")
        }
    }

    static func limitText(_ bits: UInt32) -> String {
        var parts: [String] = []
        if bits & PackOutput.packVoltageLow != 0 { parts.append("pack minimum voltage") }
        if bits & PackOutput.packVoltageHigh != 0 { parts.append("pack maximum voltage") }
        if bits & LimitFlags.voltageBelowMinimum.rawValue != 0 { parts.append("a cell's minimum voltage") }
        if bits & LimitFlags.voltageAboveMaximum.rawValue != 0 { parts.append("a cell's maximum voltage") }
        return parts.joined(separator: ", ")
    }
}
