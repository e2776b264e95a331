import Testing
@testable import Lithos

/// Dual estimation (`tuning.resistance_feedback`): the Kalman filters measure with R₀ scaled by
/// the resistance estimator's R₀,est/R₀,model. A cell whose series resistance has grown to 2.5×
/// its model's (an aged cell) biases a plain EKF's SOC under pulsed load; with the feedback the
/// bias shrinks. Truth and model share everything else (linear OCV, one RC pair).
@Suite struct ResistanceFeedbackTests {
    static func run(feedback: Bool, algorithm: String) throws -> (rms: Double, scale: Double) {
        let model = try linearECM(r0: 0.02, capacity: 2.0)
        var truth = try EquivalentCircuitModel(parameters: linearECM(r0: 0.05, capacity: 2.0), initialSOC: 0.9,
                                               initialTemperature_K: 298.15)
        let configuration = try EstimatorConfiguration.from(json: .object([
            ("ecm", model.toJSON()),
            ("algorithm", .string(algorithm)),
            ("initial_soc", .number(0.9)),
            ("initial_soc_std", .number(0.05)),
            ("tuning", .object([("resistance_feedback", .bool(feedback))])),
        ]))
        var estimator = try StateEstimator(configuration: configuration)
        var sum = 0.0, n = 0
        for k in 0..<5400 {
            // 30 s pulses: 2C discharge, rest, 1C charge, rest (net discharge).
            let phase = (k / 30) % 4
            let current = phase == 0 ? 4.0 : phase == 2 ? -2.0 : 0.0
            let o = try truth.step(.current(current, dt_s: 1))
            let e = try estimator.update(current_A: current, voltage_V: o.voltage_V, temperature_K: 298.15, dt_s: 1)
            if k >= 600 { sum += (e.soc - o.soc) * (e.soc - o.soc); n += 1 }
        }
        return ((sum / Double(n)).squareRoot(), estimator.resistance.scale)
    }

    @Test(arguments: ["ekf", "ukf"])
    func feedbackRemovesTheBiasOfAGrownResistance(algorithm: String) throws {
        let plain = try Self.run(feedback: false, algorithm: algorithm)
        let dual = try Self.run(feedback: true, algorithm: algorithm)
        print("\(algorithm): R0 2.5x the model's: SOC RMS \(plain.rms * 100) % plain, \(dual.rms * 100) % with R0 feedback (scale \(dual.scale))")
        #expect(abs(dual.scale - 2.5) < 0.25)
        #expect(dual.rms < 0.5 * plain.rms)
        #expect(dual.rms < 0.01)
    }
}
