/// A drive cycle: a current, C-rate or power profile sampled at (possibly irregular) times and
/// held constant between samples (zero-order hold). Positive values discharge the cell.
///
/// Sample k holds on [tₖ, tₖ₊₁); the last sample holds for the spacing before it, so a 1 Hz log
/// of 600 rows lasts 600 s. Times are shifted so the cycle starts at 0.
///
/// CSV form (`fromCSV`): `#` comment lines and blank lines are ignored; the first other line is
/// the header; it names a `time_s` column and exactly one of `current_A` (cell current [A]),
/// `power_W` (cell power [W]) or `c_rate` (current as a multiple of the cell capacity [1/h]);
/// other columns are ignored. Times must increase strictly. Example:
///
/// ```
/// # my cycle
/// time_s,current_A
/// 0,1.5
/// 10,-0.5
/// 12.5,0
/// ```
public struct DriveCycle: Sendable, Equatable {
    /// What the values are.
    public enum Quantity: String, Sendable, CaseIterable {
        /// Cell current [A], discharge positive.
        case current = "current_A"
        /// Cell power V·I [W], discharge positive.
        case power = "power_W"
        /// Current as a multiple of the cell's capacity [1/h] (1 = 1C), discharge positive.
        case cRate = "c_rate"
    }

    /// Name used by `Run NAME` (lower case).
    public let name: String
    public let quantity: Quantity
    /// Start time of each sample [s]: starts at 0, strictly increasing.
    public let times_s: [Double]
    /// Sample values (already multiplied by `scale`), in the unit of `quantity`.
    public let values: [Double]
    /// Length of one pass through the cycle [s].
    public let duration_s: Double
    /// The factor the values were multiplied by when the cycle was read.
    public let scale: Double

    /// Largest number of samples a cycle may have.
    public static let maximumSamples = 10_000_000

    /// A cycle with samples every `uniformStep_s` seconds (built-in cycles; the arguments are
    /// trusted).
    init(uniformStep_s: Double, values: [Double], quantity: Quantity, name: String, scale: Double = 1) {
        precondition(uniformStep_s > 0 && !values.isEmpty, "DriveCycle: needs samples and a positive step")
        self.name = name.lowercased()
        self.quantity = quantity
        self.times_s = values.indices.map { Double($0) * uniformStep_s }
        self.values = values.map { $0 * scale }
        self.duration_s = Double(values.count) * uniformStep_s
        self.scale = scale
    }

    /// A cycle from explicit sample times [s] and values; validates like `fromCSV`.
    public init(times_s: [Double], values: [Double], quantity: Quantity, name: String, scale: Double = 1) throws(LithosError) {
        let context = "drive cycle '\(name)'"
        guard times_s.count == values.count else {
            throw LithosError(.invalidArgument, "\(context): \(times_s.count) times but \(values.count) values")
        }
        guard times_s.count >= 2 else {
            throw LithosError(.invalidArgument, "\(context): needs at least 2 samples (got \(times_s.count))")
        }
        guard times_s.count <= Self.maximumSamples else {
            throw LithosError(.outOfRange, "\(context): more than \(Self.maximumSamples) samples")
        }
        try Validate.finite(scale, "\(context): scale")
        if scale == 0 { throw LithosError(.outOfRange, "\(context): scale must not be 0") }
        for k in times_s.indices {
            try Validate.finite(times_s[k], "\(context): time of sample \(k)")
            try Validate.finite(values[k], "\(context): value of sample \(k)")
            if k > 0 && !(times_s[k] > times_s[k - 1]) {
                throw LithosError(.invalidArgument, "\(context): times must increase strictly (sample \(k): \(times_s[k]) s after \(times_s[k - 1]) s)")
            }
        }
        let t0 = times_s[0]
        let shifted = times_s.map { $0 - t0 }
        self.name = name.lowercased()
        self.quantity = quantity
        self.times_s = shifted
        self.values = values.map { $0 * scale }
        self.duration_s = shifted[shifted.count - 1] + (shifted[shifted.count - 1] - shifted[shifted.count - 2])
        self.scale = scale
        for v in self.values where !(abs(v) <= ExperimentParser.maximumMagnitude) {
            throw LithosError(.outOfRange, "\(context): a value times scale \(scale) is \(v), beyond ±\(ExperimentParser.maximumMagnitude)")
        }
    }

