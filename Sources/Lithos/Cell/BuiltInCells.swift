/// Cell designs built into the library, so `lithos demo` and tests run without any file.
public enum BuiltInCells {
    /// The default cell: NMC811 | Li6PS5Cl | Li metal. Identical to examples/cells/default.json
    /// (a test checks that both give the same design).
    public static let defaultDesignJSON = #"""
{
  "name": "NMC811 | Li6PS5Cl | Li (default)",
  "comment": "Sulfide SSB unit cell: 60 µm NMC811 composite (60 vol % CAM, ≈ 3.0 mAh/cm²) against a thin 20 µm Li foil (N/P ≈ 1.35), 30 µm argyrodite separator, 12 µm Al and 10 µm Cu collectors.",
  "area_cm2": 100,
  "stack_pressure_MPa": 5,
  "anode": {"type": "lithium_metal", "material": "Li", "thickness_um": 20},
  "separator": {"material": "Li6PS5Cl", "thickness_um": 30, "porosity": 0.0},
  "cathode": {
    "active_material": "NMC811",
    "electrolyte": "Li6PS5Cl",
    "thickness_um": 60,
    "volume_fractions": {"active": 0.60, "electrolyte": 0.33, "carbon": 0.02, "binder": 0.0, "porosity": 0.05},
    "active_particle_radius_um": 2.5,
    "electrolyte_particle_radius_um": 1.0
  },
  "current_collectors": {
    "positive": {"material": "Al", "thickness_um": 12},
    "negative": {"material": "Cu", "thickness_um": 10}
  }
}
"""#

    /// The default design, parsed.
    public static func defaultDesign() throws(LithosError) -> CellDesign {
        try CellDesign.fromJSON(defaultDesignJSON)
    }
}
