import Lithos

/// `lithos impedance`: the small-signal impedance spectrum of a cell model at rest
/// (`ModelImpedance`), as CSV for Nyquist and Bode plots.
///
///     lithos impedance --cell CELL.json [--model ssb-spm|ssb-p2d|ecm] [--soc 0.5] [--temperature-K T]
///                      [--from 1e-3] [--to 1e4] [--per-decade 10] [--out eis.csv]
enum ImpedanceCommand {
    static func run(_ o: inout Options) throws {
        guard let cellPath = try o.value("--cell") else { throw UsageError(message: "--cell CELL.json is required") }
        let kindName = try o.value("--model") ?? "ssb-spm"
        let soc = try o.number("--soc") ?? 0.5
        let temperature = try o.number("--temperature-K") ?? Physics.referenceTemperature_K
        let from = try o.number("--from") ?? 1e-3
        let to = try o.number("--to") ?? 1e4
        let perDecade = try o.number("--per-decade") ?? 10
        let outPath = try o.value("--out")
        try o.finish()
        guard let kind = ModelOptions.Kind(rawValue: kindName) else {
            throw UsageError(message: "--model must be ssb-spm, ssb-p2d or ecm (got '\(kindName)')")
        }
        guard from > 0, to > from, to <= 1e9, perDecade >= 1, perDecade <= 1000, perDecade == perDecade.rounded() else {
            throw UsageError(message: "need 0 < --from < --to ≤ 1e9 Hz and a whole --per-decade within 1…1000")
        }
        let design = cellPath == "default" && !isRegularFile(cellPath)
            ? try BuiltInCells.defaultDesign() : try CellDesign.fromJSON(try readTextFile(cellPath))
        var options = ModelOptions()
        options.kind = kind
        let model = try AnyCellModel.make(design: design, options: options)
        let decades = Physics.log10(to / from)
        let count = Int((decades * perDecade).rounded()) + 1
        var csv = "frequency_Hz,re_ohm,im_ohm,minus_im_ohm,magnitude_ohm,phase_deg\n"
        var table = TextTable(["f [Hz]", "Re Z [mΩ]", "−Im Z [mΩ]"])
        for k in 0..<count {
            let f = from * Physics.pow(10, Double(k) / perDecade)
            let z = try model.impedance(soc: soc, temperature_K: temperature, frequency_Hz: f)
            let phase = Physics.atan(z.imaginary / z.real) * 180 / Double.pi
            csv += [f, z.real, z.imaginary, -z.imaginary, z.magnitude, phase].map { JSONWriter.number($0) }.joined(separator: ",") + "\n"
            if k % Int(perDecade) == 0 {
                table.add([formatNumber(f, significant: 3), formatNumber(z.real * 1000, significant: 4), formatNumber(-z.imaginary * 1000, significant: 4)])
            }
        }
        print("\(design.name): impedance of the \(model.kind) model at SOC \(formatNumber(soc)), \(formatNumber(temperature)) K, at rest\n")
        print(table.render())
        if let outPath {
            try writeTextFile(outPath, csv)
            print("\nwrote \(outPath) (\(count) frequencies)")
        }
    }
}
