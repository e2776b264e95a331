/// Effective conductivity of one conducting phase inside a composite electrode (the transport law).
///
/// A composite cathode of a solid-state battery is a pressed mixture of cathode active material
/// (CAM), solid electrolyte (SE), carbon, binder and pores. Li⁺ moves only through the SE, so the
/// SE is a conducting network diluted by blocking phases (CAM, carbon, binder, pores).
///
/// **Why not Bruggeman.** Bruggeman's σ_eff = σ_SE·ε^1.5 assumes a network that stays connected down
/// to ε → 0. Pressed SE composites do not: Froboese et al. (J. Electrochem. Soc. 166 (2019)
/// A318–A328, summarised in SEED 003_ddf28b6e9efb00d6.txt L121–L131) measured 6.19×10⁻⁴ S/cm for
/// the SE without "CAM" (inert glass), 2.49×10⁻⁶ S/cm (small particles) and ≈2×10⁻⁵ S/cm (coarse
/// particles) at 60 vol % CAM, and ≈10⁻⁶ S/cm once the porosity exceeds 13 %. Bruggeman with
/// ε_SE = 0.40 predicts 1.57×10⁻⁴ S/cm for both: 7.8× too high for coarse and 63× for small
/// particles. The conductivity collapses because the network approaches a percolation threshold.
///
/// **The law.** A continuum percolation law (Kirkpatrick, Rev. Mod. Phys. 45 (1973) 574;
/// Stauffer & Aharony, *Introduction to Percolation Theory*, 1994)
///
///     σ_eff / σ_bulk = ((φ − φ_c) / (1 − φ_c))^t   for φ > φ_c,   0 otherwise,
///
/// with φ the volume fraction of the conducting phase (of the whole composite, pores included,
/// so pores block), t = 2 (the universal conductivity exponent of 3-D percolation), and a
/// threshold that depends on the microstructure:
///
///     φ_c(ρ, p) = φ_c∞ + Δ_size / (1 + ρ) + Δ_pore · p
///
/// - ρ = r_blocking / r_conducting: for the SE network ρ = λ = r_CAM / r_SE (SEED 003 L183:
///   λ < 1 ruins ionic percolation, λ = 2–3 restores it). Fine SE particles fill the interstices
///   between coarse CAM and connect at a low fraction (φ_c → φ_c∞ for λ → ∞); coarse SE between
///   fine CAM is cut off by CAM coatings (φ_c → φ_c∞ + Δ_size for λ → 0).
/// - φ_c∞ = 0.16, the Scher–Zallen critical volume fraction of 3-D continuum percolation
///   (Scher & Zallen, J. Chem. Phys. 53 (1970) 3759).
/// - p is the porosity. Pores in a cold-pressed composite are where the SE failed to fill the
///   space between particles (SEED 003 L115, L127–L131: "when a moving Li⁺ encounters a pore, the
///   transport path is interrupted"), so besides taking volume they cut SE necks: they raise the
///   threshold by Δ_pore per unit porosity.
///
/// **Calibration** (Δ_size, Δ_pore fitted; t and φ_c∞ fixed by theory) on the Froboese data with
/// σ_bulk = 6.19×10⁻⁴ S/cm (their SE-only composite), volume fractions read as fractions of the
/// solids (glass / (glass + SE)) with the measured porosity on top, "small" glass ↔ λ = 1 (CAM
/// comparable to the SE powder) and "coarse" (40–70 µm) ↔ λ = 8 (against a ≈7 µm SE powder):
///
/// | point (SEED 003)                     | φ_SE  | p     | λ | measured [S/cm] | this law [S/cm] |
/// |--------------------------------------|-------|-------|---|-----------------|-----------------|
/// | SE only (L121)                       | 1     | 0     | – | 6.19e-4         | 6.19e-4         |
/// | 60 vol % CAM, coarse (L125, L127)    | 0.343 | 0.142 | 8 | ≈2e-5           | 2.0e-5          |
/// | 60 vol % CAM, small (L125, L127)     | 0.321 | 0.197 | 1 | 2.49e-6         | 1.7e-6          |
/// | porosity > 13 % (L131)               | 0.320 | 0.200 | 1 | ≈1e-6           | 1.6e-6          |
///
/// The small-particle point is fitted to the geometric mean of 2.49×10⁻⁶ and ≈10⁻⁶ S/cm, which
/// the review reports for the same high-porosity, small-particle composites. The fitted constants
/// give a threshold of 0.36 at λ → 0 and 0.16 at λ → ∞. Below 35 vol % CAM the law makes the
/// particle size nearly irrelevant (ratio coarse/small ≈ 1.2 at equal porosity, SEED 003 L123–L125),
/// above 40 % it matters (×12 at 60 % with the measured porosities; measured ×8). docs/cell-design.md gives the
/// derivation and the fit.
///
/// The law is continuous, monotone (σ_eff falls with the blocking fraction and with porosity and
/// rises with λ), finite and ≥ 0 for every input; 0 means "does not percolate".
public struct PercolationLaw: Sendable, Equatable {
    /// Critical volume fraction φ_c of the conducting phase (0 ≤ φ_c < 1).
    public let threshold: Double
    /// Conductivity exponent t.
    public let exponent: Double

