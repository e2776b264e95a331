import Lithos

/// `lithos demo`: the README's first command. Designs the built-in default cell
/// (NMC811 | Li6PS5Cl | Li metal, the same as examples/cells/default.json) and prints its
/// design summary and how its solid electrolyte's transport changes with temperature; then runs
/// the cell through the built-in US06 drive cycle and writes demo.csv and demo.svg.
enum DemoCommand {
    static func run(_ options: inout Options) throws {
        try options.finish()
        let design = try CellDesign.fromJSON(BuiltInCells.defaultDesignJSON)
        let metrics = try design.metrics(at: Physics.referenceTemperature_K)
        print("Lithos \(LithosVersion.string) demo: the default solid-state cell at 25 °C\n")
        print(DesignCommand.summary(design, metrics))
        print("\nTemperature dependence (solid electrolyte: Arrhenius conductivity):\n")
        var table = TextTable(["T [°C]", "separator σ [mS/cm]", "separator ASR [Ω·cm²]", "cathode σ_eff [mS/cm]", "cathode ionic ASR [Ω·cm²]"])
        for celsius in [-20.0, -10, 0, 25, 45, 60] {
            let m = try design.metrics(at: celsius + Physics.zeroCelsius_K)
            guard case .object = m.toJSON() else { continue }
            let json = m.toJSON()
            func value(_ key: String) -> Double {
                if case let .number(x)? = json[key] { return x }
                return .nan
            }
            table.add([
                formatNumber(celsius),
                formatNumber(value("separator_conductivity_S_per_m") * 10, significant: 3),
                formatNumber(value("separator_asr_ohm_m2") * 1e4, significant: 3),
                formatNumber(value("cathode_ionic_conductivity_S_per_m") * 10, significant: 3),
                formatNumber(value("cathode_ionic_asr_ohm_m2") * 1e4, significant: 3),
            ])
        }
        print(table.render())
        try driveCycle(design)
        print("\nNext: `lithos design examples/cells/peo.json --temperature-K 333.15`, `lithos materials`,")
        print("`lithos simulate --cell examples/cells/default.json --model ssb-p2d --protocol \"Discharge at 3C until 3.0 V\" --out out.csv`,")
        print("`lithos identify-ecm --cell examples/cells/default.json --out ecm.json`.")
    }

    /// The physics model the demo drives: the cell "as it is".
    static let plantKind = ModelOptions.Kind.ssbP2D

    /// The default cell (simulated by the SSB physics model `plantKind`) from a full charge at
    /// 25 °C through the built-in US06 drive cycle (C-rate based, so scaled by the cell's
    /// capacity), repeated until the cell's lower voltage limit, while a BMS estimator tracks
    /// its SOC on an ECM identified from a virtual HPPC test on the same physics model; writes
    /// demo.csv and demo.svg in the current directory.
    static func driveCycle(_ design: CellDesign) throws {
        var plantOptions = ModelOptions()   // SOC 1, 298.15 K
        plantOptions.kind = plantKind
        var model = try AnyCellModel.make(design: design, options: plantOptions)
        // The BMS's model: an ECM identified from a virtual HPPC test on the physics model (the
        // cell exists only as a design, so the P2D plays it on the test bench).
        let identified = try VirtualHPPC.identify(design: design, kind: plantKind)
        let ecm = AnyCellModel.ecm(try EquivalentCircuitModel(parameters: identified.parameters, initialSOC: 1,
                                                              initialTemperature_K: Physics.referenceTemperature_K))
        let p = identified.parameters
        let mid = 0.5
        print("\nBMS model: a 2-RC ECM identified from a virtual HPPC test on the \(model.kind) model (9 pulse sets, "
              + "\(identified.pulses.first?.count ?? 0) pulses fitted); at SOC 50 %, 25 °C: R0 = "
              + "\(formatNumber(p.seriesResistance.value(x: mid, y: Physics.referenceTemperature_K) * 1000, significant: 3)) mΩ, "
              + "R1 = \(formatNumber(p.rcResistances[0].value(x: mid, y: Physics.referenceTemperature_K) * 1000, significant: 3)) mΩ "
              + "(τ \(formatNumber(p.rcTimeConstants[0].value(x: mid, y: Physics.referenceTemperature_K), significant: 3)) s), "
              + "R2 = \(formatNumber(p.rcResistances[1].value(x: mid, y: Physics.referenceTemperature_K) * 1000, significant: 3)) mΩ "
              + "(τ \(formatNumber(p.rcTimeConstants[1].value(x: mid, y: Physics.referenceTemperature_K), significant: 3)) s).")
        let vmin = model.limits.minimumVoltage_V
        let protocolText = "Run us06 until \(JSONWriter.number(vmin)) V"
        print("\nDrive cycle: US06 (measured on a Panasonic 18650PF, scaled to \(formatNumber(model.capacity_Ah, significant: 4)) Ah), "
              + "cell simulated by the \(model.kind) physics model,")
        print("from a full charge at 25 °C, repeated until \(formatNumber(vmin)) V — protocol \"\(protocolText)\", dt 1 s:\n")
        let runner = ExperimentRunner(dt_s: 1, ambient_K: Physics.referenceTemperature_K)
        // The BMS follows the cell: an EKF that sees only noisy current and voltage, temperature
        // and dt, starting 30 points wrong (it believes the cell is at 70 % when it is full).
        let initialGuess = 0.7
        var observer = try DemoEstimatorObserver(modelParameters: ecm.parametersJSON(),
                                                 initialSOC: initialGuess, initialSOCStandardDeviation: 0.3)
        let trace = try runner.run(Experiment(protocolText: protocolText), on: &model, observer: &observer)
        print(SimulateCommand.summaryTable(trace))
        printEstimatorSummary(trace, observer, initialGuess: initialGuess)
        let summary = trace.summary
        print("\nThe cell delivered \(formatNumber(summary.netDischargedCharge_Ah, significant: 4)) Ah net "
              + "(\(formatNumber(100 * (summary.initialSOC - summary.finalSOC), significant: 3)) % of its capacity) before the "
              + "cycle's next acceleration would have pulled it below \(formatNumber(vmin)) V: at high power the cut-off comes "
              + "long before the cell is empty.")
        if summary.maximumVoltage_V > model.limits.maximumVoltage_V {
            print("Regen pulses near full charge reached \(formatNumber(summary.maximumVoltage_V, significant: 4)) V, above the cell's "
                  + "\(formatNumber(model.limits.maximumVoltage_V)) V maximum: flagged, not stopped")
            print("(the profile is applied as measured; a BMS would curtail regen there).")
        }
        var written: [String] = []
        do {
            try writeTextFile("demo.csv", csvWithEstimates(trace, observer))
            written.append("demo.csv")
            try writeTextFile("demo.svg", plot(trace, observer, title: "\(design.name), \(model.kind): US06 from full charge at 25 °C, EKF from a wrong SOC").render())
            written.append("demo.svg")
        } catch let error as LithosError {
            printError("lithos demo: note: \(error.message) (the demo still ran; run it in a writable directory to get the files)")
        }
        if !written.isEmpty { print("\nwrote \(written.joined(separator: " and ")) (\(trace.count) rows) in the current directory") }
    }

