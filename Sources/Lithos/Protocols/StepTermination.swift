/// When an experiment step ends: the first of its conditions to be met. Written in a protocol as
/// "for DURATION" and "until CONDITION", joined by "or".
///
/// Directions follow the step: a discharge (and a drive cycle) ends when the voltage falls to
/// `voltage_V` or the SOC to `soc`; a charge when they rise to it; a rest when the voltage
/// reaches `voltage_V` from whichever side it starts on. `current` applies to voltage holds:
/// they end when |I| has decayed to the threshold.
public struct StepTermination: Sendable, Equatable {
    /// Step length [s].
    public var duration_s: Double?
    /// Voltage cut-off [V].
    public var voltage_V: Double?
    /// Current cut-off of a voltage hold.
    public var current: CurrentThreshold?
    /// SOC cut-off [0…1].
    public var soc: Double?

    public init(duration_s: Double? = nil, voltage_V: Double? = nil, current: CurrentThreshold? = nil, soc: Double? = nil) {
        self.duration_s = duration_s
        self.voltage_V = voltage_V
        self.current = current
        self.soc = soc
    }

    /// True when no condition is set.
    public var isEmpty: Bool { duration_s == nil && voltage_V == nil && current == nil && soc == nil }

    /// True when a condition other than the duration is set.
    public var hasCutoff: Bool { voltage_V != nil || current != nil || soc != nil }
}

/// The current threshold that ends a voltage hold, in amperes or as a C-rate ("C/50").
public enum CurrentThreshold: Sendable, Equatable {
    /// |I| ≤ this current [A].
    case amps(Double)
    /// |I| ≤ this multiple of the capacity [1/h] (C/50 = 0.02).
    case cRate(Double)

    /// The threshold in amperes for a cell of `capacity_Ah`.
    public func amps(capacity_Ah: Double) -> Double {
        switch self {
        case let .amps(a): return a
        case let .cRate(c): return c * capacity_Ah
        }
    }
}
