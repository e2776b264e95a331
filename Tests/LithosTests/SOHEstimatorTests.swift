import Testing
@testable import Lithos

/// An aged copy of an ECM: series resistance × `r0Scale`, capacity × `capacityScale`.
func agedECM(_ p: ECMParameters<Double>, r0Scale: Double = 1, capacityScale: Double = 1) throws -> ECMParameters<Double> {
    let r0 = p.seriesResistance
    return try ECMParameters(
        capacity_Ah: p.capacity_Ah * capacityScale, chargeEfficiency: p.chargeEfficiency,
        openCircuitVoltage: p.openCircuitVoltage, entropicCoefficient: p.entropicCoefficient,
        seriesResistance: BilinearTable(xs: r0.xs, ys: r0.ys, values: r0.values.map { $0 * r0Scale }, name: "aged R0"),
        rcResistances: p.rcResistances, rcTimeConstants: p.rcTimeConstants, hysteresisMagnitude: p.hysteresisMagnitude,
        instantaneousHysteresis_V: p.instantaneousHysteresis_V, hysteresisRate: p.hysteresisRate,
        thermal: p.thermal, limits: p.limits)
}

/// A 2 A·h cell with a curved OCV, 10 mΩ R₀, two RC pairs and hysteresis: low resistance makes
/// the R₀ signal small against 2 mV voltage noise (40 mV for a 4 A step).
func lowResistanceECM() throws -> ECMParameters<Double> {
    let socs: [Double] = [-0.05, 0, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.05]
    let ocv: [Double] = [2.9, 3.2, 3.45, 3.55, 3.65, 3.8, 3.98, 4.07, 4.18, 4.22]
    return try ECMParameters(
        capacity_Ah: 2.0,
        openCircuitVoltage: BilinearTable(xs: socs, ys: [298.15], values: ocv, name: "ocv"),
        seriesResistance: BilinearTable(xs: [0, 0.5, 1], ys: [298.15], values: [0.012, 0.010, 0.011], name: "r0"),
        rcResistances: [BilinearTable(constant: 0.008), BilinearTable(constant: 0.012)],
        rcTimeConstants: [BilinearTable(constant: 20), BilinearTable(constant: 300)],
        hysteresisMagnitude: BilinearTable(constant: 0.01), instantaneousHysteresis_V: 0.003, hysteresisRate: 50,
        thermal: LumpedThermalModel(enabled: false, heatCapacity_J_per_K: 40, heatTransfer_W_per_K: 0.5),
        limits: ModelLimits(minimumVoltage_V: 2.8, maximumVoltage_V: 4.25))
}

/// A pulse profile [A] at 1 s: discharge and charge pulses of several sizes with rests.
func resistancePulseProfile(capacity: Double, seconds: Int) -> [Double] {
    let pattern: [(Double, Int)] = [(2, 10), (0, 20), (-1, 10), (0, 20), (1, 5), (3, 5), (0, 30), (-0.5, 20), (0, 15), (1.5, 15), (0, 20)]
    var out: [Double] = []
    while out.count < seconds {
        for (c, n) in pattern { out += Array(repeating: c * capacity, count: n) }
    }
    return Array(out.prefix(seconds))
}

/// A slowly varying SOC-estimate error (first-order Gauss–Markov process) with standard
/// deviation σ and correlation time τ: what a SOC filter's error looks like.
struct SOCErrorProcess {
    var noise: NormalDeviates
    var value = 0.0
    let sigma: Double, tau: Double
    init(sigma: Double, tau: Double, seed: UInt64) {
        self.sigma = sigma; self.tau = tau
        noise = NormalDeviates(seed: seed)
        value = sigma * noise.next()
    }
    mutating func next(dt: Double) -> Double {
        let a = Physics.exp(-dt / tau)
        value = a * value + sigma * Physics.sqrt(1 - a * a) * noise.next()
        return value
    }
}

