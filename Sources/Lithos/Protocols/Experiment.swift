/// A protocol ready to run: its steps in execution order (repeats expanded), the number of
/// cycles, and the drive cycles its `Run NAME` steps may use besides the built-in ones.
///
/// ```swift
/// var experiment = try Experiment(protocolText: """
///     repeat 3 times:
///       Charge at 0.5C until 4.2 V
///       Hold at 4.2 V until C/50
///       Discharge at 1C until 3.0 V
///     end
///     """)
/// let trace = try ExperimentRunner(dt_s: 1).run(experiment, on: &model)
/// ```
public struct Experiment: Sendable {
    public var steps: [ExperimentStep]
    /// Number of cycles (`ExperimentParser` says how they are counted).
    public var cycleCount: Int
    /// Drive cycles registered with `addDriveCycle`, by name (lower case).
    public private(set) var driveCycles: [DriveCycle] = []

    public init(steps: [ExperimentStep], cycleCount: Int? = nil) {
        self.steps = steps
        self.cycleCount = cycleCount ?? ((steps.map(\.cycleIndex).max() ?? -1) + 1)
    }

    /// Parses protocol text (`ExperimentParser`).
    public init(protocolText: String) throws(LithosError) {
        self = try ExperimentParser.parse(protocolText)
    }

    /// Registers a drive cycle under `cycle.name` (replacing one of the same name, and hiding a
    /// built-in one of that name).
    public mutating func addDriveCycle(_ cycle: DriveCycle) throws(LithosError) {
        guard Self.isValidName(cycle.name) else {
            throw LithosError(.invalidArgument, "drive-cycle name \(TextLines.quote(cycle.name)) must start with a letter and contain only letters, digits, '_', '-' or '.'")
        }
        driveCycles.removeAll { $0.name == cycle.name }
        driveCycles.append(cycle)
    }

    /// A registered drive cycle, else a built-in one, by name (case-insensitive).
    public func driveCycle(named name: String) -> DriveCycle? {
        let key = name.lowercased()
        return driveCycles.first { $0.name == key } ?? BuiltInDriveCycles.named(key)
    }

    /// True when `name` can be written after `Run` in a protocol.
    public static func isValidName(_ name: String) -> Bool {
        let tokens = ProtocolTokenizer.tokens(Substring(name))
        return tokens.count == 1 && tokens[0].word == name.lowercased() && !["for", "until"].contains(name.lowercased())
    }

    /// Checks what parsing cannot: every `Run NAME` names a known drive cycle; and, for steps
    /// built in code, that every number is finite and in range.
    public func validate() throws(LithosError) {
        for step in steps {
            try Self.validateNumbers(step)
            if case let .driveCycle(name) = step.drive, driveCycle(named: name) == nil {
                let known = (driveCycles.map(\.name) + BuiltInDriveCycles.names).joined(separator: ", ")
                throw LithosError(.notFound, "protocol \(step.label): unknown drive cycle '\(name)' (known: \(known)); register it first (CLI: --drive-cycle FILE.csv, C: lithos_experiment_add_drive_cycle)")
            }
        }
    }

    private static func validateNumbers(_ step: ExperimentStep) throws(LithosError) {
        func fail(_ what: String) -> LithosError { LithosError(.outOfRange, "protocol \(step.label): \(what)") }
        switch step.drive {
        case let .current(x), let .cRate(x), let .power(x):
            guard abs(x) <= ExperimentParser.maximumMagnitude else {
                throw fail("the current or power must be finite and within ±\(ExperimentParser.maximumMagnitude) (got \(x))")
            }
        case let .voltageHold(v):
            guard v > 0 && v < 10 else { throw fail("a hold voltage must be within 0…10 V (got \(v))") }
        case .rest, .driveCycle: break
        }
        let t = step.termination
        if let d = t.duration_s, !(d > 0 && d.isFinite) { throw fail("the duration must be > 0 s and finite (got \(d))") }
        if let v = t.voltage_V, !(v > 0 && v < 10) { throw fail("a voltage cut-off must be within 0…10 V (got \(v))") }
        if let c = t.current {
            let x: Double
            switch c { case let .amps(a): x = a; case let .cRate(r): x = r }
            guard x > 0 && x.isFinite else { throw fail("a current cut-off must be > 0 and finite (got \(x))") }
        }
        if let z = t.soc, !(z >= 0 && z <= 1) { throw fail("an SOC cut-off must be within 0…1 (got \(z))") }
        if let p = step.period_s, !(p > 0 && p <= 86_400) { throw fail("the period must be within (0, 86400] s (got \(p))") }
    }

    /// The expanded steps, cycle count and registered drive cycles as JSON.
    public func toJSON() -> JSONValue {
        .object([
            ("cycle_count", .number(Double(cycleCount))),
            ("step_count", .number(Double(steps.count))),
            ("steps", .array(steps.map { $0.toJSON() })),
            ("drive_cycles", .array(driveCycles.map { $0.toJSON() })),
        ])
    }
}
