/// Derives equivalent-circuit parameters from a cell design, so a designed cell can be simulated
/// and handed to the estimator before any test data exist. Every element is tabulated over
/// SOC (0…1 in steps of 0.05) × temperature (`temperatures_K`) from the physics of the layers:
///
/// - **OCV(z)** = U₊(θ₊(z)) − U₋(θ₋(z)) from the electrode OCPs over their stoichiometry windows
///   (`CellOpenCircuitVoltage`), and ∂OCV/∂T from their entropic coefficients.
/// - **R₀(T)** = [ASR_sep + L·(1/σ_ion + 1/σ_el)/3 + R_Li|SE + RT/(F·i₀,Li) + ASR_cc] / A: the SE separator
///   (L/σ_SE(T)), the composite cathode's ionic and electronic resistance in the uniform-reaction
///   limit (L/(3σ_eff), Newman & Tobias 1962), the Li|SE interface resistance of the separator
///   material (when the database has one) and the linearised Butler–Volmer resistance of Li
///   plating/stripping, plus the current collectors' in-plane resistance A/(3σt) each (a
///   full-width tab). All temperature dependence enters through σ_SE(T) and Arrhenius i₀.
/// - **RC₁** (charge transfer at CAM|SE): R_ct = RT/(F·i₀(T)) / (a·L·A), with interface area
///   a·L = 3·φ_CAM·L/r per electrode area, and τ₁ = R_ct·C_dl per unit interface area
///   = RT/(F·i₀)·C_dl with C_dl = `doubleLayerCapacitance_F_per_m2`.
/// - **RC₂** (solid diffusion): the low-frequency limit of finite-space spherical diffusion,
///   R_d = |∂U₊/∂θ|·r / (5·F·D(T)·c_max) / (a·L·A), with τ₂ = r²/(15·D(T)) (Jacobsen & West,
///   Electrochim. Acta 40 (1995) 255; the parabolic-profile approximation of Subramanian et al.,
///   J. Electrochem. Soc. 152 (2005) A2002).
/// - **Thermal:** C = stack mass × `specificHeat_J_per_kgK`; hA = h·2A (both faces cooled) with
///   h = `heatTransferCoefficient_W_per_m2K`.
/// - **Limits:** the cathode's voltage limits vs Li (minus the anode's mid-window potential).
public enum ECMFromCellDesign {
    /// Temperature grid of the derived tables [K] (−20…60 °C, at most 15 K apart: the
    /// resistances are Arrhenius, and linear interpolation over the 25 K from 0 to 25 °C put R₀ at
    /// 10 °C 22 % too high, which cost the estimator 1 point of SOC accuracy there).
    public static let temperatures_K: [Double] = [253.15, 263.15, 273.15, 283.15, 298.15, 308.15, 318.15, 333.15]
    /// SOC grid of the derived tables: −0.10…1.05 in steps of 0.05. It reaches past the
    /// practical window (SOC 0…1 is the practical capacity) so that a discharge beyond SOC 0
    /// sees the OCV keep falling (the electrode OCPs beyond their windows, stoichiometry
    /// clamped to 0…1) and reaches the cut-off voltage, instead of running flat on a clamped
    /// table.
    public static let socs: [Double] = (-2...21).map { Double($0) / 20 }
    /// Double-layer capacitance of the CAM|SE interface [F/m² of interface]: 10 µF/cm², the
    /// order of magnitude of solid|solid interfaces (and of liquid ones).
    public static let doubleLayerCapacitance_F_per_m2 = 0.1
    /// Li-plating exchange current density used when the Li material gives none [A/m²].
    public static let defaultLithiumExchangeCurrent_A_per_m2 = 10.0
    /// Cathode exchange current density used when the material gives none [A/m² at 25 °C].
    public static let defaultCathodeExchangeCurrent_A_per_m2 = 1.0
    /// Lumped specific heat of a cell stack [J/(kg·K)] (cells are typically 0.9–1.1 kJ/(kg·K)).
    public static let specificHeat_J_per_kgK = 1000.0
    /// Natural-convection heat-transfer coefficient [W/(m²·K)].
    public static let heatTransferCoefficient_W_per_m2K = 10.0

