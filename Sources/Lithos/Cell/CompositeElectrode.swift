/// A composite electrode layer: active material + solid electrolyte + carbon + binder + pores,
/// pressed or cast to a thickness. The cathode of every design is one; a composite anode
/// (graphite, Si, LTO, In–Li with SE) is another.
///
/// JSON (cathode; a composite anode has the same keys plus `"type": "composite"`):
/// ```json
/// {"active_material": "NMC811", "electrolyte": "Li6PS5Cl", "thickness_um": 60,
///  "volume_fractions": {"active": 0.60, "electrolyte": 0.33, "carbon": 0.02, "binder": 0, "porosity": 0.05},
///  "active_particle_radius_um": 2.5, "electrolyte_particle_radius_um": 1.0}
/// ```
/// `electrolyte` defaults to the separator's electrolyte; the particle radii default to the
/// material's `particle_radius_m` when the database has one, else to
/// `defaultActiveParticleRadius_um` / `defaultElectrolyteParticleRadius_um`.
public struct CompositeElectrode: Sendable, Equatable {
    /// Active material (role cathode for the cathode, anode for a composite anode).
    public let activeMaterial: Material
    /// Solid electrolyte mixed into the electrode.
    public let electrolyte: Material
    /// Layer thickness [µm].
    public let thickness_um: Double
    /// Volume fractions of the layer.
    public let fractions: VolumeFractions
    /// Active-material particle radius [µm].
    public let activeParticleRadius_um: Double
    /// Solid-electrolyte particle radius [µm].
    public let electrolyteParticleRadius_um: Double

    /// Radius used when neither the design nor the database gives one [µm]: a Ni-rich NMC
    /// secondary particle is ≈10 µm across (Chen 2020: 5.22 µm radius).
    public static let defaultActiveParticleRadius_um = 5.0
    /// SE radius used when neither the design nor the database gives one [µm]: the fine,
    /// milled SE powders used in composite cathodes are 1–5 µm across.
    public static let defaultElectrolyteParticleRadius_um = 1.0

    /// Thickness [m].
    public var thickness_m: Double { thickness_um / 1e6 }   // division: 30 µm → exactly 30e-6

    /// CAM/SE particle-size ratio λ = r_active / r_SE [1].
    public var sizeRatio: Double { activeParticleRadius_um / electrolyteParticleRadius_um }

    /// The percolation law of the SE network of this electrode (see `EffectiveConductivity`).
    public var ionicLaw: PercolationLaw {
        EffectiveConductivity.ionicLaw(sizeRatio: sizeRatio, porosity: fractions.porosity)
    }

    /// σ_eff / σ_SE of the SE network [1]; > 0 for every valid design.
    public var relativeIonicConductivity: Double {
        ionicLaw.relativeConductivity(fractions.electrolyte)
    }

    /// Ionic tortuosity factor τ = ε_SE·σ_SE/σ_eff [1] (temperature-independent).
    public var ionicTortuosityFactor: Double {
        EffectiveConductivity.tortuosityFactor(fraction: fractions.electrolyte,
                                               relativeConductivity: relativeIonicConductivity)
    }

    /// Effective Li⁺ conductivity of the composite at temperature [K] → [S/m].
    public func ionicConductivity(at temperature_K: Double) throws(LithosError) -> Double {
        try electrolyte.ionicConductivity(at: temperature_K) * relativeIonicConductivity
    }

    /// Effective electronic conductivity [S/m]: carbon network + the active material's own
    /// network (its `electronic_conductivity_S_per_m`, 0 when the database has none).
    public var electronicConductivity_S_per_m: Double {
        EffectiveConductivity.electronicConductivity(
            carbonFraction: fractions.carbon, activeFraction: fractions.active,
            activeConductivity_S_per_m: activeMaterial.value(MaterialKey.electronicConductivity) ?? 0,
            sizeRatio: sizeRatio, porosity: fractions.porosity)
    }

    /// Active-material mass per electrode area [kg/m^2].
    public func activeLoading_kg_per_m2() throws(LithosError) -> Double {
        let rho = try positiveProperty(activeMaterial, MaterialKey.density, for: "the active-material mass")
        return thickness_m * fractions.active * rho
    }

    /// Mass per electrode area of all solids (active, SE, carbon, binder) [kg/m^2].
    public func arealMass_kg_per_m2() throws(LithosError) -> Double {
        let rhoActive = try positiveProperty(activeMaterial, MaterialKey.density, for: "the electrode mass")
        let rhoSE = try positiveProperty(electrolyte, MaterialKey.density, for: "the electrode mass")
        let perVolume = fractions.active * rhoActive + fractions.electrolyte * rhoSE
            + fractions.carbon * ElectrodeAdditives.carbonDensity_kg_per_m3
            + fractions.binder * ElectrodeAdditives.binderDensity_kg_per_m3
        return thickness_m * perVolume
    }

    /// Theoretical and practical capacity per area [A·h/m^2]: loading × mAh/g (1 kg·mAh/g = 1 A·h).
    public func arealCapacities_Ah_per_m2() throws(LithosError) -> (theoretical: Double, practical: Double) {
        let loading = try activeLoading_kg_per_m2()
        let qTheory = try positiveProperty(activeMaterial, MaterialKey.theoreticalCapacity, for: "the theoretical capacity")
        let qPractical = try positiveProperty(activeMaterial, MaterialKey.practicalCapacity, for: "the practical capacity")
        return (loading * qTheory, loading * qPractical)
    }

