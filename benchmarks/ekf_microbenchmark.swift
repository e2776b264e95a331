// Release micro-benchmark of the SOC filter alone: ExtendedKalmanFilter.predict + correct (and
// SigmaPointKalmanFilter's) per update, next to the whole StateEstimator.update, in one process
// (no C or ctypes layer). Built by benchmarks/estimator_benchmark.py with
//   swiftc -O -wmo -parse-as-library <the firmware core's sources (scripts/firmware)> \
//          Sources/Lithos/Config/*.swift Sources/Lithos/Models/ECM/ECMParametersJSON.swift \
//          benchmarks/ekf_microbenchmark.swift
// (the library's own sources compiled into one module with this file: the same code as
// liblithos, specialised for Double, without the C layer). Default tuning and sensor, as
// `lithos.Estimator.from_model` creates them, so the whole-estimator SOC matches the C run's.
// Usage: ekf_microbenchmark ECM.json MEASUREMENTS.bin N DT INITIAL_SOC INITIAL_SOC_STD REPEATS
//   MEASUREMENTS.bin: N currents then N voltages (float64, native order); temperature 298.15 K.
// Prints one line per figure: "<name> <ns per update> <final SOC>".
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct EKFMicrobenchmark {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) * 1e9 + Double(t.tv_nsec)
    }

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    static func main() throws {
        let args = CommandLine.arguments
        let n = Int(args[3])!, dt = Double(args[4])!, soc0 = Double(args[5])!, sigma0 = Double(args[6])!
        let repeats = Int(args[7])!
        guard let jf = fopen(args[1], "rb") else { fatalError("cannot open \(args[1])") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, jf) }
            if got == 0 { break }
            bytes += chunk[0..<got]
        }
        fclose(jf)
        let p = try ECMParameters.fromJSON(String(decoding: bytes, as: UTF8.self))
        let tuning = EstimatorTuning<Double>(), sensor = SensorModel<Double>()
        var data = [Double](repeating: 0, count: 2 * n)
        guard let f = fopen(args[2], "rb") else { fatalError("cannot open \(args[2])") }
        _ = data.withUnsafeMutableBytes { fread($0.baseAddress, 8, 2 * n, f) }
        fclose(f)
        let currents = Array(data[0..<n]), voltages = Array(data[n...])
        let t: Double = 298.15

        // The EKF alone: predict + correct, as StateEstimator.update calls them.
        var times: [Double] = []
        var soc = 0.0
        for _ in 0..<repeats {
            var ekf = ExtendedKalmanFilter(parameters: p, soc: soc0, socStandardDeviation: sigma0)
            let t0 = now()
            for k in 0..<n {
                ekf.predict(current: currents[k], dt: dt, temperature: t, parameters: p, tuning: tuning, sensor: sensor)
                _ = ekf.correct(voltage: voltages[k], current: currents[k], temperature: t, parameters: p, tuning: tuning,
                                sensor: sensor, mayRecover: true)
            }
            times.append((now() - t0) / Double(n))
            soc = ekf.soc
        }
        print("ekf_filter \(median(times)) \(soc)")

        times = []
        for _ in 0..<repeats {
            var ukf = SigmaPointKalmanFilter(parameters: p, soc: soc0, socStandardDeviation: sigma0, tuning: tuning)
            let t0 = now()
            for k in 0..<n {
                ukf.predict(current: currents[k], dt: dt, temperature: t, parameters: p, tuning: tuning, sensor: sensor)
                _ = ukf.correct(voltage: voltages[k], current: currents[k], temperature: t, parameters: p, tuning: tuning,
                                sensor: sensor, mayRecover: true)
            }
            times.append((now() - t0) / Double(n))
            soc = ukf.soc
        }
        print("ukf_filter \(median(times)) \(soc)")

        // The whole estimator update (SOH, SOP at every update, SOE, safety monitor).
        for (name, algorithm) in [("ekf_estimator", EstimatorAlgorithm.extendedKalman), ("ukf_estimator", .unscentedKalman)] {
            let c = EstimatorConfiguration(model: p, algorithm: algorithm, initialSOC: soc0, initialSOCStandardDeviation: sigma0,
                                           tuning: tuning, sensor: sensor)
            times = []
            for _ in 0..<repeats {
                var e = try StateEstimator(configuration: c)
                let t0 = now()
                for k in 0..<n {
                    _ = try e.update(Measurement(current_A: currents[k], voltage_V: voltages[k], temperature_K: t, dt_s: dt))
                }
                times.append((now() - t0) / Double(n))
                soc = e.soc
            }
            print("\(name) \(median(times)) \(soc)")
        }
    }
}
