import Testing
@testable import Lithos

// MARK: - Fixtures

/// The cell the estimator tracks and the estimator's (simpler) model of it.
///
/// Truth: a 5 A·h NMC-like cell, 2 RC pairs + Plett hysteresis, R₀ and RC resistances over
/// SOC × temperature (Arrhenius-like: ×2 at −10 °C, ×0.7 at 45 °C), lumped thermal model (it
/// warms by a few kelvin over US06, so the estimator sees a changing temperature).
/// Estimator model: the same OCV and R₀ tables, two RC pairs with the wrong split of the
/// polarisation resistance (10/10 mΩ instead of 8/12), wrong time constants (8 s and 120 s
/// instead of 6 s and 150 s), RC resistances that do not depend on SOC and no thermal model —
/// the model mismatch a real BMS lives with. `coarseModel` is a single RC pair (R = R₁ + R₂,
/// τ = 40 s).
enum EstimatorFixture {
    static let capacity_Ah = 5.0
    static let socs: [Double] = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0]
    static let ocv: [Double] = [3.00, 3.40, 3.52, 3.60, 3.65, 3.69, 3.74, 3.80, 3.88, 3.96, 4.06, 4.12, 4.20]
    static let temperatures: [Double] = [263.15, 298.15, 318.15]
    static let temperatureFactor: [Double] = [2.0, 1.0, 0.7]

    /// A table over SOC × temperature: base(z) × temperatureFactor(T).
    static func table(_ base: (Double) -> Double) throws -> BilinearTable<Double> {
        var values: [Double] = []
        for f in temperatureFactor { for z in socs { values.append(base(z) * f) } }
        return try BilinearTable(xs: socs, ys: temperatures, values: values, name: "fixture")
    }

    static func r0(_ z: Double) -> Double { 0.012 * (1 + 0.6 * (1 - z) * (1 - z) * (1 - z)) }

    static func parameters(rc: [(r: Double, tau: Double)], thermal: Bool, socDependentRC: Bool = true) throws -> ECMParameters<Double> {
        let ocvValues = temperatures.flatMap { _ in ocv }
        return try ECMParameters(
            capacity_Ah: capacity_Ah, chargeEfficiency: 0.995,
            openCircuitVoltage: BilinearTable(xs: socs, ys: temperatures, values: ocvValues, name: "ocv"),
            seriesResistance: table(r0),
            rcResistances: rc.map { p in try table { z in socDependentRC ? p.r * (1 + 0.3 * (1 - z)) : p.r * 1.15 } },
            rcTimeConstants: rc.map { BilinearTable(constant: $0.tau) },
            hysteresisMagnitude: BilinearTable(constant: 0.010),
            instantaneousHysteresis_V: 0.003, hysteresisRate: 40,
            thermal: LumpedThermalModel(enabled: thermal, heatCapacity_J_per_K: 90, heatTransfer_W_per_K: 0.6),
            limits: ModelLimits(minimumVoltage_V: 2.8, maximumVoltage_V: 4.25))
    }

    /// The simulated cell (2 RC pairs, thermal).
    static func truth() throws -> ECMParameters<Double> {
        try parameters(rc: [(0.008, 6), (0.012, 150)], thermal: true)
    }

    /// The estimator's model (2 RC pairs, wrong parameters).
    static func estimatorModel() throws -> ECMParameters<Double> {
        try parameters(rc: [(0.010, 8), (0.010, 120)], thermal: false, socDependentRC: false)
    }

    /// A coarser estimator model (1 RC pair).
    static func coarseModel() throws -> ECMParameters<Double> {
        try parameters(rc: [(0.020, 40)], thermal: false)
    }

    static func configuration(_ algorithm: EstimatorAlgorithm, initialSOC: Double, sigma: Double = 0.2) throws -> EstimatorConfiguration<Double> {
        var sensor = SensorModel<Double>()
        sensor.currentNoise_A = 0.01
        sensor.currentOffset_A = 0.05
        sensor.voltageNoise_V = 0.002
        return EstimatorConfiguration(model: try estimatorModel(), algorithm: algorithm, initialSOC: initialSOC,
                                      initialSOCStandardDeviation: sigma, sensor: sensor)
    }
}

/// Gaussian noise from SplitMix64 (Marsaglia's polar method).
struct EstimatorNoise {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    mutating func next(_ sigma: Double) -> Double {
        while true {
            let u = 2 * rng.uniform() - 1, v = 2 * rng.uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return sigma * u * Physics.sqrt(-2 * Physics.log(s) / s) }
        }
    }
}

/// One recorded sample of a scenario: measurement, truth, and what the estimator said.
struct EstimatorSample {
    var measurement: Measurement<Double>
    var trueSOC: Double
}

/// A simulated drive: the truth model run through repeated US06 cycles, with sensor noise.
struct Drive {
    var samples: [EstimatorSample] = []

    /// - Parameters:
    ///   - cycles: number of 600 s US06 passes (1 Hz).
    ///   - restBefore_s: rest at the start [s] (current exactly 0).
    static func us06(initialSOC: Double, cycles: Int, ambient_K: Double = 298.15, currentOffset_A: Double = 0,
                     seed: UInt64 = 1, restBefore_s: Int = 0, restAfter_s: Int = 0) throws -> Drive {
        var truth = try EquivalentCircuitModel(parameters: EstimatorFixture.truth(), initialSOC: initialSOC, initialTemperature_K: ambient_K)
        var noise = EstimatorNoise(seed: seed)
        var profile: [Double] = Array(repeating: 0, count: restBefore_s)
        for _ in 0..<cycles { profile += BuiltInDriveCycles.us06CRates.map { $0 * EstimatorFixture.capacity_Ah } }
        profile += Array(repeating: 0, count: restAfter_s)
        var d = Drive()
        for current in profile {
            let out = try truth.step(StepInput(mode: .current, value: current, dt_s: 1, ambient_K: ambient_K))
            let m = Measurement(current_A: current + currentOffset_A + noise.next(0.01),
                                voltage_V: out.voltage_V + noise.next(0.002),
                                temperature_K: out.temperature_K + noise.next(0.2), dt_s: 1)
            d.samples.append(EstimatorSample(measurement: m, trueSOC: out.soc))
        }
        return d
    }
}

