import Foundation
import Testing
@testable import Lithos

@Suite struct CapacityIdentificationTests {
    /// A synthetic full cycle with known charge: rest, 1 A discharge for 2.9 h from 4.2 V to
    /// 2.5 V, rest (with 5 mA of noise, below the threshold), 1 A charge for 2.92 h back to 4.2 V
    /// with a CV taper, rest, discharge again for 2.9 h.
    @Test func syntheticCycleGivesCapacityAndEfficiency() throws {
        var d = CyclerData()
        var t = 0.0
        func add(_ i: Double, _ v: Double) {
            t += 10
            d.time_s.append(t); d.current_A.append(i); d.voltage_V.append(v); d.temperature_K.append(298.15)
        }
        for k in 0..<60 { add(k % 2 == 0 ? 0.005 : -0.005, 4.19) }
        for k in 1...1044 { add(1, 4.2 - 1.7 * Double(k) / 1044) }               // 10440 s = 2.9 h
        for _ in 0..<60 { add(0, 2.9) }
        for k in 1...1008 { add(-1, 2.6 + 1.6 * Double(k) / 1008) }               // 10080 s = 2.8 h CC
        for k in 1...144 { add(-0.75, 4.2 + 0 * Double(k)) }                      // 1440 s CV at 0.75 A = 0.3 h
        for _ in 0..<60 { add(0, 4.18) }
        for k in 1...1044 { add(1, 4.2 - 1.7 * Double(k) / 1044) }
        let r = try CapacityIdentification.identify(d, minimumVoltage_V: 2.5, maximumVoltage_V: 4.2)
        #expect(r.halfCycles.map(\.direction) == [.discharge, .charge, .discharge])
        #expect(r.halfCycles.allSatisfy { $0.isFull })
        #expect(r.dischargeCapacities_Ah.count == 2)
        for q in r.dischargeCapacities_Ah { #expect(abs(q - 2.9) < 1e-9) }
        #expect(abs(r.halfCycles[1].charge_Ah - 3.1) < 1e-9)
        #expect(r.coulombicEfficiencies.count == 1)   // charge → discharge only
        for ce in r.coulombicEfficiencies { #expect(abs(ce - 2.9 / 3.1) < 1e-9) }
        #expect(r.energyEfficiencies.allSatisfy { $0 > 0.5 && $0 < r.coulombicEfficiencies[0] })
        // A partial discharge is not full: stop the log halfway through the last discharge.
        let partial = try CapacityIdentification.identify(d.slice(0..<(d.count - 522)), minimumVoltage_V: 2.5, maximumVoltage_V: 4.2)
        #expect(partial.halfCycles.last!.isFull == false && partial.dischargeCapacities_Ah.count == 1)
        #expect(throws: LithosError.self) { try CapacityIdentification.identify(d, currentThreshold_A: 0) }
    }

    /// The Panasonic C/20 test: the discharge removes 2.9973 A·h (the OCV fit's capacity); the
    /// C/20 charge that follows reaches 4.2 V after only 2.616 A·h (CC only, no CV hold; the
    /// integrated current agrees with the tester's counter). Discharge → charge is not a
    /// coulombic-efficiency pair (2.997/2.616 = 1.146 would be nonsense): the log gives the
    /// capacity and no efficiency.
    @Test func panasonicC20Cycle() throws {
        let d = try IdentificationTests.panasonicLog("pan18650pf_25C_C20_OCVtest_timeseries.csv")
        let r = try CapacityIdentification.identify(d, minimumVoltage_V: 2.5, maximumVoltage_V: 4.2)
        print("Panasonic C/20: half cycles \(r.halfCycles.map { "\($0.direction.rawValue) \($0.charge_Ah) A·h \($0.startVoltage_V)→\($0.endVoltage_V) V full \($0.isFull)" })")
        #expect(r.halfCycles.map(\.direction) == [.discharge, .charge])
        #expect(r.dischargeCapacities_Ah.count == 1)
        #expect(abs(r.dischargeCapacities_Ah[0] - 2.9973) < 0.003)
        #expect(r.halfCycles[1].isFull && abs(r.halfCycles[1].charge_Ah - 2.616) < 0.003)
        #expect(r.coulombicEfficiencies.isEmpty)
    }
}
