/// A cycler log (time, current, voltage, temperature, optional amp-hour counter) in the
/// library's conventions: current positive on discharge [A], temperature in kelvin, and the
/// counter as charge discharged since the log started [A·h] (positive when discharged).
///
/// Parsed from CSV text with a header row naming the columns
/// `time_s,current_A,voltage_V,temperature_C|temperature_K[,ah_Ah][,…]` (other columns are
/// ignored; column order is free). Foundation-free: the core parses the text itself.
public struct CyclerData: Sendable {
    /// Sample times [s] (strictly increasing after parsing; not necessarily uniform).
    public var time_s: [Double] = []
    /// Current [A], positive = discharge.
    public var current_A: [Double] = []
    /// Terminal voltage [V].
    public var voltage_V: [Double] = []
    /// Cell temperature [K].
    public var temperature_K: [Double] = []
    /// Charge discharged since the log started [A·h] (the tester's counter, sign-adjusted);
    /// empty when the file has no `ah_Ah` column.
    public var discharged_Ah: [Double] = []
    /// Rows that were skipped, with the reason (at most `maximumReportedSkips` listed).
    public var skippedRows: [(line: Int, reason: String)] = []
    /// Total number of skipped rows (may exceed `skippedRows.count`).
    public var skippedRowCount = 0

    public static let maximumReportedSkips = 20

    /// The sign convention of the current (and amp-hour) columns in the file.
    public enum CurrentSign: Sendable {
        /// Discharge current is positive (the library's convention).
        case dischargePositive
        /// Discharge current is negative (e.g. Digatron/Arbin logs, the Panasonic 18650PF set).
        case dischargeNegative
    }

    /// The unit of the temperature column; `.fromHeader` reads it from the name
    /// (`temperature_C` or `temperature_K`).
    public enum TemperatureUnit: Sendable { case fromHeader, celsius, kelvin }

    public var count: Int { time_s.count }

    public init() {}

    /// Parses CSV text. Rows with a missing or non-finite number, or whose time does not
    /// advance past the previous kept row, are skipped and reported (`skippedRows`).
    /// - Parameter defaultTemperature_K: used when the file has no temperature column (nil:
    ///   the column is required).
    /// - Throws: `.parse` when the header lacks a required column or no row survives.
    public static func parse(csv text: String, currentSign: CurrentSign,
                             temperatureUnit: TemperatureUnit = .fromHeader,
                             defaultTemperature_K: Double? = nil) throws(LithosError) -> CyclerData {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\r" }) { lines.removeLast() }
        guard let headerLine = lines.first else { throw LithosError(.parse, "cycler CSV: empty text") }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.filter { $0 != " " && $0 != "\r" && $0 != "\u{FEFF}" && $0 != "\"" })
        }
        func column(_ names: [String]) -> Int? { header.firstIndex(where: { names.contains($0) }) }
        guard let it = column(["time_s"]), let ii = column(["current_A"]), let iv = column(["voltage_V"]) else {
            throw LithosError(.parse, "cycler CSV: the header needs time_s, current_A and voltage_V (got \(header.joined(separator: ",")))")
        }
        var celsius = true
        var itemp: Int? = nil
        switch temperatureUnit {
        case .fromHeader:
            if let k = column(["temperature_C"]) { itemp = k; celsius = true }
            else if let k = column(["temperature_K"]) { itemp = k; celsius = false }
        case .celsius: itemp = column(["temperature_C", "temperature"]); celsius = true
        case .kelvin: itemp = column(["temperature_K", "temperature"]); celsius = false
        }
        if itemp == nil && defaultTemperature_K == nil {
            throw LithosError(.parse, "cycler CSV: no temperature column (temperature_C or temperature_K) and no default temperature given")
        }
        let iah = column(["ah_Ah"])
        let sign: Double = currentSign == .dischargePositive ? 1 : -1
        var d = CyclerData()
        d.time_s.reserveCapacity(lines.count)
        d.current_A.reserveCapacity(lines.count)
        d.voltage_V.reserveCapacity(lines.count)
        d.temperature_K.reserveCapacity(lines.count)
        func skip(_ line: Int, _ reason: String) {
            d.skippedRowCount += 1
            if d.skippedRows.count < maximumReportedSkips { d.skippedRows.append((line, reason)) }
        }
        let needed = max(it, ii, iv, itemp ?? 0, iah ?? 0)
        for (k, line) in lines.enumerated().dropFirst() {
            let lineNumber = k + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > needed else { skip(lineNumber, "too few columns"); continue }
            func number(_ i: Int) -> Double? {
                var f = fields[i]
                while f.first == " " { f = f.dropFirst() }
                while f.last == " " || f.last == "\r" { f = f.dropLast() }
                guard let x = Double(f), x.isFinite else { return nil }
                return x
            }
            guard let t = number(it), let i = number(ii), let v = number(iv) else {
                skip(lineNumber, "a time, current or voltage value is missing or not a finite number"); continue
            }
            var temperature = defaultTemperature_K ?? 0
            if let itemp {
                guard let x = number(itemp) else { skip(lineNumber, "temperature is not a finite number"); continue }
                temperature = celsius ? x + Physics.zeroCelsius_K : x
            }
            var ah = 0.0
            if let iah {
                guard let x = number(iah) else { skip(lineNumber, "ah_Ah is not a finite number"); continue }
                ah = x
            }
            if let last = d.time_s.last, !(t > last) { skip(lineNumber, "time does not advance"); continue }
            d.time_s.append(t)
            d.current_A.append(sign * i)
            d.voltage_V.append(v)
            d.temperature_K.append(temperature)
            if iah != nil { d.discharged_Ah.append(sign * ah) }
        }
        guard !d.time_s.isEmpty else { throw LithosError(.parse, "cycler CSV: no valid data row") }
        return d
    }

    /// A sub-range of the samples.
    public func slice(_ range: Range<Int>) -> CyclerData {
        var d = CyclerData()
        d.time_s = Array(time_s[range]); d.current_A = Array(current_A[range])
        d.voltage_V = Array(voltage_V[range]); d.temperature_K = Array(temperature_K[range])
        if !discharged_Ah.isEmpty { d.discharged_Ah = Array(discharged_Ah[range]) }
        return d
    }
}

