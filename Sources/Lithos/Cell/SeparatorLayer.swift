/// The solid-electrolyte separator: a dense (or slightly porous) SE layer between the electrodes.
///
/// JSON: `{"material": "Li6PS5Cl", "thickness_um": 30, "porosity": 0.0}` (`porosity` defaults to 0).
///
/// Its area-specific resistance is ASR = L / σ_eff with σ_eff = σ_SE(T)·P(1 − p): for a porous
/// separator the pores block like the pores of a composite (`EffectiveConductivity` with λ = 1,
/// pores of the SE-particle size), and P = 1 exactly for a dense layer.
public struct SeparatorLayer: Sendable, Equatable {
    /// The solid electrolyte.
    public let material: Material
    /// Thickness [µm].
    public let thickness_um: Double
    /// Pore volume fraction [1], 0 ≤ p < percolation limit.
    public let porosity: Double

    /// Thickness [m].
    public var thickness_m: Double { thickness_um / 1e6 }   // division: 30 µm → exactly 30e-6

    /// σ_eff / σ_SE from the porosity (1 for a dense separator).
    public var porosityFactor: Double {
        porosity == 0 ? 1 : Self.porousLaw(porosity).relativeConductivity(1 - porosity)
    }

    static func porousLaw(_ porosity: Double) -> PercolationLaw {
        EffectiveConductivity.ionicLaw(sizeRatio: 1, porosity: porosity)
    }

    /// The SE's bulk conductivity at temperature [K] → [S/m] (the material's Arrhenius/VTF law).
    public func bulkConductivity(at temperature_K: Double) throws(LithosError) -> Double {
        try material.ionicConductivity(at: temperature_K)
    }

    /// Area-specific resistance at temperature [K] → [Ω·m^2] = L / (σ_SE(T)·porosityFactor).
    /// Throws `.outOfRange` where the electrolyte does not conduct (a polymer below its ideal
    /// glass temperature).
    public func areaSpecificResistance(at temperature_K: Double) throws(LithosError) -> Double {
        let sigma = try bulkConductivity(at: temperature_K) * porosityFactor
        guard sigma > 0, sigma.isFinite else {
            throw LithosError(.outOfRange,
                "\(CellDesignLimits.context): separator electrolyte \(material.name) does not conduct Li+ at \(formatForMessage(temperature_K)) K; evaluate at a higher temperature")
        }
        return thickness_m / sigma
    }

    /// Mass per area [kg/m^2] (pores are empty).
    public func arealMass_kg_per_m2() throws(LithosError) -> Double {
        thickness_m * (1 - porosity) * (try positiveProperty(material, MaterialKey.density, for: "the separator mass"))
    }

    init(reading r: inout JSONObjectReader) throws(LithosError) {
        material = try r.material("material", role: .solidElectrolyte)
        thickness_um = try r.positive("thickness_um", minimum: CellDesignLimits.minimumThickness_um,
                                      maximum: CellDesignLimits.maximumThickness_um)
        porosity = try r.fraction("porosity", default: 0)
        let law = Self.porousLaw(porosity)
        if !law.percolates(1 - porosity) {
            throw r.fail(.config, "porosity",
                "= \(formatForMessage(porosity)) leaves the electrolyte below its percolation threshold (solid fraction \(formatForMessage(1 - porosity)) ≤ \(formatForMessage(law.threshold))): the separator would conduct no Li+; use a porosity below \(formatForMessage(Self.maximumPorosity))")
        }
        try r.finish()
    }

    /// Largest porosity at which the separator still percolates (solves 1 − p = φ_c(1, p)).
    public static var maximumPorosity: Double {
        let c0 = EffectiveConductivity.randomThreshold + EffectiveConductivity.sizeRatioThresholdShift / 2
        return (1 - c0) / (1 + EffectiveConductivity.porosityThresholdShift)
    }

    func toJSON() -> JSONValue {
        .object([
            ("material", .string(material.nameString)),
            ("thickness_um", .number(thickness_um)),
            ("porosity", .number(porosity)),
        ])
    }

    public static func == (a: SeparatorLayer, b: SeparatorLayer) -> Bool {
        a.material.nameString == b.material.nameString && a.thickness_um == b.thickness_um
            && a.porosity == b.porosity
    }
}
