import Testing
@testable import Lithos

/// A pack JSON of ECM cells with a linear OCV (3.0…4.2 V), R0 and one RC pair.
func packJSON(series: Int, parallel: Int, rcPairs: String = #"[{"r_ohm": 0.02, "tau_s": 30}]"#, r0: Double = 0.01,
              thermal: Bool = false, extra: String = "", initialSOC: Double = 0.8) -> String {
    """
    {"series": \(series), "parallel": \(parallel), "initial_soc": \(initialSOC),
     "model": {"kind": "ecm", "ecm": {"capacity_Ah": 2.0, "soc_breakpoints": [0, 1], "ocv_V": [3.0, 4.2], "r0_ohm": \(r0),
               "rc_pairs": \(rcPairs), "minimum_voltage_V": 2.5, "maximum_voltage_V": 4.3,
               "thermal": {"enabled": \(thermal), "heat_capacity_J_per_K": 40, "heat_transfer_W_per_K": 0.5}}}
     \(extra.isEmpty ? "" : ", " + extra)}
    """
}

/// Loads a pack snapshot (scratch allocated here).
func load(_ pack: inout AnyPack, _ bytes: [UInt8]) throws(LithosError) {
    let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: pack.snapshotScratchCount)
    defer { scratch.deallocate() }
    let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
    defer { raw.deallocate() }
    raw.copyBytes(from: bytes)
    try pack.loadState(scratch: scratch, from: UnsafeRawBufferPointer(raw))
}

