/// Cell-to-cell variation of a pack: every cell draws its capacity factor, resistance factor,
/// initial-SOC offset and initial-temperature offset from a seeded generator, so a pack JSON
/// with the same seed builds the same cells on every host.
///
/// Draws (in cell order k = 0…n−1, four standard normals per cell, in this order):
///   capacity factor   q_k = 1 + σ_Q·z₁     (clamped to ±4σ and to [0.2, 5])
///   resistance factor r_k = 1 + σ_R·z₂     (clamped to ±4σ and to [0.2, 5])
///   initial SOC       z0_k = SOC₀ + σ_SOC·z₃  (clamped to ±4σ, then to [0, 1])
///   initial T         T0_k = T₀ + σ_T·z₄       (clamped to ±4σ)
/// with z from SplitMix64 (Steele, Lea & Flood 2014) uniforms through Marsaglia's polar method.
/// σ = 0 gives identical cells (the draws are still taken, so turning one σ on does not change
/// the others' numbers).
public struct CellVariation: Sendable, Equatable {
    /// Standard deviations and seed (JSON "variation").
    public struct Settings: Sendable, Equatable {
        public var seed: UInt64 = 1
        /// σ of the capacity factor [1] (0.01 = 1 %).
        public var capacityStdFraction = 0.0
        /// σ of the resistance factor [1].
        public var resistanceStdFraction = 0.0
        /// σ of the initial SOC [1] (0.01 = 1 SOC point).
        public var initialSOCStd = 0.0
        /// σ of the initial temperature [K].
        public var temperatureStd_K = 0.0
        public init() {}
    }

    /// One cell's factors and offsets.
    public struct Cell: Sendable, Equatable {
        public var capacityFactor = 1.0
        public var resistanceFactor = 1.0
        /// Deviation of the initial SOC from the pack's [1] (applied again by a reset).
        public var socOffset = 0.0
        /// Deviation of the initial temperature from the pack's [K].
        public var temperatureOffset_K = 0.0
    }

    public let cells: [Cell]

    public init(settings s: Settings, count: Int) {
        var rng = SplitMix64(seed: s.seed)
        var out: [Cell] = []
        out.reserveCapacity(count)
        func clamped(_ z: Double) -> Double { min(max(z, -4), 4) }
        for _ in 0..<count {
            let z1 = clamped(rng.nextNormal()), z2 = clamped(rng.nextNormal())
            let z3 = clamped(rng.nextNormal()), z4 = clamped(rng.nextNormal())
            var c = Cell()
            c.capacityFactor = min(max(1 + s.capacityStdFraction * z1, 0.2), 5)
            c.resistanceFactor = min(max(1 + s.resistanceStdFraction * z2, 0.2), 5)
            c.socOffset = s.initialSOCStd * z3
            c.temperatureOffset_K = s.temperatureStd_K * z4
            out.append(c)
        }
        cells = out
    }

    /// The initial SOC of a cell whose pack starts at `soc` (clamped to 0…1).
    public static func soc(_ soc: Double, _ cell: Cell) -> Double { min(max(soc + cell.socOffset, 0), 1) }

    /// The initial temperature of a cell whose pack starts at `temperature_K` (kept within the
    /// API range).
    public static func temperature(_ t: Double, _ cell: Cell) -> Double {
        min(max(t + cell.temperatureOffset_K, Validate.minimumTemperature_K), Validate.maximumTemperature_K)
    }

    // MARK: applying factors to a model's parameters

