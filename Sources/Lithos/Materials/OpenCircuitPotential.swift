/// Open-circuit potential U(θ) vs Li+/Li of an active material, as a published fit, with its
/// entropic coefficient dU/dT(θ). θ is the Li stoichiometry of the host (0…1).
///
/// Each case is one published expression (or, where no analytic fit exists, one published table
/// interpolated piecewise-linearly); `potential` evaluates it clamped to 0…1 so that callers near
/// the window edges never see NaN. A switch over cases (not a protocol) keeps the hot path free
/// of existentials and buildable with Embedded Swift. The sources are listed per case and in
/// `docs/materials.md`.
public enum OpenCircuitPotential: Sendable, Equatable {
    /// Li metal: 0 V by definition of the reference electrode.
    case lithiumMetal
    /// NMC811 of the LG M50 cell: Chen et al., J. Electrochem. Soc. 167 (2020) 080534, as
    /// implemented in PyBaMM's `Chen2020` parameter set (`nmc_LGM50_ocp_Chen2020`).
    /// dU/dT: O'Regan et al., Electrochim. Acta 425 (2022) 140700 (same LG M50 cathode; PyBaMM
    /// `nmc_LGM50_entropic_change_ORegan2022`). PyBaMM's `Chen2020` set itself uses dU/dT = 0, so
    /// a comparison with it away from 25 °C must set its entropic change to the O'Regan fit.
    case nmc811Chen2020
    /// Graphite(-SiOx) of the LG M50 cell: Chen et al. 2020, PyBaMM `graphite_LGM50_ocp_Chen2020`.
    /// dU/dT: O'Regan et al. 2022 (PyBaMM `graphite_LGM50_entropic_change_ORegan2022`).
    case graphiteChen2020
    /// A constant plateau potential [V] (two-phase materials modelled as flat, e.g. In–Li, LTO).
    case plateau(potential_V: Double)
    /// LiCoO2: Doyle's fit as revised for Dualfoil (Doyle, PhD thesis, UC Berkeley 1995; Garcia
    /// and Thomas' data for θ > 0.5), used by PyBaMM's `Marquis2019` set (`lico2_ocp_Dualfoil1998`;
    /// Marquis et al., J. Electrochem. Soc. 166 (2019) A3693), with the stretch θ → 1.062 θ.
    /// dU/dT: Ai et al., J. Electrochem. Soc. 167 (2020) 013512 (PyBaMM
    /// `lico2_entropic_change_Ai2020_function`), evaluated within its fitted range 0.43 ≤ θ ≤ 0.9936.
    case lcoMarquis2019
    /// LiMn2O4: Doyle et al., J. Electrochem. Soc. 143 (1996) 1890 (as coded in MPET
    /// `LiMn2O4_ss`). The fit has a pole at θ = 0.998432; θ is clamped to ≤ 0.998.
    case lmoDoyle1996
    /// LiFePO4: the fit of Afshar, Morris & Khajepour, arXiv:1709.03970 (2017), which PyBaMM's
    /// `Prada2013` LFP set uses (`LFP_ocp_Afshar2017`; Prada et al., J. Electrochem. Soc. 160
    /// (2013) A616 give no OCP of their own).
    case lfpPrada2013
    /// LiNi0.8Co0.15Al0.05O2: Kim et al., J. Electrochem. Soc. 158 (2011) A955 (PyBaMM
    /// `NCA_Kim2011`, `nca_ocp_Kim2011`). Falls steeply above θ ≈ 0.98 (the exp(θ^136.4) term).
    case ncaKim2011
    /// NMC111: the OCP fit of the About:Energy NMC111|graphite 12.5 Ah pouch-cell parameterisation
    /// distributed with the BPX standard (Faraday Institution, `examples/nmc_pouch_cell_BPX.json`,
    /// 2022). dU/dT = −0.1 mV/K, the constant of that set (from Viswanathan et al., J. Power
    /// Sources 195 (2010) 3720).
    case nmc111AboutEnergy2022
    /// NMC622: multi-species multi-reaction (MSMR) thermodynamics of Verbrugge et al.,
    /// J. Electrochem. Soc. 164 (2017) E3243, Table 1 (as in PyBaMM's `MSMR_example_set`):
    /// θ(U) = Σⱼ Xⱼ / (1 + exp(F(U − U⁰ⱼ)/(ωⱼRT))), inverted for U by bisection (monotone, so the
    /// inversion is exact to 1e-13 V). dU/dT is the one implied by the MSMR form with U⁰ⱼ, ωⱼ
    /// temperature-independent: dU/dT = Σ gⱼ (U − U⁰ⱼ)/T / Σ gⱼ (θ held within 0.01…0.99).
    case nmc622Verbrugge2017
    /// LiNi0.5Mn1.5O4: the (θ, U) table of Pron et al., J. Electrochem. Soc. 166 (2019) A2255
    /// (as tabulated in BattMo `computeOCP_LNMO_Pron`), interpolated piecewise-linearly and held
    /// constant beyond its first and last point. The digitised data carry ±0.3 mV of noise.
    case lnmoPron2019
    /// Silicon: mean of the lithiation and delithiation polynomial fits of Verbrugge, Baker & Xiao,
    /// J. Electrochem. Soc. 163 (2016) A262 (PyBaMM `silicon_ocp_lithiation_Mark2016` and
    /// `silicon_ocp_delithiation_Mark2016`); Si hysteresis (≈ 0.1–0.2 V) is not modelled here.
    case siliconVerbrugge2016

