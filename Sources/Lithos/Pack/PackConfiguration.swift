/// What a pack is made of: Ns series groups of Np parallel cells of one kind and design, their
/// variation, the resistances between them, balancing resistors, thermal coupling and the
/// pack's voltage window. Read from JSON by `PackConfiguration.fromJSON` (docs/packs.md).
///
/// Topology. Cell k = s·Np + p sits in series group s (0…Ns−1) at parallel position p. Inside a
/// group every cell connects to the group's node through its own tab resistance; the groups are
/// joined in series, each through one interconnect (busbar) resistance. Sense wire w (0…Ns)
/// sits on the node below group w (wire Ns is the pack's positive end); voltage channel s reads
/// wire s+1 − wire s, i.e. group s. Each cell has a temperature sensor (channel k).
public struct PackConfiguration: Sendable {
    /// Series groups Ns (1…1000) and cells per group Np (1…100).
    public var series: Int = 1
    public var parallel: Int = 1
    /// The cell design ("cell"), nil when the model options carry explicit parameters.
    public var design: CellDesign?
    /// Model kind, discretisation, thermal settings and explicit parameters ("model", as for
    /// `lithos_model_create`; its initial_soc/initial_temperature_K are the pack's defaults).
    public var modelOptions = ModelOptions()
    /// Pack initial SOC [1] and temperature [K] (each cell adds its variation).
    public var initialSOC: Double = 1
    public var initialTemperature_K: Double = Physics.referenceTemperature_K
    public var variation = CellVariation.Settings()
    /// Busbar resistance of each series group's connection [Ω] (Ns of them in the current path).
    public var interconnectResistance_ohm: Double = 0
    /// Tab/weld resistance of each cell to its group node [Ω].
    public var tabResistance_ohm: Double = 0
    /// Passive-balancing bleed resistor of each voltage channel [Ω].
    public var bleedResistance_ohm: Double = 33
    /// Whether the bleed resistor's heat goes into the group's cells (else only reported).
    public var bleedHeatToCells = false
    /// Thermal conductance between neighbouring cells of the Ns × Np grid [W/K] (0 = none).
    public var thermalCoupling_W_per_K: Double = 0
    /// Pack voltage window [V]; nil = Ns × the cell's window.
    public var minimumVoltage_V: Double?
    public var maximumVoltage_V: Double?
    /// The configuration's "cell" and "model" JSON as given (for `toJSON`).
    public var cellJSON: JSONValue?
    public var modelJSON: JSONValue?

    public init() {}

    public var cellCount: Int { series * parallel }

    public static let maximumSeries = 1000
    public static let maximumParallel = 100
    public static let maximumCells = 10_000

    static let context = "pack"

    public static func fromJSON(_ text: String) throws(LithosError) -> PackConfiguration {
        try from(json: JSONParser.parse(text))
    }

