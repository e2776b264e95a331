/// Why an experiment step ended. The `…Limit` reasons are the cell's own window acting as a
/// cut-off: SOC 0 or 1 means the cell is empty or full (the step ends, the protocol goes on, as
/// on a cell reaching its cut-off voltage); the voltage and temperature limits are safety limits
/// that also stop the experiment, like a cycler's.
public enum StepEndReason: String, Sendable, Equatable {
    /// Its duration elapsed (or a drive cycle without end conditions finished its one pass).
    case duration
    /// Its voltage cut-off was met.
    case voltageCutoff = "voltage_cutoff"
    /// Its current cut-off (voltage hold) was met.
    case currentCutoff = "current_cutoff"
    /// Its SOC cut-off was met.
    case socCutoff = "soc_cutoff"
    /// The cell's minimum (discharge) or maximum (charge) voltage was reached: experiment stopped.
    case voltageLimit = "voltage_limit"
    /// SOC reached 0 (discharge: the cell is empty) or 1 (charge: full); the protocol goes on.
    case socLimit = "soc_limit"
    /// The cell's maximum temperature was reached: experiment stopped.
    case temperatureLimit = "temperature_limit"

    /// True for the reasons that stop the whole experiment.
    public var stopsExperiment: Bool {
        self == .voltageLimit || self == .temperatureLimit
    }

    /// C code (`LITHOS_STEP_END_*`).
    public var code: UInt32 {
        switch self {
        case .duration: return 0
        case .voltageCutoff: return 1
        case .currentCutoff: return 2
        case .socCutoff: return 3
        case .voltageLimit: return 4
        case .socLimit: return 5
        case .temperatureLimit: return 6
        }
    }
}

/// What happened in one executed experiment step.
public struct StepRecord: Sendable, Equatable {
    /// Index into `Experiment.steps`.
    public var stepIndex: Int
    public var cycleIndex: Int
    /// Protocol line and text of the step.
    public var line: Int
    public var text: String
    /// Start and end time since the start of the experiment [s].
    public var start_s: Double
    public var end_s: Double
    /// Rows of the trace written by this step: `firstSample..<endSample` (empty when the step
    /// ended at its start).
    public var firstSample: Int
    public var endSample: Int
    public var endReason: StepEndReason
    /// True when the end condition was already met when the step began (the step took no time).
    public var endedAtStart: Bool

    public var duration_s: Double { end_s - start_s }

    public func toJSON() -> JSONValue {
        .object([
            ("step_index", .number(Double(stepIndex))), ("cycle_index", .number(Double(cycleIndex))),
            ("line", .number(Double(line))), ("text", .string(text)),
            ("start_s", .number(start_s)), ("end_s", .number(end_s)),
            ("first_sample", .number(Double(firstSample))), ("end_sample", .number(Double(endSample))),
            ("end_reason", .string(endReason.rawValue)), ("ended_at_start", .bool(endedAtStart)),
        ])
    }
}
