/// Cathode active materials (role `.cathode`).
///
/// Conventions (see `docs/materials.md`):
/// - `stoichiometry_at_full_charge`/`_discharge` are θ of the CAM at 100 % / 0 % SOC of a
///   practical cell; practical capacity ≈ theoretical × |Δθ| and U(θ) at the window ends lies within
///   the voltage limits.
/// - `exchange_current_density_A_per_m2` is i₀ at 25 °C, θ = 0.5 and an electrolyte reference
///   concentration of 1000 mol/m³ (the PyBaMM convention i₀ = k·√(c_e·c_s·(c_max − c_s))) unless the
///   description says otherwise. These are CAM|liquid-electrolyte values; the CAM|SE interphase is a
///   separate resistance in the SSB models.
/// - `volume_change_fraction` is (V_delithiated − V_lithiated)/V_lithiated over the practical window.
/// - `electronic_conductivity_S_per_m` is the value the cited parameter set uses for the electrode
///   matrix (active material + additives) unless the description says otherwise.
/// Each material is its own `static let` (explicit types keep the type checker fast).
enum CathodeCatalog {
    static let materials: [Material] = [lco, lmo, lfp, nmc111, nmc622, nmc811, nca, lnmo]

    // MARK: LiCoO2

    static let lco: Material = Material(
        name: "LCO", aliases: ["LiCoO2", "lithium cobalt oxide"], role: .cathode,
        formula: "LiCoO2",
        summary: "layered lithium cobalt oxide; the classic high-density cathode, paired with LiPON in thin-film cells",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 97.872, "g/mol", citation: "derived: Li + Co + 2 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 274, "mAh/g", citation: "SEED 000_8b62091f0b959cc4.txt L61; SEED 003_ddf28b6e9efb00d6.txt L63", "one Li per formula unit (derived F/(3.6·M) = 273.8)"),
            MaterialProperty("practical_capacity_mAh_per_g", 137, "mAh/g", citation: "SEED 003_ddf28b6e9efb00d6.txt L63", "at a 4.2 V vs Li+/Li upper cut-off"),
            MaterialProperty("density_kg_per_m3", 5053, "kg/m^3", citation: "derived: Z·M/(N_A·V), R-3m, a = 2.8156 Å, c = 14.0542 Å, Z = 3 (Akimoto et al., J. Solid State Chem. 141 (1998) 298)", "crystallographic density"),
            MaterialProperty("max_concentration_mol_per_m3", 51217.9257309275, "mol/m^3", citation: "Marquis et al., J. Electrochem. Soc. 166 (2019) A3693 (PyBaMM Marquis2019, from Dualfoil)", "Li sites per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.4954, "1", citation: "derived: U_Marquis2019(θ) = 4.2 V (upper_voltage_limit_V)", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.9667, "1", citation: "derived: U_Marquis2019(θ) = 3.0 V (lower_voltage_limit_V)", "θ at 0 % SOC; Δθ·274 = 129 mAh/g vs 137 practical"),
            MaterialProperty("lower_voltage_limit_V", 3.0, "V", citation: "Ai et al., J. Electrochem. Soc. 167 (2020) 013512 (PyBaMM Ai2020 lower cut-off)", "discharge cut-off"),
            MaterialProperty("upper_voltage_limit_V", 4.2, "V", citation: "SEED 003_ddf28b6e9efb00d6.txt L63", "commercial charge cut-off; above it LCO degrades structurally (SEED 000 L61)"),
            MaterialProperty("volume_change_fraction", 0.022, "1", citation: "derived: (a,c) 2.816 → 2.807 Å, 14.05 → 14.45 Å for Li1→0.5CoO2 (Reimers & Dahn, J. Electrochem. Soc. 139 (1992) 2091); cf. SEED 003_ddf28b6e9efb00d6.txt L167", "expands on delithiation (c-axis), opposite to Ni-rich NCM"),
            MaterialProperty("diffusivity_25C_m2_per_s", 1e-15, "m^2/s", citation: "SEED 003_ddf28b6e9efb00d6.txt L197", "upper end of 1e-11–1e-12 cm^2/s"),
            MaterialProperty("diffusivity_activation_energy_J_per_mol", 18550, "J/mol", citation: "Marquis et al., J. Electrochem. Soc. 166 (2019) A3693 (PyBaMM lico2_diffusivity_Dualfoil1998)", "Arrhenius activation of D"),
            MaterialProperty("reaction_rate_constant_A_m2.5_per_mol1.5", 6e-7, "(A/m^2)(m^3/mol)^1.5", citation: "Marquis et al., J. Electrochem. Soc. 166 (2019) A3693 (PyBaMM lico2_electrolyte_exchange_current_density_Dualfoil1998)", "k in i0 = k·√(c_e·c_s·(c_max − c_s))"),
            MaterialProperty("exchange_current_density_A_per_m2", 0.4859, "A/m^2", citation: "derived: k·√(c_e·c_s·(c_max − c_s)), θ = 0.5, c_e = 1000 mol/m^3, k and c_max of Marquis 2019", "i0 at 25 °C"),
            MaterialProperty("kinetics_activation_energy_J_per_mol", 39570, "J/mol", citation: "Marquis et al., J. Electrochem. Soc. 166 (2019) A3693 (PyBaMM Marquis2019)", "Arrhenius activation of i0"),
            MaterialProperty("particle_radius_m", 1e-5, "m", citation: "Marquis et al., J. Electrochem. Soc. 166 (2019) A3693 (PyBaMM Marquis2019)", "typical particle radius"),
            MaterialProperty("electronic_conductivity_S_per_m", 10, "S/m", citation: "Marquis et al., J. Electrochem. Soc. 166 (2019) A3693 (PyBaMM Marquis2019)", "electrode matrix conductivity"),
        ],
        openCircuitPotential: .lcoMarquis2019)

