/// The estimator configuration as a flat array of 32-bit floats: what the host tool writes into
/// a C array (`examples/firmware/*_config.h`) and the firmware passes to
/// `lithos_fw_estimator_init` (Include/lithos_fw.h). JSON stays on the host; the firmware reads
/// this blob, which carries every field of `EstimatorConfiguration` (model tables, algorithm,
/// tuning, sensor, rest correction, operating limits, SOH estimator and safety-monitor
/// settings), so a firmware estimator runs exactly the configuration the host built.
///
/// Layout (format 1; integers and flags are stored as exact float values):
///
/// | words | content |
/// |---|---|
/// | 0 | magic 1279.0 ("LITHOS-FW") |
/// | 1 | format version (2: adds the current-offset tuning) |
/// | 2 | total number of words n |
/// | 3 | algorithm code (1 Coulomb counting, 2 EKF, 3 UKF) |
/// | 4… | model scalars (11), tables (OCV, ∂OCV/∂T, R₀, hysteresis magnitude, then the RC-pair count and each pair's R and τ); a table is nx, ny, xs[nx], ys[ny], values[nx·ny] (row-major over y) |
/// | … | initial SOC, its σ, initial temperature; tuning (16), sensor (5), rest (3), limits (11, a CCD flag and 9 CCD values), resistance estimator (12), capacity estimator (15), safety monitor (18) — the order of `firmwareConfiguration()` |
///
/// The order of the fields is the one source of truth: `firmwareConfiguration()` writes and
/// `init(firmwareConfiguration:)` reads them in the same sequence.
public enum FirmwareConfigurationFormat {
    /// First word of every blob.
    public static var magic: Float { 1279 }
    /// Format version (word 1).
    public static var version: Float { 2 }
    /// Largest table dimension accepted (breakpoints per axis).
    public static var maximumBreakpoints: Int { 4096 }

    /// An upper bound [bytes] on the storage `lithos_fw_estimator_init` needs for a blob with
    /// these table sizes, on 32- and 64-bit targets alike: the estimator value, the tables the
    /// configuration holds (each array with a 32-byte header), the state-of-energy table
    /// (201 SOC points per temperature column) with the temporaries its construction makes,
    /// and room for an error message when validation fails. Tested against measured use.
    /// - Parameters:
    ///   - tableValues: total number of floats in the model's tables (breakpoints + values).
    ///   - tables: number of tables (4 + 2 per RC pair).
    ///   - energyTemperatures: temperature columns of the state-of-energy table (the OCV
    ///     table's temperature breakpoints, 9 with an entropic table, else 1).
    public static func storageBound(tableValues: Int, tables: Int, energyTemperatures: Int) -> Int {
        let arrayHeader = 32, alignment = 16
        // Configuration tables: up to two copies (the blob's decoded arrays and the shared grids).
        let configuration = 2 * (4 * tableValues + tables * 3 * (arrayHeader + alignment))
        // State-of-energy table: cumulative values (grown by doubling), the SOC grid, one
        // 201-point row per temperature and the per-temperature columns.
        let socPoints = 201
        let energy = 4 * (4 * socPoints * energyTemperatures + arrayHeader) + 4 * (4 * socPoints + arrayHeader)
            + 8 * (4 * energyTemperatures + arrayHeader + alignment) + 16 * (arrayHeader + alignment)
        let estimator = 4096           // the estimator value and its storage object
        let slack = 4096               // error messages, tables' small temporaries
        return configuration + energy + estimator + slack
    }
}

