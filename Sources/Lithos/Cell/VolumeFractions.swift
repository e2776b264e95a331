/// Volume fractions of a composite electrode (fractions of the whole electrode volume, pores
/// included). They sum to 1 within `CellDesignLimits.fractionSumTolerance`.
///
/// JSON: `{"active": 0.60, "electrolyte": 0.33, "carbon": 0.02, "binder": 0.0, "porosity": 0.05}`;
/// `active` and `electrolyte` are required, the others default to 0.
public struct VolumeFractions: Sendable, Equatable {
    /// Active material (CAM or anode host) [1].
    public let active: Double
    /// Solid electrolyte [1].
    public let electrolyte: Double
    /// Conductive carbon [1].
    public let carbon: Double
    /// Binder (PVDF-like, ionically and electronically blocking) [1].
    public let binder: Double
    /// Pores [1].
    public let porosity: Double

    init(active: Double, electrolyte: Double, carbon: Double, binder: Double, porosity: Double) {
        self.active = active
        self.electrolyte = electrolyte
        self.carbon = carbon
        self.binder = binder
        self.porosity = porosity
    }

    /// Smallest active fraction accepted [1].
    public static let minimumActive = 0.01

    /// Sum of the five fractions (1 within tolerance for a valid design).
    public var sum: Double { active + electrolyte + carbon + binder + porosity }

    /// Reads and validates `volume_fractions` of the electrode object `parent` (for messages).
    init(reading reader: inout JSONObjectReader) throws(LithosError) {
        var r = try reader.object("volume_fractions")
        active = try r.fraction("active")
        electrolyte = try r.fraction("electrolyte")
        carbon = try r.fraction("carbon", default: 0)
        binder = try r.fraction("binder", default: 0)
        // A composite that is all pores is not an electrode.
        porosity = try r.fraction("porosity", default: 0, upper: 1)
        try r.finish()
        let total = active + electrolyte + carbon + binder + porosity
        if abs(total - 1) > CellDesignLimits.fractionSumTolerance {
            throw LithosError(.config,
                "\(CellDesignLimits.context): \(r.path) sum to \(formatForMessage(total)), they must sum to 1 "
                + "(active \(formatForMessage(active)) + electrolyte \(formatForMessage(electrolyte)) "
                + "+ carbon \(formatForMessage(carbon)) + binder \(formatForMessage(binder)) "
                + "+ porosity \(formatForMessage(porosity)))")
        }
        if active < Self.minimumActive {
            throw r.fail(.config, "active",
                "must be ≥ \(formatForMessage(Self.minimumActive)) (got \(formatForMessage(active))): an electrode without active material stores no charge")
        }
        if porosity >= 1 {
            throw r.fail(.config, "porosity", "must be < 1 (got \(formatForMessage(porosity)))")
        }
    }

    func toJSON() -> JSONValue {
        .object([
            ("active", .number(active)),
            ("electrolyte", .number(electrolyte)),
            ("carbon", .number(carbon)),
            ("binder", .number(binder)),
            ("porosity", .number(porosity)),
        ])
    }
}
