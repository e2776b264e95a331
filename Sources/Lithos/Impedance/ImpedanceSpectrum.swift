/// A measured (or simulated) impedance spectrum: frequencies [Hz] and complex impedances Z [Ω]
/// in the library's convention Z = −V̂/Î with discharge-positive current, so a resistor is +R
/// and capacitive behaviour has Im Z < 0 (the convention of `ModelImpedance` and
/// `lithos impedance`).
///
/// The points keep the order they were given in; the analyses that need an order sort a copy.
public struct ImpedanceSpectrum: Sendable, Equatable {
    /// Frequencies [Hz], each finite and > 0.
    public private(set) var frequency_Hz: [Double]
    /// Impedances [Ω], one per frequency, each finite and ≠ 0.
    public private(set) var impedance_ohm: [ComplexNumber]

    /// - Throws: `.invalidArgument` when the arrays differ in length or are empty, a frequency is
    ///   not finite and > 0, or an impedance is not finite or is zero (the fits weight by 1/|Z|).
    public init(frequency_Hz: [Double], impedance_ohm: [ComplexNumber]) throws(LithosError) {
        guard !frequency_Hz.isEmpty, frequency_Hz.count == impedance_ohm.count else {
            throw LithosError(.invalidArgument,
                "impedance spectrum: need one impedance per frequency and at least one point (got \(frequency_Hz.count) frequencies, \(impedance_ohm.count) impedances)")
        }
        for (k, f) in frequency_Hz.enumerated() where !(f.isFinite && f > 0) {
            throw LithosError(.invalidArgument, "impedance spectrum: frequency \(k) must be finite and > 0 Hz (got \(f))")
        }
        for (k, z) in impedance_ohm.enumerated() where !(z.real.isFinite && z.imaginary.isFinite) || (z.real == 0 && z.imaginary == 0) {
            throw LithosError(.invalidArgument, "impedance spectrum: impedance \(k) must be finite and non-zero (got \(z.real) \(z.imaginary)j Ω)")
        }
        self.frequency_Hz = frequency_Hz
        self.impedance_ohm = impedance_ohm
    }

    /// Number of points.
    public var count: Int { frequency_Hz.count }

    /// Lowest and highest frequency [Hz].
    public var frequencyRange_Hz: ClosedRange<Double> { frequency_Hz.min()!...frequency_Hz.max()! }

    /// The same points ordered by increasing frequency (stable for equal frequencies).
    public func sortedByFrequency() -> ImpedanceSpectrum {
        let order = frequency_Hz.indices.sorted { (frequency_Hz[$0], $0) < (frequency_Hz[$1], $1) }
        var s = self
        s.frequency_Hz = order.map { frequency_Hz[$0] }
        s.impedance_ohm = order.map { impedance_ohm[$0] }
        return s
    }

    /// Parses CSV text with a header row naming `frequency_Hz`, `re_ohm` and `im_ohm` (Im Z,
    /// negative for capacitive behaviour — what `lithos impedance` writes), or `minus_im_ohm`
    /// (−Im Z, the usual Nyquist-plot column) when `im_ohm` is absent. Column order is free,
    /// other columns are ignored, blank lines are skipped. Foundation-free.
    /// - Throws: `.parse` when the header lacks a column, a row has a missing or non-finite
    ///   number (with its line number), or there is no data row; `.invalidArgument` for a
    ///   frequency ≤ 0 or a zero impedance.
    public static func parse(csv text: String) throws(LithosError) -> ImpedanceSpectrum {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        guard let headerIndex = lines.firstIndex(where: { !isBlank($0) }) else {
            throw LithosError(.parse, "impedance CSV: empty text")
        }
        let header = lines[headerIndex].split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.filter { $0 != " " && $0 != "\r" && $0 != "\u{FEFF}" && $0 != "\"" })
        }
        guard let iF = header.firstIndex(of: "frequency_Hz"), let iRe = header.firstIndex(of: "re_ohm") else {
            throw LithosError(.parse, "impedance CSV: the header needs frequency_Hz, re_ohm and im_ohm (or minus_im_ohm) (got \(header.joined(separator: ",")))")
        }
        let imSign: Double
        let iIm: Int
        if let k = header.firstIndex(of: "im_ohm") { iIm = k; imSign = 1 }
        else if let k = header.firstIndex(of: "minus_im_ohm") { iIm = k; imSign = -1 }
        else {
            throw LithosError(.parse, "impedance CSV: the header needs an im_ohm (Im Z) or minus_im_ohm (−Im Z) column (got \(header.joined(separator: ",")))")
        }
        let needed = max(iF, iRe, iIm)
        var frequencies: [Double] = [], impedances: [ComplexNumber] = []
        for k in (headerIndex + 1)..<lines.count where !isBlank(lines[k]) {
            let fields = lines[k].split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > needed else {
                throw LithosError(.parse, "impedance CSV line \(k + 1): expected at least \(needed + 1) columns, got \(fields.count)")
            }
            func number(_ i: Int) throws(LithosError) -> Double {
                var f = fields[i]
                while f.first == " " || f.first == "\"" { f = f.dropFirst() }
                while f.last == " " || f.last == "\r" || f.last == "\"" { f = f.dropLast() }
                guard let x = Double(f), x.isFinite else {
                    throw LithosError(.parse, "impedance CSV line \(k + 1): column \(header[i]) is not a finite number ('\(f)')")
                }
                return x
            }
            frequencies.append(try number(iF))
            impedances.append(ComplexNumber(try number(iRe), imSign * (try number(iIm))))
        }
        guard !frequencies.isEmpty else { throw LithosError(.parse, "impedance CSV: no data row") }
        return try ImpedanceSpectrum(frequency_Hz: frequencies, impedance_ohm: impedances)
    }

    private static func isBlank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\r" || $0 == "," } }
}
