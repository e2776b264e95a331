/// Open-circuit potential U(θ) vs Li+/Li of an active material, as a published fit, with its
/// entropic coefficient dU/dT(θ). θ is the Li stoichiometry of the host (0…1).
///
/// Each case is one published expression; `potential` evaluates it clamped to 0…1 so that
/// callers near the window edges never see NaN. A switch over cases (not a protocol) keeps the
/// hot path free of existentials and buildable with Embedded Swift.
public enum OpenCircuitPotential: Sendable, Equatable {
    /// Li metal: 0 V by definition of the reference electrode.
    case lithiumMetal
    /// NMC811 of the LG M50 cell: Chen et al., J. Electrochem. Soc. 167 (2020) 080534, as
    /// implemented in PyBaMM's `Chen2020` parameter set (`nmc_LGM50_ocp_Chen2020`).
    case nmc811Chen2020
    /// Graphite(-SiOx) of the LG M50 cell: Chen et al. 2020, PyBaMM `graphite_LGM50_ocp_Chen2020`.
    case graphiteChen2020
    /// A constant plateau potential [V] (two-phase materials modelled as flat, e.g. In–Li).
    case plateau(potential_V: Double)

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
        }
    }

    /// dU/dT(θ) [V/K]; 0 where the source publishes none.
    @inlinable
    public func entropicCoefficient(_ stoichiometry: Double) -> Double {
        switch self {
        case .lithiumMetal, .nmc811Chen2020, .graphiteChen2020, .plateau:
            return 0
        }
    }

    /// U(θ, T) = U(θ) + (T − 298.15 K)·dU/dT(θ) [V].
    @inlinable
    public func potential(_ stoichiometry: Double, temperature_K: Double) -> Double {
        referencePotential(stoichiometry)
            + (temperature_K - Physics.referenceTemperature_K) * entropicCoefficient(stoichiometry)
    }
}