/// Scores of one estimator run against the truth.
struct Score {
    var rms = 0.0          // RMS SOC error after the settling time [1]
    var max = 0.0          // max |SOC error| after the settling time [1]
    var convergence_s = 0.0   // first time after which |error| stays below 2 % [s]
    var convergence1_s = 0.0  // … below 1 % [s]
    var withinThreeSigma = 0.0  // fraction of samples (after settling) with |error| < 3σ
    var spdEverySample = true
    var maxAsymmetry = 0.0
    var rejected = 0
    var skipped = 0
    var finalSigma = 0.0
    var initialSigma = 0.0
    var estimates: [StateEstimate<Double>] = []
    var errors: [Double] = []

    var summary: String {
        "rms \(rms * 100) %, max \(max * 100) %, within 2 % after \(convergence_s) s, within 1 % after \(convergence1_s) s, within 3σ \(withinThreeSigma * 100) %, "
            + "σ \(initialSigma) → \(finalSigma), rejected \(rejected), skipped \(skipped)"
    }
}

/// Runs `estimator` over `drive` (with an optional measurement filter for fault injection) and
/// scores it after `settle_s`.
func score<S: LithosReal>(_ estimator: inout StateEstimator<S>, _ drive: Drive, settle_s: Double = 300,
                          alter: (Int, Measurement<Double>) -> Measurement<Double> = { $1 }) throws -> Score {
    var s = Score()
    s.initialSigma = Double(estimator.socStandardDeviation)
    var sumSquares = 0.0, counted = 0, within = 0
    var lastOutside = 0.0, lastOutside1 = 0.0
    for (k, sample) in drive.samples.enumerated() {
        let m = alter(k, sample.measurement)
        let e = try estimator.update(Measurement(current_A: S(m.current_A), voltage_V: S(m.voltage_V),
                                                 temperature_K: S(m.temperature_K), dt_s: S(m.dt_s)))
        let n = estimator.stateDimension
        let p = estimator.covariance
        if p.choleskyFactor(n) == nil { s.spdEverySample = false }
        s.maxAsymmetry = Swift.max(s.maxAsymmetry, Double(p.asymmetry(n)))
        let error = Double(e.soc) - sample.trueSOC
        s.errors.append(error)
        let t = Double(e.time_s)
        if abs(error) >= 0.02 { lastOutside = t }
        if abs(error) >= 0.01 { lastOutside1 = t }
        if e.activeFaults.contains(.measurementRejected) { s.rejected += 1 }
        if e.activeFaults.contains(.measurementSkipped) { s.skipped += 1 }
        if t > settle_s {
            sumSquares += error * error
            counted += 1
            s.max = Swift.max(s.max, abs(error))
            if abs(error) < 3 * Double(e.socStandardDeviation) { within += 1 }
        }
        s.estimates.append(StateEstimate<Double>(converting: e))
    }
    s.rms = (sumSquares / Double(Swift.max(counted, 1))).squareRoot()
    s.withinThreeSigma = Double(within) / Double(Swift.max(counted, 1))
    s.convergence_s = lastOutside
    s.convergence1_s = lastOutside1
    s.finalSigma = Double(estimator.socStandardDeviation)
    return s
}

extension StateEstimate where Scalar == Double {
    init<Other: LithosReal>(converting e: StateEstimate<Other>) {
        self.init()
        soc = Double(e.soc)
        socStandardDeviation = Double(e.socStandardDeviation)
        predictedVoltage_V = Double(e.predictedVoltage_V)
        innovation_V = Double(e.innovation_V)
        innovationStandardDeviation_V = Double(e.innovationStandardDeviation_V)
        energyRemaining_Wh = Double(e.energyRemaining_Wh)
        timeToEmpty_s = Double(e.timeToEmpty_s)
        timeToFull_s = Double(e.timeToFull_s)
        activeFaults = e.activeFaults
        latchedFaults = e.latchedFaults
        time_s = Double(e.time_s)
        covarianceRepairs = e.covarianceRepairs
    }
}

// MARK: - Accuracy

/// Shared drives (deterministic; built once per test process).
enum Drives {
    /// 6 × US06 (1 h) from SOC 0.9, noise σ_V = 2 mV, σ_I = 10 mA, σ_T = 0.2 K.
    static let us06 = try! Drive.us06(initialSOC: 0.9, cycles: 6)
    /// The same with a +50 mA current-sensor offset.
    static let us06Offset = try! Drive.us06(initialSOC: 0.9, cycles: 6, currentOffset_A: 0.05, seed: 2)
}

