/// One step of an experiment, as parsed from a line of protocol text such as
/// "Discharge at 1C for 1 hour or until 3.0 V": what the cycler holds (`drive`), when the step
/// ends (`termination`) and where it came from (`text`, `line`).
public struct ExperimentStep: Sendable, Equatable {
    /// What the cycler holds during the step. Signs follow the library: positive = discharge.
    public enum Drive: Sendable, Equatable {
        /// Constant current [A].
        case current(Double)
        /// Constant current as a multiple of the cell's capacity [1/h] (1C = capacity_Ah amperes).
        case cRate(Double)
        /// Constant power V·I [W].
        case power(Double)
        /// Constant terminal voltage [V]; the model solves for the current (`InputMode.voltage`).
        case voltageHold(Double)
        /// Zero current.
        case rest
        /// A drive cycle by name (registered with the experiment, or built in: `BuiltInDriveCycles`).
        case driveCycle(String)
    }

    /// Which way charge flows, which decides the direction of voltage and SOC cut-offs.
    public enum Direction: Sendable, Equatable {
        case discharge, charge, none
    }

    public var drive: Drive
    public var termination: StepTermination
    /// Time step for this step [s] (PyBaMM's "(10 second period)"); nil = the runner's dt.
    public var period_s: Double?
    /// The step as written in the protocol (trimmed).
    public var text: String
    /// 1-based line of the protocol text the step is on.
    public var line: Int
    /// 0-based cycle the step belongs to (see `ExperimentParser`).
    public var cycleIndex: Int

    public init(drive: Drive, termination: StepTermination, period_s: Double? = nil, text: String = "", line: Int = 0, cycleIndex: Int = 0) {
        self.drive = drive
        self.termination = termination
        self.period_s = period_s
        self.text = text
        self.line = line
        self.cycleIndex = cycleIndex
    }

    /// Discharge for positive currents, C-rates, powers and drive cycles; charge for negative
    /// ones; none for rests and voltage holds.
    public var direction: Direction {
        switch drive {
        case let .current(x), let .cRate(x), let .power(x):
            return x > 0 ? .discharge : (x < 0 ? .charge : .none)
        case .driveCycle: return .discharge
        case .voltageHold, .rest: return .none
        }
    }

    /// "line 3: 'Rest for 1 hour'", for messages.
    public var label: String { "line \(line): \(TextLines.quote(text))" }

    /// The step as a JSON object: text, line, cycle, what is held (with unit) and the end conditions.
    public func toJSON() -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("text", .string(text)), ("line", .number(Double(line))), ("cycle_index", .number(Double(cycleIndex))),
        ]
        switch drive {
        case let .current(a): members += [("kind", .string("current")), ("current_A", .number(a))]
        case let .cRate(c): members += [("kind", .string("c_rate")), ("c_rate", .number(c))]
        case let .power(w): members += [("kind", .string("power")), ("power_W", .number(w))]
        case let .voltageHold(v): members += [("kind", .string("voltage_hold")), ("voltage_V", .number(v))]
        case .rest: members += [("kind", .string("rest"))]
        case let .driveCycle(name): members += [("kind", .string("drive_cycle")), ("drive_cycle", .string(name))]
        }
        let t = termination
        if let d = t.duration_s { members.append(("duration_s", .number(d))) }
        if let v = t.voltage_V { members.append(("until_voltage_V", .number(v))) }
        switch t.current {
        case let .amps(a)?: members.append(("until_current_A", .number(a)))
        case let .cRate(c)?: members.append(("until_c_rate", .number(c)))
        case nil: break
        }
        if let z = t.soc { members.append(("until_soc", .number(z))) }
        if let p = period_s { members.append(("period_s", .number(p))) }
        return .object(members)
    }
}
