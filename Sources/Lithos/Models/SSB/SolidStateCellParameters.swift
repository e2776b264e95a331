/// An intercalation electrode of a solid-state cell: a composite of active particles (one
/// representative particle in SSB-SPM, one per through-thickness node in SSB-P2D) and the
/// solid-electrolyte network. SI units throughout.
public struct IntercalationElectrodeParameters: Sendable, Equatable {
    /// Open-circuit potential of the active material vs Li⁺/Li.
    public var openCircuitPotential: OpenCircuitPotential
    /// Layer thickness L [m].
    public var thickness_m: Double
    /// Active-material volume fraction ε_AM [1].
    public var activeFraction: Double
    /// Particle radius R [m].
    public var particleRadius_m: Double
    /// Maximum Li concentration in the host c_max [mol/m³].
    public var maximumConcentration_mol_per_m3: Double
    /// Stoichiometry θ = c/c_max at SOC 1 and at SOC 0 [1].
    public var stoichiometryAtFullCharge: Double
    public var stoichiometryAtFullDischarge: Double
    /// Solid diffusivity D(T) [m²/s].
    public var diffusivity: ArrheniusLaw
    /// Exchange current density at the active-material|SE interface.
    public var kinetics: ExchangeCurrentLaw
    /// CAM|SE interphase/space-charge resistance [Ω·m² of particle surface].
    public var interfaceResistance_ohm_m2: Double
    /// σ_eff/σ_SE of the SE network in the composite [1].
    public var ionicRelativeConductivity: Double
    /// Effective electronic conductivity of the composite [S/m].
    public var electronicConductivity_S_per_m: Double

    public init(openCircuitPotential: OpenCircuitPotential, thickness_m: Double, activeFraction: Double,
                particleRadius_m: Double, maximumConcentration_mol_per_m3: Double,
                stoichiometryAtFullCharge: Double, stoichiometryAtFullDischarge: Double,
                diffusivity: ArrheniusLaw, kinetics: ExchangeCurrentLaw, interfaceResistance_ohm_m2: Double,
                ionicRelativeConductivity: Double, electronicConductivity_S_per_m: Double) {
        self.openCircuitPotential = openCircuitPotential
        self.thickness_m = thickness_m
        self.activeFraction = activeFraction
        self.particleRadius_m = particleRadius_m
        self.maximumConcentration_mol_per_m3 = maximumConcentration_mol_per_m3
        self.stoichiometryAtFullCharge = stoichiometryAtFullCharge
        self.stoichiometryAtFullDischarge = stoichiometryAtFullDischarge
        self.diffusivity = diffusivity
        self.kinetics = kinetics
        self.interfaceResistance_ohm_m2 = interfaceResistance_ohm_m2
        self.ionicRelativeConductivity = ionicRelativeConductivity
        self.electronicConductivity_S_per_m = electronicConductivity_S_per_m
    }

    /// Particle surface area per electrode volume a = 3·ε_AM/R [1/m].
    public var specificInterfaceArea_per_m: Double { 3 * activeFraction / particleRadius_m }

    /// Stoichiometry at `soc`, linear in the window.
    @inlinable
    public func stoichiometry(soc: Double) -> Double {
        stoichiometryAtFullDischarge + soc * (stoichiometryAtFullCharge - stoichiometryAtFullDischarge)
    }

    /// Li per electrode area that the window holds [mol/m²]: ε_AM·L·c_max·|θ₀ − θ₁|.
    public var windowInventory_mol_per_m2: Double {
        activeFraction * thickness_m * maximumConcentration_mol_per_m3
            * abs(stoichiometryAtFullDischarge - stoichiometryAtFullCharge)
    }