    /// An ECM with capacity × q and every resistance table (R0 and the RC resistances) × r; the
    /// RC time constants are kept (so the capacitances scale by 1/r), the OCV and thermal
    /// parameters are those of the design.
    public static func apply(_ cell: Cell, to p: ECMParameters<Double>) throws(LithosError) -> ECMParameters<Double> {
        if cell.capacityFactor == 1 && cell.resistanceFactor == 1 { return p }
        let r = cell.resistanceFactor
        func scaled(_ t: BilinearTable<Double>) throws(LithosError) -> BilinearTable<Double> {
            try BilinearTable(xs: t.xs, ys: t.ys, values: t.values.map { $0 * r }, name: "resistance")
        }
        var rc: [BilinearTable<Double>] = []
        for t in p.rcResistances { rc.append(try scaled(t)) }
        return try ECMParameters(capacity_Ah: p.capacity_Ah * cell.capacityFactor, chargeEfficiency: p.chargeEfficiency,
                                 openCircuitVoltage: p.openCircuitVoltage, entropicCoefficient: p.entropicCoefficient,
                                 seriesResistance: try scaled(p.seriesResistance), rcResistances: rc,
                                 rcTimeConstants: p.rcTimeConstants, hysteresisMagnitude: p.hysteresisMagnitude,
                                 instantaneousHysteresis_V: p.instantaneousHysteresis_V, hysteresisRate: p.hysteresisRate,
                                 thermal: p.thermal, limits: p.limits)
    }

    /// An SSB cell with capacity × q and every resistance × r: the electrode area × q (capacity
    /// and every current scale with it), and every area-specific resistance × q·r so that the
    /// cell's resistances (ASR / area) are r × nominal — the collector/contact ASR, the SE
    /// conductivity law ÷ q·r (separator and composite ionic paths), the composites'
    /// electronic conductivity ÷ q·r, the CAM|SE and Li|SE interface resistances × q·r and the
    /// exchange current densities ÷ q·r (charge-transfer resistance). Diffusion, OCPs and
    /// thermal parameters are not varied.
    public static func apply(_ cell: Cell, to p: SolidStateCellParameters) throws(LithosError) -> SolidStateCellParameters {
        if cell.capacityFactor == 1 && cell.resistanceFactor == 1 { return p }
        let q = cell.capacityFactor
        let k = q * cell.resistanceFactor
        var s = p
        s.area_m2 = p.area_m2 * q
        s.capacity_Ah = p.capacity_Ah * q
        s.seriesResistance_ohm_m2 = p.seriesResistance_ohm_m2 * k
        switch p.electrolyteConductivity {
        case let .arrhenius(sigma, e): s.electrolyteConductivity = .arrhenius(conductivity25C_S_per_m: sigma / k, activationEnergy_J_per_mol: e)
        case let .vogelTammannFulcher(a, b, t0):
            s.electrolyteConductivity = .vogelTammannFulcher(prefactor_S_per_m: a / k, pseudoActivationEnergy_J_per_mol: b, idealGlassTemperature_K: t0)
        }
        func electrode(_ e: IntercalationElectrodeParameters) -> IntercalationElectrodeParameters {
            var x = e
            x.electronicConductivity_S_per_m = e.electronicConductivity_S_per_m / k
            x.interfaceResistance_ohm_m2 = e.interfaceResistance_ohm_m2 * k
            x.kinetics.valueAtHalfStoichiometry.valueAt25C = e.kinetics.valueAtHalfStoichiometry.valueAt25C / k
            return x
        }
        s.positive = electrode(p.positive)
        switch p.negative {
        case let .intercalation(n): s.negative = .intercalation(electrode(n))
        case var .lithiumMetal(li):
            li.interfaceResistance_ohm_m2 *= k
            li.exchangeCurrentDensity.valueAt25C /= k
            s.negative = .lithiumMetal(li)
        }
        try s.validate()
        return s
    }
}

/// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a tiny, fast, well-mixed 64-bit generator —
/// enough for drawing cell variations, and the same sequence everywhere.
public struct SplitMix64: Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal by Marsaglia's polar method (uses log and sqrt only; the second value
    /// of each pair is discarded so one call consumes a deterministic, independent sequence).
    public mutating func nextNormal() -> Double {
        while true {
            let u = 2 * nextUniform() - 1, v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * Double.sqrt(-2 * Double.log(s) / s) }
        }
    }
}
