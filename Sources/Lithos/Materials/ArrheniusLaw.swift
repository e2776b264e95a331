/// A rate or transport coefficient that follows Arrhenius in temperature:
/// k(T) = k₂₅ · exp(−Eₐ/R · (1/T − 1/298.15 K)). Used for solid diffusivities and exchange currents.
public struct ArrheniusLaw: Sendable, Equatable {
    /// Value at 25 °C (298.15 K), in the unit of the quantity.
    public var valueAt25C: Double
    /// Activation energy [J/mol]; 0 means temperature-independent.
    public var activationEnergy_J_per_mol: Double

    public init(valueAt25C: Double, activationEnergy_J_per_mol: Double) {
        self.valueAt25C = valueAt25C
        self.activationEnergy_J_per_mol = activationEnergy_J_per_mol
    }

    @inlinable
    public func value(at temperature_K: Double) -> Double {
        valueAt25C * Physics.exp(-activationEnergy_J_per_mol / Physics.gasConstant
                                 * (1 / temperature_K - 1 / Physics.referenceTemperature_K))
    }
}