    /// Ohmic resistance of the composite in the uniform-reaction limit, L/3·(1/σ_ion + 1/σ_el)
    /// [Ω·m²] (Newman & Tobias, J. Electrochem. Soc. 109 (1962) 1183), at SE conductivity σ_SE.
    @inlinable
    public func uniformReactionResistance_ohm_m2(electrolyteConductivity_S_per_m sigma: Double) -> Double {
        thickness_m / 3 * (1 / (sigma * ionicRelativeConductivity) + 1 / electronicConductivity_S_per_m)
    }

    /// Checks every number (finite, positive, fractions within range); `path` names the electrode.
    func validate(_ path: String) throws(LithosError) {
        func positive(_ x: Double, _ name: String) throws(LithosError) {
            guard x.isFinite && x > 0 else { throw LithosError(.config, "ssb parameters: \(path).\(name) must be finite and > 0 (got \(x))") }
        }
        try positive(thickness_m, "thickness_m")
        try positive(activeFraction, "active_fraction")
        try positive(particleRadius_m, "particle_radius_m")
        try positive(maximumConcentration_mol_per_m3, "max_concentration_mol_per_m3")
        try positive(diffusivity.valueAt25C, "diffusivity_m2_per_s")
        try positive(kinetics.valueAtHalfStoichiometry.valueAt25C, "kinetics")
        try positive(ionicRelativeConductivity, "ionic_relative_conductivity")
        try positive(electronicConductivity_S_per_m, "electronic_conductivity_S_per_m")
        guard activeFraction <= 1, ionicRelativeConductivity <= 1 else {
            throw LithosError(.config, "ssb parameters: \(path).active_fraction and ionic_relative_conductivity must be ≤ 1")
        }
        for (x, name) in [(stoichiometryAtFullCharge, "stoichiometry_at_full_charge"),
                          (stoichiometryAtFullDischarge, "stoichiometry_at_full_discharge")] {
            guard x.isFinite, x > 0, x < 1 else { throw LithosError(.config, "ssb parameters: \(path).\(name) must be within (0, 1) (got \(x))") }
        }
        guard stoichiometryAtFullCharge != stoichiometryAtFullDischarge else {
            throw LithosError(.config, "ssb parameters: \(path) has an empty stoichiometry window")
        }
        guard interfaceResistance_ohm_m2.isFinite, interfaceResistance_ohm_m2 >= 0 else {
            throw LithosError(.config, "ssb parameters: \(path).interface_resistance_ohm_m2 must be ≥ 0")
        }
        guard diffusivity.activationEnergy_J_per_mol.isFinite, kinetics.valueAtHalfStoichiometry.activationEnergy_J_per_mol.isFinite else {
            throw LithosError(.config, "ssb parameters: \(path) activation energies must be finite")
        }
    }
}

/// A lithium-metal negative electrode (a foil, or Li plated on the collector of an anode-free
/// cell): Butler–Volmer plating/stripping at the Li|SE interface plus a contact resistance.
public struct LithiumMetalParameters: Sendable, Equatable {
    /// Exchange current density of Li ⇌ Li⁺ + e⁻ at the Li|SE interface [A/m² of electrode], Arrhenius.
    public var exchangeCurrentDensity: ArrheniusLaw
    /// Li|SE interface (contact, interphase) resistance [Ω·m² of electrode].
    public var interfaceResistance_ohm_m2: Double
    /// Li metal per electrode area when the cell is at SOC 0 [mol/m²] (the excess lithium; 0 for
    /// an anode-free cell). At SOC s the anode holds this plus s × the cathode window.
    public var excessInventory_mol_per_m2: Double

    public init(exchangeCurrentDensity: ArrheniusLaw, interfaceResistance_ohm_m2: Double, excessInventory_mol_per_m2: Double) {
        self.exchangeCurrentDensity = exchangeCurrentDensity
        self.interfaceResistance_ohm_m2 = interfaceResistance_ohm_m2
        self.excessInventory_mol_per_m2 = excessInventory_mol_per_m2
    }
}