    public static func from(json: JSONValue) throws(LithosError) -> PackConfiguration {
        var r = try JSONObjectReader(json, path: "", context: context)
        var c = PackConfiguration()
        func whole(_ key: String, _ range: ClosedRange<Double>) throws(LithosError) -> Int {
            let x = try r.number(key, default: 1, in: range)
            guard x == x.rounded() else { throw r.fail(key, "must be a whole number (got \(JSONWriter.number(x)))") }
            return Int(x)
        }
        c.series = try whole("series", 1...Double(maximumSeries))
        c.parallel = try whole("parallel", 1...Double(maximumParallel))
        guard c.series * c.parallel <= maximumCells else {
            throw r.fail(.outOfRange, "series", "× parallel must be ≤ \(maximumCells) cells (got \(c.series * c.parallel))")
        }
        if let cell = r.value("cell") {
            c.cellJSON = cell
            if case let .string(name) = cell {
                guard name == "default" else {
                    throw r.fail("cell", "must be a cell design object or \"default\" (got \"\(name)\")")
                }
                c.design = try BuiltInCells.defaultDesign()
            } else {
                c.design = try CellDesign.from(json: cell)
            }
        }
        var optionsSetSOC = false, optionsSetTemperature = false
        if let model = r.value("model") {
            c.modelJSON = model
            c.modelOptions = try ModelOptions.from(json: model)
            optionsSetSOC = model["initial_soc"] != nil
            optionsSetTemperature = model["initial_temperature_K"] != nil
        }
        if c.design == nil && c.modelOptions.explicitECM == nil && c.modelOptions.explicitSSB == nil {
            throw r.fail("cell", "is required unless \"model\" carries explicit \"ecm\" or \"ssb\" parameters")
        }
        c.initialSOC = try r.number("initial_soc", default: optionsSetSOC ? c.modelOptions.initialSOC : 1, in: 0...1)
        c.initialTemperature_K = try r.number("initial_temperature_K",
                                              default: optionsSetTemperature ? c.modelOptions.initialTemperature_K : Physics.referenceTemperature_K,
                                              in: Validate.minimumTemperature_K...Validate.maximumTemperature_K)
        if var v = try r.optionalObject("variation") {
            let seed = try v.number("seed", default: 1, in: 0...9_007_199_254_740_992)
            guard seed == seed.rounded() else { throw v.fail("seed", "must be a whole number") }
            c.variation.seed = UInt64(seed)
            c.variation.capacityStdFraction = try v.number("capacity_std_fraction", default: 0, in: 0...0.2)
            c.variation.resistanceStdFraction = try v.number("resistance_std_fraction", default: 0, in: 0...0.2)
            c.variation.initialSOCStd = try v.number("initial_soc_std", default: 0, in: 0...0.2)
            c.variation.temperatureStd_K = try v.number("temperature_std_K", default: 0, in: 0...20)
            try v.finish()
        }
        c.interconnectResistance_ohm = try r.number("interconnect_resistance_ohm", default: 0, in: 0...10)
        c.tabResistance_ohm = try r.number("tab_resistance_ohm", default: 0, in: 0...10)
        c.bleedResistance_ohm = try r.number("bleed_resistance_ohm", default: 33, in: 0.01...1e6)
        c.bleedHeatToCells = try r.optionalBool("bleed_heat_to_cells") ?? false
        c.thermalCoupling_W_per_K = try r.number("thermal_coupling_W_per_K", default: 0, in: 0...1e3)
        if var l = try r.optionalObject("limits") {
            if l.contains("minimum_voltage_V") { c.minimumVoltage_V = try l.number("minimum_voltage_V", in: 0...1e5) }
            if l.contains("maximum_voltage_V") { c.maximumVoltage_V = try l.number("maximum_voltage_V", in: 0...1e5) }
            if let lo = c.minimumVoltage_V, let hi = c.maximumVoltage_V, !(lo < hi) {
                throw l.fail("minimum_voltage_V", "must be below maximum_voltage_V")
            }
            try l.finish()
        }
        try r.finish()
        c.modelOptions.initialSOC = c.initialSOC
        c.modelOptions.initialTemperature_K = c.initialTemperature_K
        return c
    }

    /// The configuration as normalised JSON (every default filled in), which `fromJSON` reads
    /// back to the same pack.
    public func toJSON(kind: ModelOptions.Kind, minimumVoltage_V lo: Double, maximumVoltage_V hi: Double) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("series", .number(Double(series))), ("parallel", .number(Double(parallel))),
        ]
        if let cellJSON { members.append(("cell", cellJSON)) }
        var model: [(key: String, value: JSONValue)] = []
        if case let .object(m)? = modelJSON { model = m.filter { $0.key != "kind" } }
        model.insert(("kind", .string(kind.rawValue)), at: 0)
        members.append(("model", .object(model)))
        members += [
            ("initial_soc", .number(initialSOC)), ("initial_temperature_K", .number(initialTemperature_K)),
            ("variation", .object([("seed", .number(Double(variation.seed))),
                                   ("capacity_std_fraction", .number(variation.capacityStdFraction)),
                                   ("resistance_std_fraction", .number(variation.resistanceStdFraction)),
                                   ("initial_soc_std", .number(variation.initialSOCStd)),
                                   ("temperature_std_K", .number(variation.temperatureStd_K))])),
            ("interconnect_resistance_ohm", .number(interconnectResistance_ohm)),
            ("tab_resistance_ohm", .number(tabResistance_ohm)),
            ("bleed_resistance_ohm", .number(bleedResistance_ohm)),
            ("bleed_heat_to_cells", .bool(bleedHeatToCells)),
            ("thermal_coupling_W_per_K", .number(thermalCoupling_W_per_K)),
            ("limits", .object([("minimum_voltage_V", .number(lo)), ("maximum_voltage_V", .number(hi))])),
        ]
        return .object(members)
    }
}
