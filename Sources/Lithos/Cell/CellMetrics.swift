/// Derived design metrics of a cell at one temperature: the Swift face of `lithos_cell_metrics`
/// (one stored property per C field except `struct_size`, same order, unit-suffixed names).
/// Stack level = one unit cell: both current collectors, anode, separator, cathode.
public struct CellMetrics: Sendable, Equatable {
    /// Temperature the metrics were evaluated at [K].
    public var temperature_K: Double
    /// Electrode (footprint) area [m²].
    public var area_m2: Double
    /// Cathode CAM mass × theoretical specific capacity [A·h].
    public var theoreticalCapacity_Ah: Double
    /// Cathode CAM mass × practical specific capacity [A·h].
    public var practicalCapacity_Ah: Double
    /// Practical capacity per area [mA·h/cm²].
    public var arealCapacity_mAh_per_cm2: Double
    /// Negative / positive practical capacity [1]; 0 for anode-free.
    public var npRatio: Double
    /// Mean OCV over the practical window [V].
    public var nominalVoltage_V: Double
    /// Practical capacity × nominal voltage [W·h].
    public var energy_Wh: Double
    /// Mass of all layers [kg].
    public var stackMass_kg: Double
    /// Thickness of all layers [m].
    public var stackThickness_m: Double
    /// Energy / stack mass [W·h/kg].
    public var specificEnergy_Wh_per_kg: Double
    /// Energy / stack volume [W·h/L].
    public var energyDensity_Wh_per_L: Double
    /// CAM mass per area [kg/m²].
    public var cathodeLoading_kg_per_m2: Double
    /// Separator effective conductivity at T [S/m].
    public var separatorConductivity_S_per_m: Double
    /// Separator area-specific resistance L/σ [Ω·m²].
    public var separatorASR_ohm_m2: Double
    /// Effective ionic conductivity of the composite cathode [S/m].
    public var cathodeIonicConductivity_S_per_m: Double
    /// Effective electronic conductivity of the composite cathode [S/m].
    public var cathodeElectronicConductivity_S_per_m: Double
    /// σ_SE·ε_SE/σ_eff of the cathode's SE network [1] (1 = straight channels).
    public var cathodeIonicTortuosityFactor: Double
    /// Ionic ASR of the composite cathode, L/(3σ_eff) for uniform reaction [Ω·m²].
    public var cathodeIonicASR_ohm_m2: Double
    /// Applied stack pressure [Pa].
    public var stackPressure_Pa: Double

    /// The metrics as a JSON object whose keys are the C struct's field names, in struct order.
    public func toJSON() -> JSONValue {
        .object([
            ("temperature_K", .number(temperature_K)),
            ("area_m2", .number(area_m2)),
            ("theoretical_capacity_Ah", .number(theoreticalCapacity_Ah)),
            ("practical_capacity_Ah", .number(practicalCapacity_Ah)),
            ("areal_capacity_mAh_per_cm2", .number(arealCapacity_mAh_per_cm2)),
            ("np_ratio", .number(npRatio)),
            ("nominal_voltage_V", .number(nominalVoltage_V)),
            ("energy_Wh", .number(energy_Wh)),
            ("stack_mass_kg", .number(stackMass_kg)),
            ("stack_thickness_m", .number(stackThickness_m)),
            ("specific_energy_Wh_per_kg", .number(specificEnergy_Wh_per_kg)),
            ("energy_density_Wh_per_L", .number(energyDensity_Wh_per_L)),
            ("cathode_loading_kg_per_m2", .number(cathodeLoading_kg_per_m2)),
            ("separator_conductivity_S_per_m", .number(separatorConductivity_S_per_m)),
            ("separator_asr_ohm_m2", .number(separatorASR_ohm_m2)),
            ("cathode_ionic_conductivity_S_per_m", .number(cathodeIonicConductivity_S_per_m)),
            ("cathode_electronic_conductivity_S_per_m", .number(cathodeElectronicConductivity_S_per_m)),
            ("cathode_ionic_tortuosity_factor", .number(cathodeIonicTortuosityFactor)),
            ("cathode_ionic_asr_ohm_m2", .number(cathodeIonicASR_ohm_m2)),
            ("stack_pressure_Pa", .number(stackPressure_Pa)),
        ])
    }
}

