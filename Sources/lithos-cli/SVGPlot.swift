/// A dependency-free SVG line plot: stacked panels sharing one x axis, each with its own y axis,
/// grid, tick labels, axis label and (for several series) a legend. Long series are reduced to
/// the minimum and maximum per pixel column, so spikes survive and files stay small.
struct SVGPlot {
    struct Series {
        var name: String
        var values: [Double]
        var color: String
        var dashed = false
    }

    struct Panel {
        /// Axis label with unit, e.g. "voltage [V]".
        var yLabel: String
        var series: [Series]
        /// Fixed y range; nil = fit the data.
        var yRange: (Double, Double)? = nil
    }

    var title: String
    var x: [Double]
    var xLabel: String
    var panels: [Panel]
    var width = 960
    var panelHeight = 220

    private let left = 78.0, right = 24.0, top = 44.0, gap = 26.0, bottom = 52.0

    func render() -> String {
        let plotWidth = Double(width) - left - right
        let height = top + Double(panels.count) * Double(panelHeight) + Double(max(panels.count - 1, 0)) * gap + bottom
        let (x0, x1) = Self.range(x)
        let xTicks = Self.ticks(x0, x1)
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(Int(height))" viewBox="0 0 \(width) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect x="0" y="0" width="\(width)" height="\(Int(height))" fill="white"/>
        <text x="\(f(Double(width) / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\(Self.escape(title))</text>

        """
        for (p, panel) in panels.enumerated() {
            let py = top + Double(p) * (Double(panelHeight) + gap)
            let ph = Double(panelHeight)
            let allValues = panel.series.flatMap { $0.values }.filter { $0.isFinite }
            var (y0, y1) = panel.yRange ?? Self.range(allValues)
            if panel.yRange == nil {
                let pad = (y1 - y0) * 0.05
                y0 -= pad; y1 += pad
            }
            let yTicks = Self.ticks(y0, y1)
            if panel.yRange == nil, let first = yTicks.values.first, let last = yTicks.values.last {
                y0 = min(y0, first); y1 = max(y1, last)
            }
            func sx(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * plotWidth }
            func sy(_ v: Double) -> Double { py + ph - (v - y0) / (y1 - y0) * ph }

            svg += "<g>\n"
            // Grid and ticks.
            for v in yTicks.values {
                let y = sy(v)
                svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#e3e3e3\"/>\n"
                svg += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y))\" x2=\"\(f(left))\" y2=\"\(f(y))\" stroke=\"black\"/>\n"
                svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.label(v, step: yTicks.step))</text>\n"
            }
            for v in xTicks.values {
                let x = sx(v)
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(py))\" x2=\"\(f(x))\" y2=\"\(f(py + ph))\" stroke=\"#e3e3e3\"/>\n"
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(py + ph))\" x2=\"\(f(x))\" y2=\"\(f(py + ph + 5))\" stroke=\"black\"/>\n"
                if p == panels.count - 1 {
                    svg += "<text x=\"\(f(x))\" y=\"\(f(py + ph + 19))\" text-anchor=\"middle\">\(Self.label(v, step: xTicks.step))</text>\n"
                }
            }
            // Data, clipped to the panel.
            svg += "<clipPath id=\"clip\(p)\"><rect x=\"\(f(left))\" y=\"\(f(py))\" width=\"\(f(plotWidth))\" height=\"\(f(ph))\"/></clipPath>\n"
            for s in panel.series {
                let points = Self.reduced(x: x, y: s.values, columns: Int(plotWidth))
                guard !points.isEmpty else { continue }
                var path = ""
                for (k, pt) in points.enumerated() {
                    path += (k == 0 ? "" : " ") + f(sx(pt.0)) + "," + f(sy(pt.1))
                }
                let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
                svg += "<polyline clip-path=\"url(#clip\(p))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.4\"\(dash) points=\"\(path)\"/>\n"
            }
            // Frame and y label.
            svg += "<rect x=\"\(f(left))\" y=\"\(f(py))\" width=\"\(f(plotWidth))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"black\"/>\n"
            let ly = py + ph / 2
            svg += "<text x=\"18\" y=\"\(f(ly))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f(ly)))\">\(Self.escape(panel.yLabel))</text>\n"
            if panel.series.count > 1 {
                var lx = left + plotWidth - 10
                for s in panel.series.reversed() {
                    let textWidth = Double(s.name.count) * 6.5
                    lx -= textWidth
                    svg += "<text x=\"\(f(lx))\" y=\"\(f(py + 16))\">\(Self.escape(s.name))</text>\n"
                    let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
                    svg += "<line x1=\"\(f(lx - 26))\" y1=\"\(f(py + 12))\" x2=\"\(f(lx - 4))\" y2=\"\(f(py + 12))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
                    lx -= 40
                }
            }
            svg += "</g>\n"
        }
        let xLabelY = height - 14
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(xLabelY))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// Coordinates with one decimal.
    private func f(_ v: Double) -> String { fixed(v, decimals: 1) }

    /// The data range, widened when it is empty or a single value.
    static func range(_ values: [Double]) -> (Double, Double) {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        if !lo.isFinite { return (0, 1) }
        if hi - lo < 1e-12 * max(1, abs(lo)) { return (lo - 0.5, hi + 0.5) }
        return (lo, hi)
    }

    /// About five "nice" ticks (1, 2, 5 × 10ⁿ) inside [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double) -> (values: [Double], step: Double) {
        let raw = (hi - lo) / 5
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        var step = magnitude
        for m in [1.0, 2, 5, 10] where magnitude * m >= raw { step = magnitude * m; break }
        var values: [Double] = []
        var v = (lo / step).rounded(.up) * step
        while v <= hi + step * 1e-9 && values.count < 50 {
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return (values, step)
    }

    /// A tick label with as many decimals as the tick step needs.
    static func label(_ v: Double, step: Double) -> String {
        var decimals = 0
        var s = step
        while s < 0.999 && decimals < 6 { s *= 10; decimals += 1 }
        return fixed(v, decimals: decimals)
    }

    /// At most two points (minimum and maximum, in time order) per pixel column.
    static func reduced(x: [Double], y: [Double], columns: Int) -> [(Double, Double)] {
        let n = min(x.count, y.count)
        guard n > 2 * max(columns, 1) else {
            return (0..<n).compactMap { y[$0].isFinite ? (x[$0], y[$0]) : nil }
        }
        let (x0, x1) = range(Array(x[0..<n]))
        var out: [(Double, Double)] = []
        var k = 0
        for c in 0..<columns {
            let edge = x0 + (x1 - x0) * Double(c + 1) / Double(columns)
            var lo: (Int, Double)? = nil, hi: (Int, Double)? = nil
            while k < n && (x[k] <= edge || c == columns - 1) {
                if y[k].isFinite {
                    if lo == nil || y[k] < lo!.1 { lo = (k, y[k]) }
                    if hi == nil || y[k] > hi!.1 { hi = (k, y[k]) }
                }
                k += 1
            }
            guard let a = lo, let b = hi else { continue }
            if a.0 == b.0 { out.append((x[a.0], a.1)) }
            else if a.0 < b.0 { out.append((x[a.0], a.1)); out.append((x[b.0], b.1)) }
            else { out.append((x[b.0], b.1)); out.append((x[a.0], a.1)) }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
