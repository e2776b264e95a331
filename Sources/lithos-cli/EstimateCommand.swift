import Lithos

/// `lithos estimate`: runs the BMS state estimator over a measured log (CSV) and writes the
/// estimate per sample; with a reference SOC column, prints the SOC error (docs/estimator.md).
enum EstimateCommand {
    static let convergenceTime_s = 300.0

    /// lithos estimate --data measured.csv --config estimator.json --out estimate.csv
    ///                 [--temperature-unit C|K] [--current-sign discharge-positive|discharge-negative]
    ///                 [--initial-soc X] [--algorithm ekf|ukf|coulomb]
    static func run(_ o: inout Options) throws {
        guard let dataPath = try o.value("--data") else { throw UsageError(message: "--data measured.csv is required") }
        guard let configPath = try o.value("--config") else { throw UsageError(message: "--config estimator.json is required") }
        guard let outPath = try o.value("--out") else { throw UsageError(message: "--out estimate.csv is required") }
        let unitText = try o.value("--temperature-unit")
        let signText = try o.value("--current-sign") ?? "discharge-positive"
        let initialSOC = try o.number("--initial-soc")
        let algorithmText = try o.value("--algorithm")
        try o.finish()

        let unit: CyclerData.TemperatureUnit
        switch unitText {
        case nil: unit = .fromHeader
        case "C", "c", "celsius": unit = .celsius
        case "K", "k", "kelvin": unit = .kelvin
        case let other?: throw UsageError(message: "--temperature-unit must be C or K (got '\(other)')")
        }
        let sign: CyclerData.CurrentSign
        switch signText {
        case "discharge-positive": sign = .dischargePositive
        case "discharge-negative": sign = .dischargeNegative
        default: throw UsageError(message: "--current-sign must be discharge-positive or discharge-negative (got '\(signText)')")
        }
        if let z = initialSOC, !(z >= 0 && z <= 1) {
            throw UsageError(message: "--initial-soc must be within [0, 1] (got \(z))")
        }

        var configuration = try EstimatorConfiguration.fromJSON(readTextFile(configPath))
        if let algorithmText {
            switch algorithmText {
            case "ekf": configuration.algorithm = .extendedKalman
            case "ukf": configuration.algorithm = .unscentedKalman
            case "coulomb": configuration.algorithm = .coulombCounting
            default: throw UsageError(message: "--algorithm must be ekf, ukf or coulomb (got '\(algorithmText)')")
            }
        }
        if let initialSOC { configuration.initialSOC = initialSOC }

        let text = try readTextFile(dataPath)
        let data = try CyclerData.parse(csv: text, currentSign: sign, temperatureUnit: unit)
        if data.skippedRowCount > 0 {
            printError("\(dataPath): skipped \(data.skippedRowCount) rows (first: line \(data.skippedRows[0].line): \(data.skippedRows[0].reason))")
        }
        let reference = try referenceSOC(text, times: data.time_s)

        var estimator = try StateEstimator<Double>(configuration: configuration)
        var out = "time_s,soc,soc_std,predicted_voltage_V,innovation_V,capacity_Ah,series_resistance_ohm,"
            + "discharge_power_limit_10s_W,charge_power_limit_10s_W,active_faults"
            + (reference != nil ? ",reference_soc" : "") + "\n"
        out.reserveCapacity(data.count * 160)
        let t0 = data.time_s[0]
        var sumAll = 0.0, maxAll = 0.0, nAll = 0
        var sumLate = 0.0, maxLate = 0.0, nLate = 0
        var last = StateEstimate<Double>()
        for k in 0..<data.count {
            // dt from the time column; the first sample has no predecessor: 1 s is assumed.
            let dt = k == 0 ? 1.0 : data.time_s[k] - data.time_s[k - 1]
            let e: StateEstimate<Double>
            do {
                e = try estimator.update(current_A: data.current_A[k], voltage_V: data.voltage_V[k],
                                         temperature_K: data.temperature_K[k], dt_s: dt)
            } catch {
                throw LithosError(error.kind, "\(dataPath), sample at t = \(data.time_s[k]) s: \(error.message)")
            }
            last = e
            out += "\(data.time_s[k]),\(e.soc),\(e.socStandardDeviation),\(e.predictedVoltage_V),\(e.innovation_V),"
            out += "\(e.capacity_Ah),\(e.seriesResistance_ohm),\(e.dischargePowerLimit_W.1),\(e.chargePowerLimit_W.1),"
            out += "\(e.activeFaults.rawValue)"
            if let reference {
                let r = reference[k]
                out += r.isNaN ? ",\n" : ",\(r)\n"
                if !r.isNaN {
                    let err = abs(e.soc - r)
                    sumAll += err * err; maxAll = max(maxAll, err); nAll += 1
                    if data.time_s[k] - t0 >= convergenceTime_s {
                        sumLate += err * err; maxLate = max(maxLate, err); nLate += 1
                    }
                }
            } else {
                out += "\n"
            }
        }
        try writeTextFile(outPath, out)

        print("estimate: \(data.count) samples from \(dataPath), algorithm \(configuration.algorithm.name), "
              + "duration \(formatNumber(data.time_s[data.count - 1] - t0, significant: 6)) s")
        print("final: SOC \(formatNumber(last.soc, significant: 4)) ± \(formatNumber(last.socStandardDeviation, significant: 3)), "
              + "capacity \(formatNumber(last.capacity_Ah, significant: 4)) Ah, R0 \(formatNumber(last.seriesResistance_ohm, significant: 4)) ohm")
        if reference != nil {
            if nAll > 0 {
                print("SOC error (all samples, \(nAll)): RMS \(percent(sumAll, nAll)) %, max \(formatNumber(maxAll * 100, significant: 4)) %")
            }
            if nLate > 0 {
                print("SOC error after 5 min (\(nLate) samples): RMS \(percent(sumLate, nLate)) %, max \(formatNumber(maxLate * 100, significant: 4)) %")
            } else {
                print("SOC error after 5 min: no samples (the log is shorter than 5 minutes)")
            }
        }
        print("wrote \(outPath)")
    }

    static func percent(_ sumSquares: Double, _ n: Int) -> String {
        var r = 0.0
        if n > 0 { r = (sumSquares / Double(n)).squareRoot() }
        return formatNumber(r * 100, significant: 4)
    }

    /// The reference SOC column (`soc` or `reference_soc`), aligned with the rows CyclerData
    /// kept (matched by time); nil when the file has no such column. Missing values are NaN.
    static func referenceSOC(_ text: String, times: [Double]) throws -> [Double]? {
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        guard !lines.isEmpty else { return nil }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.filter { $0 != " " && $0 != "\r" && $0 != "\u{FEFF}" && $0 != "\"" })
        }
        guard let it = header.firstIndex(of: "time_s"),
              let isoc = header.firstIndex(of: "reference_soc") ?? header.firstIndex(of: "soc") else { return nil }
        func number(_ s: Substring) -> Double? {
            var f = s
            while f.first == " " { f = f.dropFirst() }
            while f.last == " " || f.last == "\r" { f = f.dropLast() }
            guard let x = Double(f), x.isFinite else { return nil }
            return x
        }
        var byTime: [Double: Double] = [:]
        byTime.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > max(it, isoc), let t = number(fields[it]) else { continue }
            byTime[t] = number(fields[isoc]) ?? .nan
        }
        return times.map { byTime[$0] ?? .nan }
    }
}
