/// Anode materials (role `.anode`): lithium metal and intercalation/alloy hosts.
///
/// For hosts, θ is the Li stoichiometry of the host (1 = fully lithiated, e.g. LiC6, Li15Si4, InLi,
/// Li7Ti5O12); `stoichiometry_at_full_charge` is θ at 100 % cell SOC (lithiated end) and
/// `stoichiometry_at_full_discharge` θ at 0 % SOC. `volume_change_fraction` is
/// (V_delithiated − V_lithiated)/V_lithiated, as for cathodes.
/// Each material is its own `static let` (explicit types keep the type checker fast).
enum AnodeCatalog {
    static let materials: [Material] = [lithium, graphite, silicon, indiumLithium, lto]

    // MARK: Lithium metal

    static let lithium: Material = Material(
        name: "Li", aliases: ["lithium", "Li metal", "lithium metal"], role: .anode,
        formula: "Li", summary: "lithium metal foil: the reference electrode and the highest-capacity anode",
        properties: [
            MaterialProperty("theoretical_capacity_mAh_per_g", 3860, "mAh/g", citation: "SEED 000_8b62091f0b959cc4.txt L85; SEED 001_0941156e1ce417e7.txt L295", "Li metal"),
            MaterialProperty("density_kg_per_m3", 534, "kg/m^3", citation: "CRC Handbook of Chemistry and Physics, 97th ed. (2016)", "density at 20 °C"),
            MaterialProperty("molar_mass_g_per_mol", 6.941, "g/mol", citation: "IUPAC standard atomic weight", "atomic mass"),
            MaterialProperty("molar_volume_m3_per_mol", 1.2998e-5, "m^3/mol", citation: "derived: M/ρ = 6.941 g/mol / 534 kg/m^3", "volume plated or stripped per mole of Li (PyBaMM Xu2019 uses 1.3e-5)"),
            MaterialProperty("electronic_conductivity_S_per_m", 1.0776e7, "S/m", citation: "CRC Handbook of Chemistry and Physics, 97th ed. (2016) (9.28 µΩ·cm at 20 °C); PyBaMM Xu2019", "metal conductivity"),
            MaterialProperty("exchange_current_density_A_per_m2", 51.4, "A/m^2", citation: "derived: i0 = RT/(F·R_int) at 25 °C with R_int = 5 Ω cm^2 (Li|LLZTO after Li2CO3 removal, SEED 004_6f85e4b4a886b739.txt L114)", "plating/stripping at a clean Li|garnet contact; a lower bound, since R_int also holds constriction"),
            MaterialProperty("youngs_modulus_Pa", 7.82e9, "Pa", citation: "Masias et al., J. Mater. Sci. 54 (2019) 2585", "polycrystalline Li, acoustic measurement"),
            MaterialProperty("shear_modulus_Pa", 2.83e9, "Pa", citation: "Masias et al., J. Mater. Sci. 54 (2019) 2585", "polycrystalline Li (the 4.2 GPa often quoted is a single-crystal average)"),
            MaterialProperty("yield_strength_Pa", 0.8e6, "Pa", citation: "Masias et al., J. Mater. Sci. 54 (2019) 2585", "tensile/compressive yield ≈ 0.73–0.81 MPa at room temperature"),
            MaterialProperty("thermal_limit_K", 453.65, "K", citation: "CRC Handbook of Chemistry and Physics, 97th ed. (2016)", "melting point of Li (180.5 °C)"),
        ],
        openCircuitPotential: .lithiumMetal)

    // MARK: Graphite (Chen 2020; keep these numbers: the PyBaMM validation uses them)

