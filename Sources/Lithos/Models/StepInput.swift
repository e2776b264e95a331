/// What a model is told to do for one time step: hold a current, a power or a terminal voltage
/// for `dt_s` seconds at an ambient temperature. Raw values of `InputMode` equal the C
/// `lithos_input_mode` codes.
public enum InputMode: Int32, Sendable {
    /// `value` is the cell current [A], positive = discharge.
    case current = 0
    /// `value` is the cell power [W] = V·I, positive = discharge.
    case power = 1
    /// `value` is the terminal voltage [V] the cell is held at; the model solves for the current.
    case voltage = 2
}

public struct StepInput: Sendable, Equatable {
    public var mode: InputMode
    /// Current [A], power [W] or voltage [V], by `mode`.
    public var value: Double
    /// Step length [s], > 0.
    public var dt_s: Double
    /// Ambient (coolant) temperature [K].
    public var ambient_K: Double
    /// Heat from outside the electrochemistry put into the cell's thermal model over the step
    /// [W] (a pack's neighbour conduction, an internal-short or bleed resistor, a thermal
    /// event); 0 for a single cell. Not part of `ModelOutput.heatGeneration_W`; ignored by an
    /// isothermal cell.
    public var heatSource_W: Double = 0

    public init(mode: InputMode, value: Double, dt_s: Double, ambient_K: Double, heatSource_W: Double = 0) {
        self.mode = mode
        self.value = value
        self.dt_s = dt_s
        self.ambient_K = ambient_K
        self.heatSource_W = heatSource_W
    }

    public static func current(_ amps: Double, dt_s: Double, ambient_K: Double = Physics.referenceTemperature_K) -> StepInput {
        StepInput(mode: .current, value: amps, dt_s: dt_s, ambient_K: ambient_K)
    }

    /// Rejects NaN/∞, dt ≤ 0 or beyond one day, and temperatures outside the API range, before
    /// any state is touched.
    public func validate() throws(LithosError) {
        try Validate.finite(value, "step input value")
        try Validate.finite(dt_s, "dt_s")
        if !(dt_s > 0) { throw LithosError(.outOfRange, "dt_s must be > 0 (got \(dt_s))") }
        if dt_s > 86_400 { throw LithosError(.outOfRange, "dt_s must be ≤ 86400 s (got \(dt_s)); split long rests into steps") }
        try Validate.temperature(ambient_K, "ambient_K")
        if !(heatSource_W.isFinite && abs(heatSource_W) <= 1e9) {
            throw LithosError(.outOfRange, "heat source must be finite and within ±1e9 W (got \(heatSource_W))")
        }
        if mode == .voltage && !(value > 0 && value < 10) {
            throw LithosError(.outOfRange, "a voltage step needs 0 < V < 10 V (got \(value) V)")
        }
    }
}

/// Physical limits crossed during a step. The step is still taken — a simulator must be able
/// to show what happens past a limit — and the crossing is reported here and by the status
/// `LITHOS_LIMIT_REACHED`. Raw values equal the C `LITHOS_LIMIT_*` bits.
public struct LimitFlags: OptionSet, Sendable, Equatable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Terminal voltage below the cell's minimum voltage.
    public static let voltageBelowMinimum = LimitFlags(rawValue: 1 << 0)
    /// Terminal voltage above the cell's maximum voltage.
    public static let voltageAboveMaximum = LimitFlags(rawValue: 1 << 1)
    /// State of charge below 0 (more charge drawn than the capacity holds).
    public static let socBelowZero = LimitFlags(rawValue: 1 << 2)
    /// State of charge above 1.
    public static let socAboveOne = LimitFlags(rawValue: 1 << 3)
    /// Cell temperature above the cell's maximum temperature.
    public static let temperatureAboveMaximum = LimitFlags(rawValue: 1 << 4)
    /// Cell temperature below the cell's minimum temperature.
    public static let temperatureBelowMinimum = LimitFlags(rawValue: 1 << 5)
}

/// What a model reports after a step. Every field is at the end of the step except
/// `current_A` and `heatGeneration_W`, which are constant over the step.
public struct ModelOutput: Sendable, Equatable {
    /// Model time since creation or the last reset [s].
    public var time_s: Double = 0
    /// Current during the step [A], positive = discharge.
    public var current_A: Double = 0
    /// Terminal voltage [V].
    public var voltage_V: Double = 0
    /// Open-circuit voltage at the present SOC and temperature [V].
    public var openCircuitVoltage_V: Double = 0
    /// State of charge [0…1 inside the window].
    public var soc: Double = 0
    /// Cell temperature [K].
    public var temperature_K: Double = 0
    /// Heat generated in the cell during the step [W] (irreversible + reversible).
    public var heatGeneration_W: Double = 0
    /// Net charge discharged since creation or reset [A·h] (charge counts negative).
    public var dischargedCharge_Ah: Double = 0
    /// Net energy delivered since creation or reset [W·h] (charge counts negative).
    public var dischargedEnergy_Wh: Double = 0
    /// Limits crossed in this step.
    public var limits: LimitFlags = []

    public init() {}
}
