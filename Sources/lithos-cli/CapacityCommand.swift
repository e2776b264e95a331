import Lithos

/// `lithos fit-capacity`: capacity and coulombic/energy efficiency from the full cycles of a
/// cycler log (`CapacityIdentification`, docs/identification.md).
///
///     lithos fit-capacity --data CYCLES.csv [--minimum-voltage V] [--maximum-voltage V]
///                         [--current-threshold 0.01] [--discharge-negative] [--out capacity.json]
enum CapacityCommand {
    static func run(_ o: inout Options) throws {
        guard let path = try o.value("--data") else { throw UsageError(message: "--data CYCLES.csv is required") }
        let vMin = try o.number("--minimum-voltage")
        let vMax = try o.number("--maximum-voltage")
        let threshold = try o.number("--current-threshold") ?? 0.01
        let negative = o.flag("--discharge-negative")
        let out = try o.value("--out")
        try o.finish()
        guard threshold > 0 else { throw UsageError(message: "--current-threshold must be > 0 A") }
        let log = try FitCommands.readLog(path, dischargeNegative: negative)
        let r = try CapacityIdentification.identify(log, currentThreshold_A: threshold, minimumVoltage_V: vMin, maximumVoltage_V: vMax)
        var table = TextTable(["#", "direction", "A·h", "W·h", "V start → end", "duration [h]", "T [°C]", "full"])
        for (k, c) in r.halfCycles.enumerated() {
            table.add(["\(k)", c.direction.rawValue, FitCommands.format(c.charge_Ah, 4), FitCommands.format(c.energy_Wh, 3),
                       "\(FitCommands.format(c.startVoltage_V, 3)) → \(FitCommands.format(c.endVoltage_V, 3))",
                       FitCommands.format(c.duration_s / 3600, 2), FitCommands.format(c.meanTemperature_K - Physics.zeroCelsius_K, 1),
                       c.isFull ? "yes" : "no"])
        }
        print("half cycles of \(path):")
        print(table.render())
        print(r.dischargeCapacities_Ah.isEmpty ? "no full discharge (from the upper to the lower voltage limit) in the log"
              : "capacity (full discharges): " + r.dischargeCapacities_Ah.map { FitCommands.format($0, 4) + " A·h" }.joined(separator: ", "))
        print(r.coulombicEfficiencies.isEmpty ? "no full charge followed by a full discharge: no coulombic efficiency"
              : "coulombic efficiency: " + r.coulombicEfficiencies.map { FitCommands.format($0, 5) }.joined(separator: ", ")
                + "; energy efficiency: " + r.energyEfficiencies.map { FitCommands.format($0, 4) }.joined(separator: ", "))
        if let out {
            try writeTextFile(out, JSONWriter.write(r.toJSON(), pretty: true) + "\n")
            print("wrote \(out)")
        }
    }
}