    /// Estimation error of the demo's BMS: after 5 minutes, RMS and max |SOC error|, and when
    /// the error first stayed below 2 points.
    static func printEstimatorSummary(_ trace: SimulationTrace, _ observer: DemoEstimatorObserver, initialGuess: Double) {
        let time = trace.column(.time_s), truth = trace.column(.soc)
        let estimate = observer.estimatedSOC
        var sumSquares = 0.0, maxError = 0.0, count = 0
        var converged = Double.nan
        for k in 0..<min(truth.count, estimate.count) {
            let error = abs(estimate[k] - truth[k])
            if converged.isNaN, error < 0.02 { converged = time[k] } else if error >= 0.02 { converged = .nan }
            if time[k] >= 300 { sumSquares += error * error; maxError = max(maxError, error); count += 1 }
        }
        let rms = count > 0 ? (sumSquares / Double(count)).squareRoot() : .nan
        print("\nState estimator (EKF on the identified ECM, not on the physics model it tracks; sees current ± 10 mA "
              + "and voltage ± 2 mV noise, starts at SOC "
              + "\(formatNumber(initialGuess * 100)) % for a full cell):")
        var table = TextTable(["result", "value"])
        table.add(["SOC error after 5 min, RMS", "\(formatNumber(rms * 100, significant: 3)) %"])
        table.add(["SOC error after 5 min, max", "\(formatNumber(maxError * 100, significant: 3)) %"])
        table.add(["within 2 points of the truth from", converged.isNaN ? "never" : "\(formatNumber(converged)) s"])
        table.add(["final SOC: true / estimated ± 1σ", "\(formatNumber(100 * (truth.last ?? .nan), significant: 4)) % / "
                   + "\(formatNumber(100 * (estimate.last ?? .nan), significant: 4)) ± \(formatNumber(100 * (observer.estimatedSOCStandardDeviation.last ?? .nan), significant: 2)) %"])
        print(table.render())
    }

    /// The trace CSV with the estimator's SOC and its standard deviation appended.
    static func csvWithEstimates(_ trace: SimulationTrace, _ observer: DemoEstimatorObserver) -> String {
        var lines = trace.csv().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return "" }
        lines[0] += ",estimated_soc,estimated_soc_std"
        for k in 1..<lines.count where !lines[k].isEmpty && k - 1 < observer.estimatedSOC.count {
            lines[k] += "," + JSONWriter.number(observer.estimatedSOC[k - 1]) + "," + JSONWriter.number(observer.estimatedSOCStandardDeviation[k - 1])
        }
        return lines.joined(separator: "\n")
    }

    /// Voltage (with OCV), SOC (true and estimated) and current against time.
    static func plot(_ trace: SimulationTrace, _ observer: DemoEstimatorObserver, title: String) -> SVGPlot {
        let minutes = trace.column(.time_s).map { $0 / 60 }
        return SVGPlot(title: title, x: minutes, xLabel: "time [min]", panels: [
            SVGPlot.Panel(yLabel: "voltage [V]", series: [
                SVGPlot.Series(name: "terminal voltage", values: trace.column(.voltage_V), color: "#1f77b4"),
                SVGPlot.Series(name: "OCV", values: trace.column(.openCircuitVoltage_V), color: "#7f7f7f", dashed: true),
            ]),
            SVGPlot.Panel(yLabel: "SOC [%]", series: [
                SVGPlot.Series(name: "true SOC", values: trace.column(.soc).map { $0 * 100 }, color: "#2ca02c"),
                SVGPlot.Series(name: "estimated SOC (EKF)", values: observer.estimatedSOC.map { $0 * 100 }, color: "#9467bd", dashed: true),
            ], yRange: (0, 100)),
            SVGPlot.Panel(yLabel: "current [A] (discharge +)", series: [
                SVGPlot.Series(name: "current", values: trace.column(.current_A), color: "#d62728"),
            ]),
        ])
    }
}
