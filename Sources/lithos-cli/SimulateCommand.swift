import Lithos

/// `lithos simulate`: runs a protocol (text or file, see docs/protocols.md) on a cell model,
/// writes the trace as CSV and prints a summary.
///
///     lithos simulate --cell CELL.json [--model ecm|ssb-spm|ssb-p2d] [--options OPTIONS.json]
///                     --protocol FILE_OR_TEXT [--drive-cycle CYCLE.csv [--scale X]]
///                     [--out out.csv] [--ambient-K T] [--dt s] [--initial-soc z]
///
/// `--protocol` is read from a file when one of that name exists, else taken as protocol text.
/// `--drive-cycle` registers a cycle under its file name without extension ("us06.csv" → `Run
/// us06`); repeat it for several; `--scale` multiplies every cycle's values. Without
/// `--protocol`, the protocol is one pass of the (first) drive cycle. `--cell default` uses the
/// built-in default cell. The cell starts at `--initial-soc` (default: the options' initial SOC,
/// else 1) and at the ambient temperature (unless the options set `initial_temperature_K`).
enum SimulateCommand {
    static func run(_ options: inout Options) throws {
        if let packPath = try options.value("--pack") {
            try PackSimulateCommand.run(packPath: packPath, &options)
            return
        }
        let cellPath = try options.value("--cell")
        let modelKind = try options.value("--model")
        let optionsPath = try options.value("--options")
        let protocolArgument = try options.value("--protocol")
        var cyclePaths: [String] = []
        while let path = try options.value("--drive-cycle") { cyclePaths.append(path) }
        let scale = try options.number("--scale") ?? 1
        let outPath = try options.value("--out")
        let ambient = try options.number("--ambient-K") ?? Physics.referenceTemperature_K
        let dt = try options.number("--dt") ?? 1
        let initialSOC = try options.number("--initial-soc")
        try options.finish()

        guard dt > 0 && dt <= 86_400 else { throw UsageError(message: "--dt must be within (0, 86400] s (got \(dt))") }
        guard scale != 0 else { throw UsageError(message: "--scale must not be 0") }

        // Model.
        var kind: ModelOptions.Kind? = nil
        if let modelKind {
            guard let k = ModelOptions.Kind(rawValue: modelKind) else {
                throw UsageError(message: "--model must be ecm, ssb-spm or ssb-p2d (got '\(modelKind)')")
            }
            kind = k
        }
        var modelOptions = ModelOptions()
        var optionsSetTemperature = false
        if let optionsPath {
            let json = try JSONParser.parse(try readTextFile(optionsPath))
            modelOptions = try ModelOptions.from(json: json)
            optionsSetTemperature = json["initial_temperature_K"] != nil
        }
        if let kind { modelOptions.kind = kind }
        if let z = initialSOC {
            guard z >= 0 && z <= 1 else { throw UsageError(message: "--initial-soc must be within 0…1 (got \(z))") }
            modelOptions.initialSOC = z
        }
        try Validate.temperature(ambient, "--ambient-K")
        if !optionsSetTemperature { modelOptions.initialTemperature_K = ambient }
        var design: CellDesign? = nil
        if let cellPath {
            design = cellPath == "default" && !isRegularFile(cellPath)
                ? try BuiltInCells.defaultDesign()
                : try CellDesign.fromJSON(try readTextFile(cellPath))
        } else if modelOptions.explicitECM == nil && modelOptions.explicitSSB == nil {
            throw UsageError(message: "missing --cell CELL.json (or --options with explicit \"ecm\" or \"ssb\" parameters); run `lithos help`")
        }
        var model = try AnyCellModel.make(design: design, options: modelOptions)

        // Protocol and drive cycles.
        var cycles: [DriveCycle] = []
        for path in cyclePaths {
            let name = fileStem(path)
            guard Experiment.isValidName(name) else {
                throw UsageError(message: "--drive-cycle '\(path)': the file name '\(name)' is used as the cycle's name in 'Run NAME'; rename the file to start with a letter and use only letters, digits, '_', '-', '.'")
            }
            cycles.append(try DriveCycle.fromCSV(try readTextFile(path), name: name, scale: scale))
        }
        let protocolText: String
        var protocolSource = "text"
        if let argument = protocolArgument {
            if isRegularFile(argument) {
                protocolText = try readTextFile(argument)
                protocolSource = "file '\(argument)'"
            } else {
                protocolText = argument
            }
        } else if let first = cycles.first {
            protocolText = "Run \(first.name)"
        } else {
            throw UsageError(message: "missing --protocol FILE_OR_TEXT (e.g. --protocol \"Discharge at 1C until 3.0 V\") or --drive-cycle CYCLE.csv")
        }
        var experiment: Experiment
        do {
            experiment = try Experiment(protocolText: protocolText)
        } catch {
            var e = error
            if protocolSource == "text", let argument = protocolArgument, looksLikePath(argument) {
                e.message += " (no file named '\(argument)' exists either)"
            }
            throw e
        }
        for c in cycles { try experiment.addDriveCycle(c) }

        let start = model.output
        let trace = try ExperimentRunner(dt_s: dt, ambient_K: ambient).run(experiment, on: &model)
        if let outPath { try writeTextFile(outPath, trace.csv()) }

        let name = design?.name ?? "explicit ECM"
        print("cell: \(name) — model \(model.kind), \(formatNumber(model.capacity_Ah, significant: 4)) Ah, "
              + "\(formatNumber(model.limits.minimumVoltage_V))–\(formatNumber(model.limits.maximumVoltage_V)) V")
        print("start: SOC \(formatNumber(start.soc)), \(formatNumber(start.temperature_K, significant: 5)) K; "
              + "ambient \(formatNumber(ambient, significant: 5)) K; dt \(formatNumber(dt)) s; protocol from \(protocolSource): "
              + "\(experiment.steps.count) step\(experiment.steps.count == 1 ? "" : "s"), \(experiment.cycleCount) cycle\(experiment.cycleCount == 1 ? "" : "s")\n")
        print(stepTable(trace))
        print("")
        print(summaryTable(trace))
        if let outPath {
            print("\nwrote \(outPath): \(trace.count) rows × \(TraceColumn.allCases.count) columns (\(TraceColumn.allCases.map(\.name).prefix(5).joined(separator: ",")),…)")
        }
    }

