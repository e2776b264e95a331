/// The negative side of the stack.
///
/// JSON, one of:
/// - `{"type": "lithium_metal", "material": "Li", "thickness_um": 20}` — a Li foil (`material`
///   defaults to "Li" and must be lithium metal);
/// - `{"type": "anode_free"}` — no anode: Li plates from the cathode onto the negative collector;
/// - `{"type": "composite", ...}` — an intercalation/alloy host mixed with SE, keys as
///   `CompositeElectrode` (active_material of role anode: Graphite, Si, LTO, In-Li, …).
public enum AnodeLayer: Sendable, Equatable {
    case lithiumMetal(LithiumFoil)
    case anodeFree
    case composite(CompositeElectrode)

    /// The JSON `type` names.
    public static let typeNames = ["lithium_metal", "anode_free", "composite"]

    /// Layer thickness [m] (0 for anode-free).
    public var thickness_m: Double {
        switch self {
        case let .lithiumMetal(foil): return foil.thickness_m
        case .anodeFree: return 0
        case let .composite(electrode): return electrode.thickness_m
        }
    }

    /// Layer mass per area [kg/m^2] (0 for anode-free: the plated Li is counted in the cathode's
    /// lithium inventory, i.e. in the CAM mass).
    public func arealMass_kg_per_m2() throws(LithosError) -> Double {
        switch self {
        case let .lithiumMetal(foil): return try foil.arealMass_kg_per_m2()
        case .anodeFree: return 0
        case let .composite(electrode): return try electrode.arealMass_kg_per_m2()
        }
    }

    /// Practical capacity of the negative electrode per area [A·h/m^2]: the Li foil's full
    /// capacity (Li metal has no host structure to keep, so practical = theoretical), the
    /// composite's practical capacity, 0 for anode-free.
    public func arealCapacity_Ah_per_m2() throws(LithosError) -> Double {
        switch self {
        case let .lithiumMetal(foil): return try foil.arealCapacity_Ah_per_m2()
        case .anodeFree: return 0
        case let .composite(electrode): return try electrode.arealCapacities_Ah_per_m2().practical
        }
    }

    init(reading r: inout JSONObjectReader, defaultElectrolyte: String) throws(LithosError) {
        let type = try r.string("type")
        switch type {
        case "lithium_metal":
            self = .lithiumMetal(try LithiumFoil(reading: &r))
        case "anode_free":
            self = .anodeFree
        case "composite":
            self = .composite(try CompositeElectrode(reading: &r, activeRole: .anode,
                                                     defaultElectrolyte: defaultElectrolyte))
        default:
            throw r.fail("type", "must be one of \(Self.typeNames.joined(separator: ", ")) (got \"\(type)\")")
        }
        try r.finish()
        if case let .composite(electrode) = self {
            try electrode.validateIonicPath(path: r.path)
        }
    }

    func toJSON() -> JSONValue {
        switch self {
        case let .lithiumMetal(foil):
            return .object([
                ("type", .string("lithium_metal")),
                ("material", .string(foil.material.nameString)),
                ("thickness_um", .number(foil.thickness_um)),
            ])
        case .anodeFree:
            return .object([("type", .string("anode_free"))])
        case let .composite(electrode):
            return .object([("type", .string("composite"))] + electrode.jsonMembers())
        }
    }
}

/// A dense lithium-metal foil anode.
public struct LithiumFoil: Sendable, Equatable {
    /// The foil material (lithium metal).
    public let material: Material
    /// Foil thickness [µm].
    public let thickness_um: Double

    /// Thickness [m].
    public var thickness_m: Double { thickness_um / 1e6 }   // division: 30 µm → exactly 30e-6

    /// Foil mass per area [kg/m^2].
    public func arealMass_kg_per_m2() throws(LithosError) -> Double {
        thickness_m * (try positiveProperty(material, MaterialKey.density, for: "the Li foil mass"))
    }

    /// Foil capacity per area [A·h/m^2] = mass × theoretical capacity.
    public func arealCapacity_Ah_per_m2() throws(LithosError) -> Double {
        try arealMass_kg_per_m2()
            * (try positiveProperty(material, MaterialKey.theoreticalCapacity, for: "the Li foil capacity"))
    }

    init(reading r: inout JSONObjectReader) throws(LithosError) {
        material = try r.material("material", role: .anode, default: "Li")
        if material.openCircuitPotential != .lithiumMetal {
            throw r.fail(.config, "material",
                "must be lithium metal for type lithium_metal (got \(material.name)); use {\"type\": \"composite\", \"active_material\": \"\(material.name)\", …} for an intercalation or alloy anode")
        }
        thickness_um = try r.positive("thickness_um", minimum: CellDesignLimits.minimumThickness_um,
                                      maximum: CellDesignLimits.maximumThickness_um)
    }

    public static func == (a: LithiumFoil, b: LithiumFoil) -> Bool {
        a.material.nameString == b.material.nameString && a.thickness_um == b.thickness_um
    }
}
