/// Reading and writing the explicit SSB parameter JSON (model options key "ssb";
/// docs/ssb-models.md). Every electrode key falls back to the electrode's `active_material`
/// entry in the material database, so `{"active_material": "NMC811", "thickness_m": 6e-5,
/// "active_fraction": 0.6}` is a complete positive electrode.
extension SolidStateCellParameters {
    static let context = "ssb parameters"

    public static func fromJSON(_ text: String) throws(LithosError) -> SolidStateCellParameters {
        try from(json: JSONParser.parse(text))
    }

    public static func from(json: JSONValue) throws(LithosError) -> SolidStateCellParameters {
        var r = try JSONObjectReader(json, path: "ssb", context: context)
        let area = try r.positiveNumber("area_m2", maximum: 100)
        var electrolyteReader = try r.object("electrolyte")
        let law = try readConductivityLaw(&electrolyteReader)
        var separatorThickness = 0.0, separatorRelative = 1.0
        if var s = try r.optionalObject("separator") {
            separatorThickness = try s.number("thickness_m", default: 0, in: 0...0.01)
            separatorRelative = try s.number("relative_conductivity", default: 1, in: 1e-9...1)
            try s.finish()
        }
        var positiveReader = try r.object("positive")
        let (positive, positiveName) = try readIntercalation(&positiveReader, role: .cathode)
        var negativeReader = try r.object("negative")
        let negative: NegativeElectrodeParameters
        let negativeName: String
        let type = try negativeReader.string("type")
        switch type {
        case "lithium_metal":
            negative = .lithiumMetal(try readLithium(&negativeReader))
            negativeName = "Li"
        case "intercalation":
            let (n, name) = try readIntercalation(&negativeReader, role: .anode)
            negative = .intercalation(n)
            negativeName = name
        default:
            throw negativeReader.fail("type", "must be \"lithium_metal\" or \"intercalation\" (got \"\(type)\")")
        }
        try negativeReader.finish()
        let windowCapacity = positive.windowInventory_mol_per_m2 * Physics.faraday * area / 3600
        let capacity = try r.positiveNumber("capacity_Ah", default: windowCapacity, maximum: 1e6)
        let minimumV = try r.number("minimum_voltage_V", in: 0...10)
        let maximumV = try r.number("maximum_voltage_V", in: 0...10)
        let series = try r.number("series_resistance_ohm_m2", default: 0, in: 0...1)
        var thermal = LumpedThermalModel<Double>(enabled: false, heatCapacity_J_per_K: 1, heatTransfer_W_per_K: 0)
        if var t = try r.optionalObject("thermal") {
            thermal.enabled = try t.optionalBool("enabled") ?? true
            thermal.heatCapacity_J_per_K = try t.positiveNumber("heat_capacity_J_per_K", maximum: 1e9)
            thermal.heatTransfer_W_per_K = try t.number("heat_transfer_W_per_K", in: 0...1e6)
            try t.finish()
        }
        try r.finish()
        return try SolidStateCellParameters(
            area_m2: area, capacity_Ah: capacity,
            limits: ModelLimits(minimumVoltage_V: minimumV, maximumVoltage_V: maximumV),
            seriesResistance_ohm_m2: series, electrolyteConductivity: law,
            separatorThickness_m: separatorThickness, separatorRelativeConductivity: separatorRelative,
            positive: positive, negative: negative, thermal: thermal,
            positiveMaterialName: positiveName, negativeMaterialName: negativeName)
    }

    private static func readConductivityLaw(_ r: inout JSONObjectReader) throws(LithosError) -> IonicConductivityLaw {
        let law: IonicConductivityLaw
        if let name = try r.optionalString("material") {
            let m = try MaterialDatabase.material(named: name, role: .solidElectrolyte, for: "\(context): ssb.electrolyte.material")
            guard let l = m.conductivityLaw else { throw r.fail("material", "has no conductivity law") }
            law = l
        } else if r.contains("vtf_prefactor_S_per_m") {
            law = .vogelTammannFulcher(prefactor_S_per_m: try r.positiveNumber("vtf_prefactor_S_per_m", maximum: 1e12),
                                       pseudoActivationEnergy_J_per_mol: try r.number("vtf_pseudo_activation_energy_J_per_mol", in: 0...1e6),
                                       idealGlassTemperature_K: try r.number("vtf_ideal_glass_temperature_K", in: 0...1000))
        } else {
            let sigma = try r.positiveNumber("conductivity_S_per_m", maximum: 1e12)
            let ea = try r.number("activation_energy_J_per_mol", default: 0, in: 0...1e6)
            law = .arrhenius(conductivity25C_S_per_m: sigma, activationEnergy_J_per_mol: ea)
        }
        try r.finish()
        return law
    }