@Suite struct EstimatorAccuracyTests {
    /// The issue's targets: from a guess 25 points low, RMS SOC error ≤ 1 % and max ≤ 3 % after
    /// 5 minutes, with and without a current-sensor offset; σ_SOC shrinks and brackets the
    /// error; P symmetric positive definite at every step.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman], [false, true])
    func convergesFromWrongInitialSOC(algorithm: EstimatorAlgorithm, offset: Bool) throws {
        let drive = offset ? Drives.us06Offset : Drives.us06
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.65))
        let s = try score(&estimator, drive)
        print("\(algorithm.name)\(offset ? " +50 mA offset" : ""), from 25 points low: \(s.summary)")
        #expect(s.rms <= 0.01)
        #expect(s.max <= 0.03)
        #expect(s.convergence_s < 300)
        #expect(s.finalSigma < s.initialSigma / 10)
        #expect(s.withinThreeSigma >= 0.9)
        #expect(s.spdEverySample)
        #expect(s.maxAsymmetry == 0)
        #expect(estimator.estimate.covarianceRepairs == 0)
    }

    /// From a guess 25 points high, at 25 °C and in the cold (−10 °C ambient: every resistance
    /// doubled, the cell warming by several kelvin during the drive).
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman], [298.15, 263.15])
    func convergesFromAbove(algorithm: EstimatorAlgorithm, ambient: Double) throws {
        let drive = try Drive.us06(initialSOC: 0.6, cycles: 4, ambient_K: ambient, seed: 3)
        var c = try EstimatorFixture.configuration(algorithm, initialSOC: 0.85)
        c.initialTemperature_K = ambient
        var estimator = try StateEstimator(configuration: c)
        let s = try score(&estimator, drive)
        print("\(algorithm.name) at \(ambient) K, from 25 points high: \(s.summary)")
        #expect(s.rms <= 0.01)
        #expect(s.max <= 0.03)
        #expect(s.withinThreeSigma >= 0.9)
        #expect(s.spdEverySample)
    }

    /// With a coarser model (one RC pair for a two-RC cell) accuracy is limited by the model,
    /// not the filter: still no divergence, errors within 1.5 % RMS / 3.5 % max at 25 °C.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func coarseModelDegradesGracefully(algorithm: EstimatorAlgorithm) throws {
        for (guess, drive) in [(0.65, Drives.us06), (0.85, try Drive.us06(initialSOC: 0.6, cycles: 4, seed: 3))] {
            var c = try EstimatorFixture.configuration(algorithm, initialSOC: guess)
            c.model = try EstimatorFixture.coarseModel()
            var estimator = try StateEstimator(configuration: c)
            let s = try score(&estimator, drive)
            print("\(algorithm.name), 1-RC model, guess \(guess): \(s.summary)")
            #expect(s.rms <= 0.015)
            #expect(s.max <= 0.035)
            #expect(s.spdEverySample)
        }
    }

    /// Single and double precision follow the same trajectory (the firmware runs Float).
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman, .coulombCounting])
    func floatMatchesDouble(algorithm: EstimatorAlgorithm) throws {
        let configuration = try EstimatorFixture.configuration(algorithm, initialSOC: 0.65)
        var double = try StateEstimator(configuration: configuration)
        var single = try StateEstimator(configuration: configuration.converted(to: Float.self))
        let a = try score(&double, Drives.us06Offset)
        let b = try score(&single, Drives.us06Offset)
        var sum = 0.0
        for k in a.errors.indices { sum += (a.errors[k] - b.errors[k]) * (a.errors[k] - b.errors[k]) }
        let rmsDifference = (sum / Double(a.errors.count)).squareRoot()
        print("\(algorithm.name): Float vs Double RMS SOC difference \(rmsDifference * 100) percentage points; Float: \(b.summary)")
        #expect(rmsDifference < 0.001)
        #expect(b.spdEverySample)
    }
}

// MARK: - Faults