    // MARK: LiMn2O4

    static let lmo: Material = Material(
        name: "LMO", aliases: ["LiMn2O4", "spinel LMO", "lithium manganese oxide"], role: .cathode,
        formula: "LiMn2O4",
        summary: "spinel lithium manganese oxide; cheap, Co-free, 4 V plateau region modelled",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 180.813, "g/mol", citation: "derived: Li + 2 Mn + 4 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 148, "mAh/g", citation: "SEED 000_8b62091f0b959cc4.txt L63", "one Li per LiMn2O4 (derived F/(3.6·M) = 148.2)"),
            MaterialProperty("practical_capacity_mAh_per_g", 120, "mAh/g", citation: "Nitta et al., Mater. Today 18 (2015) 252, Table 1", "typical delivered capacity (SEED 000 L63 reports > 95 % of 148 in the lab)"),
            MaterialProperty("density_kg_per_m3", 4285, "kg/m^3", citation: "derived: Z·M/(N_A·a³), Fd-3m, a = 8.245 Å, Z = 8 (Thackeray et al., Mater. Res. Bull. 18 (1983) 461)", "crystallographic density"),
            MaterialProperty("max_concentration_mol_per_m3", 22863, "mol/m^3", citation: "Doyle et al., J. Electrochem. Soc. 143 (1996) 1890 (MPET params_Mn2O4_Doyle96: 1.37686e28 sites/m^3)", "Li sites per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.1715, "1", citation: "derived: U_Doyle1996(θ) = 4.3 V (upper_voltage_limit_V)", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.9961, "1", citation: "derived: U_Doyle1996(θ) = 3.5 V (lower_voltage_limit_V)", "θ at 0 % SOC; Δθ·148 = 122 mAh/g"),
            MaterialProperty("lower_voltage_limit_V", 3.5, "V", citation: "Thackeray, Prog. Solid State Chem. 25 (1997) 1", "end of the 4 V region (below, the tetragonal Li1+xMn2O4 region starts)"),
            MaterialProperty("upper_voltage_limit_V", 4.3, "V", citation: "Thackeray, Prog. Solid State Chem. 25 (1997) 1", "charge cut-off of the 4 V region"),
            MaterialProperty("volume_change_fraction", -0.076, "1", citation: "derived: (a_λ-MnO2/a_LiMn2O4)³ − 1 with a = 8.03 Å (Hunter, J. Solid State Chem. 39 (1981) 142) and 8.245 Å", "cubic contraction on delithiation"),
            MaterialProperty("diffusivity_25C_m2_per_s", 1e-13, "m^2/s", citation: "Doyle et al., J. Electrochem. Soc. 143 (1996) 1890 (MPET params_Mn2O4_Doyle96)", "solid diffusivity used to fit the Bellcore plastic cells"),
        ],
        openCircuitPotential: .lmoDoyle1996)

    // MARK: LiFePO4