@Suite struct ResistanceEstimatorTests {
    /// R₀ of a cell aged to 1.3× its model value, from a pulse profile with σ_V = 2 mV and
    /// σ_I = 10 mA noise and a SOC estimate 3 % off: within 5 %.
    @Test(arguments: [false, true])
    func recoversAgedSeriesResistance(lowResistance: Bool) throws {
        let model = lowResistance ? try lowResistanceECM() : try defaultCellECM(thermal: false)
        let truthParameters = try agedECM(model, r0Scale: 1.3)
        var cell = try SensedTestCell(parameters: truthParameters, soc: 0.8, seed: 99)
        var estimator = ResistanceEstimator<Double>(settings: ResistanceEstimatorSettings(capacity_Ah: model.capacity_Ah))
        for i in resistancePulseProfile(capacity: model.capacity_Ah, seconds: 1800) {
            let m = try cell.step(i)
            estimator.update(m, soc: cell.truth.output.soc + 0.03, parameters: model)
        }
        let z = cell.truth.output.soc
        let truth = truthParameters.seriesResistance.value(x: z, y: 298.15)
        let error = (estimator.seriesResistance_ohm - truth) / truth
        #expect(abs(error) < 0.05, "R0 \(estimator.seriesResistance_ohm) Ω vs true \(truth) Ω (\(100 * error) %)")
        #expect(abs(estimator.resistanceSOH_percent - 100 / 1.3) < 5)
        #expect(estimator.seriesResistanceStandardDeviation_ohm < 0.03 * truth)
        #expect(estimator.acceptedSteps > 50)
        var e = StateEstimate<Double>()
        estimator.write(into: &e)
        #expect(e.seriesResistance_ohm == estimator.seriesResistance_ohm)
    }

    /// Voltage spikes (1 % of samples, +150 mV) are rejected; the estimate stays within 5 %.
    @Test func rejectsOutliers() throws {
        let model = try lowResistanceECM()
        let truthParameters = try agedECM(model, r0Scale: 1.3)
        var cell = try SensedTestCell(parameters: truthParameters, soc: 0.8, seed: 5)
        var estimator = ResistanceEstimator<Double>(settings: ResistanceEstimatorSettings(capacity_Ah: model.capacity_Ah))
        var rng = SplitMix64(seed: 17)
        var largest = 0.0, smallest = 10.0
        for i in resistancePulseProfile(capacity: model.capacity_Ah, seconds: 2400) {
            var m = try cell.step(i)
            if rng.uniform() < 0.01 { m.voltage_V += 0.15 }
            estimator.update(m, soc: cell.truth.output.soc, parameters: model)
            largest = max(largest, estimator.scale); smallest = min(smallest, estimator.scale)
        }
        #expect(abs(estimator.scale - 1.3) < 0.05 * 1.3, "θ = \(estimator.scale)")
        #expect(estimator.rejectedSteps > 0)
        #expect(smallest >= 0.5 && largest <= 5)
    }

    /// A resistance far beyond the plausible range drives the estimate to its bound, not past
    /// it; NaN readings do not poison it.
    @Test func staysBounded() throws {
        let model = try lowResistanceECM()
        var cell = try SensedTestCell(parameters: try agedECM(model, r0Scale: 12), soc: 0.7, seed: 8)
        var estimator = ResistanceEstimator<Double>(settings: ResistanceEstimatorSettings(capacity_Ah: model.capacity_Ah))
        for (k, i) in resistancePulseProfile(capacity: model.capacity_Ah, seconds: 1200).enumerated() {
            var m = try cell.step(i)
            if k % 50 == 7 { m.voltage_V = .nan }
            if k % 70 == 9 { m.current_A = .nan }
            estimator.update(m, soc: cell.truth.output.soc, parameters: model)
            #expect(estimator.scale.isFinite && estimator.scale >= 0.5 && estimator.scale <= 5)
        }
        #expect(estimator.scale == 5)
        #expect(estimator.resistanceSOH_percent == 20)
    }