    /// Reads a cycle from CSV text (format above), multiplying every value by `scale`.
    /// Errors (`.parse`) name the line and the column.
    public static func fromCSV(_ text: String, name: String = "cycle", scale: Double = 1) throws(LithosError) -> DriveCycle {
        let context = "drive cycle '\(name)'"
        var header: [String]? = nil
        var timeColumn = 0, valueColumn = 0
        var quantity = Quantity.current
        var times: [Double] = [], values: [Double] = []
        for (i, raw) in TextLines.split(text).enumerated() {
            let lineNumber = i + 1
            let line = TextLines.trimmed(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { TextLines.trimmed($0) }
            guard let columns = header else {
                let names = fields.map { String($0) }
                header = names
                func find(_ wanted: String) -> Int? { names.firstIndex { $0.lowercased() == wanted.lowercased() } }
                guard let t = find("time_s") else {
                    throw LithosError(.parse, "\(context): line \(lineNumber): the header needs a 'time_s' column (got \(TextLines.quote(line))); expected e.g. 'time_s,current_A'")
                }
                let found = Quantity.allCases.compactMap { q in find(q.rawValue).map { (q, $0) } }
                guard found.count == 1 else {
                    let what = found.isEmpty ? "has none" : "has \(found.map { $0.0.rawValue }.joined(separator: " and "))"
                    throw LithosError(.parse, "\(context): line \(lineNumber): the header needs exactly one of 'current_A', 'power_W' or 'c_rate' (it \(what))")
                }
                timeColumn = t
                quantity = found[0].0
                valueColumn = found[0].1
                continue
            }
            func number(_ column: Int) throws(LithosError) -> Double {
                guard column < fields.count else {
                    throw LithosError(.parse, "\(context): line \(lineNumber): has \(fields.count) fields but column '\(columns[column])' is number \(column + 1)")
                }
                guard let x = Double(String(fields[column])), x.isFinite else {
                    throw LithosError(.parse, "\(context): line \(lineNumber): column '\(columns[column])' must be a finite number (got \(TextLines.quote(fields[column])))")
                }
                return x
            }
            let t = try number(timeColumn)
            let v = try number(valueColumn)
            if let previous = times.last, !(t > previous) {
                throw LithosError(.parse, "\(context): line \(lineNumber): time_s must increase strictly (\(t) s follows \(previous) s)")
            }
            times.append(t)
            values.append(v)
            if times.count > maximumSamples {
                throw LithosError(.outOfRange, "\(context): more than \(maximumSamples) samples")
            }
        }
        if header == nil {
            throw LithosError(.parse, "\(context): no header line; expected e.g. 'time_s,current_A' followed by one sample per line")
        }
        if times.count < 2 {
            throw LithosError(.parse, "\(context): needs at least 2 samples (got \(times.count))")
        }
        return try DriveCycle(times_s: times, values: values, quantity: quantity, name: name, scale: scale)
    }

    /// The same cycle under another name.
    public func renamed(_ newName: String) -> DriveCycle {
        DriveCycle(name: newName.lowercased(), quantity: quantity, times_s: times_s, values: values,
                   duration_s: duration_s, scale: scale)
    }

    private init(name: String, quantity: Quantity, times_s: [Double], values: [Double], duration_s: Double, scale: Double) {
        self.name = name
        self.quantity = quantity
        self.times_s = times_s
        self.values = values
        self.duration_s = duration_s
        self.scale = scale
    }

    public var sampleCount: Int { values.count }

    /// End of sample `k`'s hold interval [s] (the start of sample k + 1, or the cycle's end).
    public func endTime(ofSample k: Int) -> Double {
        k + 1 < times_s.count ? times_s[k + 1] : duration_s
    }

    /// Index of the sample that holds at cycle time `t` (zero-order hold; clamped to the cycle).
    public func sampleIndex(at t: Double) -> Int {
        if t <= 0 { return 0 }
        var lo = 0, hi = times_s.count - 1
        if t >= times_s[hi] { return hi }
        // Invariant: times[lo] <= t < times[hi].
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if times_s[mid] <= t { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The value held at cycle time `t` [s] (zero-order hold), in the unit of `quantity`.
    public func value(at t: Double) -> Double { values[sampleIndex(at: t)] }

    /// The model input for sample `k` on a cell of `capacity_Ah`: (mode, current [A] or power [W]).
    public func input(sample k: Int, capacity_Ah: Double) -> (mode: InputMode, value: Double) {
        switch quantity {
        case .current: return (.current, values[k])
        case .cRate: return (.current, values[k] * capacity_Ah)
        case .power: return (.power, values[k])
        }
    }

    /// Charge the cycle draws in one pass [A·h] from a cell of `capacity_Ah` (current and
    /// C-rate cycles; nil for power cycles).
    public func netCharge_Ah(capacity_Ah: Double) -> Double? {
        if quantity == .power { return nil }
        var sum = 0.0
        for k in values.indices { sum += input(sample: k, capacity_Ah: capacity_Ah).value * (endTime(ofSample: k) - times_s[k]) }
        return sum / 3600
    }

    /// Name, quantity, length and sample count as JSON.
    public func toJSON() -> JSONValue {
        .object([
            ("name", .string(name)),
            ("quantity", .string(quantity.rawValue)),
            ("samples", .number(Double(sampleCount))),
            ("duration_s", .number(duration_s)),
            ("scale", .number(scale)),
        ])
    }
}