    public init(threshold: Double, exponent: Double = EffectiveConductivity.exponent) {
        // Keep the law well defined whatever a caller passes: 0 ≤ φ_c ≤ 0.99, t > 0.
        let c = threshold.isFinite ? threshold : 0.99
        self.threshold = min(max(c, 0), 0.99)
        self.exponent = exponent.isFinite && exponent > 0 ? exponent : EffectiveConductivity.exponent
    }

    /// σ_eff / σ_bulk for a conducting-phase volume fraction `fraction` (0…1); 0 at and below the
    /// threshold, 1 for a pure conducting phase.
    @inlinable
    public func relativeConductivity(_ fraction: Double) -> Double {
        guard fraction.isFinite, fraction > threshold else { return 0 }
        let reduced = min((fraction - threshold) / (1 - threshold), 1)
        return Physics.pow(reduced, exponent)
    }

    /// Whether a phase at `fraction` forms a connected network.
    public func percolates(_ fraction: Double) -> Bool { fraction.isFinite && fraction > threshold }
}

/// The calibrated constants and the entry points of the transport law (see `PercolationLaw`).
public enum EffectiveConductivity {
    /// Universal 3-D conductivity exponent t (Stauffer & Aharony 1994; ≈ 2.0).
    public static let exponent = 2.0
    /// Threshold of a randomly packed continuum with no size segregation, φ_c∞ (Scher & Zallen 1970).
    public static let randomThreshold = 0.16
    /// Threshold rise Δ_size for a conducting phase much coarser than the blocking phase (λ → 0);
    /// fitted to SEED 003 L125 (small vs coarse particles at 60 vol % CAM).
    public static let sizeRatioThresholdShift = 0.20
    /// Threshold rise Δ_pore per unit porosity; fitted to SEED 003 L125–L131.
    public static let porosityThresholdShift = 0.12

    /// Percolation threshold of a conducting phase whose particles are `sizeRatio` = r_blocking /
    /// r_conducting times smaller than the blocking particles around them, in a composite of
    /// porosity `porosity` (0…1). Inputs are clamped into their domains (λ ≥ 0, 0 ≤ p ≤ 1).
    @inlinable
    public static func threshold(sizeRatio: Double, porosity: Double) -> Double {
        let lambda = sizeRatio.isFinite ? max(sizeRatio, 0) : (sizeRatio > 0 ? Double.greatestFiniteMagnitude : 0)
        let p = porosity.isFinite ? min(max(porosity, 0), 1) : 1
        return randomThreshold + sizeRatioThresholdShift / (1 + lambda) + porosityThresholdShift * p
    }

