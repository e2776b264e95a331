/// Faults and warnings of the safety monitor and the estimator, as bits. Raw values equal the
/// C `LITHOS_FAULT_*` bits. An estimate carries them twice: `active` (the condition holds now,
/// after debounce) and `latched` (it has held at some point since creation or the last
/// `clearLatchedFaults`).
public struct FaultFlags: OptionSet, Sendable, Equatable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Voltage above the maximum (debounced).
    public static let overVoltage = FaultFlags(rawValue: 1 << 0)
    /// Voltage below the minimum (debounced).
    public static let underVoltage = FaultFlags(rawValue: 1 << 1)
    /// |current| above the discharge or charge current limit (debounced).
    public static let overCurrent = FaultFlags(rawValue: 1 << 2)
    /// Temperature above the maximum (with hysteresis).
    public static let overTemperature = FaultFlags(rawValue: 1 << 3)
    /// Temperature below the minimum (with hysteresis).
    public static let underTemperature = FaultFlags(rawValue: 1 << 4)
    /// Voltage reading has not changed at all while current flowed (stuck sensor / open wire).
    public static let voltageSensorStuck = FaultFlags(rawValue: 1 << 5)
    /// Persistent current offset: current measured while the voltage shows the cell at rest.
    public static let currentSensorOffset = FaultFlags(rawValue: 1 << 6)
    /// Temperature jumped faster than a cell can heat or cool (sensor fault).
    public static let temperatureSensorStep = FaultFlags(rawValue: 1 << 7)
    /// SOC drifts down at rest beyond what the model explains: internal short suspected.
    public static let internalShortSuspected = FaultFlags(rawValue: 1 << 8)
    /// Charging above the margin of the critical current density (Li-metal anode): dendrite risk.
    public static let dendriteRisk = FaultFlags(rawValue: 1 << 9)
    /// A measurement was missing or invalid this cycle; the correction (or prediction) was skipped.
    public static let measurementSkipped = FaultFlags(rawValue: 1 << 10)
    /// The filter's innovation was implausibly large and the measurement was rejected.
    public static let measurementRejected = FaultFlags(rawValue: 1 << 11)
}
