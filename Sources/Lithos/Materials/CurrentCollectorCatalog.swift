/// Current-collector foils. (Stub: the full catalogue is being added.)
enum CurrentCollectorCatalog {
    static let materials: [Material] = [
        Material(
            name: "Al", aliases: ["aluminium", "aluminum"], role: .currentCollector,
            formula: "Al", summary: "aluminium foil (positive collector)",
            properties: [
                MaterialProperty("density_kg_per_m3", 2700, "kg/m^3", citation: "CRC Handbook", "density"),
                MaterialProperty("electronic_conductivity_S_per_m", 3.77e7, "S/m", citation: "CRC Handbook", "at 20 °C"),
            ]),
        Material(
            name: "Cu", aliases: ["copper"], role: .currentCollector,
            formula: "Cu", summary: "copper foil (negative collector)",
            properties: [
                MaterialProperty("density_kg_per_m3", 8960, "kg/m^3", citation: "CRC Handbook", "density"),
                MaterialProperty("electronic_conductivity_S_per_m", 5.96e7, "S/m", citation: "CRC Handbook", "at 20 °C"),
            ]),
    ]
}
