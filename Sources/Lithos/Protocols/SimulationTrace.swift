/// What an experiment produced: one `TraceSample` per model step (plus the initial state as row
/// 0), one `StepRecord` per executed step, and why the run ended. Columns are listed in
/// `TraceColumn`; `csv()` writes them with unit-suffixed headers.
public struct SimulationTrace: Sendable {
    public private(set) var samples: [TraceSample] = []
    public internal(set) var steps: [StepRecord] = []
    /// Set when a cell limit (`StepEndReason.stopsExperiment`) ended the run before its last step.
    public internal(set) var stopReason: StepEndReason?
    /// Where and why the run stopped early, in words; empty when it ran to the end.
    public internal(set) var stopMessage: String = ""
    /// Model steps taken, including the trial steps of cut-off searches that were rolled back
    /// (a measure of the search's cost: `modelSteps − (count − 1)` steps were discarded).
    public internal(set) var modelSteps = 0
    /// Nominal capacity of the simulated cell [A·h].
    public let capacity_Ah: Double

    public init(capacity_Ah: Double) {
        self.capacity_Ah = capacity_Ah
    }

    public var count: Int { samples.count }

    public mutating func append(_ sample: TraceSample) {
        samples.append(sample)
    }

    /// All values of one column.
    public func column(_ c: TraceColumn) -> [Double] { samples.map { c.value($0) } }

    /// All values of the column with CSV name `name` ("voltage_V"), or nil for an unknown name.
    public func column(named name: String) -> [Double]? { TraceColumn(name: name).map { column($0) } }

    /// The CSV header line (no newline).
    public static var csvHeader: String { TraceColumn.allCases.map(\.name).joined(separator: ",") }

    /// The trace as CSV: the header, then one line per sample. Numbers use Swift's shortest
    /// round-trip form, so parsing them gives back the same Doubles.
    public func csv() -> String {
        var out = Self.csvHeader
        out += "\n"
        out.reserveCapacity(samples.count * 160)
        let columns = TraceColumn.allCases
        for s in samples {
            for (i, c) in columns.enumerated() {
                if i > 0 { out += "," }
                if c.isInteger {
                    out += String(Int(c.value(s)))
                } else {
                    out += "\(c.value(s))"
                }
            }
            out += "\n"
        }
        return out
    }

    /// Capacity, energy and extremes of the run.
    public var summary: TraceSummary { TraceSummary(self) }

    /// The step records and the stop reason as JSON.
    public func stepsJSON() -> JSONValue {
        .object([
            ("completed", .bool(stopReason == nil)),
            ("stop_reason", stopReason.map { .string($0.rawValue) } ?? .null),
            ("stop_message", .string(stopMessage)),
            ("steps", .array(steps.map { $0.toJSON() })),
        ])
    }
}