    private static func readKinetics(_ r: inout JSONObjectReader, material: Material?, maximumConcentration: Double) throws(LithosError) -> ExchangeCurrentLaw {
        if var k = try r.optionalObject("kinetics") {
            let ea = try k.number("activation_energy_J_per_mol", default: 0, in: 0...1e6)
            let law: ExchangeCurrentLaw
            if k.contains("reaction_rate_constant") {
                let rate = try k.positiveNumber("reaction_rate_constant", maximum: 1e6)
                let ce = try k.positiveNumber("reference_concentration_mol_per_m3", maximum: 1e6)
                law = .rateConstant(rate, referenceConcentration_mol_per_m3: ce, maximumConcentration_mol_per_m3: maximumConcentration,
                                    activationEnergy_J_per_mol: ea)
            } else {
                let i0 = try k.positiveNumber("exchange_current_density_A_per_m2", maximum: 1e9)
                let dependent = try k.optionalBool("concentration_dependent") ?? false
                law = ExchangeCurrentLaw(valueAtHalfStoichiometry: ArrheniusLaw(valueAt25C: i0, activationEnergy_J_per_mol: ea),
                                         concentrationDependent: dependent)
            }
            try k.finish()
            return law
        }
        guard let m = material else { throw r.fail("kinetics", "is required (no active_material to take it from)") }
        return SolidStateCellParameters.databaseKinetics(m)
    }

    private static func readIntercalation(_ r: inout JSONObjectReader, role: MaterialRole) throws(LithosError) -> (IntercalationElectrodeParameters, String) {
        let name = try r.string("active_material")
        let m = try MaterialDatabase.material(named: name, role: role, for: "\(context): \(r.keyPath("active_material"))")
        guard let ocp = m.openCircuitPotential, ocp != .lithiumMetal else {
            throw r.fail("active_material", "has no intercalation open-circuit potential")
        }
        func fromDatabase(_ key: String) -> Double? { m.value(key) }
        let thickness = try r.positiveNumber("thickness_m", maximum: 0.01)
        let fraction = try r.number("active_fraction", in: 1e-6...1)
        let radius = try r.positiveNumber("particle_radius_m", default: fromDatabase(MaterialKey.particleRadius), maximum: 1e-3)
        let cMax = try r.positiveNumber("max_concentration_mol_per_m3", default: fromDatabase(MaterialKey.maximumConcentration), maximum: 1e6)
        let theta1 = try r.number("stoichiometry_at_full_charge", default: fromDatabase(MaterialKey.stoichiometryAtFullCharge), in: 1e-9...(1 - 1e-9))
        let theta0 = try r.number("stoichiometry_at_full_discharge", default: fromDatabase(MaterialKey.stoichiometryAtFullDischarge), in: 1e-9...(1 - 1e-9))
        let d = try r.positiveNumber("diffusivity_m2_per_s", default: fromDatabase(MaterialKey.diffusivity25C), maximum: 1e-6)
        let dEa = try r.number("diffusivity_activation_energy_J_per_mol",
                               default: r.contains("diffusivity_m2_per_s") ? 0 : (fromDatabase(MaterialKey.diffusivityActivationEnergy) ?? 0), in: 0...1e6)
        let kinetics = try readKinetics(&r, material: m, maximumConcentration: cMax)
        let film = try r.number("interface_resistance_ohm_m2", default: 0, in: 0...100)
        let ionic = try r.number("ionic_relative_conductivity", default: 1, in: 1e-9...1)
        let electronic = try r.positiveNumber("electronic_conductivity_S_per_m",
                                              default: fromDatabase(MaterialKey.electronicConductivity) ?? 1e9, maximum: 1e12)
        try r.finish()
        return (IntercalationElectrodeParameters(
            openCircuitPotential: ocp, thickness_m: thickness, activeFraction: fraction, particleRadius_m: radius,
            maximumConcentration_mol_per_m3: cMax, stoichiometryAtFullCharge: theta1, stoichiometryAtFullDischarge: theta0,
            diffusivity: ArrheniusLaw(valueAt25C: d, activationEnergy_J_per_mol: dEa), kinetics: kinetics,
            interfaceResistance_ohm_m2: film, ionicRelativeConductivity: ionic, electronicConductivity_S_per_m: electronic),
                m.nameString)
    }

    private static func readLithium(_ r: inout JSONObjectReader) throws(LithosError) -> LithiumMetalParameters {
        var i0 = ArrheniusLaw(valueAt25C: ECMFromCellDesign.defaultLithiumExchangeCurrent_A_per_m2, activationEnergy_J_per_mol: 0)
        if var k = try r.optionalObject("kinetics") {
            i0 = ArrheniusLaw(valueAt25C: try k.positiveNumber("exchange_current_density_A_per_m2", maximum: 1e9),
                              activationEnergy_J_per_mol: try k.number("activation_energy_J_per_mol", default: 0, in: 0...1e6))
            try k.finish()
        }
        let film = try r.number("interface_resistance_ohm_m2", default: 0, in: 0...100)
        let inventory = try r.number("lithium_inventory_mol_per_m2", default: 0, in: 0...1e6)
        return LithiumMetalParameters(exchangeCurrentDensity: i0, interfaceResistance_ohm_m2: film, excessInventory_mol_per_m2: inventory)
    }

