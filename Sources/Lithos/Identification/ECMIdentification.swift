/// A temperature-dependent ECM identified from HPPC logs and an OCV table, with everything
/// the fit learnt along the way.
public struct ECMIdentificationResult: Sendable {
    /// The parameters (write them with `parameters.toJSON()`: the JSON the model and the
    /// estimator read).
    public var parameters: ECMParameters<Double>
    /// Per HPPC log (sorted by temperature): its temperature breakpoint [K], pulse fits,
    /// per-level elements and the rest points used for its OCV column.
    public var temperatures_K: [Double]
    public var pulses: [[HPPCPulseFit]]
    public var levels: [[HPPCLevel]]
    public var restPoints: [[(discharged_Ah: Double, voltage_V: Double)]]
}

/// Voltage of a model run against a measured log.
public struct ECMSimulationResult: Sendable {
    /// Simulated terminal voltage [V] at every sample (sample 0: the rested start).
    public var voltage_V: [Double]
    /// RMS and largest |simulated − measured| over samples 1… [V].
    public var rms_V: Double
    public var maximumError_V: Double
    /// Number of samples compared.
    public var count: Int
}

/// Assembles the ECM from HPPC logs at several temperatures and a low-rate OCV table.
///
/// - OCV: per temperature, through the rested voltage before each pulse set (the last
///   zero-current sample before the set's first pulse, at the A·h counter there) with the
///   low-rate discharge branch as the shape between rest points (`OCVIdentification.
///   fromRestPoints`); or (`ocvFromRests == false`) the low-rate table's average at every
///   temperature (entropic coefficient 0).
/// - R₀, Rⱼ, τⱼ: per pulse (`HPPCIdentification.identify`), median per SOC level, linear in SOC
///   between levels and held constant beyond them, on the common SOC grid.
/// - Temperature breakpoints: the mean cell temperature during each log's pulses (tables are
///   clamped outside, so a cell warmer than the warmest log uses that log's values).
public enum ECMIdentification {
    /// A lumped thermal model of an 18650 cell: heat capacity = mass 48 g (Panasonic
    /// NCR18650PF datasheet: ≤ 48.5 g) × specific heat ≈ 1000 J/(kg·K) (18650 cells measure
    /// 0.8–1.1 kJ/(kg·K)) = 48 J/K; hA = 0.1 W/K from the Panasonic data themselves: in the
    /// final 300 s rest of the 25 °C US06 the case cools from 7.75 K to 4.1 K above the 25 °C
    /// chamber (τ = 299 s / ln(7.75/4.1) ≈ 470 s; Mixed2: ≈ 680 s), so hA = C/τ ≈ 0.07–0.10
    /// W/K (≈ 24 W/(m²·K) on the 4.2·10⁻³ m² can: forced chamber air). See docs/identification.md.
    public static let cylindrical18650Thermal = LumpedThermalModel<Double>(enabled: true, heatCapacity_J_per_K: 48, heatTransfer_W_per_K: 0.1)

    /// The rested voltage before each pulse set: (A·h discharged, V).
    public static func restPoints(_ d: CyclerData, options: HPPCOptions = HPPCOptions()) -> [(discharged_Ah: Double, voltage_V: Double)] {
        let q = OCVIdentification.dischargedCharge(d)
        var out: [(Double, Double)] = []
        var seen = Set<Int>()
        for p in HPPCIdentification.segment(d, options: options) where !seen.contains(p.set) {
            seen.insert(p.set)
            let k = p.range.lowerBound - 1
            out.append((q[k], d.voltage_V[k]))
        }
        return out
    }