    /// The per-step table (the first 20 and last 5 steps of long runs).
    static func stepTable(_ trace: SimulationTrace) -> String {
        var table = TextTable(["step", "cycle", "line", "start [s]", "duration [s]", "ended by", "protocol"])
        let steps = trace.steps
        for (k, s) in steps.enumerated() {
            if steps.count > 25 && k == 20 {
                table.add(["…", "", "", "", "", "", "(\(steps.count - 25) more)"])
            }
            if steps.count > 25 && k >= 20 && k < steps.count - 5 { continue }
            let reason = s.endedAtStart ? s.endReason.rawValue + " (at start)" : s.endReason.rawValue
            table.add([String(s.stepIndex), String(s.cycleIndex), String(s.line), formatNumber(s.start_s, significant: 6),
                       formatNumber(s.duration_s, significant: 6), reason, s.text])
        }
        var text = table.render()
        if !trace.stopMessage.isEmpty { text += "\n\n" + trace.stopMessage }
        return text
    }

    /// Capacity, energy, extremes.
    static func summaryTable(_ trace: SimulationTrace) -> String {
        let s = trace.summary
        var table = TextTable(["result", "value", "unit"])
        table.add(["capacity delivered (discharge)", formatNumber(s.dischargeCapacity_Ah, significant: 5), "Ah"])
        if s.chargeCapacity_Ah > 0 { table.add(["charge taken in", formatNumber(s.chargeCapacity_Ah, significant: 5), "Ah"]) }
        table.add(["energy delivered (discharge)", formatNumber(s.dischargeEnergy_Wh, significant: 5), "Wh"])
        if s.chargeEnergy_Wh > 0 { table.add(["energy taken in", formatNumber(s.chargeEnergy_Wh, significant: 5), "Wh"]) }
        table.add(["minimum voltage", formatNumber(s.minimumVoltage_V, significant: 5), "V"])
        table.add(["maximum voltage", formatNumber(s.maximumVoltage_V, significant: 5), "V"])
        table.add(["maximum temperature", formatNumber(s.maximumTemperature_K, significant: 5)
                   + " (\(formatNumber(s.maximumTemperature_K - Physics.zeroCelsius_K, significant: 4)) °C)", "K"])
        table.add(["SOC start → end", formatNumber(s.initialSOC) + " → " + formatNumber(s.finalSOC), "1"])
        table.add(["duration", formatNumber(s.duration_s, significant: 6) + " (\(formatNumber(s.duration_s / 3600, significant: 4)) h)", "s"])
        table.add(["steps run / cycles", "\(s.stepCount) / \(s.cycleCount)", ""])
        table.add(["ended", s.stopReason.map { "stopped: \($0.rawValue)" } ?? "completed", ""])
        return table.render()
    }

    /// "dir/us06.csv" → "us06".
    static func fileStem(_ path: String) -> String {
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { return String(base[..<dot]).lowercased() }
        return base.lowercased()
    }

    static func looksLikePath(_ text: String) -> Bool {
        !text.contains(" ") && (text.contains("/") || text.hasSuffix(".txt") || text.hasSuffix(".protocol"))
    }
}
