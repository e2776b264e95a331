import Testing
@testable import Lithos

/// The composite-cathode transport law against the Froboese et al. data quoted in SEED 003
/// (/work/shared/seeds/003_ddf28b6e9efb00d6.txt L121–L131; Froboese et al., J. Electrochem. Soc.
/// 166 (2019) A318).
///
/// Mapping of the experiment onto the law's inputs (the review gives no SE particle size):
/// - σ_SE = 6.19×10⁻⁴ S/cm: their SE-only composite (L121) — the same pressed SE the glass was
///   mixed into, so every ratio below is relative to the conductivity of that pressed SE.
/// - "vol % CAM" is the fraction of the solids (glass / (glass + SE)); the measured porosity p comes
///   on top, so φ_SE = (1 − φ_CAM)(1 − p) of the whole volume.
/// - "small" particles ↔ λ = r_CAM/r_SE = 1: glass about as fine as the SE powder; at 60 % they give
///   the worst network (τ ≈ 99), which SEED 003 L183 ties to λ ≲ 1.
/// - "coarse" particles (the 40–70 µm class, porosity 14.15 % at high loading, L127) ↔ λ = 8:
///   ≈ 55 µm glass against a ≈ 7 µm argyrodite powder.
/// - Porosities at 60 vol %: small 19.72 % (L127), coarse 14.15 % (L127).
struct EffectiveConductivityTests {
    static let sigmaSE_S_per_cm = 6.19e-4
    static let lambdaSmall = 1.0
    static let lambdaCoarse = 8.0
    static let porositySmall60 = 0.1972
    static let porosityCoarse60 = 0.1415

    /// σ_eff [S/cm] of the Froboese composite at solid-basis CAM fraction `cam`.
    static func froboese(cam: Double, porosity: Double, lambda: Double) -> Double {
        let phiSE = (1 - cam) * (1 - porosity)
        return sigmaSE_S_per_cm * EffectiveConductivity.relativeIonicConductivity(
            electrolyteFraction: phiSE, sizeRatio: lambda, porosity: porosity)
    }

    static func withinFactor(_ value: Double, _ target: Double, _ factor: Double) -> Bool {
        value > 0 && value <= target * factor && value >= target / factor
    }

    @Test func pureElectrolyteKeepsItsConductivity() {
        // L121: 6.19e-4 S/cm without CAM. A dense pure SE has relative conductivity exactly 1.
        let sigma = Self.froboese(cam: 0, porosity: 0, lambda: 5)
        #expect(sigma == Self.sigmaSE_S_per_cm)
    }

    @Test func sixtyPercentCoarseMatchesWithinFactorTwo() {
        // L125: ≈ 2e-5 S/cm at 60 vol % coarse CAM.
        let sigma = Self.froboese(cam: 0.6, porosity: Self.porosityCoarse60, lambda: Self.lambdaCoarse)
        #expect(Self.withinFactor(sigma, 2e-5, 2), "coarse 60 %: \(sigma) S/cm vs 2e-5")
    }

    @Test func sixtyPercentSmallMatchesWithinFactorTwo() {
        // L125: 2.49e-6 S/cm at 60 vol % small CAM.
        let sigma = Self.froboese(cam: 0.6, porosity: Self.porositySmall60, lambda: Self.lambdaSmall)
        #expect(Self.withinFactor(sigma, 2.49e-6, 2), "small 60 %: \(sigma) S/cm vs 2.49e-6")
    }

    @Test func highPorosityGivesAboutOneMicroSiemensPerCm() {
        // L131: porosity > 13 % → ≈ 1e-6 S/cm. Evaluated for the composite that reaches such
        // porosity (small particles, 60 vol %) at p = 0.20.
        let sigma = Self.froboese(cam: 0.6, porosity: 0.20, lambda: Self.lambdaSmall)
        #expect(Self.withinFactor(sigma, 1e-6, 2), "p = 0.20: \(sigma) S/cm vs 1e-6")
    }