@Suite struct EstimatorFaultTests {
    /// Isolated NaN/∞ readings: flagged, never in the state; the run still meets the targets.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func invalidReadingsAreSkipped(algorithm: EstimatorAlgorithm) throws {
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.65))
        let bad: [Int: (Measurement<Double>) -> Measurement<Double>] = [
            500: { var m = $0; m.voltage_V = .nan; return m },
            700: { var m = $0; m.voltage_V = .infinity; return m },
            900: { var m = $0; m.current_A = .nan; return m },
            1100: { var m = $0; m.current_A = -.infinity; return m },
            1300: { var m = $0; m.temperature_K = .nan; return m },
            1500: { var m = $0; m.temperature_K = 0; return m },
            1700: { var m = $0; m.current_A = 1e9; return m },
            1900: { Measurement(current_A: .nan, voltage_V: .nan, temperature_K: .nan, dt_s: $0.dt_s) },
        ]
        let s = try score(&estimator, Drives.us06) { k, m in bad[k].map { $0(m) } ?? m }
        for k in bad.keys.sorted() {
            let e = s.estimates[k]
            #expect(e.activeFaults.contains(.measurementSkipped), "sample \(k)")
            #expect(!s.estimates[k + 1].activeFaults.contains(.measurementSkipped), "sample \(k + 1)")
            #expect(e.soc.isFinite && e.socStandardDeviation.isFinite && e.predictedVoltage_V.isFinite && e.energyRemaining_Wh.isFinite)
        }
        #expect(estimator.estimate.latchedFaults.contains(.measurementSkipped))
        #expect(s.skipped == bad.count)
        #expect(s.rms <= 0.01)
        #expect(s.max <= 0.03)
        #expect(s.spdEverySample)
    }

    /// A NaN current is replaced by the last valid one (prediction goes on), a NaN temperature
    /// by the last valid one.
    @Test func heldReadingsDriveThePrediction() throws {
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(.coulombCounting, initialSOC: 0.8))
        _ = try estimator.update(current_A: 5, voltage_V: 3.9, temperature_K: 300, dt_s: 1)
        let before = estimator.soc
        let e = try estimator.update(current_A: .nan, voltage_V: 3.9, temperature_K: .nan, dt_s: 2)
        #expect(abs((before - e.soc) - 5 * 2 / 3600 / 5) < 1e-12)
        #expect(estimator.lastTemperature_K == 300)
        #expect(e.activeFaults == .measurementSkipped)
    }

    /// Drop-outs: 10 % of the samples lose one reading (voltage, current or temperature, at
    /// random) or all three; the filter keeps the targets.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func dropoutsDoNotPoisonTheState(algorithm: EstimatorAlgorithm) throws {
        var rng = SplitMix64(seed: 99)
        var dropped: [Int: UInt64] = [:]
        for k in 0..<Drives.us06Offset.samples.count where rng.uniform() < 0.1 { dropped[k] = rng.next() % 4 }
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.65))
        let s = try score(&estimator, Drives.us06Offset) { k, m in
            guard let field = dropped[k] else { return m }
            var d = m
            switch field {
            case 0: d.voltage_V = .nan
            case 1: d.current_A = .nan
            case 2: d.temperature_K = .nan
            default: d.voltage_V = .nan; d.current_A = .nan; d.temperature_K = .nan
            }
            return d
        }
        print("\(algorithm.name) with \(dropped.count) dropped samples: \(s.summary)")
        #expect(s.skipped == dropped.count)
        #expect(s.rms <= 0.01)
        #expect(s.max <= 0.03)
        #expect(s.spdEverySample)
    }

    /// The voltage reading freezes for 10 minutes mid-drive: repeated identical readings while
    /// the model expects the voltage to move are rejected (`measurementRejected`), the
    /// estimate coasts on current integration, the error stays bounded and recovers once the
    /// sensor does.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func stuckVoltageDoesNotDiverge(algorithm: EstimatorAlgorithm) throws {
        let stuck = 1200..<1800
        let frozen = Drives.us06.samples[stuck.lowerBound].measurement.voltage_V
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.65))
        let s = try score(&estimator, Drives.us06) { k, m in
            var d = m
            if stuck.contains(k) { d.voltage_V = frozen }
            return d
        }
        let rejectedWhileStuck = stuck.filter { s.estimates[$0].activeFaults.contains(.measurementRejected) }.count
        let worstWhileStuck = stuck.map { abs(s.errors[$0]) }.max() ?? 0
        let worstAfter = (stuck.upperBound + 300..<s.errors.count).map { abs(s.errors[$0]) }.max() ?? 0
        print("\(algorithm.name), voltage stuck 600 s: \(rejectedWhileStuck) samples rejected, max error while stuck \(worstWhileStuck * 100) %, max 5 min after \(worstAfter * 100) %; \(s.summary)")
        #expect(rejectedWhileStuck >= stuck.count - 20)
        #expect(worstWhileStuck <= 0.03)
        #expect(worstAfter <= 0.03)
        #expect(s.spdEverySample)
    }

    /// A filter that is confidently wrong (σ = 0.5 % but 25 points off) rejects the first
    /// measurements at the gate, then its divergence monitor widens the SOC variance and it
    /// converges.
    @Test(arguments: [EstimatorAlgorithm.extendedKalman, .unscentedKalman])
    func recoversFromOverconfidentWrongStart(algorithm: EstimatorAlgorithm) throws {
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.65, sigma: 0.005))
        let s = try score(&estimator, Drives.us06, settle_s: 600)
        print("\(algorithm.name), σ₀ = 0.5 % but 25 points off: \(s.summary)")
        #expect(s.rejected > 0)
        #expect(s.convergence_s < 600)
        #expect(s.rms <= 0.01)
        #expect(s.max <= 0.03)
    }

    /// dt ≤ 0, NaN or ∞: an error, and nothing changes.
    @Test func invalidTimeStepThrows() throws {
        for algorithm in [EstimatorAlgorithm.coulombCounting, .extendedKalman, .unscentedKalman] {
            var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.7))
            _ = try estimator.update(current_A: 2, voltage_V: 3.8, temperature_K: 298, dt_s: 1)
            let before = estimator.estimate, filter = estimator.filter
            for dt in [0.0, -1, .nan, .infinity, -.infinity] {
                #expect(throws: LithosError.self) { try estimator.update(current_A: 2, voltage_V: 3.8, temperature_K: 298, dt_s: dt) }
            }
            #expect(estimator.estimate == before)
            #expect(estimator.filter == filter)
        }
    }
}

// MARK: - Coulomb counting

@Suite struct CoulombCountingTests {
    /// Without a rest, current integration keeps its initial error (it has nothing to correct
    /// it with) and its σ grows with the integrated sensor error.
    @Test func keepsItsInitialErrorWithoutRest() throws {
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(.coulombCounting, initialSOC: 0.65))
        let s = try score(&estimator, Drives.us06Offset)
        // The error stays the initial −25 points, plus the drift of the +50 mA offset.
        for (k, e) in s.errors.enumerated() {
            let drift = -0.05 * Double(k + 1) / 3600 / 5
            #expect(abs(e - (-0.25 + drift)) < 0.002)
        }
        // σ grows: white noise plus the 50 mA offset bound over one hour ≈ 1 % of SOC.
        #expect(s.finalSigma > s.initialSigma)
        let grown = (s.finalSigma * s.finalSigma - 0.04).squareRoot()
        #expect(abs(grown - 0.05 * 3600 / 3600 / 5) < 0.001)
    }

    /// After a qualified rest (30 min below C/50) the OCV corrects the SOC, weighted by the
    /// confidence of both; once per rest.
    @Test func qualifiedRestCorrectsTheSOC() throws {
        let drive = try Drive.us06(initialSOC: 0.9, cycles: 2, seed: 5, restAfter_s: 2400)
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(.coulombCounting, initialSOC: 0.65))
        let s = try score(&estimator, drive)
        let restStart = 1200, qualified = restStart + 1800
        #expect(abs(s.errors[qualified - 2] + 0.25) < 0.01)           // before: the initial error
        #expect(abs(s.errors[qualified + 1]) < 0.015)                  // after: corrected
        #expect(abs(s.errors.last!) < 0.015)
        #expect(s.estimates[qualified + 1].socStandardDeviation < 0.02)
        // Only one correction in this rest: the SOC does not move afterwards (no current).
        #expect(abs(s.estimates.last!.soc - s.estimates[qualified + 1].soc) < 1e-3)
        print("Coulomb counting: error before rest \(s.errors[qualified - 2] * 100) %, after \(s.errors[qualified + 1] * 100) %, σ \(s.estimates[qualified + 1].socStandardDeviation * 100) %")
    }

    /// A rest shorter than the qualification time does nothing.
    @Test func shortRestDoesNotCorrect() throws {
        let drive = try Drive.us06(initialSOC: 0.9, cycles: 1, seed: 6, restAfter_s: 1500)
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(.coulombCounting, initialSOC: 0.65))
        let s = try score(&estimator, drive)
        #expect(abs(s.errors.last! + 0.25) < 0.01)
    }

    /// OCV⁻¹ by bisection inverts the table.
    @Test func ocvInversionIsExact() throws {
        let p = try EstimatorFixture.estimatorModel()
        for z in stride(from: 0.0, through: 1.0, by: 0.025) {
            let v = p.ocv(soc: z, temperature_K: 298.15)
            #expect(abs(CoulombCounter.socFromOCV(v, temperature: 298.15, parameters: p, lower: 0, upper: 1) - z) < 1e-7)
        }
        // Beyond the table the OCV is flat: the nearer end of the search range.
        #expect(CoulombCounter.socFromOCV(3.0, temperature: 298.15, parameters: p, lower: -0.05, upper: 1.05) == -0.05)
        #expect(CoulombCounter.socFromOCV(1.0, temperature: 298.15, parameters: p, lower: 0, upper: 1) == 0)
        #expect(CoulombCounter.socFromOCV(9.0, temperature: 298.15, parameters: p, lower: 0, upper: 1) == 1)
    }
}

