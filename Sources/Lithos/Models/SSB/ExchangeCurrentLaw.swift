/// Exchange current density i₀ of an intercalation reaction at a CAM|SE (or anode|SE) interface
/// [A/m² of particle surface], as a function of the surface stoichiometry θ and temperature.
///
/// Two forms:
/// - concentration-dependent (the Doyle–Fuller–Newman form PyBaMM uses):
///   i₀ = k(T)·√(c_e·c_s·(c_max − c_s)) = i₀,½(T)·2√(θ(1 − θ)), where i₀,½ = k·√c_e·c_max/2 is
///   the value at θ = ½. In a single-ion solid electrolyte the Li⁺ concentration c_e is fixed,
///   so it enters only as a constant (PyBaMM's c_e = 1000 mol/m³ reproduces its numbers).
/// - constant: i₀ = i₀,½(T), independent of θ.
/// Temperature: Arrhenius on i₀,½.
public struct ExchangeCurrentLaw: Sendable, Equatable {
    /// i₀ at θ = ½ [A/m²] and its activation energy.
    public var valueAtHalfStoichiometry: ArrheniusLaw
    /// Whether i₀ scales with 2√(θ(1 − θ)).
    public var concentrationDependent: Bool

    /// Smallest θ(1 − θ) used in the concentration-dependent form: keeps i₀ > 0 (and the
    /// overpotential finite) when a surface runs empty or full; 1e-12 ↔ i₀ ≥ 2e-6·i₀,½.
    public static let minimumOccupancyProduct = 1e-12

    public init(valueAtHalfStoichiometry: ArrheniusLaw, concentrationDependent: Bool) {
        self.valueAtHalfStoichiometry = valueAtHalfStoichiometry
        self.concentrationDependent = concentrationDependent
    }

    /// The PyBaMM form i₀ = k·√(c_e·c_s·(c_max − c_s)) with k [A/m² (m³/mol)^1.5] and c_e, c_max [mol/m³].
    public static func rateConstant(_ k: Double, referenceConcentration_mol_per_m3 ce: Double,
                                    maximumConcentration_mol_per_m3 cMax: Double,
                                    activationEnergy_J_per_mol: Double) -> ExchangeCurrentLaw {
        ExchangeCurrentLaw(valueAtHalfStoichiometry: ArrheniusLaw(valueAt25C: k * Physics.sqrt(ce) * cMax * 0.5,
                                                                  activationEnergy_J_per_mol: activationEnergy_J_per_mol),
                           concentrationDependent: true)
    }

    /// i₀,½ at temperature [K] → [A/m²] (the temperature part, evaluated once per step).
    @inlinable
    public func referenceValue(at temperature_K: Double) -> Double {
        valueAtHalfStoichiometry.value(at: temperature_K)
    }

    /// i₀ [A/m²] at surface stoichiometry θ, given i₀,½(T) from `referenceValue(at:)`.
    @inlinable
    public func value(surfaceStoichiometry theta: Double, referenceValue: Double) -> Double {
        guard concentrationDependent else { return referenceValue }
        let occupancy = max(theta * (1 - theta), Self.minimumOccupancyProduct)
        return referenceValue * 2 * Physics.sqrt(occupancy)
    }
}
