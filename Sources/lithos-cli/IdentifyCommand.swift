import Lithos

/// `lithos identify-ecm`: an ECM for a cell that exists only as a design — a virtual HPPC test
/// on its physics model (`VirtualHPPC`), identified like cycler data; writes the ECM JSON that
/// `lithos simulate --options`, `lithos estimate --config` and the C/Python estimator read.
///
///     lithos identify-ecm --cell CELL.json [--model ssb-p2d|ssb-spm] [--temperature-K T]
///                         [--rc-pairs 2] --out ecm.json
enum IdentifyCommand {
    static func run(_ o: inout Options) throws {
        guard let cellPath = try o.value("--cell") else { throw UsageError(message: "--cell CELL.json is required") }
        let kindName = try o.value("--model") ?? "ssb-p2d"
        let temperature = try o.number("--temperature-K") ?? Physics.referenceTemperature_K
        let pairs = try o.number("--rc-pairs") ?? 2
        guard let out = try o.value("--out") else { throw UsageError(message: "--out ecm.json is required") }
        try o.finish()
        guard let kind = ModelOptions.Kind(rawValue: kindName), kind != .ecm else {
            throw UsageError(message: "--model must be ssb-p2d or ssb-spm (got '\(kindName)')")
        }
        guard [1.0, 2, 3].contains(pairs) else { throw UsageError(message: "--rc-pairs must be 1, 2 or 3") }
        try Validate.temperature(temperature, "--temperature-K")
        let design = cellPath == "default" && !isRegularFile(cellPath)
            ? try BuiltInCells.defaultDesign() : try CellDesign.fromJSON(try readTextFile(cellPath))
        let result = try VirtualHPPC.identify(design: design, kind: kind, temperature_K: temperature, rcPairs: Int(pairs))
        try writeTextFile(out, JSONWriter.write(result.parameters.toJSON(), pretty: true) + "\n")
        let p = result.parameters
        print("\(design.name): \(Int(pairs))-RC ECM identified from a virtual HPPC test on the \(kind.rawValue) model at \(formatNumber(temperature)) K")
        print("\(result.pulses.first?.count ?? 0) pulses fitted; capacity \(formatNumber(p.capacity_Ah, significant: 4)) Ah\n")
        var header = ["SOC", "R0 [mΩ]"]
        for j in 0..<Int(pairs) { header += ["R\(j + 1) [mΩ]", "τ\(j + 1) [s]"] }
        var table = TextTable(header)
        for z in [0.9, 0.7, 0.5, 0.3, 0.1] {
            var row = [formatNumber(z), formatNumber(p.seriesResistance.value(x: z, y: temperature) * 1000, significant: 4)]
            for j in 0..<Int(pairs) {
                row += [formatNumber(p.rcResistances[j].value(x: z, y: temperature) * 1000, significant: 4),
                        formatNumber(p.rcTimeConstants[j].value(x: z, y: temperature), significant: 4)]
            }
            table.add(row)
        }
        print(table.render())
        print("\nwrote \(out)")
    }
}