extension EstimatorConfiguration {
    /// The configuration as a firmware blob (see `FirmwareConfigurationFormat`), in Float.
    public func firmwareConfiguration() -> [Float] {
        var w: [Float] = [FirmwareConfigurationFormat.magic, FirmwareConfigurationFormat.version, 0, Float(algorithm.code)]
        func put(_ v: Scalar) { w.append(Float(v)) }
        func put(_ v: Double) { w.append(Float(v)) }
        func put(_ v: Int) { w.append(Float(v)) }
        func put(_ v: Bool) { w.append(v ? 1 : 0) }
        func put(_ t: BilinearTable<Scalar>) {
            put(t.xs.count); put(t.ys.count)
            for v in t.xs { put(v) }
            for v in t.ys { put(v) }
            for v in t.values { put(v) }
        }
        let m = model
        put(m.capacity_Ah); put(m.chargeEfficiency); put(m.instantaneousHysteresis_V); put(m.hysteresisRate)
        put(m.thermal.enabled); put(m.thermal.heatCapacity_J_per_K); put(m.thermal.heatTransfer_W_per_K)
        put(m.limits.minimumVoltage_V); put(m.limits.maximumVoltage_V)
        put(m.limits.minimumTemperature_K); put(m.limits.maximumTemperature_K)
        put(m.openCircuitVoltage); put(m.entropicCoefficient); put(m.seriesResistance); put(m.hysteresisMagnitude)
        put(m.rcPairCount)
        for j in 0..<m.rcPairCount { put(m.rcResistances[j]); put(m.rcTimeConstants[j]) }
        put(initialSOC); put(initialSOCStandardDeviation); put(initialTemperature_K)
        let t = tuning
        put(t.socProcessNoise_per_s); put(t.rcProcessNoise_V2_per_s); put(t.hysteresisProcessNoise_per_s)
        put(t.measurementNoise_V); put(t.measurementNoiseResistanceFraction); put(t.innovationGate_sigma)
        put(t.divergenceWindowSamples); put(t.resistanceFeedback); put(t.divergenceThreshold)
        put(t.maximumIterations); put(t.iterationStep); put(t.minimumSOC); put(t.maximumSOC)
        put(t.ukfAlpha); put(t.ukfBeta); put(t.ukfKappa)
        put(t.currentOffsetEstimation); put(t.currentOffsetProcessNoise_A2_per_s)
        let s = sensor
        put(s.currentNoise_A); put(s.currentOffset_A); put(s.voltageNoise_V); put(s.voltageResolution_V); put(s.currentResolution_A)
        put(rest.currentThreshold_A); put(rest.qualificationTime_s); put(rest.ocvUncertainty_V)
        let l = limits
        put(l.minimumVoltage_V); put(l.maximumVoltage_V); put(l.voltageHysteresis_V)
        put(l.dischargeCurrentLimit_A); put(l.chargeCurrentLimit_A)
        put(l.minimumTemperature_K); put(l.maximumTemperature_K); put(l.temperatureHysteresis_K)
        put(l.minimumSOC); put(l.maximumSOC); put(l.debounce_s)
        put(l.criticalCurrentDensity != nil)
        let c = l.criticalCurrentDensity
        for v in [c?.criticalCurrentDensity25C_A_per_m2, c?.activationEnergy_J_per_mol, c?.stackPressure_Pa, c?.area_m2,
                  c?.margin, c?.referencePressure_Pa, c?.pressureSensitivity_per_Pa, c?.saturationPressure_Pa,
                  c?.minimumPressureFactor] {
            put(v ?? 0)
        }
        let r = resistanceEstimator
        put(r.minimumCurrentStep_A); put(r.forgettingFactor); put(r.initialScaleStandardDeviation)
        put(r.minimumScale); put(r.maximumScale); put(r.voltageNoise_V); put(r.currentNoise_A)
        put(r.modelError_V); put(r.outlierGate_sigma); put(r.rejectionsBeforeReset)
        put(r.maximumSampleInterval_s); put(r.currentDeadband_A)
        let q = capacityEstimator
        put(q.nominalCapacity_Ah); put(q.initialStandardDeviation_Ah); put(q.minimumFraction); put(q.maximumFraction)
        put(q.minimumSOCChange); put(q.reversalSOCChange); put(q.maximumEndpointSOCStandardDeviation)
        put(q.maximumSOCJump); put(q.maximumPairDuration_s); put(q.forgettingFactor); put(q.currentNoise_A)
        put(q.currentOffset_A); put(q.chargeEfficiency); put(q.outlierGate_sigma); put(q.rejectionsBeforeAcceptance)
        let a = safety
        put(a.capacity_Ah); put(a.stuckVoltageTime_s); put(a.stuckVoltageCurrent_A); put(a.currentFilterTime_s)
        put(a.offsetSettleTime_s); put(a.offsetWindow_s); put(a.offsetMinimumCurrent_A); put(a.offsetSteadyBand_A)
        put(a.offsetMinimumSOCChange); put(a.offsetVoltageChange_V); put(a.offsetExplainedFraction)
        put(a.temperatureRate_K_per_s); put(a.temperatureStepAllowance_K); put(a.temperatureStepHold_s)
        put(a.restCurrent_A); put(a.shortSettleTime_s); put(a.shortWindow_s); put(a.shortSelfDischargeRate_per_h)
        w[2] = Float(w.count)
        return w
    }

