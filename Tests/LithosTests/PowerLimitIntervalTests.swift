import Testing
@testable import Lithos

/// `OperatingLimits.powerLimitInterval_s`: the estimator recomputes the power limits only every
/// interval; where it does they equal the every-update ones bit for bit, in between they are the
/// last ones, and nothing else in the estimate changes.
@Suite struct PowerLimitIntervalTests {
    static func sop(_ e: StateEstimate<Double>) -> [Double] {
        [e.dischargeCurrentLimit_A.0, e.dischargeCurrentLimit_A.1, e.dischargeCurrentLimit_A.2,
         e.chargeCurrentLimit_A.0, e.chargeCurrentLimit_A.1, e.chargeCurrentLimit_A.2,
         e.dischargePowerLimit_W.0, e.dischargePowerLimit_W.1, e.dischargePowerLimit_W.2,
         e.chargePowerLimit_W.0, e.chargePowerLimit_W.1, e.chargePowerLimit_W.2]
    }

    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func limitsAtTheirIntervalMatchEveryUpdate(algorithm: EstimatorAlgorithm) throws {
        let p = try defaultCellECM(thermal: true)
        let every = EstimatorConfiguration<Double>(model: p, algorithm: algorithm, initialSOC: 0.7, initialSOCStandardDeviation: 0.1)
        var slow = every
        slow.limits.powerLimitInterval_s = 1
        var a = try StateEstimator(configuration: every), b = try StateEstimator(configuration: slow)
        #expect(Self.sop(a.estimate) == Self.sop(b.estimate))          // computed at creation
        var truth = try EquivalentCircuitModel(parameters: p, initialSOC: 0.8, initialTemperature_K: 298.15)
        let dt = 0.1
        var held = Self.sop(b.estimate)
        var recomputed = 0
        for k in 1...600 {
            let current = (k / 50) % 3 == 0 ? 0.0 : ((k / 50) % 3 == 1 ? 0.6 : -0.3)
            let v = try truth.step(StepInput(mode: .current, value: current, dt_s: dt, ambient_K: 298.15)).voltage_V
            let ea = try a.update(current_A: current, voltage_V: v, temperature_K: 298.15, dt_s: dt)
            let eb = try b.update(current_A: current, voltage_V: v, temperature_K: 298.15, dt_s: dt)
            // Everything but the limits is the same at every update.
            #expect(ea.soc == eb.soc && ea.socStandardDeviation == eb.socStandardDeviation
                    && ea.energyRemaining_Wh == eb.energyRemaining_Wh && ea.predictedVoltage_V == eb.predictedVoltage_V)
            if k % 10 == 0 {
                // 10 updates of 0.1 s: 1 s since the last computation.
                #expect(Self.sop(eb) == Self.sop(ea), "update \(k)")
                held = Self.sop(eb)
                recomputed += 1
            } else {
                #expect(Self.sop(eb) == held, "update \(k)")
            }
        }
        #expect(recomputed == 60)
        // The limits do change over the run (so "unchanged" above is not vacuous).
        #expect(Self.sop(a.estimate) != Self.sop(try StateEstimator(configuration: every).estimate))
    }

    @Test func jsonKeyRoundTripsAndValidates() throws {
        let base = #""minimum_voltage_V": 3, "maximum_voltage_V": 4.2, "maximum_discharge_current_A": 6, "maximum_charge_current_A": 2"#
        #expect(try OperatingLimits.fromJSON("{\(base)}").powerLimitInterval_s == 0)
        let limits = try OperatingLimits.fromJSON("{\(base), \"power_limit_interval_s\": 0.5}")
        #expect(limits.powerLimitInterval_s == 0.5)
        #expect(try OperatingLimits.from(json: limits.toJSON()) == limits)
        #expect(limits.converted(to: Float.self).powerLimitInterval_s == 0.5)
        #expect(throws: LithosError.self) { try OperatingLimits.fromJSON("{\(base), \"power_limit_interval_s\": -1}") }
    }
}