extension CyclerData {
    /// A log from arrays already in the library's conventions (what the C API and Python pass):
    /// discharge-positive current [A], temperature [K] (nil: `defaultTemperature_K` throughout),
    /// the tester's A·h counter (discharge positive; nil: integrated from the current when
    /// needed). Unlike `parse`, nothing is skipped: a bad sample is an error naming its index,
    /// so a caller's arrays are taken as they are or not at all.
    /// - Throws: `.invalidArgument` (different lengths, fewer than 2 samples, a non-finite value,
    ///   time not strictly increasing), `.outOfRange` (temperature outside 173.15…673.15 K,
    ///   |current| or voltage beyond any cell: 10⁴ A, 0…100 V).
    public init(time_s: [Double], current_A: [Double], voltage_V: [Double], temperature_K: [Double]?,
                discharged_Ah: [Double]?, defaultTemperature_K: Double = Physics.referenceTemperature_K) throws(LithosError) {
        let n = time_s.count
        guard n >= 2 else { throw LithosError(.invalidArgument, "cycler log: needs ≥ 2 samples (got \(n))") }
        guard current_A.count == n, voltage_V.count == n, temperature_K.map({ $0.count == n }) ?? true,
              discharged_Ah.map({ $0.count == n }) ?? true else {
            throw LithosError(.invalidArgument, "cycler log: every column needs \(n) samples")
        }
        func check(_ name: String, _ values: [Double], _ range: ClosedRange<Double>) throws(LithosError) {
            for (k, x) in values.enumerated() {
                guard x.isFinite else { throw LithosError(.invalidArgument, "cycler log: \(name)[\(k)] = \(x) is not a finite number") }
                guard range.contains(x) else {
                    throw LithosError(.outOfRange, "cycler log: \(name)[\(k)] = \(x) is outside \(range.lowerBound)…\(range.upperBound)")
                }
            }
        }
        try check("time_s", time_s, -1e12...1e12)
        try check("current_A", current_A, -1e4...1e4)
        try check("voltage_V", voltage_V, 0...100)
        if let temperature_K { try check("temperature_K", temperature_K, 173.15...673.15) }
        if let discharged_Ah { try check("discharged_Ah", discharged_Ah, -1e6...1e6) }
        for k in 1..<n where !(time_s[k] > time_s[k - 1]) {
            throw LithosError(.invalidArgument, "cycler log: time_s must increase strictly (time_s[\(k)] = \(time_s[k]) after \(time_s[k - 1]))")
        }
        self.init()
        self.time_s = time_s
        self.current_A = current_A
        self.voltage_V = voltage_V
        self.temperature_K = temperature_K ?? [Double](repeating: defaultTemperature_K, count: n)
        self.discharged_Ah = discharged_Ah ?? []
    }
}