// MARK: - API: outputs, save/load, batch, configuration

@Suite struct StateEstimatorAPITests {
    /// Save after 1000 samples, load into a fresh estimator, continue: bit-identical estimates.
    @Test(arguments: [EstimatorAlgorithm.coulombCounting, .extendedKalman, .unscentedKalman])
    func saveAndLoadContinuesBitExactly(algorithm: EstimatorAlgorithm) throws {
        let configuration = try EstimatorFixture.configuration(algorithm, initialSOC: 0.65)
        var a = try StateEstimator(configuration: configuration)
        let samples = Drives.us06Offset.samples.map(\.measurement)
        for m in samples[..<1000] { _ = try a.update(m) }
        var buffer = [Double](repeating: .nan, count: a.stateCount)
        buffer.withUnsafeMutableBufferPointer { a.writeState(to: $0) }
        var b = try StateEstimator(configuration: configuration)
        try buffer.withUnsafeBufferPointer { try b.readState(from: $0) }
        #expect(b.estimate == a.estimate)
        #expect(b.filter == a.filter)
        for m in samples[1000..<2000] {
            let ea = try a.update(m), eb = try b.update(m)
            #expect(ea == eb)
            #expect(ea.soc.bitPattern == eb.soc.bitPattern)
        }
        // Float too.
        var fa = try StateEstimator(configuration: configuration.converted(to: Float.self))
        for m in samples[..<500] {
            _ = try fa.update(current_A: Float(m.current_A), voltage_V: Float(m.voltage_V), temperature_K: Float(m.temperature_K), dt_s: 1)
        }
        buffer.withUnsafeMutableBufferPointer { fa.writeState(to: $0) }
        var fb = try StateEstimator(configuration: configuration.converted(to: Float.self))
        try buffer.withUnsafeBufferPointer { try fb.readState(from: $0) }
        for m in samples[500..<700] {
            let x = Measurement<Float>(current_A: Float(m.current_A), voltage_V: Float(m.voltage_V), temperature_K: Float(m.temperature_K), dt_s: 1)
            #expect(try fa.update(x) == fb.update(x))
        }
    }

    /// Bad snapshots are refused and change nothing.
    @Test func badStateIsRefused() throws {
        let configuration = try EstimatorFixture.configuration(.extendedKalman, initialSOC: 0.65)
        var a = try StateEstimator(configuration: configuration)
        for m in Drives.us06.samples[..<200] { _ = try a.update(m.measurement) }
        var good = [Double](repeating: 0, count: a.stateCount)
        good.withUnsafeMutableBufferPointer { a.writeState(to: $0) }
        var b = try StateEstimator(configuration: configuration)
        _ = try b.update(current_A: 1, voltage_V: 3.9, temperature_K: 298, dt_s: 1)
        let before = b.estimate, filter = b.filter
        var corruptions: [[Double]] = []
        var x = good; x[0] = 3; corruptions.append(x)                     // other algorithm
        x = good; x[15] = .nan; corruptions.append(x)                    // NaN SOC
        x = good; x[15] = 7; corruptions.append(x)                       // SOC out of range
        x = good; x[20] = -1; corruptions.append(x)                      // P not positive definite
        x = good; x[3] = 5; corruptions.append(x)                        // temperature
        x = good; x[7] = 0.5; corruptions.append(x)                      // fault bits not an integer
        x = good; x[19] = 0.1; corruptions.append(x)                     // beyond the state dimension
        x = good; x[48] = -1; corruptions.append(x)                      // R0 scale (resistance estimator)
        x = good; x[48 + 3] = 0.5; corruptions.append(x)                 // a count that is not whole
        x = good; x[48 + 15] = .nan; corruptions.append(x)               // capacity estimate (capacity estimator)
        x = good; x[48 + 15 + 28 + 2] = 2; corruptions.append(x)         // a debouncer flag (safety monitor)
        x = good; x[48 + 15 + 28 + 15] = .infinity; corruptions.append(x) // stuck-voltage time
        corruptions.append(Array(good.prefix(10)))                       // too short
        for c in corruptions {
            #expect(throws: LithosError.self) { try c.withUnsafeBufferPointer { try b.readState(from: $0) } }
            #expect(b.estimate == before)
            #expect(b.filter == filter)
        }
        // A Coulomb counter refuses a filter's state.
        var cc = try StateEstimator(configuration: EstimatorFixture.configuration(.coulombCounting, initialSOC: 0.5))
        #expect(throws: LithosError.self) { try good.withUnsafeBufferPointer { try cc.readState(from: $0) } }
        #expect(a.parameterFingerprint == b.parameterFingerprint)
        #expect(a.parameterFingerprint != cc.parameterFingerprint)
    }