    static let graphite: Material = Material(
        name: "Graphite", aliases: ["C", "LiC6", "graphite-SiOx"], role: .anode,
        formula: "LiC6",
        summary: "graphite(-SiOx) negative of the LG M50 cell (Chen 2020, PyBaMM Chen2020)",
        properties: [
            MaterialProperty("theoretical_capacity_mAh_per_g", 372, "mAh/g", citation: "SEED 000_8b62091f0b959cc4.txt L85", "LiC6 per gram of carbon"),
            MaterialProperty("practical_capacity_mAh_per_g", 325, "mAh/g", citation: "derived: 372 × (0.9014 − 0.0279), the Chen 2020 window", "usable capacity of the Chen 2020 window"),
            MaterialProperty("density_kg_per_m3", 2261, "kg/m^3", citation: "derived: Z·M/(N_A·V), P6_3/mmc, a = 2.464 Å, c = 6.711 Å, Z = 4 (CRC Handbook of Chemistry and Physics, 97th ed. (2016))", "crystallographic density of graphite"),
            MaterialProperty("max_concentration_mol_per_m3", 33133, "mol/m^3", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "maximum Li concentration"),
            MaterialProperty("stoichiometry_at_full_charge", 0.9014, "1", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.0279, "1", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534", "θ at 0 % SOC"),
            MaterialProperty("lower_voltage_limit_V", 0, "V", citation: "derived: Li plating becomes possible below 0 V vs Li+/Li", "plating threshold"),
            MaterialProperty("volume_change_fraction", -0.095, "1", citation: "derived: interlayer spacing 3.706 Å (LiC6) → 3.355 Å (graphite) (Ohzuku, Iwakoshi & Sawai, J. Electrochem. Soc. 140 (1993) 2490)", "c-axis contraction on delithiation"),
            MaterialProperty("diffusivity_25C_m2_per_s", 3.3e-14, "m^2/s", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "solid diffusivity"),
            MaterialProperty("diffusivity_activation_energy_J_per_mol", 17393.9, "J/mol", citation: "O'Regan et al., Electrochim. Acta 425 (2022) 140700 (d = 2092 K, LG M50 graphite)", "Arrhenius activation of D (Chen 2020 gives none)"),
            MaterialProperty("reaction_rate_constant_A_m2.5_per_mol1.5", 6.48e-7, "(A/m^2)(m^3/mol)^1.5", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "k in i0 = k·√(c_e·c_s·(c_max − c_s))"),
            MaterialProperty("exchange_current_density_A_per_m2", 0.3395, "A/m^2", citation: "derived: k·√(c_e·c_s·(c_max − c_s)), θ = 0.5, c_e = 1000 mol/m^3, Chen 2020 k and c_max", "i0 at 25 °C"),
            MaterialProperty("kinetics_activation_energy_J_per_mol", 35000, "J/mol", citation: "PyBaMM Chen2020 (graphite_LGM50_electrolyte_exchange_current_density_Chen2020)", "Arrhenius activation of i0"),
            MaterialProperty("particle_radius_m", 5.86e-6, "m", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "particle radius"),
            MaterialProperty("electronic_conductivity_S_per_m", 215, "S/m", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "electrode matrix conductivity"),
        ],
        openCircuitPotential: .graphiteChen2020)

    // MARK: Silicon

    static let silicon: Material = Material(
        name: "Si", aliases: ["silicon", "Li15Si4"], role: .anode,
        formula: "Si (lithiated: Li15Si4)",
        summary: "alloying silicon anode: ≈ 10× graphite's capacity, ≈ 280 % volume expansion (SEED 001 L318)",
        properties: [
            MaterialProperty("theoretical_capacity_mAh_per_g", 3579, "mAh/g", citation: "Obrovac & Christensen, Electrochem. Solid-State Lett. 7 (2004) A93; cf. SEED 001_0941156e1ce417e7.txt L318", "Li15Si4, the fully lithiated room-temperature phase (derived 3.75·F/(3.6·28.085) = 3578.6)"),
            MaterialProperty("practical_capacity_mAh_per_g", 3579, "mAh/g", citation: "Obrovac & Christensen, Electrochem. Solid-State Lett. 7 (2004) A93", "full reversible Li15Si4 window; real cells usually cap the lithiation"),
            MaterialProperty("density_kg_per_m3", 2330, "kg/m^3", citation: "CRC Handbook of Chemistry and Physics, 97th ed. (2016)", "crystalline Si"),
            MaterialProperty("max_concentration_mol_per_m3", 311100, "mol/m^3", citation: "derived: c_max = Q_theo·3600·ρ/F", "Li per volume of unlithiated Si"),
            MaterialProperty("stoichiometry_at_full_charge", 1, "1", citation: "derived: Li15Si4 end of the practical window (Obrovac & Christensen 2004)", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0, "1", citation: "derived: delithiated Si end of the practical window (Obrovac & Christensen 2004)", "θ at 0 % SOC"),
            MaterialProperty("volume_change_fraction", -0.737, "1", citation: "derived: V_Si/V_Li15Si4 − 1 = 1/3.8 − 1 for the 280 % expansion (Obrovac & Christensen, Electrochem. Solid-State Lett. 7 (2004) A93)", "contraction on delithiation"),
            MaterialProperty("exchange_current_density_A_per_m2", 0.294, "A/m^2", citation: "derived: k·√(c_e·c_s·(c_max − c_s)), θ = 0.5, c_e = 1000 mol/m^3, k = 6.48e-7·28700/278000, c_max = 278000 (PyBaMM Chen2020_composite)", "i0 at 25 °C"),
            MaterialProperty("kinetics_activation_energy_J_per_mol", 35000, "J/mol", citation: "PyBaMM Chen2020_composite (silicon_LGM50_electrolyte_exchange_current_density_Chen2020)", "Arrhenius activation of i0"),
        ],
        openCircuitPotential: .siliconVerbrugge2016)

    // MARK: Indium–lithium

    static let indiumLithium: Material = Material(
        name: "In-Li", aliases: ["InLi", "indium", "In", "Li-In"], role: .anode,
        formula: "In (lithiated: InLi)",
        summary: "indium–lithium alloy: the flat 0.62 V counter electrode of SSB lab cells (e.g. SEED 000 L144)",
        properties: [
            MaterialProperty("theoretical_capacity_mAh_per_g", 233.4, "mAh/g", citation: "derived: F/(3.6·M_In), one Li per In (InLi), M_In = 114.818 g/mol", "per gram of In"),
            MaterialProperty("practical_capacity_mAh_per_g", 233.4, "mAh/g", citation: "derived: the In/InLi two-phase plateau spans 0 ≤ θ ≤ 1 (Santhosha et al., Batteries & Supercaps 2 (2019) 524)", "per gram of In"),
            MaterialProperty("density_kg_per_m3", 7310, "kg/m^3", citation: "CRC Handbook of Chemistry and Physics, 97th ed. (2016)", "indium metal"),
            MaterialProperty("max_concentration_mol_per_m3", 63660, "mol/m^3", citation: "derived: c_max = Q_theo·3600·ρ/F (= In atoms per volume)", "Li per volume of In"),
            MaterialProperty("stoichiometry_at_full_charge", 1, "1", citation: "derived: InLi end of the two-phase plateau (Santhosha et al. 2019)", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0, "1", citation: "derived: In end of the two-phase plateau (Santhosha et al. 2019)", "θ at 0 % SOC"),
            MaterialProperty("plateau_potential_V", 0.62, "V", citation: "Santhosha et al., Batteries & Supercaps 2 (2019) 524", "In/InLi two-phase potential vs Li+/Li"),
        ],
        openCircuitPotential: .plateau(potential_V: 0.62))

    // MARK: Li4Ti5O12

    static let lto: Material = Material(
        name: "LTO", aliases: ["Li4Ti5O12", "lithium titanate"], role: .anode,
        formula: "Li4Ti5O12 (lithiated: Li7Ti5O12)",
        summary: "spinel lithium titanate: zero-strain, 1.55 V two-phase plateau, no Li plating",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 459.087, "g/mol", citation: "derived: 4 Li + 5 Ti + 12 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 175.1, "mAh/g", citation: "derived: 3·F/(3.6·M), three Li per Li4Ti5O12", "Li4Ti5O12 → Li7Ti5O12"),
            MaterialProperty("practical_capacity_mAh_per_g", 150, "mAh/g", citation: "Ohzuku, Ueda & Yamamoto, J. Electrochem. Soc. 142 (1995) 1431", "reversible capacity on the 1.55 V plateau"),
            MaterialProperty("density_kg_per_m3", 3479, "kg/m^3", citation: "derived: Z·M/(N_A·a³), Fd-3m, a = 8.36 Å, Z = 8 Li[Li1/3Ti5/3]O4 (Ohzuku et al., J. Electrochem. Soc. 142 (1995) 1431)", "crystallographic density"),
            MaterialProperty("max_concentration_mol_per_m3", 22734, "mol/m^3", citation: "derived: c_max = Q_theo·3600·ρ/F", "insertable Li per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.8567, "1", citation: "derived: 150/175.1 (practical/theoretical)", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0, "1", citation: "derived: Li4Ti5O12 end of the plateau", "θ at 0 % SOC"),
            MaterialProperty("plateau_potential_V", 1.55, "V", citation: "Ohzuku, Ueda & Yamamoto, J. Electrochem. Soc. 142 (1995) 1431", "two-phase potential vs Li+/Li"),
            MaterialProperty("volume_change_fraction", 0, "1", citation: "Ohzuku, Ueda & Yamamoto, J. Electrochem. Soc. 142 (1995) 1431", "zero-strain: a = 8.36 Å for both end members"),
        ],
        openCircuitPotential: .plateau(potential_V: 1.55))
}