    /// Exchange-current law of a database material: its i₀ at θ = ½ (or, from the PyBaMM rate
    /// constant with c_e = 1000 mol/m³), concentration-dependent when the material gives a rate
    /// constant, with its kinetic activation energy.
    static func databaseKinetics(_ m: Material) -> ExchangeCurrentLaw {
        let ea = m.value(MaterialKey.kineticsActivationEnergy) ?? 0
        if let i0 = m.value(MaterialKey.exchangeCurrentDensity) {
            return ExchangeCurrentLaw(valueAtHalfStoichiometry: ArrheniusLaw(valueAt25C: i0, activationEnergy_J_per_mol: ea),
                                      concentrationDependent: m.value(MaterialKey.reactionRateConstant) != nil)
        }
        return ExchangeCurrentLaw(valueAtHalfStoichiometry: ArrheniusLaw(valueAt25C: ECMFromCellDesign.defaultCathodeExchangeCurrent_A_per_m2,
                                                                         activationEnergy_J_per_mol: ea),
                                  concentrationDependent: false)
    }

    /// The explicit JSON form (`from(json: toJSON())` rebuilds identical parameters, up to the
    /// PyBaMM rate-constant form, which is written as the equivalent i₀ at θ = ½).
    public func toJSON() -> JSONValue {
        func electrode(_ e: IntercalationElectrodeParameters, _ name: String) -> [(key: String, value: JSONValue)] {
            [("active_material", .string(name)),
             ("thickness_m", .number(e.thickness_m)), ("active_fraction", .number(e.activeFraction)),
             ("particle_radius_m", .number(e.particleRadius_m)),
             ("max_concentration_mol_per_m3", .number(e.maximumConcentration_mol_per_m3)),
             ("stoichiometry_at_full_charge", .number(e.stoichiometryAtFullCharge)),
             ("stoichiometry_at_full_discharge", .number(e.stoichiometryAtFullDischarge)),
             ("diffusivity_m2_per_s", .number(e.diffusivity.valueAt25C)),
             ("diffusivity_activation_energy_J_per_mol", .number(e.diffusivity.activationEnergy_J_per_mol)),
             ("kinetics", .object([
                ("exchange_current_density_A_per_m2", .number(e.kinetics.valueAtHalfStoichiometry.valueAt25C)),
                ("activation_energy_J_per_mol", .number(e.kinetics.valueAtHalfStoichiometry.activationEnergy_J_per_mol)),
                ("concentration_dependent", .bool(e.kinetics.concentrationDependent))])),
             ("interface_resistance_ohm_m2", .number(e.interfaceResistance_ohm_m2)),
             ("ionic_relative_conductivity", .number(e.ionicRelativeConductivity)),
             ("electronic_conductivity_S_per_m", .number(e.electronicConductivity_S_per_m))]
        }
        let electrolyte: JSONValue
        switch electrolyteConductivity {
        case let .arrhenius(sigma, ea):
            electrolyte = .object([("conductivity_S_per_m", .number(sigma)), ("activation_energy_J_per_mol", .number(ea))])
        case let .vogelTammannFulcher(a, b, t0):
            electrolyte = .object([("vtf_prefactor_S_per_m", .number(a)), ("vtf_pseudo_activation_energy_J_per_mol", .number(b)),
                                   ("vtf_ideal_glass_temperature_K", .number(t0))])
        }
        let negativeJSON: JSONValue
        switch negative {
        case let .lithiumMetal(li):
            negativeJSON = .object([
                ("type", .string("lithium_metal")),
                ("kinetics", .object([("exchange_current_density_A_per_m2", .number(li.exchangeCurrentDensity.valueAt25C)),
                                      ("activation_energy_J_per_mol", .number(li.exchangeCurrentDensity.activationEnergy_J_per_mol))])),
                ("interface_resistance_ohm_m2", .number(li.interfaceResistance_ohm_m2)),
                ("lithium_inventory_mol_per_m2", .number(li.excessInventory_mol_per_m2))])
        case let .intercalation(n):
            negativeJSON = .object([("type", .string("intercalation"))] + electrode(n, negativeMaterialName))
        }
        return .object([
            ("area_m2", .number(area_m2)),
            ("capacity_Ah", .number(capacity_Ah)),
            ("minimum_voltage_V", .number(limits.minimumVoltage_V)),
            ("maximum_voltage_V", .number(limits.maximumVoltage_V)),
            ("series_resistance_ohm_m2", .number(seriesResistance_ohm_m2)),
            ("electrolyte", electrolyte),
            ("separator", .object([("thickness_m", .number(separatorThickness_m)),
                                   ("relative_conductivity", .number(separatorRelativeConductivity))])),
            ("positive", .object(electrode(positive, positiveMaterialName))),
            ("negative", negativeJSON),
            ("thermal", .object([("enabled", .bool(thermal.enabled)), ("heat_capacity_J_per_K", .number(thermal.heatCapacity_J_per_K)),
                                 ("heat_transfer_W_per_K", .number(thermal.heatTransfer_W_per_K))])),
        ])
    }
}
