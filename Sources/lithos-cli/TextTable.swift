import Lithos

/// Plain-text tables with aligned columns for terminal output.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = header.map { $0.count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                if i > 0 { out += "  " }
                out += cell
                if i < cells.count - 1 { out += String(repeating: " ", count: widths[i] - cell.count) }
            }
            return out
        }
        var lines = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// Formats a number with `significant` significant digits in plain or exponent notation.
func formatNumber(_ x: Double, significant: Int = 4) -> String {
    if !x.isFinite { return "\(x)" }
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e-3 && magnitude < 1e6 {
        // Fixed notation with enough decimals for `significant` digits.
        var digitsBeforePoint = 1
        var m = magnitude
        while m >= 10 { m /= 10; digitsBeforePoint += 1 }
        var decimals = significant - digitsBeforePoint
        if magnitude < 1 {
            var leadingZeros = 0
            var t = magnitude
            while t < 0.1 { t *= 10; leadingZeros += 1 }
            decimals = significant + leadingZeros
        }
        return trimmedZeros(fixed(x, decimals: max(0, decimals)))
    }
    var exponent = Int((Physics.log10(magnitude) as Double).rounded(.down))
    var mantissa = magnitude / Physics.pow(10, Double(exponent))
    // Round to the printed digits first, then renormalise (9.9996 → 10.00 → 1.000e+1).
    var scale = 1.0
    for _ in 0..<max(0, significant - 1) { scale *= 10 }
    mantissa = (mantissa * scale).rounded() / scale
    if mantissa >= 10 { mantissa /= 10; exponent += 1 }
    if mantissa < 1 { mantissa *= 10; exponent -= 1 }
    let sign = x < 0 ? "-" : ""
    return sign + trimmedZeros(fixed(mantissa, decimals: max(0, significant - 1))) + "e" + String(exponent)
}

/// "0.20000" → "0.2", "25.00" → "25", "120" stays.
func trimmedZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var t = Substring(text)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return String(t)
}

/// Fixed-point formatting without Foundation.
func fixed(_ x: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    guard scaled < 9.0e18 else { return "\(x)" }
    let integer = UInt64(scaled)
    var digits = String(integer)
    if decimals > 0 {
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -decimals)
        digits = digits[..<cut] + "." + digits[cut...]
    }
    return (x < 0 && scaled != 0 ? "-" : "") + digits
}