    /// U(θ) [V] at 25 °C.
    @inlinable
    public func referencePotential(_ stoichiometry: Double) -> Double {
        let x = min(max(stoichiometry, 0), 1)
        switch self {
        case .lithiumMetal:
            return 0
        case .nmc811Chen2020:
            return -0.8090 * x + 4.4875
                - 0.0428 * Physics.tanh(18.5138 * (x - 0.5542))
                - 17.7326 * Physics.tanh(15.7890 * (x - 0.3117))
                + 17.5842 * Physics.tanh(15.9308 * (x - 0.3120))
        case .graphiteChen2020:
            return 1.9793 * Physics.exp(-39.3631 * x) + 0.2482
                - 0.0909 * Physics.tanh(29.8538 * (x - 0.1234))
                - 0.04478 * Physics.tanh(14.9159 * (x - 0.2769))
                - 0.0205 * Physics.tanh(30.4444 * (x - 0.6103))
        case let .plateau(u):
            return u
        case .lcoMarquis2019:
            let s = 1.062 * x
            return 2.16216 + 0.07645 * Physics.tanh(30.834 - 54.4806 * s)
                + 2.1581 * Physics.tanh(52.294 - 50.294 * s)
                - 0.14169 * Physics.tanh(11.0923 - 19.8543 * s)
                + 0.2051 * Physics.tanh(1.4684 - 5.4888 * s)
                + 0.2531 * Physics.tanh((-s + 0.56478) / 0.1316)
                - 0.02167 * Physics.tanh((s - 0.525) / 0.006)
        case .lmoDoyle1996:
            let y = min(x, 0.998)
            return 4.19829 + 0.0565661 * Physics.tanh(-14.5546 * y + 8.60942)
                - 0.0275479 * (1 / Physics.pow(0.998432 - y, 0.492465) - 1.90111)
                - 0.157123 * Physics.exp(-0.04738 * Physics.pow(y, 8))
                + 0.810239 * Physics.exp(-40 * (y - 0.133875))
        case .lfpPrada2013:
            return 3.4077 - 0.020269 * x + 0.5 * Physics.exp(-150 * x) - 0.9 * Physics.exp(-30 * (1 - x))
        case .ncaKim2011:
            // Horner form of 1.638x¹⁰ − 2.222x⁹ + 15.056x⁸ − 23.488x⁷ + 81.246x⁶ − 344.566x⁵
            // + 621.3475x⁴ − 554.774x³ + 264.427x² − 66.3691x + 11.8058.
            var p = 1.638
            p = p * x - 2.222
            p = p * x + 15.056
            p = p * x - 23.488
            p = p * x + 81.246
            p = p * x - 344.566
            p = p * x + 621.3475
            p = p * x - 554.774
            p = p * x + 264.427
            p = p * x - 66.3691
            p = p * x + 11.8058
            return p - 0.61386 * Physics.exp(5.8201 * Physics.pow(x, 136.4))
        case .nmc111AboutEnergy2022:
            return -3.04420906 * x + 10.04892207
                - 0.65637536 * Physics.tanh(-4.02134095 * (x - 0.80063948))
                + 4.24678547 * Physics.tanh(12.17805062 * (x - 7.57659337))
                - 0.3757068 * Physics.tanh(59.33067782 * (x - 0.99784492))
        case .nmc622Verbrugge2017:
            return OCPData.msmrPotential(x, temperature_K: Physics.referenceTemperature_K)
        case .lnmoPron2019:
            return OCPData.interpolate(x, OCPData.lnmoPron2019Stoichiometry, OCPData.lnmoPron2019Potential)
        case .siliconVerbrugge2016:
            return 0.5 * (OCPData.siliconLithiation(x) + OCPData.siliconDelithiation(x))
        }
    }

