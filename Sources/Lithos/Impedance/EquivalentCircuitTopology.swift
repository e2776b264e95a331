/// The form of an equivalent circuit without its values: R0 [+ L] + n × (R‖CPE) [+ Warburg].
/// Fixes the order of the parameter vector that `EquivalentCircuit` and the fit use:
///
///     R0, [L], R1, Q1, α1, …, Rn, Qn, αn, [σ_W | R_W, τ_W]
public struct EquivalentCircuitTopology: Sendable, Equatable {
    /// Number of R‖CPE arcs (0…8).
    public var arcCount: Int
    /// The diffusion element's form.
    public var warburg: WarburgElement.Kind
    /// Whether a series inductance L is part of the circuit.
    public var seriesInductance: Bool

    public init(arcCount: Int, warburg: WarburgElement.Kind = .none, seriesInductance: Bool = false) {
        self.arcCount = arcCount
        self.warburg = warburg
        self.seriesInductance = seriesInductance
    }

    /// Number of parameters.
    public var parameterCount: Int {
        1 + (seriesInductance ? 1 : 0) + 3 * arcCount + (warburg == .none ? 0 : warburg == .semiInfinite ? 1 : 2)
    }

    /// Parameter names in vector order: R0, L, R1, Q1, alpha1, …, sigma_W | R_W, tau_W.
    public var parameterNames: [String] {
        var names = ["R0"]
        if seriesInductance { names.append("L") }
        for k in 1...max(arcCount, 1) where arcCount > 0 { names += ["R\(k)", "Q\(k)", "alpha\(k)"] }
        switch warburg {
        case .none: break
        case .semiInfinite: names.append("sigma_W")
        case .finiteSpace: names += ["R_W", "tau_W"]
        }
        return names
    }

    /// Parameter units in vector order (ASCII): ohm, H, F*s^(alpha-1), 1, ohm*s^-0.5, s.
    public var parameterUnits: [String] {
        var units = ["ohm"]
        if seriesInductance { units.append("H") }
        for _ in 0..<arcCount { units += ["ohm", "F*s^(alpha-1)", "1"] }
        switch warburg {
        case .none: break
        case .semiInfinite: units.append("ohm*s^-0.5")
        case .finiteSpace: units += ["ohm", "s"]
        }
        return units
    }

    /// A short description such as `R0-L-(R|CPE)x2-Wfs` (Ws: semi-infinite, Wfs: finite-space).
    public var label: String {
        var s = "R0"
        if seriesInductance { s += "-L" }
        if arcCount > 0 { s += "-(R|CPE)x\(arcCount)" }
        switch warburg {
        case .none: break
        case .semiInfinite: s += "-Ws"
        case .finiteSpace: s += "-Wfs"
        }
        return s
    }
}
