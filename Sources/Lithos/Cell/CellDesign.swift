/// A solid-state cell design: one unit cell of the stack — positive collector | composite cathode |
/// SE separator | anode (Li foil, anode-free, or composite) | negative collector — with its
/// electrode area and stack pressure. Immutable and always valid: the only way to make one is
/// `fromJSON`/`from(json:)`, which validate everything, and `metrics(at:)` never traps.
///
/// JSON (units as key suffixes; docs/cell-design.md lists every key, unit, default and range):
/// ```json
/// {"name": "NMC811 | Li6PS5Cl | Li", "area_cm2": 100, "stack_pressure_MPa": 5,
///  "anode": {"type": "lithium_metal", "material": "Li", "thickness_um": 20},
///  "separator": {"material": "Li6PS5Cl", "thickness_um": 30, "porosity": 0},
///  "cathode": {"active_material": "NMC811", "electrolyte": "Li6PS5Cl", "thickness_um": 60,
///              "volume_fractions": {"active": 0.6, "electrolyte": 0.33, "carbon": 0.02, "binder": 0, "porosity": 0.05},
///              "active_particle_radius_um": 2.5, "electrolyte_particle_radius_um": 1.0},
///  "current_collectors": {"positive": {"material": "Al", "thickness_um": 12},
///                         "negative": {"material": "Cu", "thickness_um": 10}}}
/// ```
public struct CellDesign: Sendable, Equatable {
    /// Free-form name.
    public let name: String
    /// Electrode (footprint) area [cm²], as given in the design.
    public let area_cm2: Double
    /// Applied stack pressure [MPa], as given in the design.
    public let stackPressure_MPa: Double
    /// Negative side.
    public let anode: AnodeLayer
    /// SE separator.
    public let separator: SeparatorLayer
    /// Composite cathode.
    public let cathode: CompositeElectrode
    /// Current collectors.
    public let collectors: CurrentCollectors

    /// Default name.
    public static let defaultName = "unnamed cell"
    /// Default area [cm²]: a lab pellet cell (≈ 1 cm², e.g. 10–12 mm dies).
    public static let defaultArea_cm2 = 1.0
    /// Default stack pressure [MPa]: 5 MPa, an upper target for practical (pouch/module) SSB
    /// packs; lab pellet cells often run at 10–75 MPa (SEED 001 L310: ≈13 MPa).
    public static let defaultStackPressure_MPa = 5.0

    /// Electrode area [m²].
    public var area_m2: Double { area_cm2 / 1e4 }
    /// Stack pressure [Pa].
    public var stackPressure_Pa: Double { stackPressure_MPa * 1e6 }

    /// Parses and validates a cell-design JSON document.
    /// Errors: `.parse` (malformed JSON), `.config` (missing/unknown key, wrong type, non-positive
    /// thickness, fractions not summing to 1, wrong-role material, composite that does not
    /// percolate), `.notFound` (unknown material), `.outOfRange` (beyond the sane maxima),
    /// `.notSupported` (a material lacks a number the metrics need).
    public static func fromJSON(_ text: String) throws(LithosError) -> CellDesign {
        try from(json: try JSONParser.parse(text))
    }

    /// Validates a parsed cell-design document (see `fromJSON`).
    public static func from(json: JSONValue) throws(LithosError) -> CellDesign {
        var root = try JSONObjectReader(json, path: "", context: CellDesignLimits.context)
        let design = try CellDesign(reading: &root)
        // Every number the metrics need must exist: evaluate once at 25 °C so that a design that
        // is accepted can always report its metrics.
        _ = try design.metrics(at: Physics.referenceTemperature_K)
        return design
    }

    private init(reading root: inout JSONObjectReader) throws(LithosError) {
        name = try root.string("name", default: Self.defaultName)
        area_cm2 = try root.positive("area_cm2", default: Self.defaultArea_cm2, minimum: CellDesignLimits.minimumArea_cm2,
                                  maximum: CellDesignLimits.maximumArea_cm2)
        let pressure = try root.number("stack_pressure_MPa", default: Self.defaultStackPressure_MPa)
        if pressure < 0 {
            throw root.fail(.config, "stack_pressure_MPa", "must be ≥ 0 (got \(formatForMessage(pressure)))")
        }
        if pressure > CellDesignLimits.maximumStackPressure_MPa {
            throw root.fail(.outOfRange, "stack_pressure_MPa",
                            "must be ≤ \(formatForMessage(CellDesignLimits.maximumStackPressure_MPa)) (got \(formatForMessage(pressure)))")
        }
        stackPressure_MPa = pressure

        // The separator first: its electrolyte is the default of the electrodes' electrolyte.
        var separatorReader = try root.object("separator")
        separator = try SeparatorLayer(reading: &separatorReader)
        let defaultElectrolyte = separator.material.nameString

        var anodeReader = try root.object("anode")
        anode = try AnodeLayer(reading: &anodeReader, defaultElectrolyte: defaultElectrolyte)

        var cathodeReader = try root.object("cathode")
        cathode = try CompositeElectrode(reading: &cathodeReader, activeRole: .cathode,
                                         defaultElectrolyte: defaultElectrolyte)
        try cathodeReader.finish()
        try cathode.validateIonicPath(path: cathodeReader.path)
        try cathode.validateElectronicPath(path: cathodeReader.path)

        collectors = try CurrentCollectors(reading: &root)
        try root.finish()
    }

    /// Normalised design: canonical material names and every default filled in, in schema order.
    /// `from(json: toJSON())` gives an identical design.
    public func toJSON() -> JSONValue {
        .object([
            ("name", .string(name)),
            ("area_cm2", .number(area_cm2)),
            ("stack_pressure_MPa", .number(stackPressure_MPa)),
            ("anode", anode.toJSON()),
            ("separator", separator.toJSON()),
            ("cathode", .object(cathode.jsonMembers())),
            ("current_collectors", collectors.toJSON()),
        ])
    }
}