/// The negative electrode of a solid-state cell.
public enum NegativeElectrodeParameters: Sendable, Equatable {
    case lithiumMetal(LithiumMetalParameters)
    /// An intercalation/alloy composite (graphite, Si, LTO, In–Li); a single particle in both
    /// SSB-SPM and SSB-P2D.
    case intercalation(IntercalationElectrodeParameters)
}

/// Everything SSB-SPM and SSB-P2D need, in SI units, either derived from a `CellDesign`
/// (`SolidStateCellParameters.init(design:)`) or read from explicit JSON
/// (`SolidStateCellParameters.from(json:)`, docs/ssb-models.md).
public struct SolidStateCellParameters: Sendable, Equatable {
    /// Electrode area A [m²].
    public var area_m2: Double
    /// Capacity used for SOC [A·h] (by default the positive electrode's window).
    public var capacity_Ah: Double
    /// Voltage and temperature window.
    public var limits: ModelLimits
    /// Current collectors and contacts [Ω·m² of electrode].
    public var seriesResistance_ohm_m2: Double
    /// The solid electrolyte's conductivity law σ_SE(T).
    public var electrolyteConductivity: IonicConductivityLaw
    /// SE separator thickness [m] and its σ_eff/σ_SE [1].
    public var separatorThickness_m: Double
    public var separatorRelativeConductivity: Double
    public var positive: IntercalationElectrodeParameters
    public var negative: NegativeElectrodeParameters
    public var thermal: LumpedThermalModel<Double>
    /// Names of the electrodes' active materials (for JSON output).
    public var positiveMaterialName: String
    public var negativeMaterialName: String

    public init(area_m2: Double, capacity_Ah: Double, limits: ModelLimits, seriesResistance_ohm_m2: Double,
                electrolyteConductivity: IonicConductivityLaw, separatorThickness_m: Double,
                separatorRelativeConductivity: Double, positive: IntercalationElectrodeParameters,
                negative: NegativeElectrodeParameters, thermal: LumpedThermalModel<Double>,
                positiveMaterialName: String, negativeMaterialName: String) throws(LithosError) {
        self.area_m2 = area_m2
        self.capacity_Ah = capacity_Ah
        self.limits = limits
        self.seriesResistance_ohm_m2 = seriesResistance_ohm_m2
        self.electrolyteConductivity = electrolyteConductivity
        self.separatorThickness_m = separatorThickness_m
        self.separatorRelativeConductivity = separatorRelativeConductivity
        self.positive = positive
        self.negative = negative
        self.thermal = thermal
        self.positiveMaterialName = positiveMaterialName
        self.negativeMaterialName = negativeMaterialName
        try validate()
    }

    /// Capacity of the positive window [A·h]: ε·L·c_max·|Δθ|·F·A/3600.
    public var positiveWindowCapacity_Ah: Double {
        positive.windowInventory_mol_per_m2 * Physics.faraday * area_m2 / 3600
    }