    static let lfp: Material = Material(
        name: "LFP", aliases: ["LiFePO4", "lithium iron phosphate"], role: .cathode,
        formula: "LiFePO4",
        summary: "olivine lithium iron phosphate; flat 3.4 V two-phase plateau, robust and safe",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 157.756, "g/mol", citation: "derived: Li + Fe + P + 4 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 170, "mAh/g", citation: "SEED 000_8b62091f0b959cc4.txt L65", "one Li per formula unit (derived F/(3.6·M) = 169.9)"),
            MaterialProperty("practical_capacity_mAh_per_g", 165, "mAh/g", citation: "Nitta et al., Mater. Today 18 (2015) 252, Table 1", "typical delivered capacity"),
            MaterialProperty("density_kg_per_m3", 3596, "kg/m^3", citation: "derived: Z·M/(N_A·abc), Pnma, a = 10.334, b = 6.008, c = 4.693 Å, Z = 4 (Padhi et al., J. Electrochem. Soc. 144 (1997) 1188)", "crystallographic density"),
            MaterialProperty("max_concentration_mol_per_m3", 22806, "mol/m^3", citation: "Prada et al., J. Electrochem. Soc. 160 (2013) A616 (PyBaMM Prada2013)", "Li sites per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.01, "1", citation: "derived: θ with Δθ·170 = 165 mAh/g inside the Afshar 2017 OCP plateau", "θ at 100 % SOC (U = 3.52 V)"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.98, "1", citation: "derived: θ with Δθ·170 = 165 mAh/g inside the Afshar 2017 OCP plateau", "θ at 0 % SOC (U = 2.89 V)"),
            MaterialProperty("lower_voltage_limit_V", 2.5, "V", citation: "derived: U_Afshar2017(θ = 1) = 2.49 V (PyBaMM Prada2013 OCP)", "fully lithiated end of the OCP"),
            MaterialProperty("upper_voltage_limit_V", 3.9, "V", citation: "derived: U_Afshar2017(θ = 0) = 3.91 V (PyBaMM Prada2013 OCP)", "fully delithiated end of the OCP"),
            MaterialProperty("volume_change_fraction", -0.065, "1", citation: "derived: V(FePO4)/V(LiFePO4) − 1 = 272.3/291.4 − 1 from the lattice constants of Padhi et al., J. Electrochem. Soc. 144 (1997) 1188", "olivine → heterosite contraction"),
            MaterialProperty("diffusivity_25C_m2_per_s", 1.8e-18, "m^2/s", citation: "SEED 003_ddf28b6e9efb00d6.txt L197", "upper end of 6.8e-16–1.8e-14 cm^2/s"),
            MaterialProperty("reaction_rate_constant_A_m2.5_per_mol1.5", 6e-7, "(A/m^2)(m^3/mol)^1.5", citation: "Kashkooli et al., J. Appl. Electrochem. 47 (2017) 281 (PyBaMM Prada2013)", "k in i0 = k·√(c_e·c_s·(c_max − c_s))"),
            MaterialProperty("exchange_current_density_A_per_m2", 0.2164, "A/m^2", citation: "derived: k·√(c_e·c_s·(c_max − c_s)), θ = 0.5, c_e = 1000 mol/m^3, k and c_max of PyBaMM Prada2013", "i0 at 25 °C"),
            MaterialProperty("kinetics_activation_energy_J_per_mol", 39570, "J/mol", citation: "PyBaMM Prada2013 (LFP_electrolyte_exchange_current_density_kashkooli2017)", "Arrhenius activation of i0"),
            MaterialProperty("particle_radius_m", 5e-8, "m", citation: "Prada et al., J. Electrochem. Soc. 160 (2013) A616 (PyBaMM Prada2013)", "nano-LFP particle radius"),
            MaterialProperty("electronic_conductivity_S_per_m", 0.33795074, "S/m", citation: "Prada et al., J. Electrochem. Soc. 160 (2013) A616 (PyBaMM Prada2013)", "carbon-coated electrode matrix conductivity"),
        ],
        openCircuitPotential: .lfpPrada2013)

    // MARK: NMC111

