import Foundation
import Testing
@testable import Lithos

/// The estimator configuration shipped for the Panasonic NCR18650PF
/// (examples/panasonic-18650pf/estimator.json): it parses, carries the fitted ECM of ecm.json
/// unchanged with the tester's sensor figures and the cell's limits, and tracks a measured drive
/// cycle (25 °C US06) from a guess 20 points wrong as well as `PanasonicEstimatorTests` asserts
/// for the configuration it builds inline (same tuning: the library defaults).
@Suite struct PanasonicEstimatorConfigurationTests {
    static func configuration() throws -> EstimatorConfiguration<Double> {
        try EstimatorConfiguration.fromJSON(String(contentsOf: IdentificationTests.panasonic.appendingPathComponent("estimator.json"),
                                                   encoding: .utf8))
    }

    @Test func parsesWithTheFittedModelAndTheCellsLimits() throws {
        let c = try Self.configuration()
        let ecm = try ECMParameters<Double>.fromJSON(String(contentsOf: IdentificationTests.panasonic.appendingPathComponent("ecm.json"),
                                                            encoding: .utf8))
        #expect(c.model == ecm)
        #expect(c.algorithm == .extendedKalman)
        #expect(c.initialSOC == 0.8 && c.initialSOCStandardDeviation == 0.2)
        #expect(c.tuning == EstimatorTuning<Double>())   // the tuning of PanasonicEstimatorTests: the defaults
        #expect(c.sensor.voltageResolution_V == 0.00015 && c.sensor.currentResolution_A == 0.0008)
        #expect(c.sensor.currentNoise_A == 0.01 && c.sensor.voltageNoise_V == 0.002)
        #expect(c.limits.minimumVoltage_V == 2.5 && c.limits.maximumVoltage_V == 4.2)
        #expect(c.limits.dischargeCurrentLimit_A == 10 && c.limits.chargeCurrentLimit_A == 2.9)
        #expect(c.limits.minimumTemperature_K == 253.15 && c.limits.maximumTemperature_K == 333.15)
        // Written back and read again: the same configuration.
        #expect(try EstimatorConfiguration.from(json: c.toJSON()) == c)
    }

    /// The shipped configuration (EKF) and the same with the UKF on the 25 °C US06 log: the
    /// bounds `PanasonicEstimatorTests` asserts (RMS < 2 %, < 5 points above 15 % SOC) and the
    /// issue's ≤ 1 % RMS target as a known issue where it is missed.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func tracksTheUS06Log(algorithm: EstimatorAlgorithm) throws {
        var c = try Self.configuration()
        c.algorithm = algorithm
        var estimator = try StateEstimator(configuration: c)
        let log = try IdentificationTests.panasonicLog("pan18650pf_25C_US06_1s.csv")
        var sumSquares = 0.0, maxError = 0.0, maxAbove15 = 0.0, count = 0
        for k in 1..<log.count {
            let e = try estimator.update(current_A: log.current_A[k], voltage_V: log.voltage_V[k],
                                         temperature_K: log.temperature_K[k], dt_s: log.time_s[k] - log.time_s[k - 1])
            let truth = 1 - log.discharged_Ah[k] / 2.9
            let error = abs(e.soc - truth)
            #expect(e.soc.isFinite && e.socStandardDeviation.isFinite)
            if log.time_s[k] - log.time_s[0] >= 300 {
                sumSquares += error * error
                maxError = max(maxError, error)
                if truth >= 0.15 { maxAbove15 = max(maxAbove15, error) }
                count += 1
            }
        }
        let rms = (sumSquares / Double(max(count, 1))).squareRoot()
        print("estimator.json (\(algorithm.name)) on the 25 °C US06 log: RMS \(rms * 100) %, max \(maxError * 100) % "
              + "(\(maxAbove15 * 100) % while the reference SOC ≥ 15 %)")
        #expect(rms < 0.02)
        #expect(maxAbove15 < 0.05)
        withKnownIssue("estimator.json \(algorithm.name) on 25 °C US06: RMS \(rms * 100) % against the ≤ 1 % target (the fitted ECM sits 14–58 mV above the data below 15 % SOC, docs/identification.md)") {
            #expect(rms <= 0.01)
        } when: { rms > 0.01 }
    }
}