    /// Single precision (firmware) recovers the same resistance.
    @Test func runsInSinglePrecision() throws {
        let model = try lowResistanceECM()
        let modelF = try singlePrecisionECM(model)
        var cell = try SensedTestCell(parameters: try agedECM(model, r0Scale: 1.3), soc: 0.8, seed: 99)
        var estimator = ResistanceEstimator<Float>(settings: ResistanceEstimatorSettings(capacity_Ah: 2))
        for i in resistancePulseProfile(capacity: 2, seconds: 1800) {
            let m = try cell.step(i)
            estimator.update(Measurement<Float>(current_A: Float(m.current_A), voltage_V: Float(m.voltage_V),
                                                temperature_K: Float(m.temperature_K), dt_s: Float(m.dt_s)),
                             soc: Float(cell.truth.output.soc), parameters: modelF)
        }
        #expect(abs(estimator.scale - 1.3) < 0.05 * 1.3, "θ = \(estimator.scale)")
    }
}

@Suite struct CapacityEstimatorTests {
    /// Runs one full discharge of a cell whose true capacity is 90 % of nominal: rest at full
    /// charge, US06 cycles down to ≈ 5 % SOC, rest. The SOC estimate handed to the estimator is
    /// the truth plus a filter-like error (σ = `socError`, correlation 5 min), reported with that
    /// σ; the current has σ_I = 10 mA noise and a 5 mA offset. Returns the estimator.
    func fullDischarge(model: ECMParameters<Double>, glitches: Bool = false, seed: UInt64 = 1, socError: Double = 0.005,
                       settings: CapacityEstimatorSettings<Double>? = nil) throws -> (CapacityEstimator<Double>, Double) {
        let truthParameters = try agedECM(model, capacityScale: 0.9)
        var cell = try SensedTestCell(parameters: truthParameters, soc: 1.0, seed: seed)
        cell.currentOffset_A = 0.005
        var error = SOCErrorProcess(sigma: socError, tau: 300, seed: seed + 100)
        var rng = SplitMix64(seed: seed + 200)
        var estimator = CapacityEstimator<Double>(settings: settings ?? CapacityEstimatorSettings(nominalCapacity_Ah: model.capacity_Ah))
        func feed(_ i: Double) throws {
            let m = try cell.step(i)
            var z = cell.truth.output.soc + error.next(dt: 1)
            if glitches && rng.uniform() < 0.002 { z += (rng.uniform() < 0.5 ? -0.3 : 0.3) }
            estimator.update(soc: z, socStandardDeviation: socError, current_A: m.current_A, dt_s: m.dt_s)
        }
        for _ in 0..<600 { try feed(0) }
        let us06 = BuiltInDriveCycles.us06.values
        var k = 0
        while cell.truth.output.soc > 0.05 {
            try feed(min(us06[k % us06.count], 3) * model.capacity_Ah)
            k += 1
        }
        for _ in 0..<600 { try feed(0) }
        return (estimator, truthParameters.capacity_Ah)
    }

