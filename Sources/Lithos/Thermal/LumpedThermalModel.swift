/// A lumped (single-node) thermal model of a cell: C·dT/dt = Q − hA·(T − T_amb).
///
/// The heat Q [W] comes from the electrochemical model (Bernardi et al., J. Electrochem. Soc.
/// 132 (1985) 5): irreversible Q_irr = I·(U_ocv − V) and reversible Q_rev = −I·T·∂U/∂T, with I
/// positive on discharge. Over a step with constant Q the ODE is solved exactly:
///   T(t+Δt) = T_amb + Q/hA + (T − T_amb − Q/hA)·exp(−Δt·hA/C),
/// so the model is stable and exact for any Δt. With `enabled == false` the cell follows the
/// ambient temperature (isothermal at T_amb).
public struct LumpedThermalModel<Scalar: LithosReal>: Sendable, Equatable {
    /// Whether the cell temperature is a state (true) or pinned to ambient (false).
    public var enabled: Bool
    /// Heat capacity of the cell [J/K] = Σ mass·specific heat.
    public var heatCapacity_J_per_K: Scalar
    /// Heat-transfer coefficient × cooled area [W/K].
    public var heatTransfer_W_per_K: Scalar

    public init(enabled: Bool, heatCapacity_J_per_K: Scalar, heatTransfer_W_per_K: Scalar) {
        self.enabled = enabled
        self.heatCapacity_J_per_K = heatCapacity_J_per_K
        self.heatTransfer_W_per_K = heatTransfer_W_per_K
    }

    /// Heat generation [W] from current (discharge +), OCV, terminal voltage, temperature and
    /// entropic coefficient.
    @inlinable
    public static func heat(current_A: Scalar, openCircuitVoltage_V: Scalar, voltage_V: Scalar,
                            temperature_K: Scalar, entropicCoefficient_V_per_K: Scalar) -> Scalar {
        current_A * (openCircuitVoltage_V - voltage_V) - current_A * temperature_K * entropicCoefficient_V_per_K
    }

    /// Temperature [K] after `dt` seconds of constant heat `heat_W` from `temperature_K`.
    @inlinable
    public func advance(temperature_K: Scalar, heat_W: Scalar, ambient_K: Scalar, dt_s: Scalar) -> Scalar {
        guard enabled else { return ambient_K }
        if heatTransfer_W_per_K <= 0 {
            // Adiabatic: all heat stays in the cell.
            return temperature_K + heat_W * dt_s / heatCapacity_J_per_K
        }
        let steady = ambient_K + heat_W / heatTransfer_W_per_K
        let decay = Scalar.exp(-dt_s * heatTransfer_W_per_K / heatCapacity_J_per_K)
        return steady + (temperature_K - steady) * decay
    }

    /// Time constant C/hA [s].
    public var timeConstant_s: Scalar { heatCapacity_J_per_K / heatTransfer_W_per_K }
}
