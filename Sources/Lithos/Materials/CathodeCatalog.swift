/// Cathode active materials. (Stub: the full catalogue is being added.)
enum CathodeCatalog {
    static let materials: [Material] = [
        Material(
            name: "NMC811", aliases: ["NCM811", "LiNi0.8Mn0.1Co0.1O2"], role: .cathode,
            formula: "LiNi0.8Mn0.1Co0.1O2",
            summary: "Ni-rich layered oxide; parameters of the LG M50 cathode (Chen 2020)",
            properties: [
                MaterialProperty("density_kg_per_m3", 4750, "kg/m^3", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "bulk density of the active material"),
                MaterialProperty("theoretical_capacity_mAh_per_g", 275.5, "mAh/g", citation: "from formula: F/(3.6·M), M = 97.28 g/mol", "one Li per formula unit"),
                MaterialProperty("practical_capacity_mAh_per_g", 200, "mAh/g", citation: "placeholder", "usable capacity 2.5–4.3 V"),
                MaterialProperty("max_concentration_mol_per_m3", 63104, "mol/m^3", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534", "maximum Li concentration"),
                MaterialProperty("stoichiometry_at_full_charge", 0.2661, "1", citation: "Chen 2020", "θ at 100 % SOC"),
                MaterialProperty("stoichiometry_at_full_discharge", 0.9084, "1", citation: "Chen 2020", "θ at 0 % SOC"),
                MaterialProperty("diffusivity_25C_m2_per_s", 4e-15, "m^2/s", citation: "Chen 2020", "solid diffusivity"),
            ],
            openCircuitPotential: .nmc811Chen2020),
    ]
}