    /// dU/dT(θ) [V/K]; 0 where the source publishes none.
    @inlinable
    public func entropicCoefficient(_ stoichiometry: Double) -> Double {
        let x = min(max(stoichiometry, 0), 1)
        switch self {
        case .nmc811Chen2020:
            // O'Regan 2022, fit in mV/K.
            return (0.04006 * Physics.exp(-(x - 0.2828) * (x - 0.2828) / 0.0009855)
                - 0.06656 * Physics.exp(-(x - 0.8032) * (x - 0.8032) / 0.02179)) / 1000
        case .graphiteChen2020:
            // O'Regan 2022, fit in mV/K (their tanh term has a zero coefficient).
            return (-0.1112 * x + 0.02914 + 0.3561 * Physics.exp(-(x - 0.08309) * (x - 0.08309) / 0.004616)) / 1000
        case .lcoMarquis2019:
            // Ai 2020, 7th-order polynomial in V/K, fitted for 0.43 < θ < 0.9936.
            let s = min(max(x, 0.43), 0.9936)
            var p = -3.20392657
            p = p * s + 14.5719049
            p = p * s - 27.9047599
            p = p * s + 29.1744564
            p = p * s - 17.992018
            p = p * s + 6.54799331
            p = p * s - 1.30382445
            p = p * s + 0.109667298
            return p
        case .nmc111AboutEnergy2022:
            return -1e-4
        case .nmc622Verbrugge2017:
            return OCPData.msmrEntropicCoefficient(x)
        case .lithiumMetal, .plateau, .lmoDoyle1996, .lfpPrada2013, .ncaKim2011, .lnmoPron2019,
             .siliconVerbrugge2016:
            return 0
        }
    }

    /// U(θ, T) = U(θ) + (T − 298.15 K)·dU/dT(θ) [V].
    @inlinable
    public func potential(_ stoichiometry: Double, temperature_K: Double) -> Double {
        let offset = temperature_K - Physics.referenceTemperature_K
        // At 25 °C the entropic term is exactly 0 (dU/dT is finite): skip its evaluation.
        if offset == 0 { return referencePotential(stoichiometry) }
        return referencePotential(stoichiometry) + offset * entropicCoefficient(stoichiometry)
    }
}

/// Coefficients and tables behind the `OpenCircuitPotential` cases that are more than one
/// expression (MSMR inversion, tabulated data, two-branch fits).
@usableFromInline
enum OCPData {
    // MARK: MSMR, NMC622 (Verbrugge et al. 2017, Table 1)