    public static func identify(hppc logs: [CyclerData], ocv: OCVTable, capacity_Ah q: Double,
                                socGrid grid: [Double], ocvFromRests: Bool = true, alignShapeAxis: Bool = true,
                                options: HPPCOptions = HPPCOptions(),
                                thermal: LumpedThermalModel<Double> = cylindrical18650Thermal,
                                minimumVoltage_V: Double = 2.5, maximumVoltage_V: Double = 4.2) throws(LithosError) -> ECMIdentificationResult {
        guard !logs.isEmpty else { throw LithosError(.invalidArgument, "ECM identification: no HPPC logs") }
        let base = ocv.rescaled(toCapacity_Ah: q, grid: grid)
        var entries: [(t: Double, pulses: [HPPCPulseFit], levels: [HPPCLevel], rests: [(discharged_Ah: Double, voltage_V: Double)], ocv: [Double])] = []
        for log in logs {
            let rests = restPoints(log, options: options)
            var column = base.ocv_V
            if ocvFromRests {
                // The low-rate branch on its own A·h axis (it may extend beyond q), aligned to
                // this log's rest points, then shifted through them.
                let branch: (Double) -> Double = { ocv.dischargeOrAverage(soc: 1 - $0 / ocv.capacity_Ah) }
                let map = alignShapeAxis ? OCVIdentification.alignShapeAxis(rests, shape: branch) : (offset_Ah: 0, scale: 1)
                column = try OCVIdentification.fromRestPoints(rests, shape: { branch(map.offset_Ah + map.scale * (1 - $0) * q) }, grid: grid,
                                                              capacity_Ah: q, temperature_K: base.temperature_K).ocv_V
            }
            let col = column
            let ocvOf: (Double) -> Double = { OCVIdentification.interpolate(grid, col, $0) }
            let pulses = try HPPCIdentification.identify(log, capacity_Ah: q, ocv: ocvOf, options: options)
            let levels = options.levelValues == .jointFit
                ? try HPPCIdentification.jointLevels(log, fits: pulses, capacity_Ah: q, ocv: ocvOf, options: options)
                : HPPCIdentification.aggregate(pulses)
            let t = pulses.map(\.temperature_K).reduce(0, +) / Double(pulses.count)
            entries.append(((t * 10).rounded() / 10, pulses, levels, rests, col))
        }
        entries.sort { $0.t < $1.t }
        let temps = entries.map(\.t)
        for k in temps.indices.dropFirst() where !(temps[k] > temps[k - 1]) {
            throw LithosError(.invalidArgument, "ECM identification: two HPPC logs at the same temperature (\(temps[k]) K)")
        }
        func table(_ name: String, _ value: (Int) -> [Double]) throws(LithosError) -> BilinearTable<Double> {
            var values: [Double] = []
            for k in entries.indices { values += value(k) }
            return try BilinearTable(xs: grid, ys: temps, values: values, name: name)
        }
        let ocvTable: BilinearTable<Double>
        if ocvFromRests {
            ocvTable = try table("OCV") { entries[$0].ocv }
        } else {
            ocvTable = try BilinearTable(xs: grid, ys: [Physics.referenceTemperature_K], values: base.ocv_V, name: "OCV")
        }
        let span = options.levelValues == .jointFit
        let r0 = try table("R0") { HPPCIdentification.onGrid(entries[$0].levels, grid: grid, overSpan: span) { $0.seriesResistance_ohm } }
        var rs: [BilinearTable<Double>] = [], taus: [BilinearTable<Double>] = []
        for j in 0..<options.rcPairs {
            rs.append(try table("R\(j + 1)") { HPPCIdentification.onGrid(entries[$0].levels, grid: grid, overSpan: span) { $0.rcResistance_ohm[j] } })
            taus.append(try table("tau\(j + 1)") { HPPCIdentification.onGrid(entries[$0].levels, grid: grid, overSpan: span) { $0.rcTimeConstant_s[j] } })
        }
        let parameters = try ECMParameters<Double>(
            capacity_Ah: q, openCircuitVoltage: ocvTable, seriesResistance: r0, rcResistances: rs, rcTimeConstants: taus,
            thermal: thermal,
            limits: ModelLimits(minimumVoltage_V: minimumVoltage_V, maximumVoltage_V: maximumVoltage_V,
                                minimumTemperature_K: 243.15, maximumTemperature_K: 333.15))
        return ECMIdentificationResult(parameters: parameters, temperatures_K: temps, pulses: entries.map(\.pulses),
                                       levels: entries.map(\.levels), restPoints: entries.map(\.rests))
    }

    /// Runs the ECM through a measured log: current from the log held over each sample
    /// interval (the sample's current over (t_{k−1}, t_k]), cell temperature from the log (the
    /// thermal model is switched off and the ambient set to the measured temperature), SOC at the
    /// start = 1 − A·h/Q from the log's counter (the log starts fully charged). When
    /// `resetAfterGap_s` is set, the state is re-initialised (rested, SOC from the counter)
    /// after every time gap longer than it — for HPPC logs whose inter-set discharges were not
    /// logged.
    public static func simulate(_ d: CyclerData, parameters p: ECMParameters<Double>,
                                initialSOC: Double? = nil, resetAfterGap_s: Double? = nil) throws(LithosError) -> ECMSimulationResult {
        var params = p
        params.thermal.enabled = false
        let q = OCVIdentification.dischargedCharge(d)
        func soc(_ k: Int) -> Double { min(1, max(0, 1 - q[k] / p.capacity_Ah)) }
        var model = try EquivalentCircuitModel(parameters: params, initialSOC: initialSOC ?? soc(0), initialTemperature_K: d.temperature_K[0])
        var v = [Double](repeating: 0, count: d.count)
        v[0] = model.output.voltage_V
        var sum = 0.0, worst = 0.0
        for k in 1..<max(1, d.count) {
            let dt = d.time_s[k] - d.time_s[k - 1]
            if let gap = resetAfterGap_s, dt > gap {
                try model.reset(soc: soc(k), temperature_K: d.temperature_K[k])
                v[k] = model.output.voltage_V
            } else {
                v[k] = try model.step(.current(d.current_A[k], dt_s: dt, ambient_K: d.temperature_K[k])).voltage_V
            }
            let e = v[k] - d.voltage_V[k]
            sum += e * e
            worst = max(worst, abs(e))
        }
        let n = max(1, d.count - 1)
        return ECMSimulationResult(voltage_V: v, rms_V: (sum / Double(n)).squareRoot(), maximumError_V: worst, count: d.count - 1)
    }
}