@Suite struct PackTests {
    @Test func identicalParallelCellsSplitEqually() throws {
        var pack = try AnyPack.make(json: packJSON(series: 1, parallel: 2, extra: #""tab_resistance_ohm": 0.001"#))
        for _ in 0..<50 {
            let o = try pack.step(current: 3, dt_s: 1, ambient_K: 298.15)
            let i = pack.values(.cellCurrent)
            #expect(abs(i[0] - 1.5) < 1e-9 && abs(i[1] - 1.5) < 1e-9)
            #expect(o.splitCurrentResidual_A <= 1e-9 && o.splitVoltageSpread_V <= 1e-11)
        }
    }

    /// Rint cells at equal SOC: V_k = OCV(z0) − (α·dt + R_k)·i_k with α = 1.2 V/(3600 s·h⁻¹·Q), so
    /// i_k ∝ 1/(R_k + α·dt) exactly — the split of unequal resistances at t = 0+.
    @Test func unequalResistancesSplitInversely() throws {
        let json = packJSON(series: 1, parallel: 3, rcPairs: "[]",
                            extra: #""variation": {"seed": 7, "resistance_std_fraction": 0.2}"#)
        var pack = try AnyPack.make(json: json)
        let factors = pack.values(.cellResistanceFactor)
        #expect(Set(factors).count == 3)
        let dt = 1e-3, current = 6.0
        _ = try pack.step(current: current, dt_s: dt, ambient_K: 298.15)
        let i = pack.values(.cellCurrent)
        let alpha = 1.2 / (3600 * 2.0)
        let conductances = factors.map { 1 / (0.01 * $0 + alpha * dt) }
        let total = conductances.reduce(0, +)
        for k in 0..<3 {
            let expected = current * conductances[k] / total
            #expect(abs(i[k] - expected) <= 1e-9 * current, "cell \(k): \(i[k]) vs \(expected)")
        }
        #expect(abs(i.reduce(0, +) - current) <= 1e-9 * current)
    }

    @Test func chargeIsConservedInEveryGroup() throws {
        let json = packJSON(series: 2, parallel: 3, extra: #""variation": {"seed": 3, "capacity_std_fraction": 0.05, "resistance_std_fraction": 0.1, "initial_soc_std": 0.02}, "tab_resistance_ohm": 0.002"#)
        var pack = try AnyPack.make(json: json)
        let soc0 = pack.values(.cellSOC)
        let capacity = pack.values(.cellCapacity)
        for k in 0..<600 { _ = try pack.step(current: k < 300 ? 4 : -2, dt_s: 1, ambient_K: 298.15) }
        let packAh = pack.output.dischargedCharge_Ah
        #expect(abs(packAh - (300 * 4 - 300 * 2) / 3600.0) < 1e-12)
        let soc = pack.values(.cellSOC)
        for s in 0..<2 {
            var groupAh = 0.0
            for p in 0..<3 {
                let k = s * 3 + p
                let cellAh = pack.cellOutput(k).dischargedCharge_Ah
                #expect(abs((soc0[k] - soc[k]) * capacity[k] - cellAh) < 1e-9)
                groupAh += cellAh
            }
            #expect(abs(groupAh - packAh) <= 1e-9 * 600 / 3600 * 4, "group \(s): \(groupAh) vs \(packAh)")
        }
        // Unequal cells at different SOC make the split differ (and circulate at rest).
        let i = pack.values(.cellCurrent)
        #expect(Set(i).count == 6)
    }

    @Test func seriesStringVoltageIsTheSumMinusInterconnects() throws {
        var pack = try AnyPack.make(json: packJSON(series: 4, parallel: 1, extra: #""variation": {"seed": 5, "initial_soc_std": 0.05}, "interconnect_resistance_ohm": 0.0005, "tab_resistance_ohm": 0.0002"#))
        for current in [5.0, -3.0, 0.0] {
            let o = try pack.step(current: current, dt_s: 2, ambient_K: 298.15)
            let v = pack.values(.cellVoltage)
            let expected = v.reduce(0, +) - current * 4 * (0.0005 + 0.0002)
            #expect(abs(o.voltage_V - expected) < 1e-12)
            #expect(o.minimumCellVoltage_V == v.min()! && o.maximumCellVoltage_V == v.max()!)
        }
    }

    @Test func balancingDrainsTheBledCell() throws {
        var pack = try AnyPack.make(json: packJSON(series: 3, parallel: 1, extra: #""bleed_resistance_ohm": 20"#))
        try pack.setBalancing([false, true, false])
        let soc0 = pack.values(.cellSOC)
        var drained = 0.0
        for _ in 0..<100 {
            _ = try pack.step(current: 0, dt_s: 1, ambient_K: 298.15)
            let v = pack.values(.cellVoltage), i = pack.values(.cellCurrent), b = pack.values(.balancingCurrent)
            #expect(abs(i[1] - v[1] / 20) < 1e-10)
            #expect(abs(b[1] - i[1]) < 1e-10 && b[0] == 0 && b[2] == 0 && i[0] == 0 && i[2] == 0)
            drained += i[1] / 3600
        }
        let soc = pack.values(.cellSOC)
        #expect(abs((soc0[1] - soc[1]) * 2.0 - drained) < 1e-12)
        #expect(soc[0] == soc0[0] && soc[2] == soc0[2])
        #expect(pack.output.balancingPower_W > 0)
    }

    @Test func internalShortDrainsAndHeats() throws {
        var pack = try AnyPack.make(json: packJSON(series: 2, parallel: 2, thermal: true))
        try pack.injectFault(.internalShort, index: 1, value: 1.0)
        #expect(pack.output.activeFaults & PackFaultKind.internalShort.bit != 0)
        for _ in 0..<120 { _ = try pack.step(current: 0, dt_s: 1, ambient_K: 298.15) }
        let short = pack.values(.cellShortCurrent), v = pack.values(.cellVoltage)
        let t = pack.values(.cellTemperature), soc = pack.values(.cellSOC)
        #expect(abs(short[1] - v[1] / 1.0) < 1e-12 && short[0] == 0)
        #expect(soc[1] < soc[2] && soc[0] < soc[2])   // its neighbour in the group recharges it
        #expect(t[1] > t[0] + 0.1 && t[1] > t[2] + 0.1)
        // The group's terminal currents still sum to the pack current (0).
        let e = pack.values(.cellTerminalCurrent)
        #expect(abs(e[0] + e[1]) < 1e-9)
        try pack.clearFault(.internalShort, index: 1)
        #expect(pack.output.activeFaults == 0)
    }

    @Test func openContactorCarriesNoCurrent() throws {
        var pack = try AnyPack.make(json: packJSON(series: 2, parallel: 2))
        try pack.injectFault(.contactorOpen, index: 0, value: 0)
        let o = try pack.step(current: 10, dt_s: 1, ambient_K: 298.15)
        #expect(o.current_A == 0 && pack.values(.cellCurrent).allSatisfy { $0 == 0 })
        pack.clearFaults()
        #expect(try pack.step(current: 10, dt_s: 1, ambient_K: 298.15).current_A == 10)
    }

    @Test func sensorFaultsChangeOnlyMeasuredValues() throws {
        let json = packJSON(series: 4, parallel: 1, thermal: true, extra: #""variation": {"seed": 2, "initial_soc_std": 0.03}"#)
        var faulty = try AnyPack.make(json: json), clean = try AnyPack.make(json: json)
        try faulty.injectFault(.voltageSensorOffset, index: 0, value: 0.05)
        try faulty.injectFault(.voltageSensorStuck, index: 3, value: 3.3)
        try faulty.injectFault(.temperatureSensorOffset, index: 1, value: -4)
        try faulty.injectFault(.temperatureSensorStuck, index: 2, value: 250)
        try faulty.injectFault(.currentSensorOffset, index: 0, value: 0.2)
        for _ in 0..<30 {
            let a = try faulty.step(current: 6, dt_s: 1, ambient_K: 298.15)
            let b = try clean.step(current: 6, dt_s: 1, ambient_K: 298.15)
            #expect(a.voltage_V == b.voltage_V && a.soc == b.soc && a.maximumTemperature_K == b.maximumTemperature_K)
            #expect(a.measuredCurrent_A == 6.2 && b.measuredCurrent_A == 6)
        }
        #expect(faulty.values(.cellVoltage) == clean.values(.cellVoltage))
        let g = faulty.values(.groupVoltage), m = faulty.values(.measuredVoltage)
        #expect(m[0] == g[0] + 0.05 && m[1] == g[1] && m[2] == g[2] && m[3] == 3.3)
        let t = faulty.values(.cellTemperature), mt = faulty.values(.measuredTemperature)
        #expect(mt[0] == t[0] && mt[1] == t[1] - 4 && mt[2] == 250 && mt[3] == t[3])
    }

    @Test func openSenseWireMergesItsChannels() throws {
        var pack = try AnyPack.make(json: packJSON(series: 4, parallel: 1, extra: #""variation": {"seed": 2, "initial_soc_std": 0.05}"#))
        try pack.injectFault(.openSenseWire, index: 2, value: 0.5)
        try pack.setBalancing([false, true, false, false])
        _ = try pack.step(current: 1, dt_s: 1, ambient_K: 298.15)
        let g = pack.values(.groupVoltage), m = pack.values(.measuredVoltage)
        #expect(abs(m[1] - (g[1] + g[2]) / 2) < 1e-12 && abs(m[2] - (g[1] + g[2]) / 2) < 1e-12)
        #expect(m[0] == g[0] && m[3] == g[3])
        #expect(abs(m.reduce(0, +) - g.reduce(0, +)) < 1e-12)
        // Balancing channel 1 needs wire 2: no bleed current.
        #expect(pack.values(.balancingCurrent).allSatisfy { $0 == 0 })
        try pack.injectFault(.openSenseWire, index: 0, value: 0)
        #expect(pack.values(.measuredVoltage)[0] == 0)
    }

    @Test func thermalCouplingSpreadsAThermalEvent() throws {
        var pack = try AnyPack.make(json: packJSON(series: 4, parallel: 1, thermal: true, extra: #""thermal_coupling_W_per_K": 0.5"#))
        try pack.injectFault(.thermalEvent, index: 0, value: 5)
        for _ in 0..<300 { _ = try pack.step(current: 0, dt_s: 1, ambient_K: 298.15) }
        let t = pack.values(.cellTemperature)
        #expect(t[0] > t[1] && t[1] > t[2] && t[2] > t[3] && t[3] > 298.15 + 1e-3)
    }

    @Test func deterministicAndSnapshotsResumeBitExactly() throws {
        let json = packJSON(series: 3, parallel: 2, thermal: true, extra: #""variation": {"seed": 11, "capacity_std_fraction": 0.03, "resistance_std_fraction": 0.1, "initial_soc_std": 0.02, "temperature_std_K": 1}, "thermal_coupling_W_per_K": 0.2, "tab_resistance_ohm": 0.001"#)
        var a = try AnyPack.make(json: json), b = try AnyPack.make(json: json)
        for k in 0..<50 {
            let x = try a.step(current: Double(k % 7) - 2, dt_s: 0.5, ambient_K: 300)
            let y = try b.step(current: Double(k % 7) - 2, dt_s: 0.5, ambient_K: 300)
            #expect(x == y)
        }
        try a.setBalancing([true, false, true])
        try a.injectFault(.internalShort, index: 4, value: 5)
        var scratch = Array(repeating: 0.0, count: a.snapshotScratchCount)
        var snapshot = Array(repeating: UInt8(0), count: a.snapshotByteCount)
        scratch.withUnsafeMutableBufferPointer { s in snapshot.withUnsafeMutableBytes { a.saveState(scratch: s, to: $0) } }
        var first: [PackOutput] = []
        for k in 0..<40 { first.append(try a.step(current: Double(k % 5), dt_s: 1, ambient_K: 300)) }
        let cells = a.values(.cellVoltage)
        // Restore into a fresh pack of the same configuration.
        try load(&b, snapshot)
        #expect(b.balancing == [true, false, true])
        for k in 0..<40 { #expect(try b.step(current: Double(k % 5), dt_s: 1, ambient_K: 300) == first[k]) }
        #expect(b.values(.cellVoltage) == cells)
        // A corrupted snapshot is rejected and changes nothing.
        snapshot[100] ^= 1
        let before = b.values(.cellSOC)
        #expect(throws: LithosError.self) { try load(&b, snapshot) }
        #expect(b.values(.cellSOC) == before)
    }

    @Test func cutOffIsReportedAndTheStepCompletes() throws {
        var pack = try AnyPack.make(json: packJSON(series: 2, parallel: 2, extra: #""variation": {"seed": 4, "initial_soc_std": 0.02}"#, initialSOC: 0.2))
        var flagged = false
        for _ in 0..<400 {
            let o = try pack.step(current: 60, dt_s: 1, ambient_K: 298.15)
            #expect(o.splitCurrentResidual_A <= 1e-9 * 60)
            if o.limits & (LimitFlags.voltageBelowMinimum.rawValue) != 0 { flagged = true; break }
        }
        #expect(flagged)
        #expect(pack.output.limits & PackOutput.packVoltageLow != 0)
    }

    @Test func errorsLeaveThePackUnchanged() throws {
        var pack = try AnyPack.make(json: packJSON(series: 2, parallel: 2))
        _ = try pack.step(current: 1, dt_s: 1, ambient_K: 298.15)
        let before = pack.output
        #expect(throws: LithosError.self) { _ = try pack.step(current: .nan, dt_s: 1, ambient_K: 298.15) }
        #expect(throws: LithosError.self) { _ = try pack.step(current: 1, dt_s: 0, ambient_K: 298.15) }
        #expect(throws: LithosError.self) { _ = try pack.step(current: 1000, dt_s: 1, ambient_K: 298.15) }
        #expect(throws: LithosError.self) { try pack.injectFault(.internalShort, index: 4, value: 1) }
        #expect(throws: LithosError.self) { try pack.setBalancing([true]) }
        #expect(pack.output == before)
        #expect(throws: LithosError.self) { _ = try AnyPack.make(json: #"{"series": 2, "parallel": 0, "cell": "default"}"#) }
        #expect(throws: LithosError.self) { _ = try AnyPack.make(json: #"{"series": 2, "bogus": 1, "cell": "default"}"#) }
    }

    @Test func ssbSPMPackSolvesItsParallelGroups() throws {
        let json = #"{"series": 2, "parallel": 2, "cell": "default", "model": {"kind": "ssb-spm"}, "initial_soc": 0.9, "variation": {"seed": 1, "capacity_std_fraction": 0.02, "resistance_std_fraction": 0.05}, "tab_resistance_ohm": 0.001}"#
        var pack = try AnyPack.make(json: json)
        let capacity = pack.capacity_Ah
        for _ in 0..<60 {
            let o = try pack.step(current: capacity, dt_s: 1, ambient_K: 298.15)
            #expect(o.splitCurrentResidual_A <= 1e-9 * max(1, capacity) && o.splitVoltageSpread_V <= 1e-11)
            #expect(o.splitIterations >= 1 && o.splitIterations <= 8)
        }
        let i = pack.values(.cellCurrent)
        #expect(abs(i[0] + i[1] - capacity) <= 1e-9 * max(1, capacity) && abs(i[2] + i[3] - capacity) <= 1e-9 * max(1, capacity))
        #expect(i[0] != i[1])
    }

    @Test func ssbP2DPackSteps() throws {
        let json = #"{"series": 1, "parallel": 2, "cell": "default", "model": {"kind": "ssb-p2d", "mesh": {"cathode_nodes": 6, "particle_shells": 6}}, "initial_soc": 0.8, "variation": {"seed": 9, "resistance_std_fraction": 0.1}}"#
        var pack = try AnyPack.make(json: json)
        let capacity = pack.capacity_Ah
        for _ in 0..<10 {
            let o = try pack.step(current: 0.5 * capacity, dt_s: 1, ambient_K: 298.15)
            #expect(o.splitCurrentResidual_A <= 1e-9 * max(1, capacity) && o.splitVoltageSpread_V <= 1e-11)
        }
        #expect(pack.kind.description == "ssb-p2d")
    }

    @Test func variationIsSeededAndConfigurationRoundTrips() throws {
        let json = packJSON(series: 3, parallel: 2, extra: #""variation": {"seed": 42, "capacity_std_fraction": 0.02, "temperature_std_K": 2}"#)
        let a = try AnyPack.make(json: json), b = try AnyPack.make(json: json)
        #expect(a.values(.cellCapacity) == b.values(.cellCapacity))
        #expect(Set(a.values(.cellCapacity)).count == 6)
        let again = try AnyPack.make(json: JSONWriter.write(a.configurationJSON()))
        #expect(again.values(.cellCapacity) == a.values(.cellCapacity))
        #expect(again.values(.cellTemperature) == a.values(.cellTemperature))
        var rng = Lithos.SplitMix64(seed: 1)
        var sum = 0.0, sum2 = 0.0
        for _ in 0..<20_000 { let z = rng.nextNormal(); sum += z; sum2 += z * z }
        #expect(abs(sum / 20_000) < 0.03 && abs(sum2 / 20_000 - 1) < 0.05)
    }
}