    static let nmc111: Material = Material(
        name: "NMC111", aliases: ["NCM111", "NMC333", "LiNi1/3Mn1/3Co1/3O2", "LiNi0.33Mn0.33Co0.33O2"], role: .cathode,
        formula: "LiNi1/3Mn1/3Co1/3O2",
        summary: "layered NMC with equal Ni, Mn, Co; moderate capacity, small volume change",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 96.460, "g/mol", citation: "derived: Li + (Ni + Mn + Co)/3 + 2 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 277.8, "mAh/g", citation: "derived: F/(3.6·M), M = 96.460 g/mol", "one Li per formula unit"),
            MaterialProperty("practical_capacity_mAh_per_g", 150, "mAh/g", citation: "Ohzuku & Makimura, Chem. Lett. 30 (2001) 642", "2.5–4.2 V (200 mAh/g to 5.0 V)"),
            MaterialProperty("density_kg_per_m3", 4761, "kg/m^3", citation: "derived: Z·M/(N_A·V), R-3m, a = 2.862 Å, c = 14.227 Å, Z = 3 (Yabuuchi & Ohzuku, J. Power Sources 119–121 (2003) 171)", "crystallographic density"),
            MaterialProperty("max_concentration_mol_per_m3", 46200, "mol/m^3", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json (Faraday Institution)", "Li sites per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.42424, "1", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json (minimum stoichiometry)", "θ at 100 % SOC (U = 4.29 V)"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.96210, "1", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json (maximum stoichiometry)", "θ at 0 % SOC (U = 3.61 V)"),
            MaterialProperty("lower_voltage_limit_V", 2.5, "V", citation: "Ohzuku & Makimura, Chem. Lett. 30 (2001) 642", "discharge cut-off"),
            MaterialProperty("upper_voltage_limit_V", 4.2, "V", citation: "Ohzuku & Makimura, Chem. Lett. 30 (2001) 642", "charge cut-off for the 150 mAh/g window"),
            MaterialProperty("volume_change_fraction", -0.012, "1", citation: "de Biasi et al., ChemSusChem 12 (2019) 2240", "small contraction to 4.3 V; grows with Ni content (SEED 003 L135)"),
            MaterialProperty("thermal_limit_K", 473.15, "K", citation: "SEED 000_8b62091f0b959cc4.txt L164", "Ni-based layered oxides form surface rock salt above 200 °C"),
            MaterialProperty("diffusivity_25C_m2_per_s", 3.2e-14, "m^2/s", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json", "solid diffusivity"),
            MaterialProperty("diffusivity_activation_energy_J_per_mol", 15000, "J/mol", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json", "Arrhenius activation of D"),
            MaterialProperty("exchange_current_density_A_per_m2", 1.112, "A/m^2", citation: "derived: F·k·√(θ(1 − θ)) at θ = 0.5, c_e = c_e0, k = 2.305e-5 mol/(m^2 s) (BPX normalised rate, About:Energy 2022)", "i0 at 25 °C"),
            MaterialProperty("kinetics_activation_energy_J_per_mol", 35000, "J/mol", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json", "Arrhenius activation of i0"),
            MaterialProperty("particle_radius_m", 4.6e-6, "m", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json", "typical particle radius"),
            MaterialProperty("electronic_conductivity_S_per_m", 0.789, "S/m", citation: "About:Energy NMC111 parameterisation (2022), BPX examples/nmc_pouch_cell_BPX.json", "electrode matrix conductivity"),
        ],
        openCircuitPotential: .nmc111AboutEnergy2022)

    // MARK: NMC622

    static let nmc622: Material = Material(
        name: "NMC622", aliases: ["NCM622", "LiNi0.6Mn0.2Co0.2O2"], role: .cathode,
        formula: "LiNi0.6Mn0.2Co0.2O2",
        summary: "Ni-rich layered NMC; MSMR thermodynamics of Verbrugge et al. 2017",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 96.929, "g/mol", citation: "derived: Li + 0.6 Ni + 0.2 Mn + 0.2 Co + 2 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 276.5, "mAh/g", citation: "derived: F/(3.6·M), M = 96.929 g/mol", "one Li per formula unit"),
            MaterialProperty("practical_capacity_mAh_per_g", 187, "mAh/g", citation: "Noh et al., J. Power Sources 233 (2013) 121", "0.1 C, 3.0–4.3 V"),
            MaterialProperty("density_kg_per_m3", 4770, "kg/m^3", citation: "derived: Z·M/(N_A·V), R-3m, a = 2.868 Å, c = 14.21 Å, Z = 3 (Noh et al., J. Power Sources 233 (2013) 121)", "crystallographic density"),
            MaterialProperty("max_concentration_mol_per_m3", 49210, "mol/m^3", citation: "derived: c_max = Q_theo·3600·ρ/F", "Li sites per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.1274, "1", citation: "derived: U_MSMR(θ) = 4.3 V (upper_voltage_limit_V)", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.8037, "1", citation: "derived: θ_charge + 187/276.5 (practical/theoretical)", "θ at 0 % SOC (U = 3.67 V)"),
            MaterialProperty("lower_voltage_limit_V", 3.0, "V", citation: "Noh et al., J. Power Sources 233 (2013) 121", "discharge cut-off"),
            MaterialProperty("upper_voltage_limit_V", 4.3, "V", citation: "Noh et al., J. Power Sources 233 (2013) 121", "charge cut-off"),
            MaterialProperty("volume_change_fraction", -0.025, "1", citation: "de Biasi et al., ChemSusChem 12 (2019) 2240", "contraction to 4.3 V; grows with Ni content (SEED 003 L135)"),
            MaterialProperty("thermal_limit_K", 473.15, "K", citation: "SEED 000_8b62091f0b959cc4.txt L164", "Ni-based layered oxides form surface rock salt above 200 °C"),
            MaterialProperty("diffusivity_25C_m2_per_s", 8e-15, "m^2/s", citation: "SEED 003_ddf28b6e9efb00d6.txt L197", "upper end of the NCM range 2.8–8e-11 cm^2/s"),
            MaterialProperty("exchange_current_density_A_per_m2", 5, "A/m^2", citation: "PyBaMM MSMR_example_set (j0_ref = 5 A/m^2, the Chen et al. 2020 value)", "reference i0 per MSMR reaction"),
            MaterialProperty("particle_radius_m", 5.22e-6, "m", citation: "PyBaMM MSMR_example_set (Chen et al., J. Electrochem. Soc. 167 (2020) 080534)", "typical particle radius"),
            MaterialProperty("electronic_conductivity_S_per_m", 0.18, "S/m", citation: "PyBaMM MSMR_example_set (Chen et al., J. Electrochem. Soc. 167 (2020) 080534)", "electrode matrix conductivity"),
        ],
        openCircuitPotential: .nmc622Verbrugge2017)

    // MARK: NMC811 (Chen 2020; keep these numbers: the PyBaMM validation uses them)

    static let nmc811: Material = Material(
        name: "NMC811", aliases: ["NCM811", "LiNi0.8Mn0.1Co0.1O2"], role: .cathode,
        formula: "LiNi0.8Mn0.1Co0.1O2",
        summary: "Ni-rich layered oxide; parameters of the LG M50 cathode (Chen 2020, PyBaMM Chen2020)",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 97.281, "g/mol", citation: "derived: Li + 0.8 Ni + 0.1 Mn + 0.1 Co + 2 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 275.5, "mAh/g", citation: "derived: F/(3.6·M), M = 97.28 g/mol", "one Li per formula unit"),
            MaterialProperty("practical_capacity_mAh_per_g", 177, "mAh/g", citation: "derived: 275.5 × (0.9084 − 0.2661), the Chen 2020 window (LG M50, 2.5–4.2 V cell)", "usable capacity of the Chen 2020 window; ≈ 203 mAh/g to 4.3 V vs Li (Noh et al., J. Power Sources 233 (2013) 121)"),
            MaterialProperty("density_kg_per_m3", 4778, "kg/m^3", citation: "derived: Z·M/(N_A·V), R-3m, a = 2.872 Å, c = 14.20 Å, Z = 3 (Noh et al., J. Power Sources 233 (2013) 121)", "crystallographic density"),
            MaterialProperty("max_concentration_mol_per_m3", 63104, "mol/m^3", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "fitted value; 30 % above Q_theo·3600·ρ/F = 49 135 (O'Regan et al. 2022 revise it to 51 765)"),
            MaterialProperty("stoichiometry_at_full_charge", 0.2661, "1", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534", "θ at 100 % SOC (U = 4.28 V)"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.9084, "1", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534", "θ at 0 % SOC (U = 3.56 V)"),
            MaterialProperty("lower_voltage_limit_V", 3.0, "V", citation: "Noh et al., J. Power Sources 233 (2013) 121", "discharge cut-off vs Li+/Li (the LG M50 full cell stops at 2.5 V, when the cathode is at ≈ 3.56 V)"),
            MaterialProperty("upper_voltage_limit_V", 4.3, "V", citation: "Noh et al., J. Power Sources 233 (2013) 121", "charge cut-off vs Li+/Li"),
            MaterialProperty("volume_change_fraction", -0.051, "1", citation: "Koerver et al., Energy Environ. Sci. 11 (2018) 2142; SEED 003_ddf28b6e9efb00d6.txt L135", "contraction on delithiation, larger with more Ni"),
            MaterialProperty("thermal_limit_K", 473.15, "K", citation: "SEED 000_8b62091f0b959cc4.txt L164", "Ni-based layered oxides form surface rock salt above 200 °C"),
            MaterialProperty("diffusivity_25C_m2_per_s", 4e-15, "m^2/s", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "solid diffusivity"),
            MaterialProperty("diffusivity_activation_energy_J_per_mol", 12047.7, "J/mol", citation: "O'Regan et al., Electrochim. Acta 425 (2022) 140700 (d = 1449 K, LG M50 NMC811)", "Arrhenius activation of D (Chen 2020 gives none)"),
            MaterialProperty("reaction_rate_constant_A_m2.5_per_mol1.5", 3.42e-6, "(A/m^2)(m^3/mol)^1.5", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "k in i0 = k·√(c_e·c_s·(c_max − c_s))"),
            MaterialProperty("exchange_current_density_A_per_m2", 3.412, "A/m^2", citation: "derived: k·√(c_e·c_s·(c_max − c_s)), θ = 0.5, c_e = 1000 mol/m^3, Chen 2020 k and c_max", "i0 at 25 °C"),
            MaterialProperty("kinetics_activation_energy_J_per_mol", 17800, "J/mol", citation: "PyBaMM Chen2020 (nmc_LGM50_electrolyte_exchange_current_density_Chen2020)", "Arrhenius activation of i0"),
            MaterialProperty("particle_radius_m", 5.22e-6, "m", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "particle radius"),
            MaterialProperty("electronic_conductivity_S_per_m", 0.18, "S/m", citation: "Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (PyBaMM Chen2020)", "electrode matrix conductivity"),
        ],
        openCircuitPotential: .nmc811Chen2020)

    // MARK: NCA

    static let nca: Material = Material(
        name: "NCA", aliases: ["LiNi0.8Co0.15Al0.05O2", "NCA80"], role: .cathode,
        formula: "LiNi0.8Co0.15Al0.05O2",
        summary: "Ni-rich layered Ni-Co-Al oxide (Kim 2011 OCP); cracks above the H2–H3 transition",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 96.082, "g/mol", citation: "derived: Li + 0.8 Ni + 0.15 Co + 0.05 Al + 2 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 278.9, "mAh/g", citation: "derived: F/(3.6·M), M = 96.082 g/mol", "one Li per formula unit"),
            MaterialProperty("practical_capacity_mAh_per_g", 199, "mAh/g", citation: "Nitta et al., Mater. Today 18 (2015) 252, Table 1", "typical delivered capacity"),
            MaterialProperty("density_kg_per_m3", 4708, "kg/m^3", citation: "derived: ρ = c_max·F/(3600·Q_theo) with c_max of Kim et al. 2011", "density consistent with the Kim 2011 c_max"),
            MaterialProperty("max_concentration_mol_per_m3", 49000, "mol/m^3", citation: "Kim et al., J. Electrochem. Soc. 158 (2011) A955 (PyBaMM NCA_Kim2011)", "Li sites per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.3171, "1", citation: "derived: U_Kim2011(θ) = 4.3 V (upper_voltage_limit_V)", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.9832, "1", citation: "derived: U_Kim2011(θ) = 3.0 V (lower_voltage_limit_V)", "θ at 0 % SOC; Δθ·278.9 = 186 mAh/g"),
            MaterialProperty("lower_voltage_limit_V", 3.0, "V", citation: "Noh et al., J. Power Sources 233 (2013) 121 (Ni-rich layered oxides, 3.0–4.3 V)", "discharge cut-off"),
            MaterialProperty("upper_voltage_limit_V", 4.3, "V", citation: "Noh et al., J. Power Sources 233 (2013) 121 (Ni-rich layered oxides, 3.0–4.3 V)", "charge cut-off"),
            MaterialProperty("cracking_onset_voltage_V", 4.1, "V", citation: "SEED 003_ddf28b6e9efb00d6.txt L181", "H2–H3 transition: polycrystalline NCA cracks at ≥ 4.1 V vs Li+/Li"),
            MaterialProperty("thermal_limit_K", 473.15, "K", citation: "SEED 000_8b62091f0b959cc4.txt L164", "Ni-based layered oxides form surface rock salt above 200 °C"),
            MaterialProperty("diffusivity_25C_m2_per_s", 3e-15, "m^2/s", citation: "Kim et al., J. Electrochem. Soc. 158 (2011) A955 (PyBaMM nca_diffusivity_Kim2011)", "solid diffusivity"),
            MaterialProperty("diffusivity_activation_energy_J_per_mol", 20000, "J/mol", citation: "Kim et al., J. Electrochem. Soc. 158 (2011) A955 (PyBaMM nca_diffusivity_Kim2011)", "Arrhenius activation of D"),
            MaterialProperty("exchange_current_density_A_per_m2", 3.712, "A/m^2", citation: "derived: 4 A/m^2 at θ = 0.41, c_e = 1200 mol/m^3 (Kim et al. 2011) scaled to θ = 0.5, c_e = 1000 mol/m^3 (α = 0.5)", "i0 at 25 °C"),
            MaterialProperty("kinetics_activation_energy_J_per_mol", 30000, "J/mol", citation: "Kim et al., J. Electrochem. Soc. 158 (2011) A955 (PyBaMM NCA_Kim2011)", "Arrhenius activation of i0"),
            MaterialProperty("particle_radius_m", 1.633e-6, "m", citation: "Kim et al., J. Electrochem. Soc. 158 (2011) A955 (PyBaMM NCA_Kim2011)", "particle radius"),
            MaterialProperty("electronic_conductivity_S_per_m", 10, "S/m", citation: "Kim et al., J. Electrochem. Soc. 158 (2011) A955 (PyBaMM NCA_Kim2011)", "electrode matrix conductivity"),
        ],
        openCircuitPotential: .ncaKim2011)

    // MARK: LiNi0.5Mn1.5O4

    static let lnmo: Material = Material(
        name: "LNMO", aliases: ["LiNi0.5Mn1.5O4", "high-voltage spinel"], role: .cathode,
        formula: "LiNi0.5Mn1.5O4",
        summary: "high-voltage (4.7 V) Co-free spinel; far above every sulfide SE's oxidation limit",
        properties: [
            MaterialProperty("molar_mass_g_per_mol", 182.691, "g/mol", citation: "derived: Li + 0.5 Ni + 1.5 Mn + 4 O, IUPAC standard atomic weights", "formula mass"),
            MaterialProperty("theoretical_capacity_mAh_per_g", 146.7, "mAh/g", citation: "derived: F/(3.6·M), M = 182.69 g/mol", "one Li per formula unit"),
            MaterialProperty("practical_capacity_mAh_per_g", 142.3, "mAh/g", citation: "Pan et al., J. Power Sources 288 (2015) 353", "maximum discharge capacity of porous LNMO microellipsoids"),
            MaterialProperty("density_kg_per_m3", 4450, "kg/m^3", citation: "BattMo LNMO_Mao parameter set (Mao et al., ACS Omega 5 (2020) 4109)", "active-material density"),
            MaterialProperty("max_concentration_mol_per_m3", 24358, "mol/m^3", citation: "BattMo LNMO_Pron parameter set (Pron et al., J. Electrochem. Soc. 166 (2019) A2255)", "Li sites per volume"),
            MaterialProperty("stoichiometry_at_full_charge", 0.00014, "1", citation: "BattMo LNMO_Pron parameter set (Pron et al., J. Electrochem. Soc. 166 (2019) A2255), guestStoichiometry100", "θ at 100 % SOC"),
            MaterialProperty("stoichiometry_at_full_discharge", 0.9811, "1", citation: "BattMo LNMO_Pron parameter set (Pron et al., J. Electrochem. Soc. 166 (2019) A2255), guestStoichiometry0", "θ at 0 % SOC; Δθ·146.7 = 143.9 mAh/g"),
            MaterialProperty("lower_voltage_limit_V", 3.5, "V", citation: "derived: below the last Pron 2019 OCP point before the end step (3.99 V at θ = 0.99)", "discharge cut-off"),
            MaterialProperty("upper_voltage_limit_V", 4.9, "V", citation: "derived: above the first Pron 2019 OCP point (4.857 V at θ = 0.019)", "charge cut-off"),
        ],
        openCircuitPotential: .lnmoPron2019)
}
