/// Anode materials. (Stub: the full catalogue is being added.)
enum AnodeCatalog {
    static let materials: [Material] = [
        Material(
            name: "Li", aliases: ["lithium", "Li metal"], role: .anode,
            formula: "Li", summary: "lithium metal",
            properties: [
                MaterialProperty("theoretical_capacity_mAh_per_g", 3860, "mAh/g", citation: "SEED 000_8b62091f0b959cc4.txt L85", "Li metal"),
                MaterialProperty("density_kg_per_m3", 534, "kg/m^3", citation: "CRC Handbook", "density at 25 °C"),
            ],
            openCircuitPotential: .lithiumMetal),
    ]
}
