/// Temperature law of a solid electrolyte's Li-ion conductivity.
///
/// Solid electrolytes are single-ion conductors (t₊ ≈ 1, SEED 001 L314), so the conductivity is
/// the whole transport description: no salt gradient forms.
public enum IonicConductivityLaw: Sendable, Equatable {
    /// σ(T) = σ₂₅ · exp(−Eₐ/R · (1/T − 1/298.15 K)): ceramics and glasses (oxides, sulfides, halides).
    case arrhenius(conductivity25C_S_per_m: Double, activationEnergy_J_per_mol: Double)
    /// σ(T) = A · exp(−B / (R·(T − T₀))) for T > T₀, else 0: amorphous polymers such as PEO, whose
    /// ion motion is coupled to segmental motion above the ideal glass temperature T₀.
    case vogelTammannFulcher(prefactor_S_per_m: Double, pseudoActivationEnergy_J_per_mol: Double,
                             idealGlassTemperature_K: Double)

    /// Conductivity [S/m] at temperature [K].
    @inlinable
    public func conductivity(at temperature_K: Double) -> Double {
        switch self {
        case let .arrhenius(sigma25, activation):
            return sigma25 * Physics.exp(-activation / Physics.gasConstant
                                         * (1 / temperature_K - 1 / Physics.referenceTemperature_K))
        case let .vogelTammannFulcher(prefactor, pseudoActivation, glassTemperature):
            let excess = temperature_K - glassTemperature
            if excess <= 0 { return 0 }
            return prefactor * Physics.exp(-pseudoActivation / (Physics.gasConstant * excess))
        }
    }
}
