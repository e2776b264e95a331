/// Small-signal impedance Z(f) [Ω] of the cell models, linearised at rest at a state of charge
/// and temperature (the response to a small sinusoidal current around zero; Z = −V̂/Î with the
/// discharge-positive current, so a resistor has Z = +R).
///
/// - ECM: Z = R₀ + Σⱼ Rⱼ/(1 + jωτⱼ) + (∂OCV/∂z)/(jω·3600·Q) with the elements at (SOC, T):
///   the last term is the cell's own differential capacitance (SOC moves with the charge).
/// - SSB-SPM: the same physics as the time-domain model, linearised:
///   Z·A = R_series + L_sep/(σ_SE·f) + R_comp,₊ + R_comp,₋ + Z₊/(a₊L₊) + Z₋(/(a₋L₋)),
///   with each intercalation interface z = R_film + [1/(R_ct + Z_d) + jωC_dl]⁻¹, R_ct = RT/(F·i₀(θ))
///   (linearised Butler–Volmer), and the finite-space spherical diffusion impedance
///   Z_d = |∂U/∂c|·R/(F·D)·(−tanh β/(tanh β − β)), β = R·√(jω/D) (Jacobsen & West, Electrochim.
///   Acta 40 (1995) 255): a Warburg |∂U/∂c|/(F√(jωD)) at high frequency, a capacitance
///   F·R/(3|∂U/∂c|) per interface area at low frequency. A lithium-metal negative adds
///   RT/(F·i₀,Li) + R_Li|SE. `doubleLayerCapacitance_F_per_m2` (per interface area) adds the
///   charge-transfer arcs; the time-domain models have none (0 reproduces them exactly).
/// - SSB-P2D: the same, with the positive composite's R_comp,₊ + Z₊/(a₊L₊) replaced by the
///   two-rail transmission line of its ionic and electronic conductivities and z₊/a₊
///   (`TransmissionLine`).
public enum ModelImpedance {
    /// Z(f) of an ECM at (SOC, T).
    public static func ecm(_ p: ECMParameters<Double>, soc: Double, temperature_K: Double, frequency_Hz f: Double) -> ComplexNumber {
        let omega = 2 * Double.pi * f
        var z = ComplexNumber(p.seriesResistance.value(x: soc, y: temperature_K))
        if omega > 0 {
            z = z + ComplexNumber(0, -p.ocvSlope(soc: soc, temperature_K: temperature_K) / (omega * 3600 * p.capacity_Ah))
        }
        for j in 0..<p.rcPairCount {
            let r = p.rcResistances[j].value(x: soc, y: temperature_K), tau = p.rcTimeConstants[j].value(x: soc, y: temperature_K)
            z = z + ComplexNumber(r) / ComplexNumber(1, omega * tau)
        }
        return z
    }

    /// Z(f) of SSB-SPM parameters at rest at (SOC, T).
    public static func solidStateSPM(_ p: SolidStateCellParameters, soc: Double, temperature_K t: Double, frequency_Hz f: Double,
                                     doubleLayerCapacitance_F_per_m2 cdl: Double = 0) -> ComplexNumber {
        let omega = 2 * Double.pi * f
        let sigma = p.electrolyteConductivity.conductivity(at: t)
        let positive = ComplexNumber(p.positive.uniformReactionResistance_ohm_m2(electrolyteConductivity_S_per_m: sigma))
            + electrode(p.positive, soc: soc, temperature_K: t, omega: omega, cdl: cdl)
        return cell(p, positiveComposite: positive, soc: soc, temperature_K: t, omega: omega, cdl: cdl)
    }

    /// Z(f) of SSB-P2D parameters at rest at (SOC, T): the SPM's cell with the positive
    /// composite as a two-rail transmission line (`TransmissionLine.twoRail`) instead of the
    /// uniform-reaction limit — at rest every depth has the same state, so the line's
    /// elements are uniform and its closed form is the exact linearisation of the P2D's
    /// continuum equations (the P2D's mesh approximates it to O((Δx/|λ|)²)).
    public static func solidStateP2D(_ p: SolidStateCellParameters, soc: Double, temperature_K t: Double, frequency_Hz f: Double,
                                     doubleLayerCapacitance_F_per_m2 cdl: Double = 0) -> ComplexNumber {
        let omega = 2 * Double.pi * f
        let sigma = p.electrolyteConductivity.conductivity(at: t)
        let e = p.positive
        let zeta = (1 / e.specificInterfaceArea_per_m) * interface(e, soc: soc, temperature_K: t, omega: omega, cdl: cdl)
        let positive = TransmissionLine.twoRail(ionicResistivity: 1 / (sigma * e.ionicRelativeConductivity),
                                                electronicResistivity: 1 / e.electronicConductivity_S_per_m,
                                                volumetricInterfaceImpedance: zeta, thickness: e.thickness_m)
        return cell(p, positiveComposite: positive, soc: soc, temperature_K: t, omega: omega, cdl: cdl)
    }

