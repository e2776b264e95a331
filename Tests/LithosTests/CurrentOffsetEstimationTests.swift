import Testing
@testable import Lithos

/// The current-sensor offset as a filter state (`tuning.current_offset_estimation`,
/// `ECMStateSpace`): the scenario suite's +50 mA run (SSB-SPM truth of the default cell,
/// σ_I 10 mA, σ_V 2 mV, +25 °C, guess 25 points low, sensor offset σ 50 mA) with the offset
/// estimated — over its 30 minutes and over a full discharge — and the same drive without an
/// offset, to show the extra state does not invent one.
@Suite struct CurrentOffsetEstimationTests {
    static func configuration(_ a: EstimatorAlgorithm, estimateOffset: Bool) -> EstimatorConfiguration<Double> {
        var c = SSBScenario.configuration(a, initialSOC: 0.75, ambient_K: 298.15)
        c.tuning.currentOffsetEstimation = estimateOffset
        return c
    }

    struct Outcome { var rms, max, offset, offsetSigma: Double; var healthy: Bool }

    static func run(_ a: EstimatorAlgorithm, offset: Double, estimateOffset: Bool, maximum_s: Int) throws -> Outcome {
        let truth = try SSBScenario.drive(ambient_K: 298.15, maximum_s: maximum_s, currentOffset_A: offset, seed: 2)
        var e = try StateEstimator(configuration: configuration(a, estimateOffset: estimateOffset))
        let s = try score(&e, truth.drive)
        let healthy = s.spdEverySample && e.estimate.covarianceRepairs == 0 && s.estimates.allSatisfy { $0.soc.isFinite }
        return Outcome(rms: s.rms, max: s.max, offset: e.estimate.currentOffset_A,
                       offsetSigma: e.estimate.currentOffsetStandardDeviation_A, healthy: healthy)
    }

    static func line(_ what: String, _ o: Outcome) -> String {
        "\(what): RMS \(SSBScenario.percent(o.rms)) %, max \(SSBScenario.percent(o.max)) %, offset \(SSBScenario.fixed(o.offset * 1000, 1)) ± \(SSBScenario.fixed(o.offsetSigma * 1000, 1)) mA"
    }

    /// Without the state the run misses the targets (EKF 1.87 % / 3.48 %: the scenario suite's
    /// known issue); with it both filters meet them and find the offset within 2σ.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func fiftyMilliampOffsetIsEstimated(_ a: EstimatorAlgorithm) throws {
        let without = try Self.run(a, offset: 0.05, estimateOffset: false, maximum_s: 1800)
        let with = try Self.run(a, offset: 0.05, estimateOffset: true, maximum_s: 1800)
        let full = try Self.run(a, offset: 0.05, estimateOffset: true, maximum_s: 20_000)
        print(Self.line("+50 mA, 30 min, \(a.name), no offset state", without))
        print(Self.line("+50 mA, 30 min, \(a.name), offset estimated", with))
        print(Self.line("+50 mA, full discharge, \(a.name), offset estimated", full))
        #expect(without.rms > 0.01)
        for o in [with, full] {
            #expect(o.rms <= 0.01 && o.max <= 0.03)
            #expect(o.healthy)
            #expect(abs(o.offset - 0.05) <= 2 * o.offsetSigma && o.offsetSigma < 0.02, "offset \(o.offset) ± \(o.offsetSigma)")
        }
    }

    /// No offset in the truth: the estimate stays consistent with zero and SOC on target.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func noOffsetIsNotInvented(_ a: EstimatorAlgorithm) throws {
        let o = try Self.run(a, offset: 0, estimateOffset: true, maximum_s: 1800)
        print(Self.line("no offset, 30 min, \(a.name), offset estimated", o))
        #expect(o.rms <= 0.01 && o.max <= 0.03 && o.healthy)
        #expect(abs(o.offset) <= 2 * o.offsetSigma)
    }

    /// Configuration: the JSON keys round-trip, a zero offset σ or a full state vector is a
    /// configuration error, and the saved state restores the offset bit for bit.
    @Test func configurationAndState() throws {
        var c = Self.configuration(.extendedKalman, estimateOffset: true)
        c.tuning.currentOffsetProcessNoise_A2_per_s = 2e-11
        let json = JSONWriter.write(c.toJSON())
        let back = try EstimatorConfiguration.fromJSON(json)
        #expect(back.tuning.currentOffsetEstimation && back.tuning.currentOffsetProcessNoise_A2_per_s == 2e-11)
        var zero = c
        zero.sensor.currentOffset_A = 0
        #expect(throws: LithosError.self) { try zero.validate() }
        let threeRC = try ECMParameters<Double>(
            capacity_Ah: 1, openCircuitVoltage: BilinearTable(xs: [0, 1], ys: [298.15], values: [3, 4], name: "ocv"),
            seriesResistance: BilinearTable(constant: 0.01),
            rcResistances: [BilinearTable(constant: 0.01), BilinearTable(constant: 0.01), BilinearTable(constant: 0.01)],
            rcTimeConstants: [BilinearTable(constant: 1), BilinearTable(constant: 10), BilinearTable(constant: 100)],
            hysteresisMagnitude: BilinearTable(constant: 0.01), hysteresisRate: 1,
            thermal: LumpedThermalModel(enabled: false, heatCapacity_J_per_K: 10, heatTransfer_W_per_K: 0.1),
            limits: ModelLimits(minimumVoltage_V: 2.5, maximumVoltage_V: 4.2))
        var full = c
        full.model = threeRC
        #expect(throws: LithosError.self) { try full.validate() }
        // Snapshot: run a while, save, run on in two copies — identical bits.
        let truth = try SSBScenario.drive(ambient_K: 298.15, maximum_s: 300, currentOffset_A: 0.05, seed: 2)
        var e = try StateEstimator(configuration: c)
        for s in truth.drive.samples.prefix(200) { _ = try e.update(s.measurement) }
        var saved = [Double](repeating: 0, count: e.stateCount)
        saved.withUnsafeMutableBufferPointer { e.writeState(to: $0) }
        var f = try StateEstimator(configuration: c)
        try saved.withUnsafeBufferPointer { try f.readState(from: $0) }
        for s in truth.drive.samples.dropFirst(200) {
            let a = try e.update(s.measurement), b = try f.update(s.measurement)
            #expect(a.soc.bitPattern == b.soc.bitPattern && a.currentOffset_A.bitPattern == b.currentOffset_A.bitPattern)
        }
        #expect(e.estimate.currentOffset_A != 0)
    }
}