    /// The batch entry points give exactly the per-sample results; a bad dt anywhere rejects
    /// the whole batch before anything changes.
    @Test func batchRunMatchesSingleUpdates() throws {
        let configuration = try EstimatorFixture.configuration(.unscentedKalman, initialSOC: 0.65)
        let measurements = Drives.us06.samples.prefix(800).map(\.measurement)
        var single = try StateEstimator(configuration: configuration)
        let expected = try measurements.map { try single.update($0) }
        var batch = try StateEstimator(configuration: configuration)
        var out = [StateEstimate<Double>](repeating: StateEstimate(), count: measurements.count)
        try measurements.withUnsafeBufferPointer { m in try out.withUnsafeMutableBufferPointer { try batch.run(m, into: $0) } }
        #expect(out == expected)
        var columns = try StateEstimator(configuration: configuration)
        let i = measurements.map(\.current_A), v = measurements.map(\.voltage_V), t = measurements.map(\.temperature_K), dt = measurements.map(\.dt_s)
        try i.withUnsafeBufferPointer { i in try v.withUnsafeBufferPointer { v in try t.withUnsafeBufferPointer { t in try dt.withUnsafeBufferPointer { dt in
            try out.withUnsafeMutableBufferPointer { try columns.run(current_A: i, voltage_V: v, temperature_K: t, dt_s: dt, into: $0) }
        } } } }
        #expect(out == expected)
        var bad = measurements
        bad[500].dt_s = 0
        let before = batch.estimate
        #expect(throws: LithosError.self) {
            try bad.withUnsafeBufferPointer { m in try out.withUnsafeMutableBufferPointer { try batch.run(m, into: $0) } }
        }
        #expect(batch.estimate == before)
        #expect(throws: LithosError.self) {
            try measurements.withUnsafeBufferPointer { m in try out.withUnsafeMutableBufferPointer { try batch.run(m, into: UnsafeMutableBufferPointer(rebasing: $0[..<10])) } }
        }
    }

    @Test func resetRestartsTheSOC() throws {
        for algorithm in [EstimatorAlgorithm.coulombCounting, .extendedKalman, .unscentedKalman] {
            var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.5))
            for m in Drives.us06.samples[..<100] { _ = try estimator.update(m.measurement) }
            try estimator.reset(soc: 0.8, socStandardDeviation: 0.05)
            #expect(estimator.soc == 0.8)
            #expect(abs(estimator.socStandardDeviation - 0.05) < 1e-15)
            #expect(estimator.estimate.soc == 0.8)
            #expect(throws: LithosError.self) { try estimator.reset(soc: 2, socStandardDeviation: 0.1) }
            #expect(throws: LithosError.self) { try estimator.reset(soc: 0.5, socStandardDeviation: 0) }
            #expect(throws: LithosError.self) { try estimator.reset(soc: .nan, socStandardDeviation: 0.1) }
            #expect(estimator.soc == 0.8)
        }
    }

    /// State of energy = Q·∫OCV dz down to the minimum-voltage SOC; time to empty/full at the
    /// present current.
    @Test func energyAndTimeToEmpty() throws {
        let p = try EstimatorFixture.estimatorModel()
        let table = try StateOfEnergyTable(parameters: p)
        // Exact integral of the piecewise-linear OCV from 0 (OCV(0) = 3.0 V ≥ V_min = 2.8 V).
        func exact(_ z: Double) -> Double {
            var sum = 0.0
            let xs = EstimatorFixture.socs, ys = EstimatorFixture.ocv
            for k in 1..<xs.count where xs[k - 1] < z {
                let b = min(xs[k], z)
                let vb = ys[k - 1] + (ys[k] - ys[k - 1]) * (b - xs[k - 1]) / (xs[k] - xs[k - 1])
                sum += (ys[k - 1] + vb) / 2 * (b - xs[k - 1])
            }
            return sum * EstimatorFixture.capacity_Ah
        }
        for z in stride(from: 0.0, through: 1.0, by: 0.1) {
            #expect(abs(table.energyRemaining_Wh(soc: z, temperature_K: 298.15) - exact(z)) < 2e-3 * exact(1))
        }
        #expect(table.energyRemaining_Wh(soc: 0, temperature_K: 298.15) == 0)
        #expect(table.emptySOC(temperature_K: 298.15) == 0)
        #expect(table.fullSOC(temperature_K: 298.15) == 1)
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(.coulombCounting, initialSOC: 0.6))
        var e = try estimator.update(current_A: 5, voltage_V: 3.7, temperature_K: 298.15, dt_s: 1)
        #expect(abs(e.timeToEmpty_s - e.soc * 3600 * 5 / 5) < 1e-6)
        #expect(e.timeToFull_s == .infinity)
        #expect(abs(e.energyRemaining_Wh - exact(e.soc)) < 0.05)
        e = try estimator.update(current_A: -2.5, voltage_V: 3.9, temperature_K: 298.15, dt_s: 1)
        #expect(abs(e.timeToFull_s - (1 - e.soc) * 3600 * 5 / (2.5 * 0.995)) < 1e-6)
        #expect(e.timeToEmpty_s == .infinity)
        e = try estimator.update(current_A: 0, voltage_V: 3.9, temperature_K: 298.15, dt_s: 1)
        #expect(e.timeToEmpty_s == .infinity && e.timeToFull_s == .infinity)
    }

    @Test func configurationFromJSON() throws {
        let ecm = try EstimatorFixture.estimatorModel().toJSON()
        let text = """
        {"ecm": \(JSONWriter.write(ecm)), "algorithm": "ukf", "initial_soc": 0.7, "initial_soc_std": 0.1,
         "tuning": {"process_noise_soc_per_s": 2e-8, "measurement_noise_V": 0.02, "innovation_gate_sigma": 5,
                    "iterations": 2, "soc_range": [0, 1], "ukf_alpha": 0.9},
         "sensor": {"current_noise_A": 0.02, "current_offset_A": 0.05, "voltage_resolution_V": 0.001},
         "rest": {"qualification_time_s": 900},
         "limits": {"minimum_voltage_V": 3.0, "maximum_voltage_V": 4.2, "maximum_discharge_current_A": 15, "maximum_charge_current_A": 5}}
        """
        let c = try EstimatorConfiguration<Double>.fromJSON(text)
        #expect(c.algorithm == .unscentedKalman)
        #expect(c.initialSOC == 0.7 && c.initialSOCStandardDeviation == 0.1)
        #expect(c.tuning.socProcessNoise_per_s == 2e-8 && c.tuning.measurementNoise_V == 0.02 && c.tuning.maximumIterations == 2)
        #expect(c.tuning.minimumSOC == 0 && c.tuning.maximumSOC == 1 && c.tuning.ukfAlpha == 0.9)
        #expect(c.sensor.currentNoise_A == 0.02 && c.sensor.voltageResolution_V == 0.001)
        #expect(c.rest.qualificationTime_s == 900 && c.rest.currentThreshold_A == 0.1)
        #expect(c.limits.dischargeCurrentLimit_A == 15)
        #expect(c.model == (try EstimatorFixture.estimatorModel()))
        // Round trip.
        #expect(try EstimatorConfiguration<Double>.from(json: c.toJSON()) == c)
        // Defaults: only the ECM.
        let minimal = try EstimatorConfiguration<Double>.fromJSON("{\"ecm\": \(JSONWriter.write(ecm))}")
        #expect(minimal.algorithm == .extendedKalman)
        #expect(minimal.tuning == EstimatorTuning())
        // Errors name the key.
        let bad = [
            ("{}", "ecm"),
            ("{\"ecm\": \(JSONWriter.write(ecm)), \"algorithm\": \"pf\"}", "algorithm"),
            ("{\"ecm\": \(JSONWriter.write(ecm)), \"tuning\": {\"measurment_noise_V\": 0.01}}", "measurment_noise_V"),
            ("{\"ecm\": \(JSONWriter.write(ecm)), \"initial_soc\": 3}", "initial_soc"),
            ("{\"ecm\": \(JSONWriter.write(ecm)), \"tuning\": {\"soc_range\": [1, 0]}}", "soc_range"),
            ("{\"ecm\": {\"capacity_Ah\": -1}}", "ecm"),
            ("{\"ecm\": \(JSONWriter.write(ecm)), \"limits\": {\"minimum_voltage_V\": 3}}", "limits"),
        ]
        for (json, key) in bad {
            do {
                _ = try EstimatorConfiguration<Double>.fromJSON(json)
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.message.contains(key), "\(error.message)")
            }
        }
        // The Float configuration runs.
        var f = try StateEstimator(configuration: c.converted(to: Float.self))
        let e = try f.update(current_A: 1, voltage_V: 3.9, temperature_K: 298, dt_s: 1)
        #expect(e.soc.isFinite)
    }
}