    /// The storage bound (`FirmwareConfigurationFormat.storageBound`) for this configuration.
    public var firmwareStorageBound: Int {
        let m = model
        let tables = [m.openCircuitVoltage, m.entropicCoefficient, m.seriesResistance, m.hysteresisMagnitude] + m.rcResistances + m.rcTimeConstants
        var values = 0
        for t in tables { values += t.xs.count + t.ys.count + t.values.count }
        return FirmwareConfigurationFormat.storageBound(tableValues: values, tables: tables.count,
                                                        energyTemperatures: FirmwareBlobReader.energyTemperatures(m))
    }

    /// Reads a firmware blob (validated like any configuration; `StateEstimator.init` validates
    /// the settings again).
    /// - Throws: `.config` when the blob is truncated, has the wrong magic, version or length,
    ///   a count that is not a small non-negative integer, or tables or settings the model rejects.
    public init(firmwareConfiguration b: UnsafeBufferPointer<Float>) throws(LithosError) {
        var r = FirmwareBlobReader(b)
        try r.header()
        guard let algorithm = EstimatorAlgorithm(code: UInt32(try r.count(3))) else {
            throw LithosError(.config, "firmware configuration: unknown algorithm code")
        }
        let capacity_Ah: Scalar = try r.next(), chargeEfficiency: Scalar = try r.next()
        let instantaneousHysteresis_V: Scalar = try r.next(), hysteresisRate: Scalar = try r.next()
        let thermalEnabled = try r.flag()
        let heatCapacity: Scalar = try r.next(), heatTransfer: Scalar = try r.next()
        let minimumVoltage_V = Double(try r.word()), maximumVoltage_V = Double(try r.word())
        let minimumTemperature_K = Double(try r.word()), maximumTemperature_K = Double(try r.word())
        let ocv: BilinearTable<Scalar> = try r.table("ocv")
        let entropic: BilinearTable<Scalar> = try r.table("entropic coefficient")
        let r0: BilinearTable<Scalar> = try r.table("R0")
        let hysteresis: BilinearTable<Scalar> = try r.table("hysteresis magnitude")
        let pairs = try r.count(ECMParameters<Scalar>.maximumRCPairs)
        var rcResistances: [BilinearTable<Scalar>] = [], rcTimeConstants: [BilinearTable<Scalar>] = []
        for _ in 0..<pairs {
            rcResistances.append(try r.table("RC resistance"))
            rcTimeConstants.append(try r.table("RC time constant"))
        }
        let model = try ECMParameters<Scalar>(
            capacity_Ah: capacity_Ah, chargeEfficiency: chargeEfficiency, openCircuitVoltage: ocv,
            entropicCoefficient: entropic, seriesResistance: r0, rcResistances: rcResistances, rcTimeConstants: rcTimeConstants,
            hysteresisMagnitude: hysteresis, instantaneousHysteresis_V: instantaneousHysteresis_V, hysteresisRate: hysteresisRate,
            thermal: LumpedThermalModel<Scalar>(enabled: thermalEnabled, heatCapacity_J_per_K: heatCapacity, heatTransfer_W_per_K: heatTransfer),
            limits: ModelLimits(minimumVoltage_V: minimumVoltage_V, maximumVoltage_V: maximumVoltage_V,
                                minimumTemperature_K: minimumTemperature_K, maximumTemperature_K: maximumTemperature_K))
        let initialSOC: Scalar = try r.next(), initialSigma: Scalar = try r.next(), initialTemperature: Scalar = try r.next()
        var t = EstimatorTuning<Scalar>()
        t.socProcessNoise_per_s = try r.next(); t.rcProcessNoise_V2_per_s = try r.next(); t.hysteresisProcessNoise_per_s = try r.next()
        t.measurementNoise_V = try r.next(); t.measurementNoiseResistanceFraction = try r.next(); t.innovationGate_sigma = try r.next()
        t.divergenceWindowSamples = try r.count(1_000_000_000); t.resistanceFeedback = try r.flag(); t.divergenceThreshold = try r.next()
        t.maximumIterations = try r.count(1000); t.iterationStep = try r.next(); t.minimumSOC = try r.next(); t.maximumSOC = try r.next()
        t.ukfAlpha = try r.next(); t.ukfBeta = try r.next(); t.ukfKappa = try r.next()
        t.currentOffsetEstimation = try r.flag(); t.currentOffsetProcessNoise_A2_per_s = try r.next()
        var s = SensorModel<Scalar>()
        s.currentNoise_A = try r.next(); s.currentOffset_A = try r.next(); s.voltageNoise_V = try r.next()
        s.voltageResolution_V = try r.next(); s.currentResolution_A = try r.next()
        var rest = RestCorrectionSettings<Scalar>(capacity_Ah: capacity_Ah)
        rest.currentThreshold_A = try r.next(); rest.qualificationTime_s = try r.next(); rest.ocvUncertainty_V = try r.next()
        var l = OperatingLimits<Scalar>(minimumVoltage_V: try r.next(), maximumVoltage_V: try r.next(), voltageHysteresis_V: try r.next(),
                                        dischargeCurrentLimit_A: try r.next(), chargeCurrentLimit_A: try r.next(),
                                        minimumTemperature_K: try r.next(), maximumTemperature_K: try r.next(),
                                        temperatureHysteresis_K: try r.next(), minimumSOC: try r.next(), maximumSOC: try r.next(),
                                        debounce_s: try r.next())
        let hasCCD = try r.flag()
        let ccd = CriticalCurrentDensityLimit<Scalar>(
            criticalCurrentDensity25C_A_per_m2: try r.next(), activationEnergy_J_per_mol: try r.next(), stackPressure_Pa: try r.next(),
            area_m2: try r.next(), margin: try r.next(), referencePressure_Pa: try r.next(), pressureSensitivity_per_Pa: try r.next(),
            saturationPressure_Pa: try r.next(), minimumPressureFactor: try r.next())
        if hasCCD { l.criticalCurrentDensity = ccd }
        self.init(model: model, algorithm: algorithm, initialSOC: initialSOC, initialSOCStandardDeviation: initialSigma,
                  initialTemperature_K: initialTemperature, tuning: t, sensor: s, rest: rest, limits: l)
        resistanceEstimator.minimumCurrentStep_A = try r.next(); resistanceEstimator.forgettingFactor = try r.next()
        resistanceEstimator.initialScaleStandardDeviation = try r.next(); resistanceEstimator.minimumScale = try r.next()
        resistanceEstimator.maximumScale = try r.next(); resistanceEstimator.voltageNoise_V = try r.next()
        resistanceEstimator.currentNoise_A = try r.next(); resistanceEstimator.modelError_V = try r.next()
        resistanceEstimator.outlierGate_sigma = try r.next(); resistanceEstimator.rejectionsBeforeReset = try r.count(1_000_000)
        resistanceEstimator.maximumSampleInterval_s = try r.next(); resistanceEstimator.currentDeadband_A = try r.next()
        capacityEstimator.nominalCapacity_Ah = try r.next(); capacityEstimator.initialStandardDeviation_Ah = try r.next()
        capacityEstimator.minimumFraction = try r.next(); capacityEstimator.maximumFraction = try r.next()
        capacityEstimator.minimumSOCChange = try r.next(); capacityEstimator.reversalSOCChange = try r.next()
        capacityEstimator.maximumEndpointSOCStandardDeviation = try r.next(); capacityEstimator.maximumSOCJump = try r.next()
        capacityEstimator.maximumPairDuration_s = try r.next(); capacityEstimator.forgettingFactor = try r.next()
        capacityEstimator.currentNoise_A = try r.next(); capacityEstimator.currentOffset_A = try r.next()
        capacityEstimator.chargeEfficiency = try r.next(); capacityEstimator.outlierGate_sigma = try r.next()
        capacityEstimator.rejectionsBeforeAcceptance = try r.count(1_000_000)
        safety.capacity_Ah = try r.next(); safety.stuckVoltageTime_s = try r.next(); safety.stuckVoltageCurrent_A = try r.next()
        safety.currentFilterTime_s = try r.next(); safety.offsetSettleTime_s = try r.next(); safety.offsetWindow_s = try r.next()
        safety.offsetMinimumCurrent_A = try r.next(); safety.offsetSteadyBand_A = try r.next()
        safety.offsetMinimumSOCChange = try r.next(); safety.offsetVoltageChange_V = try r.next()
        safety.offsetExplainedFraction = try r.next(); safety.temperatureRate_K_per_s = try r.next()
        safety.temperatureStepAllowance_K = try r.next(); safety.temperatureStepHold_s = try r.next()
        safety.restCurrent_A = try r.next(); safety.shortSettleTime_s = try r.next(); safety.shortWindow_s = try r.next()
        safety.shortSelfDischargeRate_per_h = try r.next()
        guard r.index == b.count else {
            throw LithosError(.config, "firmware configuration: the blob's length does not match its content")
        }
    }

