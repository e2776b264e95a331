/// One number of the materials database, with its unit and where it comes from. Every field is
/// a static string so the C ABI can hand out pointers that live as long as the process.
public struct MaterialProperty: Sendable {
    /// Stable identifier with its unit as suffix, e.g. "density_kg_per_m3" (see `MaterialKey`).
    public let key: StaticString
    /// The value, in `unit`.
    public let value: Double
    /// Unit of `value` ("kg/m^3", "S/m", "V", "mAh/g", "J/mol", "m^2/s", "1").
    public let unit: StaticString
    /// Source: a reference review as "SEED <file> L<line>" or a primary paper.
    public let citation: StaticString
    /// One line saying what the number is and under which conditions it was measured.
    public let description: StaticString

    public init(_ key: StaticString, _ value: Double, _ unit: StaticString,
                citation: StaticString, _ description: StaticString) {
        self.key = key
        self.value = value
        self.unit = unit
        self.citation = citation
        self.description = description
    }
}

/// The property keys the rest of Lithos reads. A material may carry further keys; these are the
/// ones with a meaning fixed across materials.
public enum MaterialKey {
    // Every material
    public static let density = "density_kg_per_m3"                               // kg/m^3
    // Active materials (cathode and anode)
    public static let theoreticalCapacity = "theoretical_capacity_mAh_per_g"      // mAh/g
    public static let practicalCapacity = "practical_capacity_mAh_per_g"          // mAh/g
    public static let maximumConcentration = "max_concentration_mol_per_m3"       // mol/m^3
    public static let stoichiometryAtFullCharge = "stoichiometry_at_full_charge"  // 1
    public static let stoichiometryAtFullDischarge = "stoichiometry_at_full_discharge" // 1
    public static let lowerVoltageLimit = "lower_voltage_limit_V"                 // V vs Li+/Li
    public static let upperVoltageLimit = "upper_voltage_limit_V"                 // V vs Li+/Li
    public static let volumeChange = "volume_change_fraction"                     // 1, lithiated → delithiated
    public static let diffusivity25C = "diffusivity_25C_m2_per_s"                 // m^2/s
    public static let diffusivityActivationEnergy = "diffusivity_activation_energy_J_per_mol" // J/mol
    public static let exchangeCurrentDensity = "exchange_current_density_A_per_m2" // A/m^2 at 25 °C
    public static let reactionRateConstant = "reaction_rate_constant_A_m2.5_per_mol1.5" // (A/m^2)(m^3/mol)^1.5
    public static let kineticsActivationEnergy = "kinetics_activation_energy_J_per_mol" // J/mol
    public static let particleRadius = "particle_radius_m"                        // m (typical)
    public static let electronicConductivity = "electronic_conductivity_S_per_m"  // S/m
    // Solid electrolytes
    public static let ionicConductivity25C = "ionic_conductivity_25C_S_per_m"     // S/m
    public static let conductivityActivationEnergy = "conductivity_activation_energy_J_per_mol" // J/mol
    public static let vtfPrefactor = "vtf_prefactor_S_per_m"                      // S/m
    public static let vtfPseudoActivationEnergy = "vtf_pseudo_activation_energy_J_per_mol" // J/mol
    public static let vtfIdealGlassTemperature = "vtf_ideal_glass_temperature_K"  // K
    public static let oxidationLimit = "oxidation_limit_V"                        // V vs Li+/Li
    public static let reductionLimit = "reduction_limit_V"                        // V vs Li+/Li
    public static let thermalLimit = "thermal_limit_K"                            // K
    public static let shearModulus = "shear_modulus_Pa"                           // Pa
    public static let transferenceNumber = "transference_number"                  // 1
    public static let criticalCurrentDensity = "critical_current_density_A_per_m2" // A/m^2 vs Li at 25 °C
    public static let lithiumInterfaceResistance = "li_interface_resistance_ohm_m2" // Ω·m^2
}
