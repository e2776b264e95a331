/// A diffusion (Warburg) element in series with an equivalent circuit.
public enum WarburgElement: Sendable, Equatable {
    /// No diffusion element.
    case none
    /// Semi-infinite linear diffusion: Z = σ_W·(1 − j)/√ω, σ_W [Ω·s^(−1/2)]: a 45° line at all
    /// frequencies (Warburg, Ann. Phys. 303 (1899) 493; Bard & Faulkner, "Electrochemical
    /// Methods", 2nd ed., Wiley 2001, §10.3).
    case semiInfinite(coefficient: Double)
    /// Finite-space ("bounded-reflective", open) diffusion:
    /// Z = R_W·coth(√(jωτ_W))/√(jωτ_W), R_W [Ω], τ_W [s]: a 45° line for ωτ_W ≫ 1 that turns
    /// into a capacitance τ_W/R_W (plus R_W/3 in series) for ωτ_W ≪ 1 — solid-state diffusion
    /// into a particle or film with a blocking back wall (Barsoukov & Macdonald, "Impedance
    /// Spectroscopy", 2nd ed., Wiley 2005, ch. 2, finite-length diffusion with a reflecting
    /// terminus; Lasia, "Electrochemical Impedance Spectroscopy and its Applications", Springer
    /// 2014, ch. 4, reflective boundary).
    case finiteSpace(resistance_ohm: Double, timeConstant_s: Double)

    /// The element's form without its values (what a fit is asked for).
    public enum Kind: String, Sendable, CaseIterable {
        case none
        case semiInfinite = "semi-infinite"
        case finiteSpace = "finite-space"
    }

    public var kind: Kind {
        switch self {
        case .none: return .none
        case .semiInfinite: return .semiInfinite
        case .finiteSpace: return .finiteSpace
        }
    }

    /// Z(ω) [Ω] at angular frequency ω > 0 [rad/s].
    public func impedance(angularFrequency omega: Double) -> ComplexNumber {
        switch self {
        case .none: return ComplexNumber(0)
        case let .semiInfinite(sigma):
            let s = sigma / Physics.sqrt(omega)
            return ComplexNumber(s, -s)
        case let .finiteSpace(r, tau):
            let x = ComplexNumber(0, omega * tau).squareRoot
            return r * (Self.cothOverArgument(x))
        }
    }

    /// Derivatives of Z(ω) with respect to the element's parameters, in the order of
    /// `values` (σ_W; or R_W, τ_W).
    public func impedanceDerivatives(angularFrequency omega: Double) -> [ComplexNumber] {
        switch self {
        case .none: return []
        case .semiInfinite:
            let s = 1 / Physics.sqrt(omega)
            return [ComplexNumber(s, -s)]
        case let .finiteSpace(r, tau):
            // x = √(jωτ), dx/dτ = x/(2τ); d/dx(coth x/x) = −(coth²x − 1)/x − coth x/x².
            let x = ComplexNumber(0, omega * tau).squareRoot
            let c = x.magnitude > 1e-4 ? x.coth : ComplexNumber(0)
            let dTau: ComplexNumber
            if x.magnitude > 1e-4 {
                dTau = (-r / (2 * tau)) * ((c * c - ComplexNumber(1)) + c / x)
            } else {
                // coth x/x = 1/x² + 1/3 − x²/45 + …, x² = jωτ: ∂/∂τ = −1/(jωτ²) − jω/45.
                dTau = r * (ComplexNumber(0, 1 / (omega * tau * tau)) + ComplexNumber(0, -omega / 45))
            }
            return [Self.cothOverArgument(x), dTau]
        }
    }

    /// The element's parameter values (σ_W; or R_W, τ_W).
    public var values: [Double] {
        switch self {
        case .none: return []
        case let .semiInfinite(s): return [s]
        case let .finiteSpace(r, t): return [r, t]
        }
    }

    /// The element of `kind` with `values` (σ_W; or R_W, τ_W).
    public init(kind: Kind, values: [Double]) {
        switch kind {
        case .none: self = .none
        case .semiInfinite: self = .semiInfinite(coefficient: values[0])
        case .finiteSpace: self = .finiteSpace(resistance_ohm: values[0], timeConstant_s: values[1])
        }
    }

    /// coth x/x, by its Laurent series 1/x² + 1/3 − x²/45 near 0.
    static func cothOverArgument(_ x: ComplexNumber) -> ComplexNumber {
        if x.magnitude < 1e-4 {
            let x2 = x * x
            return ComplexNumber(1) / x2 + ComplexNumber(1.0 / 3) - x2 / 45
        }
        return x.coth / x
    }
}