extension CellDesign {
    /// The design metrics at temperature [K].
    ///
    /// - Capacities: CAM mass m = A·L·φ_CAM·ρ_CAM; Q = m·q (1 kg × 1 mAh/g = 1 A·h) with q the
    ///   theoretical or practical specific capacity of the CAM.
    /// - N/P: Li foil A·L·ρ_Li·q_Li / Q_practical; composite anode Q_−,practical / Q_practical;
    ///   anode-free 0.
    /// - Nominal voltage: `NominalVoltage.mean`; energy = Q_practical × V_nom.
    /// - Stack mass: both collectors + anode (foil, or composite solids) + separator solids +
    ///   cathode solids (CAM, SE, carbon 1950 kg/m³, binder 1780 kg/m³); pores are empty.
    ///   Stack thickness: sum of the layers (as built, discharged: no plated Li in anode-free cells).
    /// - Wh/kg = E / mass; Wh/L = E / (A × thickness) / 1000 L/m³.
    /// - Separator: σ = σ_SE(T)·P(porosity), ASR = L/σ.
    /// - Cathode: σ_eff = σ_SE(T)·P(φ_SE; λ, porosity) (`EffectiveConductivity`),
    ///   τ = φ_SE/P, ASR_ion = L/(3σ_eff) — the uniform-reaction approximation: current enters
    ///   the composite at the separator and is consumed evenly through the thickness, so the
    ///   mean ionic path costs a third of the full-thickness resistance (Newman & Tobias 1962;
    ///   the low-current limit of a transmission line).
    ///
    /// Errors: `.invalidArgument` (NaN/∞ temperature), `.outOfRange` (temperature outside
    /// `Validate` limits, or an electrolyte that does not conduct at this temperature),
    /// `.notSupported` (a material lacks a number).
    public func metrics(at temperature_K: Double) throws(LithosError) -> CellMetrics {
        try Validate.temperature(temperature_K)
        let area = area_m2

        // Capacity and energy.
        let cathodeCapacity = try cathode.arealCapacities_Ah_per_m2()
        let theoretical = cathodeCapacity.theoretical * area
        let practical = cathodeCapacity.practical * area
        let negative = try anode.arealCapacity_Ah_per_m2()
        let np = negative / cathodeCapacity.practical   // practical > 0: validated by positiveProperty
        let voltage = try NominalVoltage.mean(cathode: cathode.activeMaterial, anode: anode,
                                              cathodePractical_Ah_per_m2: cathodeCapacity.practical,
                                              temperature_K: temperature_K)
        if !(voltage > 0) {
            throw LithosError(.config,
                "\(CellDesignLimits.context): the nominal voltage is \(formatForMessage(voltage)) V: the negative electrode's potential is not below the cathode's; this pairing cannot store energy")
        }
        let energy = practical * voltage

        // Mass and thickness of the unit cell.
        let arealMass = try collectors.arealMass_kg_per_m2() + anode.arealMass_kg_per_m2()
            + separator.arealMass_kg_per_m2() + cathode.arealMass_kg_per_m2()
        let mass = arealMass * area
        let thickness = collectors.thickness_m + anode.thickness_m + separator.thickness_m + cathode.thickness_m
        let volume_L = area * thickness * 1000

        // Transport.
        let separatorSigma = try separator.bulkConductivity(at: temperature_K) * separator.porosityFactor
        let separatorASR = try separator.areaSpecificResistance(at: temperature_K)
        let cathodeSigma = try cathode.ionicConductivity(at: temperature_K)
        guard cathodeSigma > 0, cathodeSigma.isFinite else {
            throw LithosError(.outOfRange,
                "\(CellDesignLimits.context): cathode electrolyte \(cathode.electrolyte.name) does not conduct Li+ at \(formatForMessage(temperature_K)) K; evaluate at a higher temperature")
        }

        let metrics = CellMetrics(
            temperature_K: temperature_K,
            area_m2: area,
            theoreticalCapacity_Ah: theoretical,
            practicalCapacity_Ah: practical,
            arealCapacity_mAh_per_cm2: practical * 1000 / area_cm2,
            npRatio: np,
            nominalVoltage_V: voltage,
            energy_Wh: energy,
            stackMass_kg: mass,
            stackThickness_m: thickness,
            specificEnergy_Wh_per_kg: energy / mass,
            energyDensity_Wh_per_L: energy / volume_L,
            cathodeLoading_kg_per_m2: try cathode.activeLoading_kg_per_m2(),
            separatorConductivity_S_per_m: separatorSigma,
            separatorASR_ohm_m2: separatorASR,
            cathodeIonicConductivity_S_per_m: cathodeSigma,
            cathodeElectronicConductivity_S_per_m: cathode.electronicConductivity_S_per_m,
            cathodeIonicTortuosityFactor: cathode.ionicTortuosityFactor,
            cathodeIonicASR_ohm_m2: cathode.thickness_m / (3 * cathodeSigma),
            stackPressure_Pa: stackPressure_Pa)
        // Validated inputs keep every field finite; check anyway so no NaN ever leaves the library.
        guard case let .object(members) = metrics.toJSON() else { return metrics }
        for (key, value) in members {
            if case let .number(x) = value, x.isFinite { continue }
            throw LithosError(.internal,
                "\(CellDesignLimits.context): metric \(key) is not finite at \(formatForMessage(temperature_K)) K; please report this design")
        }
        return metrics
    }
}