    /// Z [Ω] of the cell around a positive composite of impedance `positive` [Ω·m²]: series
    /// resistance, separator, and the negative electrode (as in SSB-SPM and SSB-P2D alike).
    static func cell(_ p: SolidStateCellParameters, positiveComposite positive: ComplexNumber, soc: Double,
                     temperature_K t: Double, omega: Double, cdl: Double) -> ComplexNumber {
        let sigma = p.electrolyteConductivity.conductivity(at: t)
        var ohmic = p.seriesResistance_ohm_m2
        if p.separatorThickness_m > 0 { ohmic += p.separatorThickness_m / (sigma * p.separatorRelativeConductivity) }
        var z = ComplexNumber(ohmic) + positive
        switch p.negative {
        case let .lithiumMetal(li):
            z = z + ComplexNumber(Physics.gasConstant * t / (Physics.faraday * li.exchangeCurrentDensity.value(at: t)) + li.interfaceResistance_ohm_m2)
        case let .intercalation(n):
            z = z + ComplexNumber(n.uniformReactionResistance_ohm_m2(electrolyteConductivity_S_per_m: sigma))
                + electrode(n, soc: soc, temperature_K: t, omega: omega, cdl: cdl)
        }
        return (1 / p.area_m2) * z
    }

    /// One intercalation electrode's interface impedance per electrode area [Ω·m²] in the
    /// uniform-reaction limit: the interface's over the whole interface area a·L.
    static func electrode(_ e: IntercalationElectrodeParameters, soc: Double, temperature_K t: Double, omega: Double, cdl: Double) -> ComplexNumber {
        (1 / (e.specificInterfaceArea_per_m * e.thickness_m)) * interface(e, soc: soc, temperature_K: t, omega: omega, cdl: cdl)
    }

    /// The CAM|SE interface impedance per interface area [Ω·m²]: film + [1/(R_ct + Z_d) + jωC_dl]⁻¹.
    static func interface(_ e: IntercalationElectrodeParameters, soc: Double, temperature_K t: Double, omega: Double, cdl: Double) -> ComplexNumber {
        let theta = min(max(e.stoichiometry(soc: soc), 1e-6), 1 - 1e-6)
        let i0 = e.kinetics.value(surfaceStoichiometry: theta, referenceValue: e.kinetics.referenceValue(at: t))
        let rct = Physics.gasConstant * t / (Physics.faraday * i0)
        let h = 1e-5
        let dUdc = abs(e.openCircuitPotential.potential(min(theta + h, 1), temperature_K: t)
                       - e.openCircuitPotential.potential(max(theta - h, 0), temperature_K: t)) / (min(theta + h, 1) - max(theta - h, 0))
            / e.maximumConcentration_mol_per_m3
        let d = e.diffusivity.value(at: t), r = e.particleRadius_m
        let diffusion = (dUdc * r / (Physics.faraday * d)) * sphericalDiffusionFactor(beta: (ComplexNumber(0, omega * r * r / d)).squareRoot)
        var faradaic = ComplexNumber(rct) + diffusion
        if cdl > 0 { faradaic = ComplexNumber(1) / (ComplexNumber(1) / faradaic + ComplexNumber(0, omega * cdl)) }
        return faradaic + ComplexNumber(e.interfaceResistance_ohm_m2)
    }

    /// −tanh β/(tanh β − β), by its series for small |β| (where the difference cancels).
    static func sphericalDiffusionFactor(beta b: ComplexNumber) -> ComplexNumber {
        if b.magnitude < 0.05 {
            let b2 = b * b, b4 = b2 * b2, b6 = b4 * b2
            let numerator = ComplexNumber(1) - (1.0 / 3) * b2 + (2.0 / 15) * b4
            let denominator = (-1.0 / 3) * b2 + (2.0 / 15) * b4 - (17.0 / 315) * b6
            return ComplexNumber(0) - numerator / denominator
        }
        let t = b.tanh
        return ComplexNumber(0) - t / (t - b)
    }
}