    @usableFromInline static let msmrU0: (Double, Double, Double, Double) = (3.62274, 3.72645, 3.90575, 4.22955)
    @usableFromInline static let msmrX: (Double, Double, Double, Double) = (0.13442, 0.32460, 0.21118, 0.32980)
    @usableFromInline static let msmrOmega: (Double, Double, Double, Double) = (0.96710, 1.39712, 3.50500, 5.52757)

    /// θ(U) of the MSMR model at temperature T.
    @inlinable
    static func msmrStoichiometry(_ u: Double, temperature_K: Double) -> Double {
        let f = Physics.faraday / (Physics.gasConstant * temperature_K)
        return msmrX.0 / (1 + Physics.exp(f * (u - msmrU0.0) / msmrOmega.0))
            + msmrX.1 / (1 + Physics.exp(f * (u - msmrU0.1) / msmrOmega.1))
            + msmrX.2 / (1 + Physics.exp(f * (u - msmrU0.2) / msmrOmega.2))
            + msmrX.3 / (1 + Physics.exp(f * (u - msmrU0.3) / msmrOmega.3))
    }

    /// U(θ) by bisection on 2.0…5.5 V (θ(U) is strictly decreasing): fixed 60 halvings, so the cost
    /// and the result are deterministic. The MSMR potential diverges logarithmically at θ → 0 and
    /// θ → 1; there U stops at the bracket ends (5.5 V for θ < 4e-5, 2.0 V for θ > 1 − 5e-8).
    @inlinable
    static func msmrPotential(_ theta: Double, temperature_K: Double) -> Double {
        var low = 2.0
        var high = 5.5
        for _ in 0..<60 {
            let mid = 0.5 * (low + high)
            if msmrStoichiometry(mid, temperature_K: temperature_K) > theta { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }

    /// dU/dT at fixed θ implied by the MSMR form [V/K] at 25 °C. The configurational part diverges
    /// like (R/F)·ln(θ/(1 − θ)) at the ends, so θ is held within 0.01…0.99 (|dU/dT| < 1 mV/K there).
    @inlinable
    static func msmrEntropicCoefficient(_ theta: Double) -> Double {
        let t = Physics.referenceTemperature_K
        let u = msmrPotential(min(max(theta, 0.01), 0.99), temperature_K: t)
        let f = Physics.faraday / (Physics.gasConstant * t)
        func weight(_ x: Double, _ u0: Double, _ omega: Double) -> Double {
            let e = Physics.exp(f * (u - u0) / omega)
            if !e.isFinite { return 0 }
            return x * e / ((1 + e) * (1 + e) * omega)
        }
        let g0 = weight(msmrX.0, msmrU0.0, msmrOmega.0)
        let g1 = weight(msmrX.1, msmrU0.1, msmrOmega.1)
        let g2 = weight(msmrX.2, msmrU0.2, msmrOmega.2)
        let g3 = weight(msmrX.3, msmrU0.3, msmrOmega.3)
        let sum = g0 + g1 + g2 + g3
        if !(sum > 0) { return 0 }
        return (g0 * (u - msmrU0.0) + g1 * (u - msmrU0.1) + g2 * (u - msmrU0.2) + g3 * (u - msmrU0.3)) / (sum * t)
    }

    // MARK: Silicon (Verbrugge, Baker & Xiao 2016)

    @inlinable
    static func siliconLithiation(_ x: Double) -> Double {
        var p = -96.63
        p = p * x + 372.6
        p = p * x - 587.6
        p = p * x + 489.9
        p = p * x - 232.8
        p = p * x + 62.99
        p = p * x - 9.286
        p = p * x + 0.8633
        return p
    }

    @inlinable
    static func siliconDelithiation(_ x: Double) -> Double {
        var p = -51.02
        p = p * x + 161.3
        p = p * x - 205.7
        p = p * x + 140.2
        p = p * x - 58.76
        p = p * x + 16.87
        p = p * x - 3.792
        p = p * x + 0.9937
        return p
    }

    // MARK: Tables

    /// Piecewise-linear interpolation in a table with increasing abscissae; constant beyond the ends.
    @inlinable
    static func interpolate(_ x: Double, _ xs: [Double], _ ys: [Double]) -> Double {
        let n = min(xs.count, ys.count)
        if n == 0 { return 0 }
        if x <= xs[0] { return ys[0] }
        if x >= xs[n - 1] { return ys[n - 1] }
        var low = 0
        var high = n - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if xs[mid] <= x { low = mid } else { high = mid }
        }
        let t = (x - xs[low]) / (xs[high] - xs[low])
        return ys[low] + t * (ys[high] - ys[low])
    }

    /// LNMO, Pron et al. 2019: stoichiometry column.
    @usableFromInline static let lnmoPron2019Stoichiometry: [Double] = [
        0.0189085, 0.0291227, 0.0393364, 0.0484801, 0.0597759, 0.0700003, 0.0802146, 0.0904282,
        0.100654, 0.110868, 0.121081, 0.131306, 0.141521, 0.151746, 0.16196, 0.172173,
        0.182398, 0.192613, 0.202836, 0.213052, 0.223266, 0.23349, 0.243705, 0.25393,
        0.264143, 0.274358, 0.284582, 0.294796, 0.305011, 0.315236, 0.32545, 0.335675,
        0.345888, 0.356104, 0.366327, 0.376542, 0.386766, 0.396981, 0.407195, 0.41742,
        0.427633, 0.437859, 0.448072, 0.458287, 0.468511, 0.478726, 0.48894, 0.499164,
        0.509379, 0.519798, 0.529818, 0.540032, 0.550257, 0.560471, 0.570694, 0.58091,
        0.591124, 0.601348, 0.611562, 0.621983, 0.632002, 0.642216, 0.652441, 0.662654,
        0.67288, 0.683094, 0.693416, 0.703533, 0.713747, 0.723961, 0.734186, 0.7444,
        0.754625, 0.764839, 0.775053, 0.785278, 0.805716, 0.815931, 0.826145, 0.83637,
        0.846583, 0.856808, 0.867022, 0.877237, 0.887461, 0.897677, 0.907895, 0.918114,
        0.928332, 0.93855, 0.948768, 0.958986, 0.969204, 0.979423, 0.989642, 0.99986,
    ]

    /// LNMO, Pron et al. 2019: potential column [V vs Li+/Li].
    @usableFromInline static let lnmoPron2019Potential: [Double] = [
        4.85689, 4.83565, 4.82253, 4.81472, 4.80785, 4.80348, 4.80067, 4.79817,
        4.79629, 4.79442, 4.79317, 4.79161, 4.79067, 4.79036, 4.7888, 4.78786,
        4.78661, 4.78598, 4.78536, 4.78505, 4.7838, 4.78349, 4.78317, 4.78255,
        4.78161, 4.78099, 4.78068, 4.78005, 4.77974, 4.77818, 4.77786, 4.77693,
        4.7763, 4.77568, 4.77537, 4.77443, 4.7738, 4.77318, 4.77287, 4.7713,
        4.77068, 4.76724, 4.76256, 4.75725, 4.75381, 4.75256, 4.75163, 4.75038,
        4.75006, 4.74944, 4.7485, 4.74788, 4.74788, 4.74819, 4.74694, 4.74663,
        4.74632, 4.74632, 4.74538, 4.74507, 4.74507, 4.74351, 4.74382, 4.74319,
        4.74226, 4.74038, 4.74038, 4.73788, 4.7357, 4.73257, 4.73007, 4.72726,
        4.7257, 4.7257, 4.7257, 4.72476, 4.72008, 4.71571, 4.70977, 4.70134,
        4.69072, 4.6801, 4.66511, 4.64324, 4.61138, 4.56453, 4.49612, 4.37087,
        4.27123, 4.19752, 4.14411, 4.10381, 4.06852, 4.03322, 3.98918, 3.55626,
    ]
}