    func validate() throws(LithosError) {
        func check(_ ok: Bool, _ message: String) throws(LithosError) {
            if !ok { throw LithosError(.config, "ssb parameters: \(message)") }
        }
        try check(area_m2.isFinite && area_m2 > 0 && area_m2 <= 100, "area_m2 must be within (0, 100] (got \(area_m2))")
        try check(capacity_Ah.isFinite && capacity_Ah > 0, "capacity_Ah must be > 0 (got \(capacity_Ah))")
        try check(limits.minimumVoltage_V.isFinite && limits.maximumVoltage_V.isFinite
                  && limits.minimumVoltage_V < limits.maximumVoltage_V, "minimum_voltage_V must be below maximum_voltage_V")
        try check(seriesResistance_ohm_m2.isFinite && seriesResistance_ohm_m2 >= 0, "series_resistance_ohm_m2 must be ≥ 0")
        try check(separatorThickness_m.isFinite && separatorThickness_m >= 0, "separator.thickness_m must be ≥ 0")
        try check(separatorRelativeConductivity.isFinite && separatorRelativeConductivity > 0 && separatorRelativeConductivity <= 1,
                  "separator.relative_conductivity must be within (0, 1]")
        let sigma = electrolyteConductivity.conductivity(at: Physics.referenceTemperature_K)
        try check(sigma.isFinite && sigma >= 0, "the electrolyte conductivity must be finite and ≥ 0")
        try positive.validate("positive")
        switch negative {
        case let .intercalation(n):
            try n.validate("negative")
        case let .lithiumMetal(li):
            try check(li.exchangeCurrentDensity.valueAt25C.isFinite && li.exchangeCurrentDensity.valueAt25C > 0,
                      "negative.kinetics exchange current density must be > 0")
            try check(li.interfaceResistance_ohm_m2.isFinite && li.interfaceResistance_ohm_m2 >= 0,
                      "negative.interface_resistance_ohm_m2 must be ≥ 0")
            try check(li.excessInventory_mol_per_m2.isFinite && li.excessInventory_mol_per_m2 >= 0,
                      "negative.lithium_inventory_mol_per_m2 must be ≥ 0")
        }
        try check(thermal.heatCapacity_J_per_K.isFinite && thermal.heatCapacity_J_per_K > 0
                  && thermal.heatTransfer_W_per_K.isFinite && thermal.heatTransfer_W_per_K >= 0,
                  "thermal parameters must be positive")
    }

    /// Fingerprint of every number (snapshots refuse other parameters).
    public var fingerprint: UInt64 {
        var h = FNV1a64()
        h.add(area_m2); h.add(capacity_Ah); h.add(limits.minimumVoltage_V); h.add(limits.maximumVoltage_V)
        h.add(limits.minimumTemperature_K); h.add(limits.maximumTemperature_K)
        h.add(seriesResistance_ohm_m2); h.add(separatorThickness_m); h.add(separatorRelativeConductivity)
        switch electrolyteConductivity {
        case let .arrhenius(a, b): h.add(UInt64(1)); h.add(a); h.add(b)
        case let .vogelTammannFulcher(a, b, c): h.add(UInt64(2)); h.add(a); h.add(b); h.add(c)
        }
        Self.add(positive, to: &h)
        switch negative {
        case let .intercalation(n): h.add(UInt64(3)); Self.add(n, to: &h)
        case let .lithiumMetal(li):
            h.add(UInt64(4)); h.add(li.exchangeCurrentDensity.valueAt25C); h.add(li.exchangeCurrentDensity.activationEnergy_J_per_mol)
            h.add(li.interfaceResistance_ohm_m2); h.add(li.excessInventory_mol_per_m2)
        }
        h.add(thermal.enabled ? UInt64(1) : 0); h.add(thermal.heatCapacity_J_per_K); h.add(thermal.heatTransfer_W_per_K)
        for b in positiveMaterialName.utf8 { h.add(b) }
        for b in negativeMaterialName.utf8 { h.add(b) }
        return h.value
    }

    private static func add(_ e: IntercalationElectrodeParameters, to h: inout FNV1a64) {
        h.add(e.thickness_m); h.add(e.activeFraction); h.add(e.particleRadius_m); h.add(e.maximumConcentration_mol_per_m3)
        h.add(e.stoichiometryAtFullCharge); h.add(e.stoichiometryAtFullDischarge)
        h.add(e.diffusivity.valueAt25C); h.add(e.diffusivity.activationEnergy_J_per_mol)
        h.add(e.kinetics.valueAtHalfStoichiometry.valueAt25C); h.add(e.kinetics.valueAtHalfStoichiometry.activationEnergy_J_per_mol)
        h.add(e.kinetics.concentrationDependent ? UInt64(1) : 0)
        h.add(e.interfaceResistance_ohm_m2); h.add(e.ionicRelativeConductivity); h.add(e.electronicConductivity_S_per_m)
    }
}