    @Test func lowCAMFractionsStayInTheRangeOfRealComposites() {
        // L121: composites with CAM reach 2–9e-4 S/cm, "comparable" to the SE-only value. At the
        // CAM fractions of those composites (20–35 vol %, low porosity, any particle size) the
        // law stays within that range widened by the factor 2 of the other checks.
        for cam in [0.2, 0.3, 0.35] {
            for (lambda, porosity) in [(Self.lambdaSmall, 0.05), (Self.lambdaCoarse, 0.03), (3.0, 0.03)] {
                let sigma = Self.froboese(cam: cam, porosity: porosity, lambda: lambda)
                #expect(sigma >= 2e-4 / 2 && sigma <= 9e-4 * 2, "cam \(cam), λ \(lambda): \(sigma) S/cm")
            }
        }
    }

    @Test func particleSizeMattersOnlyAboveFortyPercent() {
        // L123–L125: below 35 % CAM the particle size is irrelevant; above 40 % it matters.
        let p = 0.05
        let at30 = Self.froboese(cam: 0.3, porosity: p, lambda: Self.lambdaCoarse)
            / Self.froboese(cam: 0.3, porosity: p, lambda: Self.lambdaSmall)
        #expect(at30 < 1.3, "coarse/small at 30 %: \(at30)")
        // At 60 % with the measured porosities the ratio is the measured 2e-5 / 2.49e-6 ≈ 8.
        let at60 = Self.froboese(cam: 0.6, porosity: Self.porosityCoarse60, lambda: Self.lambdaCoarse)
            / Self.froboese(cam: 0.6, porosity: Self.porositySmall60, lambda: Self.lambdaSmall)
        #expect(at60 > 4 && at60 < 20, "coarse/small at 60 %: \(at60)")
    }

    @Test func bruggemanOverPredictsTheData() {
        // Bruggeman with the SE fraction 0.40 (the nominal one, as SEED_DATA derives it) gives
        // 1.57e-4 S/cm at 60 vol % CAM: 7.8× the coarse value (SEED_DATA rounds this to "8×") and
        // 63× the small one; our law is within 2× of both.
        let bruggeman = Self.sigmaSE_S_per_cm * EffectiveConductivity.bruggeman(fraction: 0.4)
        #expect(abs(bruggeman - 1.566e-4) < 1e-7)
        #expect(bruggeman / 2e-5 >= 7.8)
        #expect(bruggeman / 2.49e-6 >= 60)
        #expect(bruggeman / 1e-6 >= 100)
        // The percolation law is much closer to each point than Bruggeman is.
        let coarse = Self.froboese(cam: 0.6, porosity: Self.porosityCoarse60, lambda: Self.lambdaCoarse)
        let small = Self.froboese(cam: 0.6, porosity: Self.porositySmall60, lambda: Self.lambdaSmall)
        #expect(bruggeman / coarse > 5)
        #expect(bruggeman / small > 50)
    }

    @Test func tortuosityFactorsMatchTheDerivedValues() {
        // SEED_DATA derives τ ≈ 12 (coarse) and ≈ 99 (small) with ε = 0.40 from L121–L125. With
        // the SE fraction of the porous composite (φ_SE, pores excluded) our τ = φ_SE/P is
        // of the same order.
        let phiCoarse = 0.4 * (1 - Self.porosityCoarse60)
        let pCoarse = EffectiveConductivity.relativeIonicConductivity(
            electrolyteFraction: phiCoarse, sizeRatio: Self.lambdaCoarse, porosity: Self.porosityCoarse60)
        let tauCoarse = EffectiveConductivity.tortuosityFactor(fraction: phiCoarse, relativeConductivity: pCoarse)
        #expect(tauCoarse > 6 && tauCoarse < 24, "τ coarse \(tauCoarse)")
        let phiSmall = 0.4 * (1 - Self.porositySmall60)
        let pSmall = EffectiveConductivity.relativeIonicConductivity(
            electrolyteFraction: phiSmall, sizeRatio: Self.lambdaSmall, porosity: Self.porositySmall60)
        let tauSmall = EffectiveConductivity.tortuosityFactor(fraction: phiSmall, relativeConductivity: pSmall)
        #expect(tauSmall > 50 && tauSmall < 200, "τ small \(tauSmall)")
    }