    /// The storage bound for a blob, read from its table sizes without building anything.
    /// - Throws: `.config` as `init(firmwareConfiguration:)` for a malformed header or tables.
    public static func firmwareStorageBound(_ b: UnsafeBufferPointer<Float>) throws(LithosError) -> Int {
        var r = FirmwareBlobReader(b)
        try r.header()
        _ = try r.count(3)
        r.index += 11
        var values = 0, tables = 0, energyTemperatures = 1
        func skipTable(_ name: StaticString) throws(LithosError) -> (Int, Int) {
            let nx = try r.count(FirmwareConfigurationFormat.maximumBreakpoints), ny = try r.count(FirmwareConfigurationFormat.maximumBreakpoints)
            guard nx > 0, ny > 0, r.index + nx + ny + nx * ny <= b.count else {
                throw LithosError(.config, "firmware configuration: truncated table")
            }
            r.index += nx + ny + nx * ny
            values += nx + ny + nx * ny
            tables += 1
            return (nx, ny)
        }
        let (_, ocvTemperatures) = try skipTable("ocv")
        let entropicStart = r.index
        _ = try skipTable("entropic coefficient")
        var entropicNonZero = false
        if let first = b.baseAddress {
            for k in entropicStart..<r.index where first[k] != 0 { entropicNonZero = true }
        }
        _ = try skipTable("R0"); _ = try skipTable("hysteresis magnitude")
        let pairs = try r.count(3)
        for _ in 0..<(2 * pairs) { _ = try skipTable("RC") }
        if ocvTemperatures > 1 { energyTemperatures = ocvTemperatures } else if entropicNonZero { energyTemperatures = 9 }
        return FirmwareConfigurationFormat.storageBound(tableValues: values, tables: tables, energyTemperatures: energyTemperatures)
    }
}

