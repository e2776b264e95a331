/// SSB-SPM/P2D parameters derived from a cell design and the material database — the same
/// physics, numbers and sources as the design-derived ECM (`ECMFromCellDesign`), unlumped:
///
/// - electrode windows from `CellOpenCircuitVoltage` (cathode: the material's window; composite
///   anode: balanced against the cathode's practical capacity);
/// - c_max = ρ·Q_theo·3600/F, the crystallographic Li-site density, when the material gives
///   density and theoretical capacity (so the window holds exactly the practical capacity the
///   design metrics and the ECM use); the material's `max_concentration_mol_per_m3` otherwise.
///   For NMC811 this is 49 115 mol/m³ against Chen 2020's fitted 63 104 (which O'Regan et al.,
///   Electrochim. Acta 425 (2022) 140700 revise to 51 765);
/// - D(T), i₀(T) (concentration-dependent when the material gives a rate constant) from the
///   material; SE σ(T) from the separator/composite electrolyte's law; composite σ_eff from the
///   percolation laws of `EffectiveConductivity`; Li|SE resistance from the separator material;
///   Li inventory from the foil thickness;
/// - thermal and voltage limits exactly as `ECMFromCellDesign`;
/// - the current collectors' in-plane resistance (`CurrentCollectorLayer.inPlaneASR_ohm_m2`,
///   a full-width tab) as the series resistance.
/// CAM|SE interphase resistance: 0 (a fresh interface; the ageing models grow it).
extension SolidStateCellParameters {
    public init(design: CellDesign) throws(LithosError) {
        let ocv = try CellOpenCircuitVoltage(design: design)
        let metrics = try design.metrics(at: Physics.referenceTemperature_K)
        let cathode = design.cathode
        let positive = try Self.electrode(cathode, charged: ocv.positiveCharged, discharged: ocv.positiveDischarged)
        let negative: NegativeElectrodeParameters
        var negativeName = "Li"
        let interfaceASR = design.separator.material.value(MaterialKey.lithiumInterfaceResistance) ?? 0
        switch design.anode {
        case let .lithiumMetal(foil):
            let li = foil.material
            let i0 = DesignDerivedCell.lithiumExchangeCurrent(design)!   // a foil always has one
            let density = try li.require(MaterialKey.density, for: "the Li inventory")
            let molarMass = try li.require("molar_mass_g_per_mol", for: "the Li inventory") / 1000
            negative = .lithiumMetal(LithiumMetalParameters(exchangeCurrentDensity: i0, interfaceResistance_ohm_m2: interfaceASR,
                                                            excessInventory_mol_per_m2: foil.thickness_m * density / molarMass))
            negativeName = li.nameString
        case .anodeFree:
            let i0 = DesignDerivedCell.lithiumExchangeCurrent(design)!   // the default for anode-free
            negative = .lithiumMetal(LithiumMetalParameters(exchangeCurrentDensity: i0, interfaceResistance_ohm_m2: interfaceASR,
                                                            excessInventory_mol_per_m2: 0))
        case let .composite(electrode):
            negative = .intercalation(try Self.electrode(electrode, charged: ocv.negativeCharged, discharged: ocv.negativeDischarged))
            negativeName = electrode.activeMaterial.nameString
        }
        guard let law = design.separator.material.conductivityLaw else {
            throw LithosError(.notSupported, "ssb model: separator material \(design.separator.material.name) has no conductivity law")
        }
        let cam = cathode.activeMaterial
        let window = DesignDerivedCell.voltageWindow(design, ocv, emptyOCV_V: ocv.voltage(soc: 0, temperature_K: Physics.referenceTemperature_K),
                                                     fullOCV_V: ocv.voltage(soc: 1, temperature_K: Physics.referenceTemperature_K))
        let area = design.area_m2
        let separatorRelative = try design.separator.areaSpecificResistance(at: Physics.referenceTemperature_K) > 0
            ? design.separator.thickness_m / (law.conductivity(at: Physics.referenceTemperature_K)
                                              * design.separator.areaSpecificResistance(at: Physics.referenceTemperature_K))
            : 1
        let capacity = positive.windowInventory_mol_per_m2 * Physics.faraday * area / 3600
        try self.init(
            area_m2: area, capacity_Ah: capacity,
            limits: ModelLimits(minimumVoltage_V: window.minimum_V, maximumVoltage_V: window.maximum_V,
                                maximumTemperature_K: Self.maximumTemperature_K(law)),
            seriesResistance_ohm_m2: DesignDerivedCell.collectorASR_ohm_m2(design),
            electrolyteConductivity: law,
            separatorThickness_m: design.separator.thickness_m,
            separatorRelativeConductivity: min(max(separatorRelative, 1e-9), 1),
            positive: positive, negative: negative,
            thermal: DesignDerivedCell.thermal(design, metrics),
            positiveMaterialName: cam.nameString, negativeMaterialName: negativeName)
    }

    /// Upper temperature limit [K]: 60 °C for ceramic and glass electrolytes (the ECM's default),
    /// 80 °C for polymers (VTF law), which are meant to run hot: PEO cells operate at 60–80 °C,
    /// above the PEO melt (SEED 001 L235–L237).
    static func maximumTemperature_K(_ law: IonicConductivityLaw) -> Double {
        if case .vogelTammannFulcher = law { return 353.15 }
        return 333.15
    }

    /// One composite electrode of the design as particle-model parameters.
    static func electrode(_ e: CompositeElectrode, charged: Double, discharged: Double) throws(LithosError) -> IntercalationElectrodeParameters {
        let m = e.activeMaterial
        guard let ocp = m.openCircuitPotential else {
            throw LithosError(.notSupported, "ssb model: material \(m.name) has no open-circuit potential")
        }
        let cMax: Double
        if let rho = m.value(MaterialKey.density), let q = m.value(MaterialKey.theoreticalCapacity), rho > 0, q > 0 {
            cMax = rho * q * 3600 / Physics.faraday
        } else {
            cMax = try m.require(MaterialKey.maximumConcentration, for: "the particle model")
        }
        guard let diffusivity = m.diffusivityLaw else {
            throw LithosError(.notSupported, "ssb model: material \(m.name) has no solid diffusivity (\(MaterialKey.diffusivity25C))")
        }
        // Keep the window strictly inside (0, 1): the particle surface must have room to move.
        let theta1 = min(max(charged, 1e-6), 1 - 1e-6), theta0 = min(max(discharged, 1e-6), 1 - 1e-6)
        return IntercalationElectrodeParameters(
            openCircuitPotential: ocp, thickness_m: e.thickness_m, activeFraction: e.fractions.active,
            particleRadius_m: e.activeParticleRadius_um * 1e-6, maximumConcentration_mol_per_m3: cMax,
            stoichiometryAtFullCharge: theta1, stoichiometryAtFullDischarge: theta0,
            diffusivity: diffusivity, kinetics: databaseKinetics(m), interfaceResistance_ohm_m2: 0,
            ionicRelativeConductivity: min(e.relativeIonicConductivity, 1),
            electronicConductivity_S_per_m: e.electronicConductivity_S_per_m)
    }
}
