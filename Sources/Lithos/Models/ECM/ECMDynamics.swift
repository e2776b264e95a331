/// The dynamic state of the equivalent circuit (without temperature, which belongs to the
/// thermal model). Fixed size: three RC voltages whether or not all pairs are used, so copies
/// never allocate.
public struct ECMState<Scalar: LithosReal>: Sendable, Equatable {
    /// State of charge [1].
    public var soc: Scalar
    /// Voltages across RC pairs 1–3 [V] (unused pairs stay 0).
    public var rcVoltage1: Scalar = 0
    public var rcVoltage2: Scalar = 0
    public var rcVoltage3: Scalar = 0
    /// Dynamic hysteresis state h ∈ [−1, 1] [1].
    public var hysteresis: Scalar = 0
    /// Sign of the last non-zero current for the instantaneous hysteresis: −1 after discharge,
    /// +1 after charge, 0 before any current.
    public var lastCurrentSign: Scalar = 0

    public init(soc: Scalar) { self.soc = soc }

    @inlinable
    public func rcVoltage(_ j: Int) -> Scalar {
        switch j {
        case 0: return rcVoltage1
        case 1: return rcVoltage2
        default: return rcVoltage3
        }
    }

    @inlinable
    public mutating func setRCVoltage(_ j: Int, _ v: Scalar) {
        switch j {
        case 0: rcVoltage1 = v
        case 1: rcVoltage2 = v
        default: rcVoltage3 = v
        }
    }

    @inlinable
    public var rcVoltageSum: Scalar { rcVoltage1 + rcVoltage2 + rcVoltage3 }
}

/// The ECM's state equations with exact (zero-order-hold) discretisation, shared by the
/// simulation model and the estimator (which runs them on Float in firmware).
///
/// For a current I held over Δt (parameters frozen at the start of the step):
///   z⁺  = z − η·I·Δt / (3600·Q)                          (η = 1 on discharge, η_c on charge)
///   vⱼ⁺ = aⱼ·vⱼ + Rⱼ·(1 − aⱼ)·I,  aⱼ = exp(−Δt/τⱼ)        (exact solution of Cⱼ·dvⱼ/dt = I − vⱼ/Rⱼ)
///   h⁺  = b·h − (1 − b)·sgn(I), b = exp(−|η·I·γ·Δt/(3600·Q)|)
/// The RC update is exact for any Δt: no stability limit (Plett 2015, Vol. I §2.10).
public enum ECMDynamics {
    /// Coulombic efficiency for a current (discharge +).
    @inlinable
    public static func efficiency<Scalar: LithosReal>(_ current: Scalar, _ p: ECMParameters<Scalar>) -> Scalar {
        current < 0 ? p.chargeEfficiency : 1
    }

    /// The state after holding `current` [A] for `dt` [s], with the circuit's elements
    /// evaluated at the start of the step (`start`).
    @inlinable
    public static func propagate<Scalar: LithosReal>(_ s: ECMState<Scalar>, current: Scalar, dt: Scalar,
                                                     start: ECMLocalParameters<Scalar>, parameters p: ECMParameters<Scalar>) -> ECMState<Scalar> {
        var next = s
        let eta = efficiency(current, p)
        let dz = eta * current * dt / (3600 * p.capacity_Ah)
        next.soc = s.soc - dz
        for j in 0..<p.rcPairCount {
            // 1 − a via expm1 keeps the update accurate when Δt ≪ τ.
            let oneMinusA = -Scalar.expm1(-dt / start.rcTimeConstant(j))
            next.setRCVoltage(j, (1 - oneMinusA) * s.rcVoltage(j) + start.rcResistance(j) * oneMinusA * current)
        }
        if current != 0 {
            let sign: Scalar = current > 0 ? 1 : -1
            if p.hysteresisRate > 0 {
                let oneMinusB = -Scalar.expm1(-abs(dz * p.hysteresisRate))
                next.hysteresis = (1 - oneMinusB) * s.hysteresis - oneMinusB * sign
            }
            next.lastCurrentSign = -sign
        }
        return next
    }

    /// Terminal voltage [V] in state `s` with `current` [A] flowing, the elements evaluated at
    /// that state (`here`).
    @inlinable
    public static func terminalVoltage<Scalar: LithosReal>(_ s: ECMState<Scalar>, current: Scalar,
                                                           here e: ECMLocalParameters<Scalar>,
                                                           parameters p: ECMParameters<Scalar>) -> Scalar {
        e.openCircuitVoltage
            + p.instantaneousHysteresis_V * s.lastCurrentSign
            + e.hysteresisMagnitude * s.hysteresis
            - s.rcVoltageSum
            - e.seriesResistance * current
    }

    /// The state after holding `current` [A] for `dt` [s] at `temperature` [K].
    @inlinable
    public static func propagate<Scalar: LithosReal>(_ s: ECMState<Scalar>, current: Scalar, dt: Scalar,
                                                     temperature: Scalar, parameters p: ECMParameters<Scalar>) -> ECMState<Scalar> {
        propagate(s, current: current, dt: dt, start: p.evaluate(soc: s.soc, temperature_K: temperature), parameters: p)
    }

    /// Terminal voltage [V] in state `s` with `current` [A] flowing at `temperature` [K].
    @inlinable
    public static func terminalVoltage<Scalar: LithosReal>(_ s: ECMState<Scalar>, current: Scalar, temperature: Scalar,
                                                           parameters p: ECMParameters<Scalar>) -> Scalar {
        terminalVoltage(s, current: current, here: p.evaluate(soc: s.soc, temperature_K: temperature), parameters: p)
    }
}
