#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lithos

/// The BMS of the demo: an EKF state estimator that follows the simulated cell from what
/// firmware would measure — current and voltage with sensor noise (σ_I = 10 mA, σ_V = 2 mV,
/// deterministic pseudo-random), temperature and dt — starting from a wrong SOC guess.
struct DemoEstimatorObserver: ExperimentObserver {
    var estimator: StateEstimator<Double>
    var random = DemoRandom(seed: 0x11_7405)
    let currentNoise_A = 0.010
    let voltageNoise_V = 0.002
    /// Estimated SOC and its standard deviation per recorded sample (same rows as the trace).
    private(set) var estimatedSOC: [Double] = []
    private(set) var estimatedSOCStandardDeviation: [Double] = []

    /// An EKF on the given ECM (the truth adds sensor noise); `resistanceFeedback`: dual
    /// estimation of R₀ (the ECM derived from a design lumps the composite's ohmic loss in the
    /// uniform-reaction limit, which the P2D truth does not follow).
    init(modelParameters: JSONValue, initialSOC: Double, initialSOCStandardDeviation: Double,
         resistanceFeedback: Bool = false) throws {
        let configuration = try EstimatorConfiguration.from(json: .object([
            ("ecm", modelParameters),
            ("algorithm", .string("ekf")),
            ("tuning", .object([("resistance_feedback", .bool(resistanceFeedback))])),
            ("initial_soc", .number(initialSOC)),
            ("initial_soc_std", .number(initialSOCStandardDeviation)),
        ]))
        estimator = try StateEstimator(configuration: configuration)
    }

    mutating func observe(_ sample: TraceSample, dt_s: Double) throws(LithosError) {
        if dt_s > 0 {
            let measuredCurrent = sample.current_A + currentNoise_A * random.gaussian()
            let measuredVoltage = sample.voltage_V + voltageNoise_V * random.gaussian()
            _ = try estimator.update(current_A: measuredCurrent, voltage_V: measuredVoltage,
                                     temperature_K: sample.temperature_K, dt_s: dt_s)
        }
        estimatedSOC.append(estimator.estimate.soc)
        estimatedSOCStandardDeviation.append(estimator.estimate.socStandardDeviation)
    }
}

/// SplitMix64 (Steele et al. 2014) with Box–Muller normals: deterministic sensor noise.
struct DemoRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    mutating func gaussian() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

