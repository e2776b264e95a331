import Lithos

/// `lithos design CELL.json [--temperature-K T] [--json]`: the derived metrics of a design.
enum DesignCommand {
    static func run(_ options: inout Options) throws {
        let json = options.flag("--json")
        let temperature = try options.number("--temperature-K") ?? Physics.referenceTemperature_K
        let path = try options.positional("CELL.json")
        try options.finish()
        let design = try CellDesign.fromJSON(try readTextFile(path))
        let metrics = try design.metrics(at: temperature)
        if json {
            print(JSONWriter.write(.object([("design", design.toJSON()), ("metrics", metrics.toJSON())]), pretty: true))
            return
        }
        print(summary(design, metrics))
    }

    /// A metric table: one row per field of the metrics, unit taken from the key's suffix.
    static func summary(_ design: CellDesign, _ metrics: CellMetrics) -> String {
        var table = TextTable(["metric", "value", "unit"])
        if case let .object(members) = metrics.toJSON() {
            for member in members {
                guard case let .number(x) = member.value else { continue }
                let (name, unit) = splitUnit(member.key)
                table.add([name, formatNumber(x, significant: 4), unit])
            }
        }
        return "cell: \(design.name)\n\n" + table.render()
    }

    /// "energy_density_Wh_per_L" → ("energy density", "Wh/L").
    static func splitUnit(_ key: String) -> (String, String) {
        let units: [(suffix: String, unit: String)] = [
            ("_mAh_per_cm2", "mAh/cm²"), ("_Wh_per_kg", "Wh/kg"), ("_Wh_per_L", "Wh/L"),
            ("_kg_per_m2", "kg/m²"), ("_S_per_m", "S/m"), ("_ohm_m2", "Ω·m²"), ("_Ah", "Ah"),
            ("_Wh", "Wh"), ("_kg", "kg"), ("_m2", "m²"), ("_m", "m"), ("_V", "V"), ("_K", "K"), ("_Pa", "Pa"),
        ]
        for u in units where key.hasSuffix(u.suffix) {
            return (String(key.dropLast(u.suffix.count)).replacingUnderscores(), u.unit)
        }
        return (key.replacingUnderscores(), "1")
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
