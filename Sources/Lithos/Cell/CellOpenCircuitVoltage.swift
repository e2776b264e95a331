/// The open-circuit voltage of a whole cell as a function of its state of charge, built from
/// the electrode OCPs and their stoichiometry windows (the same construction as
/// `NominalVoltage`): the cathode runs linearly from θ₊,full (SOC 1) to θ₊,empty (SOC 0); the
/// negative side is Li metal (0 V) or a composite host running from θ₋,full to θ₋,empty.
public struct CellOpenCircuitVoltage: Sendable {
    public let positive: OpenCircuitPotential
    public let positiveCharged: Double
    public let positiveDischarged: Double
    public let negative: OpenCircuitPotential
    public let negativeCharged: Double
    public let negativeDischarged: Double

    public init(design: CellDesign) throws(LithosError) {
        let cathode = design.cathode.activeMaterial
        let window = try NominalVoltage.cathodeWindow(cathode)
        guard let ocp = cathode.openCircuitPotential else {
            throw LithosError(.notSupported, "material \(cathode.name) has no open-circuit potential")
        }
        positive = ocp
        positiveCharged = window.charged
        positiveDischarged = window.discharged
        if case let .composite(electrode) = design.anode {
            let host = electrode.activeMaterial
            guard let hostOCP = host.openCircuitPotential else {
                throw LithosError(.notSupported, "material \(host.name) has no open-circuit potential")
            }
            negative = hostOCP
            let empty = host.value(MaterialKey.stoichiometryAtFullDischarge) ?? 0
            negativeDischarged = empty.isFinite ? min(max(empty, 0), 1) : 0
            let qMax = try electrode.activeLoading_kg_per_m2() * host.require(MaterialKey.theoreticalCapacity, for: "the anode window")
            let q = try design.cathode.arealCapacities_Ah_per_m2().practical
            let swing = qMax > 0 ? q / qMax : 1
            negativeCharged = min(negativeDischarged + (swing.isFinite ? max(swing, 0) : 1), 1)
        } else {
            negative = .lithiumMetal
            negativeCharged = 0
            negativeDischarged = 0
        }
    }

    /// Electrode stoichiometries at SOC z (0…1).
    @inlinable
    public func stoichiometries(soc z: Double) -> (positive: Double, negative: Double) {
        (positiveDischarged + z * (positiveCharged - positiveDischarged),
         negativeDischarged + z * (negativeCharged - negativeDischarged))
    }

    /// Cell OCV [V] at SOC z and temperature [K].
    @inlinable
    public func voltage(soc z: Double, temperature_K: Double) -> Double {
        let (p, n) = stoichiometries(soc: z)
        return positive.potential(p, temperature_K: temperature_K) - negative.potential(n, temperature_K: temperature_K)
    }

    /// ∂OCV/∂T [V/K] at SOC z.
    @inlinable
    public func entropicCoefficient(soc z: Double) -> Double {
        let (p, n) = stoichiometries(soc: z)
        return positive.entropicCoefficient(p) - negative.entropicCoefficient(n)
    }
}