// MARK: - State of health, power limits, safety

@Suite struct EstimatorComponentTests {
    /// The estimate carries the SOH estimators' R₀ and capacity, the power limits and the
    /// safety monitor's faults.
    @Test(arguments: [EstimatorAlgorithm.coulombCounting, .extendedKalman, .unscentedKalman])
    func estimateCarriesHealthPowerAndFaults(algorithm: EstimatorAlgorithm) throws {
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(algorithm, initialSOC: 0.65))
        let s = try score(&estimator, Drives.us06)
        let e = estimator.estimate
        // The truth's R₀ table is the model's: resistance SOH ≈ 100 % (Coulomb counting keeps
        // its 25-point SOC error, which biases R₀(z) and empties the SOC window: skip those).
        #expect(estimator.resistance.acceptedSteps > 100)
        let filtered = algorithm != .coulombCounting
        if filtered { #expect(abs(e.resistanceSOH_percent - 100) < 10) }
        #expect(abs(e.seriesResistance_ohm - estimator.resistance.scale * estimator.configuration.model.seriesResistance.value(x: e.soc, y: estimator.lastTemperature_K)) < 1e-4)
        #expect(e.capacity_Ah > 4 && e.capacity_Ah < 6)
        #expect(e.capacityStandardDeviation_Ah > 0)
        // Power limits: positive, shrinking (or equal) with the horizon, within the current limits.
        let limits = estimator.configuration.limits
        if filtered {
            #expect(e.dischargeCurrentLimit_A.0 > 0 && e.dischargeCurrentLimit_A.0 >= e.dischargeCurrentLimit_A.2)
            #expect(e.dischargePowerLimit_W.1 > 0)
        }
        #expect(e.dischargeCurrentLimit_A.0 <= limits.dischargeCurrentLimit_A)
        #expect(e.chargeCurrentLimit_A.0 > 0 && e.chargeCurrentLimit_A.0 <= limits.chargeCurrentLimit_A)
        #expect(e.chargePowerLimit_W.1 > 0)
        // No faults in a clean run (the US06 peaks of 5C exceed the 3C default limit: over-current).
        #expect(s.estimates.allSatisfy { $0.activeFaults.subtracting(.overCurrent).isEmpty })
        #expect(e.latchedFaults == .overCurrent)
        estimator.clearLatchedFaults()
        #expect(estimator.estimate.latchedFaults == estimator.estimate.activeFaults)
    }