    /// The law for the SE (Li⁺) network of a composite electrode.
    /// - Parameters:
    ///   - sizeRatio: λ = r_CAM / r_SE (active-material over electrolyte particle radius).
    ///   - porosity: pore volume fraction of the composite (0…1).
    public static func ionicLaw(sizeRatio: Double, porosity: Double) -> PercolationLaw {
        PercolationLaw(threshold: threshold(sizeRatio: sizeRatio, porosity: porosity))
    }

    /// σ_eff / σ_SE of the SE network.
    /// - Parameters:
    ///   - electrolyteFraction: SE volume fraction of the whole composite (pores included).
    ///   - sizeRatio: λ = r_CAM / r_SE.
    ///   - porosity: pore volume fraction.
    public static func relativeIonicConductivity(electrolyteFraction: Double, sizeRatio: Double,
                                                 porosity: Double) -> Double {
        ionicLaw(sizeRatio: sizeRatio, porosity: porosity).relativeConductivity(electrolyteFraction)
    }

    /// Tortuosity factor τ = ε·σ_bulk/σ_eff = ε / (σ_eff/σ_bulk) (1 for straight channels);
    /// +∞ when the phase does not percolate.
    public static func tortuosityFactor(fraction: Double, relativeConductivity: Double) -> Double {
        guard relativeConductivity > 0, fraction > 0 else { return .infinity }
        return fraction / relativeConductivity
    }

    /// Bruggeman's σ_eff / σ_bulk = ε^α (α = 1.5 for spheres), kept as the reference the
    /// percolation law is compared against. Not used by the cell design.
    public static func bruggeman(fraction: Double, exponent: Double = 1.5) -> Double {
        guard fraction.isFinite, fraction > 0 else { return 0 }
        return Physics.pow(min(fraction, 1), exponent)
    }

    // MARK: Electronic network

    /// Electronic conductivity of the carbon phase itself [S/m]: compacted conductive carbon black
    /// (Super P / C65 class) conducts ≈ 10 S/cm under electrode pressing pressures (manufacturer
    /// data, Imerys C-NERGY; Spahr et al., J. Power Sources 196 (2011) 3404). An estimate, not
    /// calibrated against SSB composites.
    public static let carbonConductivity_S_per_m = 1.0e3
    /// Percolation threshold of nanometric, branched conductive carbon between micrometre
    /// particles: ≈ 1 vol % (carbon-black composites percolate at 1–5 vol %; highly structured
    /// blacks and fibres at the low end; Spahr 2011).
    public static let carbonThreshold = 0.01

    /// Effective electronic conductivity [S/m] of a composite electrode: the carbon network and
    /// the active-material network conduct in parallel,
    ///
    ///     σ_e = σ_C·P_C(φ_C) + σ_CAM·P_CAM(φ_CAM),
    ///
    /// where P_C has threshold `carbonThreshold` and P_CAM uses the same size-dependent threshold as
    /// the SE network with the size ratio inverted (1/λ: the coarse CAM is the "coarse" phase).
    /// - Parameters:
    ///   - carbonFraction: carbon volume fraction φ_C.
    ///   - activeFraction: CAM volume fraction φ_CAM.
    ///   - activeConductivity_S_per_m: the CAM's own electronic conductivity (0 if unknown).
    ///   - sizeRatio: λ = r_CAM / r_SE.
    ///   - porosity: pore volume fraction.
    public static func electronicConductivity(carbonFraction: Double, activeFraction: Double,
                                              activeConductivity_S_per_m: Double,
                                              sizeRatio: Double, porosity: Double) -> Double {
        let carbon = PercolationLaw(threshold: carbonThreshold).relativeConductivity(carbonFraction)
        let inverse = sizeRatio > 0 && sizeRatio.isFinite ? 1 / sizeRatio : (sizeRatio.isFinite ? Double.greatestFiniteMagnitude : 0)
        let active = PercolationLaw(threshold: threshold(sizeRatio: inverse, porosity: porosity))
            .relativeConductivity(activeFraction)
        let sigmaActive = activeConductivity_S_per_m.isFinite ? max(activeConductivity_S_per_m, 0) : 0
        return carbonConductivity_S_per_m * carbon + sigmaActive * active
    }
}
