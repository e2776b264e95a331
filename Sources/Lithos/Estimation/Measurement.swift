/// What a BMS measures each cycle — the estimator sees nothing else. Any field may be NaN
/// (sensor absent or invalid this cycle): the estimator then skips what needs it (a NaN voltage
/// skips the correction; a NaN current holds the last valid current for the prediction and says
/// so in the estimate's flags) and never lets a NaN into its state.
public struct Measurement<Scalar: LithosReal>: Sendable, Equatable {
    /// Cell current [A], positive = discharge.
    public var current_A: Scalar
    /// Cell terminal voltage [V].
    public var voltage_V: Scalar
    /// Cell (surface) temperature [K].
    public var temperature_K: Scalar
    /// Time since the previous measurement [s], > 0.
    public var dt_s: Scalar

    public init(current_A: Scalar, voltage_V: Scalar, temperature_K: Scalar, dt_s: Scalar) {
        self.current_A = current_A
        self.voltage_V = voltage_V
        self.temperature_K = temperature_K
        self.dt_s = dt_s
    }
}
