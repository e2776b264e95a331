import Lithos

/// `lithos demo`: the README's first command. Designs the built-in default cell
/// (NMC811 | Li6PS5Cl | Li metal, the same as examples/cells/default.json) and prints its
/// design summary and how its solid electrolyte's transport changes with temperature.
enum DemoCommand {
    static func run(_ options: inout Options) throws {
        try options.finish()
        let design = try CellDesign.fromJSON(BuiltInCells.defaultDesignJSON)
        let metrics = try design.metrics(at: Physics.referenceTemperature_K)
        print("Lithos \(LithosVersion.string) demo: the default solid-state cell at 25 °C\n")
        print(DesignCommand.summary(design, metrics))
        print("\nTemperature dependence (solid electrolyte: Arrhenius conductivity):\n")
        var table = TextTable(["T [°C]", "separator σ [mS/cm]", "separator ASR [Ω·cm²]", "cathode σ_eff [mS/cm]", "cathode ionic ASR [Ω·cm²]"])
        for celsius in [-20.0, -10, 0, 25, 45, 60] {
            let m = try design.metrics(at: celsius + Physics.zeroCelsius_K)
            guard case .object = m.toJSON() else { continue }
            let json = m.toJSON()
            func value(_ key: String) -> Double {
                if case let .number(x)? = json[key] { return x }
                return .nan
            }
            table.add([
                formatNumber(celsius),
                formatNumber(value("separator_conductivity_S_per_m") * 10, significant: 3),
                formatNumber(value("separator_asr_ohm_m2") * 1e4, significant: 3),
                formatNumber(value("cathode_ionic_conductivity_S_per_m") * 10, significant: 3),
                formatNumber(value("cathode_ionic_asr_ohm_m2") * 1e4, significant: 3),
            ])
        }
        print(table.render())
        print("\nNext: `lithos design examples/cells/peo.json --temperature-K 333.15`, `lithos materials`.")
    }
}