    @Test func monotoneInEveryInput() {
        var previous = Double.infinity
        // Decreasing in CAM fraction (SE fraction falls).
        for i in 0...100 {
            let phi = 1 - Double(i) / 100
            let value = EffectiveConductivity.relativeIonicConductivity(electrolyteFraction: phi, sizeRatio: 2, porosity: 0.05)
            #expect(value <= previous)
            previous = value
        }
        // Decreasing in porosity at fixed SE fraction (and when pores replace SE).
        previous = .infinity
        for i in 0...50 {
            let p = Double(i) / 100
            let fixed = EffectiveConductivity.relativeIonicConductivity(electrolyteFraction: 0.4, sizeRatio: 2, porosity: p)
            #expect(fixed <= previous)
            previous = fixed
        }
        // Increasing in λ.
        previous = -1
        for i in 0...100 {
            let lambda = Double(i) / 10
            let value = EffectiveConductivity.relativeIonicConductivity(electrolyteFraction: 0.3, sizeRatio: lambda, porosity: 0.05)
            #expect(value >= previous)
            previous = value
        }
    }

    @Test func continuousAtTheThreshold() {
        let law = EffectiveConductivity.ionicLaw(sizeRatio: 2.5, porosity: 0.05)
        #expect(law.relativeConductivity(law.threshold) == 0)
        #expect(!law.percolates(law.threshold))
        let justAbove = law.relativeConductivity(law.threshold + 1e-9)
        #expect(justAbove > 0 && justAbove < 1e-15)
        #expect(law.relativeConductivity(1) == 1)
    }

    @Test func finiteAndNonNegativeForAnyInput() {
        let specials: [Double] = [-.infinity, -1e300, -1, -1e-300, 0, 1e-300, 0.16, 0.5, 1, 2, 1e300, .infinity, .nan]
        for phi in specials {
            for lambda in specials {
                for p in specials {
                    let value = EffectiveConductivity.relativeIonicConductivity(electrolyteFraction: phi, sizeRatio: lambda, porosity: p)
                    #expect(value.isFinite && value >= 0 && value <= 1, "φ \(phi) λ \(lambda) p \(p) → \(value)")
                    let electronic = EffectiveConductivity.electronicConductivity(
                        carbonFraction: phi, activeFraction: p, activeConductivity_S_per_m: lambda,
                        sizeRatio: lambda, porosity: p)
                    #expect(electronic.isFinite && electronic >= 0)
                }
                let threshold = EffectiveConductivity.threshold(sizeRatio: lambda, porosity: phi)
                #expect(threshold.isFinite && threshold >= 0.16 && threshold < 1)
            }
        }
        #expect(EffectiveConductivity.bruggeman(fraction: .nan) == 0)
    }

    @Test func electronicNetworkNeedsCarbonAboveItsThreshold() {
        // No carbon and an insulating CAM: no electronic path.
        let none = EffectiveConductivity.electronicConductivity(carbonFraction: 0, activeFraction: 0.6,
            activeConductivity_S_per_m: 0, sizeRatio: 2.5, porosity: 0.05)
        #expect(none == 0)
        // 2 vol % carbon: σ_C·((0.02 − 0.01)/0.99)² ≈ 0.10 S/m, the order of the electronic
        // conductivity of practical cathodes (PyBaMM Chen2020 uses 0.18 S/m for NMC811).
        let carbon = EffectiveConductivity.electronicConductivity(carbonFraction: 0.02, activeFraction: 0.6,
            activeConductivity_S_per_m: 0, sizeRatio: 2.5, porosity: 0.05)
        #expect(abs(carbon - 1000 * (0.01 / 0.99) * (0.01 / 0.99)) < 1e-12)
        // A conducting CAM adds its own network; more carbon conducts more.
        let both = EffectiveConductivity.electronicConductivity(carbonFraction: 0.02, activeFraction: 0.6,
            activeConductivity_S_per_m: 1, sizeRatio: 2.5, porosity: 0.05)
        #expect(both > carbon)
        let more = EffectiveConductivity.electronicConductivity(carbonFraction: 0.04, activeFraction: 0.6,
            activeConductivity_S_per_m: 0, sizeRatio: 2.5, porosity: 0.05)
        #expect(more > carbon)
    }
}
