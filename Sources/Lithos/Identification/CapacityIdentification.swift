/// One charge or discharge of a cycler log: a run of samples whose current has one sign
/// (rests inside it allowed, e.g. the pauses of an HPPC discharge or a CV taper), ended by
/// current of the other sign or the end of the log.
public struct HalfCycle: Sendable, Equatable {
    public enum Direction: String, Sendable { case charge, discharge }
    public var direction: Direction
    /// Samples from the first to the last with current in `direction` (inclusive bounds as a range).
    public var range: Range<Int>
    /// Charge moved [A·h] (> 0), from the tester's counter when the log has one, else the
    /// integral of the current held over each sample interval.
    public var charge_Ah: Double
    /// Energy moved [W·h] (> 0): ∫|I·V| dt.
    public var energy_Wh: Double
    /// Terminal voltage at its first and last sample [V].
    public var startVoltage_V: Double
    public var endVoltage_V: Double
    /// Duration [s] and mean temperature [K].
    public var duration_s: Double
    public var meanTemperature_K: Double
    /// Whether it ran between the voltage limits: a discharge ending at the minimum voltage
    /// (within `endTolerance_V`: a cycler stops at its cut-off) and starting from a full cell
    /// (within `startTolerance_V` of the maximum — a rested or loaded cell sits tens of mV
    /// inside it — or right after a charge that ended there), a charge ending at the maximum
    /// (CV phase included) and starting from an empty cell likewise.
    public var isFull: Bool
}

/// Capacity and efficiency from full cycles of a cycler log (issue "Parameter identification":
/// "Capacity and coulombic efficiency from full cycles").
public struct CapacityIdentificationResult: Sendable {
    public var halfCycles: [HalfCycle]
    /// Charge of the full discharges [A·h], in log order (the capacity at this rate and
    /// temperature; the last is the most recent).
    public var dischargeCapacities_Ah: [Double]
    /// Coulombic efficiency Q_discharge/Q_charge of each full charge followed directly by a
    /// full discharge, in log order. Only that order: the discharge can then remove at most what
    /// the charge put in, whereas a discharge from a cell charged by some earlier protocol
    /// (e.g. with a CV hold) followed by a CC-only recharge gives ratios above 1 that say
    /// nothing about side reactions.
    public var coulombicEfficiencies: [Double]
    /// Energy efficiency E_discharge/E_charge of the same pairs.
    public var energyEfficiencies: [Double]
}

