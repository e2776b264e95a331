/// Nominal voltage of a cell: the mean open-circuit voltage over the practical window,
///
///     V_nom = ∫₀¹ [U_+(θ_+(s), T) − U_−(θ_−(s), T)] ds,
///
/// with s the depth of discharge (0 = full charge). The cathode runs linearly from its
/// stoichiometry at full charge to the one at full discharge (database keys
/// `stoichiometry_at_full_charge`, `stoichiometry_at_full_discharge`). The negative side is
/// 0 V for a Li foil or an anode-free cell (Li metal is the reference); a composite anode starts
/// discharge at θ_−,full = θ_−,empty + Q_+/Q_−,max (it takes up the cathode's practical capacity
/// Q_+ from its lithium-free host capacity Q_−,max; θ_−,empty is its
/// `stoichiometry_at_full_discharge`, 0 when the database has none; clamped at 1 when the N/P
/// ratio is too small to hold the charge) and runs linearly back to θ_−,empty.
/// The integral uses composite Simpson's rule on `intervals` panels (smooth OCP fits converge to
/// < 0.1 mV at 200).
public enum NominalVoltage {
    /// Simpson panels (even).
    public static let intervals = 200

    /// Stoichiometry window (full charge, full discharge) of a cathode active material.
    public static func cathodeWindow(_ material: Material) throws(LithosError) -> (charged: Double, discharged: Double) {
        let charged = try material.require(MaterialKey.stoichiometryAtFullCharge, for: "the nominal voltage")
        let discharged = try material.require(MaterialKey.stoichiometryAtFullDischarge, for: "the nominal voltage")
        guard charged.isFinite, discharged.isFinite, charged >= 0, discharged <= 1, charged < discharged else {
            throw LithosError(.notSupported,
                "material \(material.name) has an invalid stoichiometry window (full charge \(charged), full discharge \(discharged)); the database must give 0 ≤ charged < discharged ≤ 1")
        }
        return (charged, discharged)
    }

    /// Mean OCV [V] at temperature [K].
    /// - Parameters:
    ///   - cathode: the cathode active material.
    ///   - anode: the negative side of the stack.
    ///   - cathodePractical_Ah_per_m2: cathode practical capacity per area (composite anodes only).
    public static func mean(cathode: Material, anode: AnodeLayer, cathodePractical_Ah_per_m2: Double,
                            temperature_K: Double) throws(LithosError) -> Double {
        try Validate.temperature(temperature_K)
        let window = try cathodeWindow(cathode)
        guard let positiveOCP = cathode.openCircuitPotential else {
            throw LithosError(.notSupported, "material \(cathode.name) has no open-circuit potential, needed for the nominal voltage")
        }
        var negativeOCP: OpenCircuitPotential = .lithiumMetal
        var negativeCharged = 0.0
        var negativeEmpty = 0.0
        if case let .composite(electrode) = anode {
            let host = electrode.activeMaterial
            guard let ocp = host.openCircuitPotential else {
                throw LithosError(.notSupported, "material \(host.name) has no open-circuit potential, needed for the nominal voltage")
            }
            negativeOCP = ocp
            let empty = host.value(MaterialKey.stoichiometryAtFullDischarge) ?? 0
            negativeEmpty = empty.isFinite ? min(max(empty, 0), 1) : 0
            let loading = try electrode.activeLoading_kg_per_m2()
            let qMax = loading * (try positiveProperty(host, MaterialKey.theoreticalCapacity, for: "the anode stoichiometry window"))
            let swing = qMax > 0 ? cathodePractical_Ah_per_m2 / qMax : 1
            negativeCharged = min(negativeEmpty + (swing.isFinite ? max(swing, 0) : 1), 1)
        }
        func voltage(_ s: Double) -> Double {
            let thetaPositive = window.charged + s * (window.discharged - window.charged)
            let thetaNegative = negativeCharged - s * (negativeCharged - negativeEmpty)
            return positiveOCP.potential(thetaPositive, temperature_K: temperature_K)
                - negativeOCP.potential(thetaNegative, temperature_K: temperature_K)
        }
        let n = intervals
        let h = 1.0 / Double(n)
        var sum = voltage(0) + voltage(1)
        for i in 1..<n {
            sum += (i % 2 == 1 ? 4 : 2) * voltage(Double(i) * h)
        }
        return sum * h / 3
    }
}