    public static func parameters(_ design: CellDesign, rcPairs: Int = 2) throws(LithosError) -> ECMParameters<Double> {
        let area = design.area_m2
        let cathode = design.cathode
        let cam = cathode.activeMaterial
        let ocv = try CellOpenCircuitVoltage(design: design)
        let metrics = try design.metrics(at: Physics.referenceTemperature_K)
        let capacity = metrics.practicalCapacity_Ah

        let radius = cathode.activeParticleRadius_um * 1e-6
        let interfaceArea_per_m2 = 3 * cathode.fractions.active * cathode.thickness_m / radius   // m² interface per m² electrode
        let cMax = try cam.require(MaterialKey.maximumConcentration, for: "the diffusion RC pair")
        let diffusivity = cam.diffusivityLaw
        let i0Law = ArrheniusLaw(valueAt25C: cam.value(MaterialKey.exchangeCurrentDensity) ?? defaultCathodeExchangeCurrent_A_per_m2,
                                 activationEnergy_J_per_mol: cam.value(MaterialKey.kineticsActivationEnergy) ?? 0)
        let lithiumKinetics = DesignDerivedCell.lithiumExchangeCurrent(design)
        let interfaceASR = design.separator.material.value(MaterialKey.lithiumInterfaceResistance) ?? 0
        let collectorASR = DesignDerivedCell.collectorASR_ohm_m2(design)

        var ocvValues: [Double] = []
        var dUdT: [Double] = []
        for z in socs {
            ocvValues.append(ocv.voltage(soc: z, temperature_K: Physics.referenceTemperature_K))
            dUdT.append(ocv.entropicCoefficient(soc: z))
        }
        var r0: [Double] = [], r1: [Double] = [], tau1: [Double] = [], r2: [Double] = [], tau2: [Double] = []
        for T in temperatures_K {
            let m = try design.metrics(at: T)
            let electronicASR = cathode.thickness_m / (3 * max(m.cathodeElectronicConductivity_S_per_m, 1e-12))
            var asr = m.separatorASR_ohm_m2 + m.cathodeIonicASR_ohm_m2 + electronicASR + interfaceASR + collectorASR
            if let k = lithiumKinetics { asr += Physics.gasConstant * T / (Physics.faraday * k.value(at: T)) }
            let chargeTransferPerInterface = Physics.gasConstant * T / (Physics.faraday * i0Law.value(at: T))  // Ω·m² of interface
            let d = diffusivity?.value(at: T) ?? 1e-14
            for z in socs {
                r0.append(asr / area)
                r1.append(chargeTransferPerInterface / (interfaceArea_per_m2 * area))
                tau1.append(chargeTransferPerInterface * doubleLayerCapacitance_F_per_m2)
                let theta = ocv.stoichiometries(soc: z).positive
                let h = 1e-4
                let slope = abs(ocv.positive.potential(min(theta + h, 1), temperature_K: T)
                                - ocv.positive.potential(max(theta - h, 0), temperature_K: T)) / (min(theta + h, 1) - max(theta - h, 0))
                r2.append(max(slope, 1e-3) * radius / (5 * Physics.faraday * d * cMax) / (interfaceArea_per_m2 * area))
                tau2.append(radius * radius / (15 * d))
            }
        }
        func table(_ values: [Double], _ name: String) throws(LithosError) -> BilinearTable<Double> {
            try BilinearTable(xs: socs, ys: temperatures_K, values: values, name: "derived ECM: \(name)")
        }
        var rcR: [BilinearTable<Double>] = []
        var rcTau: [BilinearTable<Double>] = []
        if rcPairs >= 1 { rcR.append(try table(r1, "R1")); rcTau.append(try table(tau1, "tau1")) }
        if rcPairs >= 2 { rcR.append(try table(r2, "R2")); rcTau.append(try table(tau2, "tau2")) }

        // Without material limits: the OCV at the ends of the tables (SOC 1.05 and −0.10).
        let window = DesignDerivedCell.voltageWindow(design, ocv, emptyOCV_V: ocvValues.first ?? 3.0, fullOCV_V: ocvValues.last ?? 4.2)
        return try ECMParameters(
            capacity_Ah: capacity,
            openCircuitVoltage: BilinearTable(xs: socs, ys: [Physics.referenceTemperature_K], values: ocvValues, name: "derived ECM: OCV"),
            entropicCoefficient: BilinearTable(xs: socs, ys: [Physics.referenceTemperature_K], values: dUdT, name: "derived ECM: dU/dT"),
            seriesResistance: table(r0, "R0"),
            rcResistances: rcR, rcTimeConstants: rcTau,
            thermal: DesignDerivedCell.thermal(design, metrics),
            limits: ModelLimits(minimumVoltage_V: window.minimum_V, maximumVoltage_V: window.maximum_V))
    }
}