public enum CapacityIdentification {
    /// Splits a log into half cycles and measures capacity and efficiencies.
    /// - Parameters:
    ///   - currentThreshold_A: |I| at or below this is rest (default 0.01 A, above tester noise
    ///     of a few mA).
    ///   - minimumVoltage_V / maximumVoltage_V: the cell's voltage limits; nil: the lowest and
    ///     highest voltage in the log.
    ///   - endTolerance_V: how close to its limit a half cycle must end to count as full
    ///     (default 0.01 V);
    ///   - startTolerance_V: how close to the opposite limit it must start (default 0.05 V).
    /// - Throws: `.invalidArgument` for a non-positive threshold or tolerance or limits out of order.
    public static func identify(_ d: CyclerData, currentThreshold_A: Double = 0.01,
                                minimumVoltage_V: Double? = nil, maximumVoltage_V: Double? = nil,
                                endTolerance_V: Double = 0.01, startTolerance_V: Double = 0.05) throws(LithosError) -> CapacityIdentificationResult {
        guard currentThreshold_A.isFinite, currentThreshold_A > 0, endTolerance_V.isFinite, endTolerance_V > 0,
              startTolerance_V.isFinite, startTolerance_V > 0 else {
            throw LithosError(.invalidArgument, "capacity identification: the current threshold and voltage tolerance must be finite and > 0")
        }
        guard d.count >= 2 else { throw LithosError(.invalidArgument, "capacity identification: needs ≥ 2 samples") }
        let vMin = minimumVoltage_V ?? d.voltage_V.min()!
        let vMax = maximumVoltage_V ?? d.voltage_V.max()!
        guard vMax > vMin else { throw LithosError(.invalidArgument, "capacity identification: maximum voltage \(vMax) V must exceed minimum \(vMin) V") }
        // The tester's counter, else the current held over each sample interval (the sample's
        // current flows over (t_{k−1}, t_k], as `ECMIdentification.simulate` reads logs).
        var counter = d.discharged_Ah
        if counter.count != d.count {
            counter = [Double](repeating: 0, count: d.count)
            for k in 1..<d.count { counter[k] = counter[k - 1] + d.current_A[k] * (d.time_s[k] - d.time_s[k - 1]) / 3600 }
        }

        // Runs of one current sign; rests join the run they interrupt.
        var runs: [(direction: HalfCycle.Direction, first: Int, last: Int)] = []
        for k in 0..<d.count where abs(d.current_A[k]) > currentThreshold_A {
            let direction: HalfCycle.Direction = d.current_A[k] > 0 ? .discharge : .charge
            if let last = runs.last, last.direction == direction {
                runs[runs.count - 1].last = k
            } else {
                runs.append((direction, k, k))
            }
        }
        var cycles: [HalfCycle] = []
        for run in runs {
            // The charge moved from the sample before the run (the current of sample k flows
            // over (t_{k−1}, t_k]) to its last sample.
            let start = max(0, run.first - 1)
            let moved = abs(counter[run.last] - counter[start])
            var energy = 0.0, temperature = 0.0
            for k in (start + 1)...run.last {
                let dt = d.time_s[k] - d.time_s[k - 1]
                energy += abs(d.current_A[k] * d.voltage_V[k]) * dt / 3600
            }
            for k in run.first...run.last { temperature += d.temperature_K[k] }
            cycles.append(HalfCycle(direction: run.direction, range: run.first..<(run.last + 1), charge_Ah: moved, energy_Wh: energy,
                                    startVoltage_V: d.voltage_V[start], endVoltage_V: d.voltage_V[run.last],
                                    duration_s: d.time_s[run.last] - d.time_s[start],
                                    meanTemperature_K: temperature / Double(run.last - run.first + 1), isFull: false))
        }
        // Full: ends at its limit, and starts at the opposite one (or right after a half
        // cycle that ended there).
        for (k, c) in cycles.enumerated() {
            let atEnd = c.direction == .discharge ? c.endVoltage_V <= vMin + endTolerance_V : c.endVoltage_V >= vMax - endTolerance_V
            let startLimit = c.direction == .discharge ? vMax : vMin
            var atStart = abs(c.startVoltage_V - startLimit) <= startTolerance_V
            if !atStart, k > 0, cycles[k - 1].direction != c.direction {
                atStart = abs(cycles[k - 1].endVoltage_V - startLimit) <= endTolerance_V
            }
            cycles[k].isFull = atEnd && atStart
        }
        var capacities: [Double] = [], coulombic: [Double] = [], energy: [Double] = []
        for c in cycles where c.isFull && c.direction == .discharge { capacities.append(c.charge_Ah) }
        for k in cycles.indices.dropFirst() where cycles[k].isFull && cycles[k - 1].isFull
            && cycles[k].direction == .discharge && cycles[k - 1].direction == .charge {
            coulombic.append(cycles[k].charge_Ah / cycles[k - 1].charge_Ah)
            energy.append(cycles[k].energy_Wh / cycles[k - 1].energy_Wh)
        }
        return CapacityIdentificationResult(halfCycles: cycles, dischargeCapacities_Ah: capacities,
                                            coulombicEfficiencies: coulombic, energyEfficiencies: energy)
    }
}

extension CapacityIdentificationResult {
    /// As JSON: `{"discharge_capacities_Ah": […], "coulombic_efficiencies": […],
    /// "energy_efficiencies": […], "half_cycles": [{"direction", "first_sample", "last_sample",
    /// "charge_Ah", "energy_Wh", "start_voltage_V", "end_voltage_V", "duration_s",
    /// "mean_temperature_K", "full"}, …]}`.
    public func toJSON() -> JSONValue {
        func array(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }
        let cycles: [JSONValue] = halfCycles.map { c in
            .object([("direction", .string(c.direction.rawValue)), ("first_sample", .number(Double(c.range.lowerBound))),
                     ("last_sample", .number(Double(c.range.upperBound - 1))), ("charge_Ah", .number(c.charge_Ah)),
                     ("energy_Wh", .number(c.energy_Wh)), ("start_voltage_V", .number(c.startVoltage_V)),
                     ("end_voltage_V", .number(c.endVoltage_V)), ("duration_s", .number(c.duration_s)),
                     ("mean_temperature_K", .number(c.meanTemperature_K)), ("full", .bool(c.isFull))])
        }
        return .object([("discharge_capacities_Ah", array(dischargeCapacities_Ah)),
                        ("coulombic_efficiencies", array(coulombicEfficiencies)),
                        ("energy_efficiencies", array(energyEfficiencies)), ("half_cycles", .array(cycles))])
    }
}
