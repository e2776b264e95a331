/// Solid electrolytes. (Stub: the full catalogue is being added.)
enum ElectrolyteCatalog {
    static let materials: [Material] = [
        Material(
            name: "Li6PS5Cl", aliases: ["LPSCl", "argyrodite"], role: .solidElectrolyte,
            formula: "Li6PS5Cl", summary: "argyrodite sulfide",
            properties: [
                MaterialProperty("ionic_conductivity_25C_S_per_m", 0.2, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L207", "≈ 2 mS/cm at room temperature"),
                MaterialProperty("density_kg_per_m3", 1640, "kg/m^3", citation: "placeholder", "density"),
            ],
            conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.2, activationEnergy_J_per_mol: 0.38 * Physics.electronvolt_J_per_mol)),
    ]
}