/// Sequential reader of a firmware blob (bounds-checked; every failure is a `.config` error).
struct FirmwareBlobReader {
    let b: UnsafeBufferPointer<Float>
    var index = 0

    init(_ b: UnsafeBufferPointer<Float>) { self.b = b }

    /// Checks magic, version and length.
    mutating func header() throws(LithosError) {
        guard b.count >= 4, b[0] == FirmwareConfigurationFormat.magic else {
            throw LithosError(.config, "firmware configuration: not a Lithos firmware blob (magic word)")
        }
        guard b[1] == FirmwareConfigurationFormat.version else {
            throw LithosError(.config, "firmware configuration: unsupported format version")
        }
        guard b[2] == Float(b.count) else {
            throw LithosError(.config, "firmware configuration: word 2 (length) does not match the number of words given")
        }
        index = 3
    }

    mutating func word() throws(LithosError) -> Float {
        guard index < b.count else { throw LithosError(.config, "firmware configuration: truncated") }
        defer { index += 1 }
        return b[index]
    }

    mutating func next<Scalar: LithosReal>() throws(LithosError) -> Scalar { Scalar(try word()) }

    /// A count 0…maximum stored as an exact float.
    mutating func count(_ maximum: Int) throws(LithosError) -> Int {
        let v = try word()
        guard v >= 0, v <= Float(maximum), v == v.rounded(.towardZero) else {
            throw LithosError(.config, "firmware configuration: a count or code is out of range")
        }
        return Int(v)
    }

    mutating func flag() throws(LithosError) -> Bool { try count(1) == 1 }

    mutating func table<Scalar: LithosReal>(_ name: StaticString) throws(LithosError) -> BilinearTable<Scalar> {
        let nx = try count(FirmwareConfigurationFormat.maximumBreakpoints), ny = try count(FirmwareConfigurationFormat.maximumBreakpoints)
        guard index + nx + ny + nx * ny <= b.count else {
            throw LithosError(.config, "firmware configuration: truncated table")
        }
        func read(_ n: Int) -> [Scalar] {
            let start = index
            index += n
            return [Scalar](unsafeUninitializedCapacity: n) { buffer, initialized in
                for k in 0..<n { buffer[k] = Scalar(b[start + k]) }
                initialized = n
            }
        }
        let xs = read(nx), ys = read(ny), values = read(nx * ny)
        return try BilinearTable(xs: xs, ys: ys, values: values, name: "firmware configuration: table")
    }

    /// Temperature columns of the state-of-energy table built for a model (see `StateOfEnergyTable`).
    static func energyTemperatures<Scalar: LithosReal>(_ m: ECMParameters<Scalar>) -> Int {
        if m.openCircuitVoltage.ys.count > 1 { return m.openCircuitVoltage.ys.count }
        return m.entropicCoefficient.values.contains(where: { $0 != 0 }) ? 9 : 1
    }
}