    /// The safety monitor's faults reach the estimate, latch, and clear on request; a stuck
    /// voltage sensor is reported by the monitor too.
    @Test func safetyFaultsAreReported() throws {
        var estimator = try StateEstimator(configuration: EstimatorFixture.configuration(.extendedKalman, initialSOC: 0.9))
        var e = StateEstimate<Double>()
        for _ in 0..<5 { e = try estimator.update(current_A: 1, voltage_V: 4.0, temperature_K: 340, dt_s: 1) }
        #expect(e.activeFaults.contains(.overTemperature))
        for _ in 0..<20 { e = try estimator.update(current_A: 2, voltage_V: 4.0, temperature_K: 298, dt_s: 1) }
        #expect(e.activeFaults.contains(.voltageSensorStuck))
        #expect(e.activeFaults.contains(.measurementRejected))
        #expect(!e.activeFaults.contains(.overTemperature))
        #expect(e.latchedFaults.contains(.overTemperature))
        estimator.clearLatchedFaults()
        #expect(!estimator.estimate.latchedFaults.contains(.overTemperature))
        e = try estimator.update(current_A: 2, voltage_V: 3.99, temperature_K: 298, dt_s: 1)
        #expect(!e.latchedFaults.contains(.overTemperature))
        #expect(!e.activeFaults.contains(.voltageSensorStuck))
    }

    /// The components' saved state has the sizes the layout declares.
    @Test func componentStateLayout() throws {
        let estimator = try StateEstimator(configuration: EstimatorFixture.configuration(.unscentedKalman, initialSOC: 0.5))
        #expect(estimator.stateCount == 48 + 15 + 28 + 42)
        let single = try StateEstimator(configuration: EstimatorFixture.configuration(.unscentedKalman, initialSOC: 0.5).converted(to: Float.self))
        #expect(single.stateCount == estimator.stateCount)
    }
}

// MARK: - Linear algebra

@Suite struct SmallMatrixTests {
    @Test func choleskyFactorsAndDetectsFailure() {
        // A = B·Bᵀ + I for a fixed B: symmetric positive definite.
        var b = SmallMatrix<Double>()
        var rng = SplitMix64(seed: 3)
        for i in 0..<5 { for j in 0..<5 { b[i, j] = rng.uniform() - 0.5 } }
        let a = b.multipliedByTranspose(of: b, 5).adding(.identity(5), 5)
        let l = try! #require(a.choleskyFactor(5))
        let back = l.multipliedByTranspose(of: l, 5)
        for i in 0..<5 { for j in 0..<5 { #expect(abs(back[i, j] - a[i, j]) < 1e-14) } }
        for i in 0..<5 { for j in (i + 1)..<5 { #expect(l[i, j] == 0) } }
        #expect(a.isSymmetricPositiveDefinite(5))
        // Solve.
        var rhs = SmallVector<Double>()
        for i in 0..<5 { rhs[i] = Double(i) - 1.5 }
        let x = SmallMatrix.choleskySolve(l, rhs, 5)
        let ax = a.multiplied(by: x, 5)
        for i in 0..<5 { #expect(abs(ax[i] - rhs[i]) < 1e-13) }
        // Indefinite, singular, NaN: refused.
        var indefinite = a
        indefinite[2, 2] = -1
        #expect(indefinite.choleskyFactor(5) == nil)
        var singular = SmallMatrix<Double>.identity(3)
        singular[1, 1] = 0
        #expect(singular.choleskyFactor(3) == nil)
        var nan = a
        nan[4, 4] = .nan
        #expect(nan.choleskyFactor(5) == nil)
        var asymmetric = a
        asymmetric[0, 1] += 1
        #expect(!asymmetric.isSymmetricPositiveDefinite(5))
        // The leading block only.
        #expect(indefinite.choleskyFactor(2) != nil)
    }

    @Test func productsAndUpdates() {
        var a = SmallMatrix<Float>(), b = SmallMatrix<Float>()
        for i in 0..<3 { for j in 0..<3 { a[i, j] = Float(i * 3 + j); b[i, j] = Float(i == j ? 2 : 0) } }
        let ab = a.multiplied(by: b, 3)
        for i in 0..<3 { for j in 0..<3 { #expect(ab[i, j] == 2 * a[i, j]) } }
        let t = a.transposed(3)
        for i in 0..<3 { for j in 0..<3 { #expect(t[i, j] == a[j, i]) } }
        var s = a
        s.symmetrize(3)
        #expect(s.asymmetry(3) == 0)
        #expect(s[0, 1] == (a[0, 1] + a[1, 0]) / 2)
        var u = SmallVector<Float>()
        u[0] = 1; u[1] = 2; u[2] = 3
        var r = SmallMatrix<Float>()
        r.addOuterProduct(u, u, scale: 2, 3)
        #expect(r[1, 2] == 12 && r[2, 1] == 12)
        #expect(r.quadraticForm(u, 3) == 2 * 14 * 14)
        #expect(a[3, 3] == 0 && ab[4, 4] == 0)          // outside the block: untouched
        #expect(MemoryLayout<SmallMatrix<Float>>.size == 100)
        #expect(MemoryLayout<SmallMatrix<Double>>.size == 200)
        #expect(MemoryLayout<SigmaPoints<Double>>.size == 11 * 40)
    }

    @Test func covarianceRepairRestoresPositiveDefiniteness() throws {
        let space = ECMStateSpace(parameters: try EstimatorFixture.estimatorModel())
        let n = space.dimension
        #expect(n == 4)          // SOC, 2 RC voltages, hysteresis
        let fallback = space.initialCovariance(socStandardDeviation: 0.1)
        var p = fallback
        p[0, 1] = 1; p[1, 0] = 1          // |correlation| > 1: indefinite
        #expect(space.repairCovariance(&p, fallback: fallback))
        #expect(p.choleskyFactor(n) != nil)
        var q = fallback
        q[2, 2] = .nan
        #expect(space.repairCovariance(&q, fallback: fallback))
        #expect(q == fallback)
        var fine = fallback
        #expect(!space.repairCovariance(&fine, fallback: fallback))
        #expect(fine == fallback)
    }
}
