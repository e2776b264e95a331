/// ECM identification from a cell model instead of a cycler: a virtual HPPC test is run on a
/// copy of the model (the caller's model is not touched) and the resulting log goes through
/// the same identification as measured data (`ECMIdentification.identify`). This is how a BMS
/// model is built for a cell that exists only as a design: the physics model (SSB-P2D) plays the
/// cell on the test bench, and the estimator gets an ECM fitted to what that cell does.
///
/// Protocol (at one temperature, isothermal, dt = 1 s, the cell's own limits not enforced —
/// a virtual bench may look past them): 0.5C for 6 min and a 30 min rest (SOC ≈ 0.95), then
/// `sets` times: a 30 s 1C discharge pulse and 20 min rest, a 30 s 0.75C charge pulse and 20 min
/// rest, 12 min at 0.5C (0.1 of SOC) and 30 min rest — the pulses give R₀ and the RC pairs
/// (relaxation windows up to 20 min), the 0.5C segments move SOC from 0.95 to ≈ 0.05.
public enum VirtualHPPC {
    /// The protocol text (`Experiment` grammar).
    public static func protocolText(sets: Int = 9) -> String {
        var lines = ["Discharge at 0.5C for 6 minutes", "Rest for 30 minutes"]
        for _ in 0..<max(sets, 1) {
            lines += ["Discharge at 1C for 30 seconds", "Rest for 20 minutes", "Charge at 0.75C for 30 seconds", "Rest for 20 minutes",
                      "Discharge at 0.5C for 12 minutes", "Rest for 30 minutes"]
        }
        return lines.joined(separator: "\n")
    }

    /// Runs the virtual test on a copy of `model` (reset to SOC 1 at `temperature_K`) and
    /// identifies an ECM with `rcPairs` RC pairs on `socGrid`, with the open-circuit voltage
    /// `ocv(soc)` (the design's, which the physics model shares). `thermal` and the voltage
    /// window are those of the returned parameters.
    public static func identify<M: CellModel>(_ model: M, ocv: (Double) -> Double, temperature_K: Double = Physics.referenceTemperature_K,
                                              rcPairs: Int = 2, sets: Int = 9,
                                              socGrid: [Double] = (0...20).map { Double($0) / 20 },
                                              thermal: LumpedThermalModel<Double>) throws(LithosError) -> ECMIdentificationResult {
        var bench = model
        try bench.reset(soc: 1, temperature_K: temperature_K)
        var runner = ExperimentRunner(dt_s: 1, ambient_K: temperature_K)
        runner.stopAtCellLimits = false
        let trace = try runner.run(Experiment(protocolText: protocolText(sets: sets)), on: &bench)
        var log = CyclerData()
        log.time_s = trace.column(.time_s)
        log.current_A = trace.column(.current_A)
        log.voltage_V = trace.column(.voltage_V)
        log.temperature_K = trace.column(.temperature_K)
        log.discharged_Ah = trace.column(.dischargedCharge_Ah)
        let q = model.capacity_Ah
        let table = OCVTable(soc: socGrid, ocv_V: socGrid.map(ocv), capacity_Ah: q, temperature_K: temperature_K)
        var options = HPPCOptions()
        options.rcPairs = rcPairs
        // Per-pulse medians at the level's mean SOC (what the figures in docs/identification.md
        // and VirtualHPPCTests were measured with; the joint level fit is the measured-data default).
        options.levelValues = .pulseMedian
        return try ECMIdentification.identify(hppc: [log], ocv: table, capacity_Ah: q, socGrid: socGrid, ocvFromRests: false,
                                              options: options, thermal: thermal,
                                              minimumVoltage_V: model.limits.minimumVoltage_V, maximumVoltage_V: model.limits.maximumVoltage_V)
    }
}

extension VirtualHPPC {
    /// `identify` for a model whose kind is chosen at run time.
    public static func identify(_ model: AnyCellModel, ocv: (Double) -> Double, temperature_K: Double = Physics.referenceTemperature_K,
                                rcPairs: Int = 2, sets: Int = 9, socGrid: [Double] = (0...20).map { Double($0) / 20 },
                                thermal: LumpedThermalModel<Double>) throws(LithosError) -> ECMIdentificationResult {
        struct Bench: CellModelVisitor {
            let ocvValues: [Double], socGrid: [Double], temperature_K: Double, rcPairs: Int, sets: Int
            let thermal: LumpedThermalModel<Double>
            mutating func visit<M: CellModel>(_ model: inout M) throws(LithosError) -> ECMIdentificationResult {
                let grid = socGrid, values = ocvValues
                return try VirtualHPPC.identify(model, ocv: { OCVIdentification.interpolate(grid, values, $0) },
                                                temperature_K: temperature_K, rcPairs: rcPairs, sets: sets, socGrid: grid, thermal: thermal)
            }
        }
        var copy = model
        var bench = Bench(ocvValues: socGrid.map(ocv), socGrid: socGrid, temperature_K: temperature_K, rcPairs: rcPairs, sets: sets,
                          thermal: thermal)
        return try copy.accept(&bench)
    }
}

extension VirtualHPPC {
    /// For a cell that exists only as a design: the virtual test on its `kind` physics model,
    /// isothermal at `temperature_K` (thermal model off), with the design's OCV; the returned
    /// ECM carries the design-derived thermal model.
    public static func identify(design: CellDesign, kind: ModelOptions.Kind = .ssbP2D,
                                temperature_K: Double = Physics.referenceTemperature_K,
                                rcPairs: Int = 2) throws(LithosError) -> ECMIdentificationResult {
        var options = ModelOptions()
        options.kind = kind
        options.thermalEnabled = false
        options.initialTemperature_K = temperature_K
        let model = try AnyCellModel.make(design: design, options: options)
        let ocv = try CellOpenCircuitVoltage(design: design)
        let thermal = DesignDerivedCell.thermal(design, try design.metrics(at: Physics.referenceTemperature_K))
        return try identify(model, ocv: { ocv.voltage(soc: $0, temperature_K: temperature_K) }, temperature_K: temperature_K,
                            rcPairs: rcPairs, thermal: thermal)
    }
}
