/// Solid electrolytes (role `.solidElectrolyte`).
///
/// Conventions (see `docs/materials.md`):
/// - `ionic_conductivity_25C_S_per_m` equals the conductivity law at 298.15 K; where the reference
///   reviews give a room-temperature value it is that value (S/cm × 100 = S/m).
/// - `oxidation_limit_V`/`reduction_limit_V` are the thermodynamic (first-principles) stability
///   limits vs Li+/Li: beyond them an interphase forms (SEED 003 L103). Where the reviews quote the
///   much wider window seen in voltammetry, it is `apparent_oxidation_limit_V`/`apparent_reduction_limit_V`.
/// - `transference_number` is 1 for the inorganic single-ion conductors (SEED 001 L314).
/// - Densities marked "derived" are crystallographic: Z·M/(N_A·V_cell).
/// Each material is its own `static let` (explicit types keep the type checker fast).
enum ElectrolyteCatalog {
    static let materials: [Material] = [
        llzoTa, llzoAl, latp, lagp, llto, lipon,
        li6ps5cl, li55ps45cl15, lgps, li7p3s11, lps7525,
        li3incl6, li3ycl6, peoLiTFSI,
    ]

    /// eV per particle → J/mol.
    static let eV: Double = Physics.electronvolt_J_per_mol

    static let singleIon: MaterialProperty = MaterialProperty(
        "transference_number", 1, "1", citation: "SEED 001_0941156e1ce417e7.txt L314",
        "single-ion conductor: t(Li+) ≈ 1, no concentration polarisation")

    // MARK: Garnets

