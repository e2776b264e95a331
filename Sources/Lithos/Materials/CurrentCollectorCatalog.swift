/// Current-collector foils (role `.currentCollector`). Room-temperature handbook values.
/// Each material is its own `static let` (explicit types keep the type checker fast).
enum CurrentCollectorCatalog {
    static let materials: [Material] = [aluminium, copper, nickel, stainlessSteel]

    static let crc: StaticString = "CRC Handbook of Chemistry and Physics, 97th ed. (2016)"

    static let aluminium: Material = Material(
        name: "Al", aliases: ["aluminium", "aluminum"], role: .currentCollector,
        formula: "Al", summary: "aluminium foil (positive collector; alloys with Li below ≈ 0.3 V)",
        properties: [
            MaterialProperty("density_kg_per_m3", 2700, "kg/m^3", citation: crc, "density at 20 °C"),
            MaterialProperty("electronic_conductivity_S_per_m", 3.77e7, "S/m", citation: crc, "2.65 µΩ·cm at 20 °C"),
            MaterialProperty("thermal_conductivity_W_per_m_K", 237, "W/(m·K)", citation: crc, "at 300 K"),
            MaterialProperty("specific_heat_J_per_kg_K", 897, "J/(kg·K)", citation: crc, "at 25 °C"),
        ])

    static let copper: Material = Material(
        name: "Cu", aliases: ["copper"], role: .currentCollector,
        formula: "Cu", summary: "copper foil (negative collector)",
        properties: [
            MaterialProperty("density_kg_per_m3", 8960, "kg/m^3", citation: crc, "density at 20 °C"),
            MaterialProperty("electronic_conductivity_S_per_m", 5.96e7, "S/m", citation: crc, "1.678 µΩ·cm at 20 °C"),
            MaterialProperty("thermal_conductivity_W_per_m_K", 401, "W/(m·K)", citation: crc, "at 300 K"),
            MaterialProperty("specific_heat_J_per_kg_K", 385, "J/(kg·K)", citation: crc, "at 25 °C"),
        ])

    static let nickel: Material = Material(
        name: "Ni", aliases: ["nickel"], role: .currentCollector,
        formula: "Ni", summary: "nickel foil (negative collector; stable against sulfide SEs where Cu sulfidises)",
        properties: [
            MaterialProperty("density_kg_per_m3", 8908, "kg/m^3", citation: crc, "density at 20 °C"),
            MaterialProperty("electronic_conductivity_S_per_m", 1.43e7, "S/m", citation: crc, "6.99 µΩ·cm at 20 °C"),
            MaterialProperty("thermal_conductivity_W_per_m_K", 90.9, "W/(m·K)", citation: crc, "at 300 K"),
            MaterialProperty("specific_heat_J_per_kg_K", 444, "J/(kg·K)", citation: crc, "at 25 °C"),
        ])

    static let stainlessSteel: Material = Material(
        name: "SS", aliases: ["stainless steel", "SS304", "AISI 304", "SUS304"], role: .currentCollector,
        formula: "Fe–18Cr–8Ni (AISI 304)",
        summary: "stainless-steel foil or plunger (the blocking electrode of SSB lab cells, SEED 001 L310)",
        properties: [
            MaterialProperty("density_kg_per_m3", 8000, "kg/m^3", citation: "ASM Handbook Vol. 1, Properties and Selection: Irons, Steels (ASM International, 1990), AISI 304", "density"),
            MaterialProperty("electronic_conductivity_S_per_m", 1.39e6, "S/m", citation: "ASM Handbook Vol. 1 (ASM International, 1990), AISI 304", "72 µΩ·cm at 20 °C"),
            MaterialProperty("thermal_conductivity_W_per_m_K", 16.2, "W/(m·K)", citation: "ASM Handbook Vol. 1 (ASM International, 1990), AISI 304", "at 100 °C"),
            MaterialProperty("specific_heat_J_per_kg_K", 500, "J/(kg·K)", citation: "ASM Handbook Vol. 1 (ASM International, 1990), AISI 304", "0–100 °C"),
        ])
}
