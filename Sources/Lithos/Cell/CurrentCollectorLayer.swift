/// One current-collector foil.
///
/// JSON: `{"material": "Al", "thickness_um": 12}`.
public struct CurrentCollectorLayer: Sendable, Equatable {
    /// Foil material (role current_collector: Al, Cu, Ni, SS).
    public let material: Material
    /// Foil thickness [µm].
    public let thickness_um: Double

    /// Thickness [m].
    public var thickness_m: Double { thickness_um / 1e6 }   // division: 30 µm → exactly 30e-6

    /// In-plane resistance of the foil as an area-specific resistance [Ω·m² of electrode] for a
    /// square electrode of `area_m2` collected along one full edge (a full-width tab): the
    /// current in the foil grows linearly from the far edge, so R = R_sheet/3 with R_sheet =
    /// 1/(σ·t), and the ASR is R·A = A/(3σt). 0 when the material has no conductivity.
    public func inPlaneASR_ohm_m2(area_m2: Double) -> Double {
        guard let sigma = material.value(MaterialKey.electronicConductivity), sigma > 0, thickness_m > 0 else { return 0 }
        return area_m2 / (3 * sigma * thickness_m)
    }

    /// Foil mass per area [kg/m^2].
    public func arealMass_kg_per_m2() throws(LithosError) -> Double {
        thickness_m * (try positiveProperty(material, MaterialKey.density, for: "the current-collector mass"))
    }

    init(reading r: inout JSONObjectReader, defaultMaterial: String, defaultThickness_um: Double) throws(LithosError) {
        material = try r.material("material", role: .currentCollector, default: defaultMaterial)
        thickness_um = try r.positive("thickness_um", default: defaultThickness_um,
                                      minimum: CellDesignLimits.minimumThickness_um, maximum: CellDesignLimits.maximumThickness_um)
        try r.finish()
    }

    init(material: Material, thickness_um: Double) {
        self.material = material
        self.thickness_um = thickness_um
    }

    func toJSON() -> JSONValue {
        .object([("material", .string(material.nameString)), ("thickness_um", .number(thickness_um))])
    }

    public static func == (a: CurrentCollectorLayer, b: CurrentCollectorLayer) -> Bool {
        a.material.nameString == b.material.nameString && a.thickness_um == b.thickness_um
    }
}

/// The two collectors of one unit cell.
///
/// JSON: `{"positive": {"material": "Al", "thickness_um": 12}, "negative": {"material": "Cu", "thickness_um": 10}}`;
/// the whole object and each side are optional, defaulting to 12 µm Al and 10 µm Cu, the usual
/// foils of Li-ion cells.
public struct CurrentCollectors: Sendable, Equatable {
    /// Positive (cathode-side) foil.
    public let positive: CurrentCollectorLayer
    /// Negative (anode-side) foil; Li plates onto it in an anode-free cell.
    public let negative: CurrentCollectorLayer

    public static let defaultPositiveMaterial = "Al"
    public static let defaultPositiveThickness_um = 12.0
    public static let defaultNegativeMaterial = "Cu"
    public static let defaultNegativeThickness_um = 10.0

    /// Reads `current_collectors` of the root (absent → both defaults).
    init(reading root: inout JSONObjectReader) throws(LithosError) {
        var r = try Self.objectOrEmpty(&root, "current_collectors")
        var p = try Self.objectOrEmpty(&r, "positive")
        positive = try CurrentCollectorLayer(reading: &p, defaultMaterial: Self.defaultPositiveMaterial,
                                             defaultThickness_um: Self.defaultPositiveThickness_um)
        var n = try Self.objectOrEmpty(&r, "negative")
        negative = try CurrentCollectorLayer(reading: &n, defaultMaterial: Self.defaultNegativeMaterial,
                                             defaultThickness_um: Self.defaultNegativeThickness_um)
        try r.finish()
    }

    /// The nested object `key`, or an empty one (every key defaulted) when absent.
    private static func objectOrEmpty(_ parent: inout JSONObjectReader, _ key: String) throws(LithosError) -> JSONObjectReader {
        if let r = try parent.optionalObject(key) { return r }
        return try JSONObjectReader(.object([]), path: parent.keyPath(key), context: CellDesignLimits.context)
    }

    /// Both foils' thickness [m].
    public var thickness_m: Double { positive.thickness_m + negative.thickness_m }

    /// Both foils' mass per area [kg/m^2].
    public func arealMass_kg_per_m2() throws(LithosError) -> Double {
        try positive.arealMass_kg_per_m2() + negative.arealMass_kg_per_m2()
    }

    func toJSON() -> JSONValue {
        .object([("positive", positive.toJSON()), ("negative", negative.toJSON())])
    }
}