    // MARK: JSON

    /// Reads the keys of an electrode object from `r` (the caller calls `finish()` and then the
    /// `validate…Path` checks). `activeRole`: the role the active material must have;
    /// `defaultElectrolyte`: the separator's electrolyte.
    init(reading r: inout JSONObjectReader, activeRole: MaterialRole,
         defaultElectrolyte: String) throws(LithosError) {
        activeMaterial = try r.material("active_material", role: activeRole)
        if activeMaterial.openCircuitPotential == .lithiumMetal {
            throw r.fail(.config, "active_material",
                "is lithium metal, which is not a composite-electrode host; use {\"type\": \"lithium_metal\"} for a Li foil")
        }
        electrolyte = try r.material("electrolyte", role: .solidElectrolyte, default: defaultElectrolyte)
        thickness_um = try r.positive("thickness_um", minimum: CellDesignLimits.minimumThickness_um,
                                      maximum: CellDesignLimits.maximumThickness_um)
        fractions = try VolumeFractions(reading: &r)
        let activeDefault = Self.radiusFromDatabase(activeMaterial) ?? Self.defaultActiveParticleRadius_um
        activeParticleRadius_um = try r.positive("active_particle_radius_um", default: activeDefault,
                                                 minimum: CellDesignLimits.minimumParticleRadius_um,
                                                 maximum: CellDesignLimits.maximumParticleRadius_um)
        let seDefault = Self.radiusFromDatabase(electrolyte) ?? Self.defaultElectrolyteParticleRadius_um
        electrolyteParticleRadius_um = try r.positive("electrolyte_particle_radius_um", default: seDefault,
                                                      minimum: CellDesignLimits.minimumParticleRadius_um,
                                                      maximum: CellDesignLimits.maximumParticleRadius_um)
    }

    /// Checks that the SE network percolates (`path` is the electrode's JSON path, for messages).
    func validateIonicPath(path: String) throws(LithosError) {
        let law = ionicLaw
        if !law.percolates(fractions.electrolyte) {
            throw LithosError(.config,
                "\(CellDesignLimits.context): \(path).volume_fractions.electrolyte = \(formatForMessage(fractions.electrolyte)) "
                + "is at or below the ionic percolation threshold \(formatForMessage(law.threshold)) of this composite "
                + "(λ = r_active/r_SE = \(formatForMessage(sizeRatio)), porosity \(formatForMessage(fractions.porosity))): "
                + "the solid electrolyte does not percolate and the electrode conducts no Li+. Raise the electrolyte fraction "
                + "above \(formatForMessage(law.threshold)), lower the porosity, or use larger active particles (or finer SE)")
        }
    }

    /// Checks that electrons reach the active material (cathodes: carbon or a conducting CAM).
    func validateElectronicPath(path: String) throws(LithosError) {
        if !(electronicConductivity_S_per_m > 0) {
            let own = activeMaterial.value(MaterialKey.electronicConductivity)
            let ownText = own.map { "its \(MaterialKey.electronicConductivity) is \(formatForMessage($0))" }
                ?? "the database has no \(MaterialKey.electronicConductivity) for it"
            throw LithosError(.config,
                "\(CellDesignLimits.context): \(path) has no electronic path: carbon fraction \(formatForMessage(fractions.carbon)) "
                + "is at or below the carbon percolation threshold \(formatForMessage(EffectiveConductivity.carbonThreshold)) "
                + "and \(activeMaterial.name) cannot carry the current alone (\(ownText)). Add conductive carbon "
                + "(volume_fractions.carbon > \(formatForMessage(EffectiveConductivity.carbonThreshold)))")
        }
    }

    private static func radiusFromDatabase(_ material: Material) -> Double? {
        guard let r = material.value(MaterialKey.particleRadius), r.isFinite, r > 0 else { return nil }
        let um = r * 1e6
        return um >= CellDesignLimits.minimumParticleRadius_um && um <= CellDesignLimits.maximumParticleRadius_um ? um : nil
    }

    /// Normalised JSON members (canonical names, every default filled in).
    func jsonMembers() -> [(key: String, value: JSONValue)] {
        [
            ("active_material", .string(activeMaterial.nameString)),
            ("electrolyte", .string(electrolyte.nameString)),
            ("thickness_um", .number(thickness_um)),
            ("volume_fractions", fractions.toJSON()),
            ("active_particle_radius_um", .number(activeParticleRadius_um)),
            ("electrolyte_particle_radius_um", .number(electrolyteParticleRadius_um)),
        ]
    }

    public static func == (a: CompositeElectrode, b: CompositeElectrode) -> Bool {
        a.activeMaterial.nameString == b.activeMaterial.nameString
            && a.electrolyte.nameString == b.electrolyte.nameString
            && a.thickness_um == b.thickness_um && a.fractions == b.fractions
            && a.activeParticleRadius_um == b.activeParticleRadius_um
            && a.electrolyteParticleRadius_um == b.electrolyteParticleRadius_um
    }
}