    static let llzoTaEa: Double = 0.42 * eV
    static let llzoTa: Material = Material(
        name: "LLZO-Ta", aliases: ["LLZTO", "Ta-LLZO", "Li6.4La3Zr1.4Ta0.6O12"], role: .solidElectrolyte,
        formula: "Li6.4La3Zr1.4Ta0.6O12",
        summary: "Ta-doped cubic garnet oxide; stiff, stable against Li metal, high-temperature sintering",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.1, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L184", "≈ 1e-3 S/cm at 25 °C (best doped garnets)"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", llzoTaEa, "J/mol", citation: "Buschmann et al., J. Power Sources 206 (2012) 236", "≈ 0.42 eV, Ta-substituted LLZO"),
            MaterialProperty("density_kg_per_m3", 5453, "kg/m^3", citation: "derived: Z·M/(N_A·a³), Ia-3d, a = 12.94 Å, Z = 8 (cubic Li6.4La3Zr1.4Ta0.6O12, Li et al., J. Mater. Chem. 22 (2012) 15357)", "crystallographic density"),
            MaterialProperty("oxidation_limit_V", 2.91, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit of LLZO"),
            MaterialProperty("reduction_limit_V", 0.05, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit of LLZO; kinetically stable vs Li (SEED 001 L184)"),
            MaterialProperty("apparent_oxidation_limit_V", 6.0, "V", citation: "SEED 001_0941156e1ce417e7.txt L184", "electrochemical window ≈ 6 V vs Li+/Li"),
            MaterialProperty("apparent_reduction_limit_V", 0, "V", citation: "SEED 001_0941156e1ce417e7.txt L184", "robust chemical stability against Li metal"),
            MaterialProperty("shear_modulus_Pa", 59.6e9, "Pa", citation: "Ni et al., J. Mater. Sci. 47 (2012) 7978", "hot-pressed cubic Li6.24La3Zr2Al0.24O11.98 (resonant ultrasound); E = 149.8 GPa at 3 % porosity, G consistent with ν ≈ 0.26; Ta-LLZO is similar"),
            MaterialProperty("li_interface_resistance_ohm_m2", 5e-4, "Ω·m^2", citation: "SEED 004_6f85e4b4a886b739.txt L114", "Li|LLZTO, 5 Ω cm^2 after acid removal of Li2CO3"),
            MaterialProperty("li_interface_resistance_contaminated_ohm_m2", 0.5542, "Ω·m^2", citation: "SEED 004_6f85e4b4a886b739.txt L114", "Li|LLZTO, 5542 Ω cm^2 with the Li2CO3 surface layer"),
            MaterialProperty("sintering_temperature_K", 1273.15, "K", citation: "SEED 001_0941156e1ce417e7.txt L186", "garnets need > 1000 °C to densify"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.1, activationEnergy_J_per_mol: llzoTaEa))

    static let llzoAlEa: Double = 0.31 * eV
    static let llzoAl: Material = Material(
        name: "LLZO-Al", aliases: ["Al-LLZO", "LALZO", "Li6.25Al0.25La3Zr2O12"], role: .solidElectrolyte,
        formula: "Li6.25Al0.25La3Zr2O12",
        summary: "Al-stabilised cubic garnet oxide (the phase of the original cubic-LLZO report)",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.03, "S/m", citation: "Murugan, Thangadurai & Weppner, Angew. Chem. Int. Ed. 46 (2007) 7778", "3e-4 S/cm total at 25 °C; cubic phase Al-stabilised (Geiger et al., Inorg. Chem. 50 (2011) 1089)"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", llzoAlEa, "J/mol", citation: "Murugan, Thangadurai & Weppner, Angew. Chem. Int. Ed. 46 (2007) 7778", "≈ 0.31 eV total"),
            MaterialProperty("density_kg_per_m3", 5122, "kg/m^3", citation: "derived: Z·M/(N_A·a³), Ia-3d, a = 12.97 Å, Z = 8 (Geiger et al., Inorg. Chem. 50 (2011) 1089)", "crystallographic density"),
            MaterialProperty("li_self_diffusivity_25C_m2_per_s", 1e-12, "m^2/s", citation: "SEED 003_ddf28b6e9efb00d6.txt L197", "Li diffusion coefficient 1–1.1e-8 cm^2/s"),
            MaterialProperty("oxidation_limit_V", 2.91, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit of LLZO"),
            MaterialProperty("reduction_limit_V", 0.05, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit of LLZO"),
            MaterialProperty("apparent_oxidation_limit_V", 6.0, "V", citation: "SEED 001_0941156e1ce417e7.txt L184", "garnet window ≈ 6 V vs Li+/Li"),
            MaterialProperty("shear_modulus_Pa", 59.6e9, "Pa", citation: "Ni et al., J. Mater. Sci. 47 (2012) 7978", "hot-pressed cubic Li6.24La3Zr2Al0.24O11.98 (resonant ultrasound); E = 149.8 GPa at 3 % porosity, G consistent with ν ≈ 0.26"),
            MaterialProperty("critical_current_density_A_per_m2", 0.5, "A/m^2", citation: "Sharafi et al., J. Power Sources 302 (2016) 135", "0.05 mA/cm^2 vs Li at room temperature (rises with temperature)"),
            MaterialProperty("sintering_temperature_K", 1273.15, "K", citation: "SEED 001_0941156e1ce417e7.txt L186", "garnets need > 1000 °C to densify"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.03, activationEnergy_J_per_mol: llzoAlEa))

    // MARK: NASICON and perovskite oxides

    static let latpEa: Double = 0.30 * eV
    static let latp: Material = Material(
        name: "LATP", aliases: ["Li1.3Al0.3Ti1.7(PO4)3", "Li1.3Al0.3Ti1.7P3O12"], role: .solidElectrolyte,
        formula: "Li1.3Al0.3Ti1.7(PO4)3",
        summary: "NASICON phosphate; high-voltage tolerant, Ti4+ reduced by Li metal, runaway onset ≈ 300 °C with Li",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.1, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L171", "≈ 1 mS/cm (bulk layer)"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", latpEa, "J/mol", citation: "Aono et al., J. Electrochem. Soc. 137 (1990) 1023", "≈ 0.30 eV"),
            MaterialProperty("density_kg_per_m3", 2932, "kg/m^3", citation: "derived: Z·M/(N_A·V), R-3c, a = 8.50 Å, c = 20.82 Å, Z = 6 (NASICON LiTi2(PO4)3 cell contracted by Al; Aono et al. 1990)", "crystallographic density"),
            MaterialProperty("oxidation_limit_V", 4.21, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit"),
            MaterialProperty("reduction_limit_V", 2.17, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit (Ti4+ reduction)"),
            MaterialProperty("apparent_oxidation_limit_V", 5.0, "V", citation: "SEED 001_0941156e1ce417e7.txt L171", "stable with 5 V cathodes"),
            MaterialProperty("thermal_limit_K", 573.15, "K", citation: "SEED 001_0941156e1ce417e7.txt L175", "thermal runaway onset ≈ 300 °C in contact with Li"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.1, activationEnergy_J_per_mol: latpEa))

    static let lagpEa: Double = 0.38 * eV
    static let lagp: Material = Material(
        name: "LAGP", aliases: ["Li1.5Al0.5Ge1.5(PO4)3", "Li1.5Al0.5Ge1.5P3O12"], role: .solidElectrolyte,
        formula: "Li1.5Al0.5Ge1.5(PO4)3",
        summary: "NASICON germanium phosphate (glass-ceramic); costly Ge, runaway onset ≈ 300 °C with Li",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.04, "S/m", citation: "Fu, Solid State Ionics 104 (1997) 191; within SEED 001_0941156e1ce417e7.txt L152 (1e-4–1e-3 S/cm)", "4e-4 S/cm glass-ceramic at room temperature"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", lagpEa, "J/mol", citation: "Fu, Solid State Ionics 104 (1997) 191", "≈ 0.38 eV"),
            MaterialProperty("density_kg_per_m3", 3428, "kg/m^3", citation: "derived: Z·M/(N_A·V), R-3c, a = 8.25 Å, c = 20.60 Å, Z = 6 (Francisco, Stoldt & M'Peko, J. Phys. Chem. C 119 (2015) 16432)", "crystallographic density"),
            MaterialProperty("oxidation_limit_V", 4.27, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit"),
            MaterialProperty("reduction_limit_V", 2.70, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit (Ge4+ reduction)"),
            MaterialProperty("thermal_limit_K", 573.15, "K", citation: "SEED 001_0941156e1ce417e7.txt L175", "thermal runaway onset ≈ 300 °C in contact with Li"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.04, activationEnergy_J_per_mol: lagpEa))

    static let lltoEa: Double = 0.40 * eV
    static let llto: Material = Material(
        name: "LLTO", aliases: ["Li0.34La0.56TiO3", "lithium lanthanum titanate"], role: .solidElectrolyte,
        formula: "Li0.34La0.56TiO3",
        summary: "perovskite titanate; fast bulk conduction, resistive grain boundaries, Ti4+ reduced by Li",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.1, "S/m", citation: "Inaguma et al., Solid State Commun. 86 (1993) 689; Stramare, Thangadurai & Weppner, Chem. Mater. 15 (2003) 3974", "bulk (grain) 1e-3 S/cm at room temperature for x ≈ 0.1; polycrystal total is 1–2 orders lower"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", lltoEa, "J/mol", citation: "Inaguma et al., Solid State Commun. 86 (1993) 689; Stramare, Thangadurai & Weppner, Chem. Mater. 15 (2003) 3974", "0.40 eV, bulk, x ≈ 0.1"),
            MaterialProperty("density_kg_per_m3", 5043, "kg/m^3", citation: "derived: M/(N_A·a³), pseudo-cubic perovskite a = 3.87 Å, composition of SEED 004_6f85e4b4a886b739.txt L112", "crystallographic density"),
            MaterialProperty("oxidation_limit_V", 3.71, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit"),
            MaterialProperty("reduction_limit_V", 1.75, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit (Ti4+ reduction)"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.1, activationEnergy_J_per_mol: lltoEa))

    static let liponEa: Double = 0.53 * eV
    static let lipon: Material = Material(
        name: "LiPON", aliases: ["lithium phosphorus oxynitride", "Li3PO4-xNx"], role: .solidElectrolyte,
        formula: "LixPOyNz",
        summary: "sputtered amorphous oxynitride thin film; low σ but dendrite-free for thousands of cycles",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 2e-4, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L167", "≈ 2e-6 S/cm at room temperature (Table 1 quotes 1e-7; the text value is used)"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", liponEa, "J/mol", citation: "Put et al., ACS Appl. Mater. Interfaces 8 (2016) 7060", "0.53 eV at high N content (0.63 eV at low N)"),
            MaterialProperty("electronic_conductivity_S_per_m", 8e-12, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L167", "≈ 8e-14 S/cm"),
            MaterialProperty("oxidation_limit_V", 2.63, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit"),
            MaterialProperty("reduction_limit_V", 0.68, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit; passivates against Li"),
            MaterialProperty("apparent_oxidation_limit_V", 5.5, "V", citation: "SEED 001_0941156e1ce417e7.txt L167", "electrochemical window 0–5.5 V vs Li"),
            MaterialProperty("apparent_reduction_limit_V", 0, "V", citation: "SEED 001_0941156e1ce417e7.txt L167", "stable against Li metal"),
            MaterialProperty("youngs_modulus_Pa", 77e9, "Pa", citation: "Herbert et al., Thin Solid Films 520 (2011) 413", "nanoindentation of sputtered LiPON"),
            MaterialProperty("shear_modulus_Pa", 30.8e9, "Pa", citation: "derived: G = E/(2(1 + ν)), E = 77 GPa, ν = 0.25 (Herbert et al., Thin Solid Films 520 (2011) 413)", "isotropic glass"),
            MaterialProperty("critical_current_density_A_per_m2", 100, "A/m^2", citation: "Westover et al., ACS Energy Lett. 4 (2019) 651", "> 10 mA/cm^2 without shorting (lower bound)"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 2e-4, activationEnergy_J_per_mol: liponEa))

    // MARK: Sulfides

    static let li6ps5clEa: Double = 0.38 * eV
    static let li6ps5cl: Material = Material(
        name: "Li6PS5Cl", aliases: ["LPSCl", "argyrodite", "LPSC"], role: .solidElectrolyte,
        formula: "Li6PS5Cl",
        summary: "argyrodite sulfide; soft and cold-pressable, oxidised above ≈ 2 V (interphase with oxide cathodes)",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.2, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L207", "≈ 2 mS/cm at room temperature"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", li6ps5clEa, "J/mol", citation: "Kraft et al., J. Am. Chem. Soc. 139 (2017) 10909", "≈ 0.38 eV"),
            MaterialProperty("density_kg_per_m3", 1865, "kg/m^3", citation: "derived: Z·M/(N_A·a³), F-43m, a = 9.85 Å, Z = 4 (Deiseroth et al., Angew. Chem. Int. Ed. 47 (2008) 755)", "crystallographic density"),
            MaterialProperty("oxidation_limit_V", 2.01, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit"),
            MaterialProperty("reduction_limit_V", 1.71, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit; Li3P/Li2S/LiCl interphase vs Li"),
            MaterialProperty("shear_modulus_Pa", 8.1e9, "Pa", citation: "Deng et al., J. Electrochem. Soc. 163 (2016) A67", "first-principles elastic constants"),
            MaterialProperty("critical_current_density_A_per_m2", 10, "A/m^2", citation: "Nature Energy (2025), doi:10.1038/s41560-025-01847-0 (abstract)", "typical ≈ 1 mA/cm^2 vs Li; 9 mA/cm^2 for 99 %-dense pellets"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.2, activationEnergy_J_per_mol: li6ps5clEa))

    static let li55Ea: Double = 0.29 * eV
    static let li55ps45cl15: Material = Material(
        name: "Li5.5PS4.5Cl1.5", aliases: ["Cl-rich argyrodite", "LPSCl1.5"], role: .solidElectrolyte,
        formula: "Li5.5PS4.5Cl1.5",
        summary: "Cl-rich argyrodite; more anion disorder, higher σ than Li6PS5Cl",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.9, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L207", "≈ 9 mS/cm at room temperature"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", li55Ea, "J/mol", citation: "Adeli et al., Angew. Chem. Int. Ed. 58 (2019) 8681", "≈ 0.29 eV"),
            MaterialProperty("density_kg_per_m3", 1881, "kg/m^3", citation: "derived: Z·M/(N_A·a³), F-43m, a = 9.80 Å, Z = 4 (Adeli et al., Angew. Chem. Int. Ed. 58 (2019) 8681)", "crystallographic density"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.9, activationEnergy_J_per_mol: li55Ea))

    static let lgpsEa: Double = 0.22 * eV
    static let lgps: Material = Material(
        name: "LGPS", aliases: ["Li10GeP2S12"], role: .solidElectrolyte,
        formula: "Li10GeP2S12",
        summary: "thio-LISICON-type superionic sulfide; narrow window 1.7–2.1 V",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.1, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L150", "1e-3 S/cm (review Table 1; Kamaya et al. 2011 report 12 mS/cm)"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", lgpsEa, "J/mol", citation: "Kuhn, Duppel & Lotsch, Energy Environ. Sci. 6 (2013) 3548", "E_A ≈ 0.22 eV, bulk"),
            MaterialProperty("density_kg_per_m3", 2036, "kg/m^3", citation: "derived: Z·M/(N_A·a²c), P4_2/nmc, a = 8.71771 Å, c = 12.63452 Å, Z = 2 (Kamaya et al., Nat. Mater. 10 (2011) 682)", "crystallographic density"),
            MaterialProperty("li_self_diffusivity_25C_m2_per_s", 9e-12, "m^2/s", citation: "SEED 003_ddf28b6e9efb00d6.txt L197", "Li diffusion coefficient 8.8–9e-8 cm^2/s"),
            MaterialProperty("oxidation_limit_V", 2.1, "V", citation: "SEED 003_ddf28b6e9efb00d6.txt L103", "DFT stability window 1.7–2.1 V vs Li+/Li"),
            MaterialProperty("reduction_limit_V", 1.7, "V", citation: "SEED 003_ddf28b6e9efb00d6.txt L103", "DFT stability window 1.7–2.1 V vs Li+/Li"),
            MaterialProperty("shear_modulus_Pa", 7.9e9, "Pa", citation: "Deng et al., J. Electrochem. Soc. 163 (2016) A67", "first-principles elastic constants"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.1, activationEnergy_J_per_mol: lgpsEa))

    static let li7p3s11Ea: Double = 17000
    static let li7p3s11: Material = Material(
        name: "Li7P3S11", aliases: ["LPS glass-ceramic", "70Li2S-30P2S5 glass-ceramic"], role: .solidElectrolyte,
        formula: "Li7P3S11",
        summary: "Li2S–P2S5 glass-ceramic; among the most conductive Li+ solids",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 1.7, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L203", "up to 17 mS/cm"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", li7p3s11Ea, "J/mol", citation: "Seino et al., Energy Environ. Sci. 7 (2014) 627", "17 kJ/mol"),
            MaterialProperty("oxidation_limit_V", 2.31, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit"),
            MaterialProperty("reduction_limit_V", 2.28, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 1.7, activationEnergy_J_per_mol: li7p3s11Ea))

    static let lps7525Ea: Double = 0.38 * eV
    static let lps7525: Material = Material(
        name: "75Li2S-25P2S5", aliases: ["LPS", "75:25 LPS", "Li3PS4 glass"], role: .solidElectrolyte,
        formula: "(Li2S)0.75(P2S5)0.25",
        summary: "Li3PS4-composition sulfide glass; the classic mechanically milled LPS",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.028, "S/m", citation: "SEED 001_0941156e1ce417e7.txt L201", "0.28 mS/cm at room temperature"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", lps7525Ea, "J/mol", citation: "Dietrich et al., J. Mater. Chem. A 5 (2017) 18111", "≈ 0.38 eV, 75Li2S·25P2S5 glass"),
            MaterialProperty("oxidation_limit_V", 2.31, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) oxidation limit of Li3PS4"),
            MaterialProperty("reduction_limit_V", 1.71, "V", citation: "Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685", "thermodynamic (DFT) reduction limit of Li3PS4"),
            MaterialProperty("youngs_modulus_Pa", 18.5e9, "Pa", citation: "Sakuda, Hayashi & Tatsumisago, Sci. Rep. 3 (2013) 2261", "75Li2S·25P2S5 glass"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.028, activationEnergy_J_per_mol: lps7525Ea))

    // MARK: Halides

    static let li3incl6Ea: Double = 0.347 * eV
    static let li3incl6: Material = Material(
        name: "Li3InCl6", aliases: ["LIC", "lithium indium chloride"], role: .solidElectrolyte,
        formula: "Li3InCl6",
        summary: "monoclinic chloride; oxidation-tolerant catholyte for 4 V cathodes, air-processable",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.202, "S/m", citation: "Li et al., Angew. Chem. Int. Ed. 58 (2019) 16427 (Angew. Chem. 131 (2019) 16579), as reported by Wang, Liang, Kim & Sun, Sci. Adv. 8 (2022) eadc9516", "2.02 mS/cm at room temperature, water-mediated synthesis (the 1.49 mS/cm entered before is not this paper's value)"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", li3incl6Ea, "J/mol", citation: "Li et al., Angew. Chem. Int. Ed. 58 (2019) 16427", "≈ 0.35 eV (unverified: not checked against the paper)"),
            MaterialProperty("density_kg_per_m3", 2683, "kg/m^3", citation: "derived: Z·M/(N_A·abc·sinβ), C2/m, a = 6.44, b = 11.12, c = 6.40 Å, β = 109.8°, Z = 2 (Li et al., Angew. Chem. Int. Ed. 58 (2019) 16427)", "crystallographic density"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.202, activationEnergy_J_per_mol: li3incl6Ea))

    static let li3ycl6Ea: Double = 0.40 * eV
    static let li3ycl6: Material = Material(
        name: "Li3YCl6", aliases: ["LYC", "lithium yttrium chloride"], role: .solidElectrolyte,
        formula: "Li3YCl6",
        summary: "trigonal chloride; high oxidation stability, reduced by Li metal",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", 0.051, "S/m", citation: "Asano et al., Adv. Mater. 30 (2018) 1803075", "0.51 mS/cm at 25 °C"),
            MaterialProperty("conductivity_activation_energy_J_per_mol", li3ycl6Ea, "J/mol", citation: "Asano et al., Adv. Mater. 30 (2018) 1803075", "≈ 0.40 eV"),
            MaterialProperty("density_kg_per_m3", 2444, "kg/m^3", citation: "derived: Z·M/(N_A·V), P-3m1, a = 11.21 Å, c = 6.04 Å, Z = 3 (Asano et al., Adv. Mater. 30 (2018) 1803075)", "crystallographic density"),
            MaterialProperty("oxidation_limit_V", 4.21, "V", citation: "Wang et al., Angew. Chem. Int. Ed. 58 (2019) 8039", "thermodynamic (DFT) oxidation limit"),
            MaterialProperty("reduction_limit_V", 0.62, "V", citation: "Wang et al., Angew. Chem. Int. Ed. 58 (2019) 8039", "thermodynamic (DFT) reduction limit (Y3+ reduction)"),
            singleIon,
        ],
        conductivityLaw: .arrhenius(conductivity25C_S_per_m: 0.051, activationEnergy_J_per_mol: li3ycl6Ea))

    // MARK: Polymer

    /// VTF ideal glass temperature [K]: T₀ = T_g − 50 K with T_g ≈ −50 °C.
    static let peoT0_K: Double = 173.15
    /// The two anchor points of the VTF law [S/m]: 1e-6 S/cm at 25 °C (semi-crystalline, inside the
    /// review's 1e-8–1e-5 S/cm) and 1e-4 S/cm at 60 °C (molten).
    static let peoSigma25_S_per_m: Double = 1e-4
    static let peoSigma60_S_per_m: Double = 1e-2
    /// VTF pseudo-activation energy B [J/mol] through the two anchors:
    /// B = R·ln(σ₆₀/σ₂₅) / (1/(298.15 − T₀) − 1/(333.15 − T₀)).
    static let peoB_J_per_mol: Double = Physics.gasConstant * Physics.log(peoSigma60_S_per_m / peoSigma25_S_per_m)
        / (1 / (298.15 - peoT0_K) - 1 / (333.15 - peoT0_K))
    /// VTF prefactor A [S/m] = σ₆₀·exp(B/(R(333.15 − T₀))).
    static let peoA_S_per_m: Double = peoSigma60_S_per_m * Physics.exp(peoB_J_per_mol / (Physics.gasConstant * (333.15 - peoT0_K)))
    static let peoLaw: IonicConductivityLaw = .vogelTammannFulcher(
        prefactor_S_per_m: peoA_S_per_m, pseudoActivationEnergy_J_per_mol: peoB_J_per_mol,
        idealGlassTemperature_K: peoT0_K)

    static let peoLiTFSI: Material = Material(
        name: "PEO-LiTFSI", aliases: ["PEO", "PEO:LiTFSI", "polyethylene oxide"], role: .solidElectrolyte,
        formula: "(CH2CH2O)n–LiN(SO2CF3)2",
        summary: "solid polymer electrolyte; VTF conduction, needs ≈ 60 °C, anion-dominated transport",
        properties: [
            MaterialProperty("ionic_conductivity_25C_S_per_m", peoLaw.conductivity(at: Physics.referenceTemperature_K), "S/m",
                             citation: "SEED 001_0941156e1ce417e7.txt L235",
                             "1e-6 S/cm: semi-crystalline PEO–LiTFSI, a value inside the review's 1e-8–1e-5 S/cm at room temperature"),
            MaterialProperty("ionic_conductivity_60C_S_per_m", peoLaw.conductivity(at: 333.15), "S/m",
                             citation: "SEED 001_0941156e1ce417e7.txt L153",
                             "1e-4 S/cm above the PEO melt (≈ 60 °C): lower end of the 1e-4–1e-3 S/cm of the review's Table 1"),
            MaterialProperty("vtf_prefactor_S_per_m", peoA_S_per_m, "S/m",
                             citation: "derived: A = σ(60 °C)·exp(B/(R(333.15 K − T0)))",
                             "VTF prefactor"),
            MaterialProperty("vtf_pseudo_activation_energy_J_per_mol", peoB_J_per_mol, "J/mol",
                             citation: "derived: B = R·ln(σ60/σ25)/(1/(298.15 K − T0) − 1/(333.15 K − T0)) through the two anchor conductivities",
                             "VTF pseudo-activation energy (≈ 0.23 eV); apparent Arrhenius energy ≈ 1 eV at 25–60 °C, the crystalline-PEO regime"),
            MaterialProperty("vtf_ideal_glass_temperature_K", peoT0_K, "K",
                             citation: "derived: T0 = Tg − 50 K with Tg ≈ −50 °C for PEO–LiTFSI (Gorecki et al., J. Phys.: Condens. Matter 7 (1995) 6823)",
                             "VTF ideal glass temperature"),
            MaterialProperty("transference_number", 0.2, "1", citation: "Cui et al., Energy Mater. 3 (2023) 300034", "t(Li+) ≈ 0.2 for PEO–LiTFSI (≈ 0.3 by PFG-NMR, Gorecki et al. 1995)"),
            MaterialProperty("density_kg_per_m3", 1124, "kg/m^3", citation: "derived: 44.05 g/mol / 39.2 cm^3/mol, experimental molar volume of PEO at 298 K (Wypych, Handbook of Polymers, 2nd ed., ChemTec Publishing (2016))", "PEO host; the LiTFSI (≈ 25 wt % at EO:Li = 20) makes the electrolyte denser"),
        ],
        conductivityLaw: peoLaw)
}