    /// Capacity within 3 % after one full discharge, with a standard deviation that covers
    /// the error. The SOC estimate is good to σ = 0.5 % at both ends (each end follows a rest,
    /// where a filter has the OCV): one pair of x ≈ 0.95 then gives σ_Q ≈ 0.75 %.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func capacityAfterOneFullDischarge(seed: UInt64) throws {
        let model = try lowResistanceECM()
        let (estimator, truth) = try fullDischarge(model: model, seed: seed)
        let error = (estimator.capacity_Ah - truth) / truth
        #expect(abs(error) < 0.03, "Q = \(estimator.capacity_Ah) A·h vs \(truth) A·h (\(100 * error) %), σ = \(estimator.capacityStandardDeviation_Ah)")
        #expect(estimator.capacityStandardDeviation_Ah < 0.03 * truth)
        #expect(abs(estimator.capacity_Ah - truth) < 3 * estimator.capacityStandardDeviation_Ah)
        #expect(abs(estimator.capacitySOH_percent - 90) < 3)
        var e = StateEstimate<Double>()
        estimator.write(into: &e)
        #expect(e.capacity_Ah == estimator.capacity_Ah && e.capacitySOH_percent == estimator.capacitySOH_percent)
    }

    /// With a worse SOC estimate (σ = 1 % at each end) one discharge gives σ_Q ≈ 1.5 %: over
    /// 24 independent runs the error is unbiased, its spread matches the reported σ, and nearly
    /// all runs land within 3 %.
    @Test func statisticsWithANoisierSOCEstimate() throws {
        let model = try lowResistanceECM()
        var errors: [Double] = [], normalised: [Double] = []
        for seed in 1...24 as ClosedRange<UInt64> {
            let (estimator, truth) = try fullDischarge(model: model, seed: seed * 7919, socError: 0.01)
            errors.append((estimator.capacity_Ah - truth) / truth)
            normalised.append((estimator.capacity_Ah - truth) / estimator.capacityStandardDeviation_Ah)
        }
        let n = Double(errors.count)
        let mean = errors.reduce(0, +) / n
        let rms = Physics.sqrt(errors.map { $0 * $0 }.reduce(0, +) / n)
        let zRMS = Physics.sqrt(normalised.map { $0 * $0 }.reduce(0, +) / n)
        let within = errors.filter { abs($0) < 0.03 }.count
        #expect(abs(mean) < 0.008, "mean error \(100 * mean) %")
        #expect(rms < 0.02, "RMS error \(100 * rms) %")
        #expect(zRMS > 0.6 && zRMS < 1.4, "normalised RMS \(zRMS)")
        #expect(within >= 21, "\(within)/24 within 3 %")
    }

    /// AWTLS against plain least squares on the same noisy pairs: with noise on the SOC changes,
    /// WLS (all error on y) is biased low; AWTLS is not.
    @Test func awtlsRemovesTheErrorsInVariablesBias() {
        var rng = NormalDeviates(seed: 42)
        var sums = AWTLSSums<Double>()
        let q = 1.8
        var sxx = 0.0, sxy = 0.0
        for j in 0..<400 {
            let xTrue = 0.2 + 0.3 * Double(j % 4) / 3
            let x = xTrue + 0.1 * rng.next()         // σₓ = 10 %: far noisier than y
            let y = q * xTrue + 0.005 * rng.next()
            sums.add(x: x, y: y, varX: 0.01, varY: 0.000025, k: 20)
            sxx += x * x; sxy += x * y
        }
        var estimator = CapacityEstimator<Double>(settings: CapacityEstimatorSettings(nominalCapacity_Ah: 2))
        estimator.scaleK = 20
        let (awtls, sd) = estimator.solve(sums)
        let wls = sxy / sxx
        #expect(abs(awtls - q) < 0.03 && abs(awtls - q) < 3 * sd, "AWTLS \(awtls) ± \(sd)")
        #expect(wls < q - 0.08, "WLS \(wls) should be biased low")
    }

    /// Outliers: SOC glitches of ±30 % in 0.2 % of samples (reported as confident) leave the
    /// estimate within 3 %; an estimate driven by absurd data stays within its bounds.
    @Test func staysBoundedWithOutliers() throws {
        let model = try lowResistanceECM()
        let (estimator, truth) = try fullDischarge(model: model, glitches: true, seed: 9)
        #expect(abs(estimator.capacity_Ah - truth) < 0.03 * truth, "Q = \(estimator.capacity_Ah) A·h vs \(truth) A·h")

        // A SOC estimate falling twice as fast as the charge says (capacity 0.45·nominal):
        // the estimate ends at the lower bound, never below.
        var low = CapacityEstimator<Double>(settings: CapacityEstimatorSettings(nominalCapacity_Ah: 2))
        var z = 1.0
        for _ in 0..<10 {
            for _ in 0..<3000 {
                z -= 2 * 1.0 / 3600 / 2 * 1.1
                low.update(soc: z, socStandardDeviation: 0.01, current_A: 1.0, dt_s: 1)
                #expect(low.capacity_Ah >= 1.0 - 1e-12 && low.capacity_Ah <= 2.4 + 1e-12)
            }
            for _ in 0..<3000 {
                z += 2 * 1.0 / 3600 / 2 * 1.1
                low.update(soc: z, socStandardDeviation: 0.01, current_A: -1.0, dt_s: 1)
            }
        }
        #expect(low.capacity_Ah >= 1.0 - 1e-12 && low.capacity_Ah < 1.1)
        #expect(low.committedPairs + low.rejectedPairs > 0)

        // A frozen SOC estimate (x = 0) never forms a pair: the prior stands.
        var frozen = CapacityEstimator<Double>(settings: CapacityEstimatorSettings(nominalCapacity_Ah: 2))
        for k in 0..<20_000 {
            frozen.update(soc: 0.5, socStandardDeviation: 0.01, current_A: k % 2 == 0 ? 2 : .nan, dt_s: 1)
        }
        #expect(frozen.capacity_Ah == 2 && frozen.committedPairs == 0)
        // Unconfident SOC estimates are never pair ends.
        var unsure = CapacityEstimator<Double>(settings: CapacityEstimatorSettings(nominalCapacity_Ah: 2))
        var zu = 1.0
        for _ in 0..<6000 {
            zu -= 1.0 / 3600 / 1.8
            unsure.update(soc: zu, socStandardDeviation: 0.2, current_A: 1, dt_s: 1)
        }
        #expect(unsure.capacity_Ah == 2)
    }

    /// A second, partial cycle (charge back to 80 %, discharge to 30 %) commits pairs and keeps
    /// the estimate within 3 %; the committed pair count grows.
    @Test func partialCyclesCommitPairs() throws {
        let model = try lowResistanceECM()
        let truthParameters = try agedECM(model, capacityScale: 0.9)
        var cell = try SensedTestCell(parameters: truthParameters, soc: 0.9, seed: 4)
        var error = SOCErrorProcess(sigma: 0.01, tau: 300, seed: 44)
        var estimator = CapacityEstimator<Double>(settings: CapacityEstimatorSettings(nominalCapacity_Ah: 2))
        func run(_ i: Double, _ n: Int) throws {
            for _ in 0..<n {
                let m = try cell.step(i)
                estimator.update(soc: cell.truth.output.soc + error.next(dt: 1), socStandardDeviation: 0.01, current_A: m.current_A, dt_s: 1)
            }
        }
        for _ in 0..<3 {
            try run(0, 300)
            try run(1.8, 1800)      // −0.5 in SOC of the aged cell
            try run(0, 300)
            try run(-0.9, 3600)     // +0.5
        }
        try run(0, 300)
        #expect(estimator.committedPairs >= 5)
        #expect(abs(estimator.capacity_Ah - 1.8) < 0.03 * 1.8, "Q = \(estimator.capacity_Ah)")
    }

    /// Single precision runs the same estimator.
    @Test func runsInSinglePrecision() {
        var estimator = CapacityEstimator<Float>(settings: CapacityEstimatorSettings(nominalCapacity_Ah: 2))
        var z: Float = 1
        for _ in 0..<6000 {
            z -= 1 / 3600 / 1.8
            estimator.update(soc: z, socStandardDeviation: 0.01, current_A: 1, dt_s: 1)
        }
        #expect(abs(estimator.capacity_Ah - 1.8) < 0.03 * 1.8, "Q = \(estimator.capacity_Ah)")
    }
}
