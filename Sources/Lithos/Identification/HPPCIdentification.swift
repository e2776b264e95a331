/// One identified HPPC pulse: R₀ from the current steps, RC pairs from a least-squares fit of
/// the pulse and its relaxation.
public struct HPPCPulseFit: Sendable {
    /// Index range of the samples under load in the log ([first loaded, first unloaded)).
    public var pulseRange: Range<Int>
    /// Index range of the samples the RC fit used.
    public var fitRange: Range<Int>
    /// Pulse set (SOC level) the pulse belongs to, counted from 0 in the log.
    public var setIndex: Int
    /// Mean current under load [A], positive = discharge.
    public var current_A: Double
    /// Pulse duration [s].
    public var duration_s: Double
    /// SOC at the start of the pulse [1] (from the log's A·h counter and the capacity).
    public var soc: Double
    /// Mean cell temperature over the pulse [K].
    public var temperature_K: Double
    /// R₀ [Ω]: mean of ΔV/ΔI at the switch-on and switch-off steps (one native sample apart),
    /// less the RC pairs' rise over that sample interval; the raw step values are kept as well.
    public var seriesResistance_ohm: Double
    public var seriesResistanceOn_ohm: Double
    public var seriesResistanceOff_ohm: Double
    /// RC pairs, fastest first: resistance [Ω] and time constant [s] with 95 % intervals.
    public var rcResistance_ohm: [Double]
    public var rcTimeConstant_s: [Double]
    public var rcResistanceInterval95: [(lower: Double, upper: Double)]
    public var rcTimeConstantInterval95: [(lower: Double, upper: Double)]
    /// Fitted rest-voltage level before the pulse [V].
    public var baseline_V: Double
    /// RMS of the fit residual over `fitRange` [V].
    public var fitRMS_V: Double
    public var converged: Bool
}

/// Settings of the HPPC segmentation and fit.
public struct HPPCOptions: Sendable {
    /// Number of RC pairs to fit (1…3).
    public var rcPairs = 2
    /// |I| above this counts as load [A].
    public var currentThreshold_A = 0.05
    /// Loaded segments shorter or longer than these are not pulses [s].
    public var minimumPulseDuration_s = 1.0
    public var maximumPulseDuration_s = 120.0
    /// Rest before a pulse included in the fit [s].
    public var preWindow_s = 10.0
    /// Longest relaxation included in the fit [s] (it also stops at the next load and at gaps).
    public var relaxationWindow_s = 1200.0
    /// A time step longer than this ends the fit window and starts a new pulse set [s].
    public var gap_s = 60.0
    /// Ranges of the time constants [s] (by a logistic transform): pair j in
    /// `timeConstantRanges[j]`. Disjoint ranges keep the pairs ordered fast to slow.
    public var timeConstantRanges: [(lower: Double, upper: Double)] = [(0.05, 20), (20, 2000), (200, 20000)]
    /// Initial time constants [s].
    public var initialTimeConstants: [Double] = [2, 100, 1000]
    /// Weight each residual by the time its sample stands for (half the interval to each
    /// neighbour, at most `maximumWeight_s`), so the dense logging right after a step does not
    /// drown the slow relaxation; false: every sample counts the same.
    public var timeWeighted = false
    public var maximumWeight_s = 5.0
    /// How the per-level element values are formed (`ECMIdentification.identify`).
    public var levelValues: HPPCLevelValues = .jointFit
    /// Further starting time constants [s] for the joint level fit, tried after the per-pulse
    /// medians (the first `rcPairs` entries of each, clamped into the ranges); the start with
    /// the lowest residual wins.
    public var jointStartTimeConstants: [[Double]] = [[0.5, 30, 1000], [2, 100, 1000], [0.3, 300, 3000]]

    public init() {}
}

/// The element values of an HPPC SOC level.
public enum HPPCLevelValues: Sendable, Equatable {
    /// The median over the level's pulses of the per-pulse fits, placed at the level's mean SOC.
    case pulseMedian
    /// One fit of R₀ and the RC pairs over the whole pulse set (`HPPCIdentification.
    /// jointLevels`), held over the SOC span of the set's pulses.
    case jointFit
}

/// Identification of R₀ and RC pairs from an HPPC log (Plett, Vol. I §2.10–2.11; USABC/INL
/// "Battery Test Manual for Electric Vehicles" (2015), HPPC test):
///
/// 1. Segmentation: runs of samples with |I| > threshold lasting 1–120 s are pulses; a new
///    pulse set (SOC level) starts after a time gap (the omitted inter-set discharge) or when
///    the A·h counter moved between pulses by more than the pulses themselves removed.
/// 2. R₀ = −ΔV/ΔI across the switch-on step and across the switch-off step (one native
///    sample, ≈ 0.1 s), averaged, less Σⱼ Rⱼ·(1 − e^(−Δt/τⱼ)) (what the RC pairs rise in that
///    sample interval, from a first fit of step 3; step 3 is then repeated with this R₀).
/// 3. RC pairs: with R₀ fixed, the voltage over the pulse and its relaxation
///      V_k = V_b − [OCV(z₀) − OCV(z_k)] − R₀·I_k − Σⱼ vⱼ,k,
///      vⱼ,k = e^(−Δt/τⱼ)·vⱼ,k−1 + Rⱼ·(1 − e^(−Δt/τⱼ))·I_k   (ZOH, vⱼ = 0 at the window start)
///    is fitted by Levenberg–Marquardt in (R₁, τ₁, …, V_b): Rⱼ by a log transform, τⱼ within
///    disjoint ranges (logistic transform), V_b (the rested level) free. z_k integrates the
///    measured current from the pulse's SOC (A·h counter) with the capacity Q.
public enum HPPCIdentification {
    /// Finds the pulses: index ranges of loaded samples and their set index.
    public static func segment(_ d: CyclerData, options: HPPCOptions = HPPCOptions()) -> [(range: Range<Int>, set: Int)] {
        var out: [(Range<Int>, Int)] = []
        var k = 0
        var set = -1
        var lastEnd = -1
        let q = OCVIdentification.dischargedCharge(d)
        while k < d.count {
            guard abs(d.current_A[k]) > options.currentThreshold_A else { k += 1; continue }
            let s = k
            while k < d.count && abs(d.current_A[k]) > options.currentThreshold_A { k += 1 }
            let e = k
            guard s > 0, e < d.count else { continue }
            let duration = d.time_s[e] - d.time_s[s - 1]
            guard duration >= options.minimumPulseDuration_s, duration <= options.maximumPulseDuration_s else { continue }
            var newSet = lastEnd < 0
            if lastEnd >= 0 {
                for i in (lastEnd + 1)...s where d.time_s[i] - d.time_s[i - 1] > options.gap_s { newSet = true; break }
                // Charge removed between the pulses (not in the log) means a new SOC level.
                if abs(q[s - 1] - q[lastEnd]) > 0.005 { newSet = true }
            }
            if newSet { set += 1 }
            out.append((s..<e, set))
            lastEnd = e
        }
        return out
    }

    /// Identifies every pulse of an HPPC log that starts fully charged (SOC = 1 − A·h/Q).
    /// - Parameter ocv: OCV [V] as a function of SOC (for the OCV change during the pulse).
    public static func identify(_ d: CyclerData, capacity_Ah q: Double, ocv: (Double) -> Double,
                                options: HPPCOptions = HPPCOptions()) throws(LithosError) -> [HPPCPulseFit] {
        guard (1...3).contains(options.rcPairs) else { throw LithosError(.invalidArgument, "HPPC: 1…3 RC pairs") }
        guard q > 0 else { throw LithosError(.invalidArgument, "HPPC: capacity must be > 0") }
        let charge = OCVIdentification.dischargedCharge(d)
        let pulses = segment(d, options: options)
        guard !pulses.isEmpty else { throw LithosError(.invalidArgument, "HPPC: no current pulses found") }
        var fits: [HPPCPulseFit] = []
        for (n, pulse) in pulses.enumerated() {
            let s = pulse.range.lowerBound, e = pulse.range.upperBound
            // Window: rest before (after the previous pulse), the pulse, relaxation.
            var a = s - 1
            let previousEnd = n > 0 ? pulses[n - 1].range.upperBound : 0
            while a > previousEnd && d.time_s[s] - d.time_s[a - 1] <= options.preWindow_s
                    && d.time_s[a] - d.time_s[a - 1] <= options.gap_s { a -= 1 }
            var b = e
            let nextStart = n + 1 < pulses.count ? pulses[n + 1].range.lowerBound - 1 : d.count
            while b + 1 < nextStart && d.time_s[b + 1] - d.time_s[e] <= options.relaxationWindow_s
                    && d.time_s[b + 1] - d.time_s[b] <= options.gap_s && abs(d.current_A[b + 1]) <= options.currentThreshold_A { b += 1 }
            let window = a..<(b + 1)
            let current = d.current_A[s..<e].reduce(0, +) / Double(e - s)
            let duration = d.time_s[e] - d.time_s[s - 1]
            let rOn = (d.voltage_V[s - 1] - d.voltage_V[s]) / (d.current_A[s] - d.current_A[s - 1])
            let rOff = (d.voltage_V[e] - d.voltage_V[e - 1]) / (d.current_A[e - 1] - d.current_A[e])
            let r0 = max(0, 0.5 * (rOn + rOff))
            let z0 = 1 - charge[s - 1] / q
            let temperature = d.temperature_K[s..<e].reduce(0, +) / Double(e - s)
            let np = options.rcPairs
            let endDrop = max(1e-5, (d.voltage_V[s - 1] - d.voltage_V[e - 1]) / max(abs(current), 1e-3) - r0)
            var w = try fitWindow(d, window: window, capacity_Ah: q, ocv: ocv, seriesResistance: r0, initialRC: endDrop, options: options)
            // The sample after a step already holds the RC pairs' rise over that interval
            // (Rⱼ·(1 − e^(−Δt/τⱼ))·ΔI in the zero-order-hold model): remove it from R₀ and refit.
            var rise = 0.0
            let dtOn = d.time_s[s] - d.time_s[s - 1], dtOff = d.time_s[e] - d.time_s[e - 1]
            for j in 0..<np {
                let rj = w.fit.parameters[2 * j], tj = w.fit.parameters[2 * j + 1]
                rise += rj * 0.5 * (-Double.expm1(-dtOn / tj) - Double.expm1(-dtOff / tj))
            }
            let r0Corrected = max(0, r0 - rise)
            w = try fitWindow(d, window: window, capacity_Ah: q, ocv: ocv, seriesResistance: r0Corrected,
                              initialRC: w.fit.parameters[0..<(2 * np)].enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reduce(0, +),
                              options: options)
            let fit = w.fit, p = fit.parameters
            fits.append(HPPCPulseFit(
                pulseRange: pulse.range, fitRange: window, setIndex: pulse.set, current_A: current, duration_s: duration,
                soc: z0, temperature_K: temperature, seriesResistance_ohm: r0Corrected, seriesResistanceOn_ohm: rOn, seriesResistanceOff_ohm: rOff,
                rcResistance_ohm: (0..<np).map { p[2 * $0] }, rcTimeConstant_s: (0..<np).map { p[2 * $0 + 1] },
                rcResistanceInterval95: (0..<np).map { (fit.confidenceLower95[2 * $0], fit.confidenceUpper95[2 * $0]) },
                rcTimeConstantInterval95: (0..<np).map { (fit.confidenceLower95[2 * $0 + 1], fit.confidenceUpper95[2 * $0 + 1]) },
                baseline_V: p[2 * np], fitRMS_V: w.rms_V, converged: fit.converged))
        }
        return fits
    }

    /// Fits RC pairs (and the rested level V_b) with R₀ fixed on samples `window` of a log, RC
    /// voltages 0 at the window start, SOC from the A·h counter at the window start. Returns the
    /// fit (parameters R₁, τ₁, …, V_b[, R₀ when `fitSeriesResistance`]) and the unweighted RMS
    /// residual [V].
    public static func fitWindow(_ d: CyclerData, window: Range<Int>, capacity_Ah q: Double, ocv: (Double) -> Double,
                                 seriesResistance r0: Double, initialRC: Double,
                                 options: HPPCOptions, fitSeriesResistance: Bool = false) throws(LithosError) -> (fit: LeastSquaresFit, rms_V: Double) {
        let charge = OCVIdentification.dischargedCharge(d)
        let m = window.count
        var dt = [Double](repeating: 0, count: m), current_k = dt, docv = dt, measured = dt
        let z0 = 1 - charge[window.lowerBound] / q
        var z = z0
        let ocv0 = ocv(z0)
        for (i, k) in window.enumerated() {
            if i > 0 {
                dt[i] = d.time_s[k] - d.time_s[k - 1]
                z -= d.current_A[k] * dt[i] / (3600 * q)
            }
            current_k[i] = d.current_A[k]
            docv[i] = ocv(z) - ocv0
            measured[i] = d.voltage_V[k]
        }
        var weight = [Double](repeating: 1, count: m)
        if options.timeWeighted && m > 1 {
            for i in 0..<m {
                let left = i > 0 ? dt[i] : dt[1], right = i + 1 < m ? dt[i + 1] : dt[i]
                weight[i] = min(0.5 * (left + right), options.maximumWeight_s).squareRoot()
            }
        }
        let np = options.rcPairs
        func model(_ p: [Double]) -> [Double] {
            var v = [Double](repeating: 0, count: np)
            var out = [Double](repeating: 0, count: m)
            let base = p[2 * np]
            let r0 = fitSeriesResistance ? p[2 * np + 1] : r0
            for i in 0..<m {
                var sum = 0.0
                for j in 0..<np {
                    if i > 0 {
                        let oneMinusA = -Double.expm1(-dt[i] / p[2 * j + 1])
                        v[j] = (1 - oneMinusA) * v[j] + p[2 * j] * oneMinusA * current_k[i]
                    }
                    sum += v[j]
                }
                out[i] = weight[i] * (base + docv[i] - r0 * current_k[i] - sum - measured[i])
            }
            return out
        }
        var initial: [Double] = []
        var transforms: [ParameterTransform] = []
        for j in 0..<np {
            let range = options.timeConstantRanges[j]
            initial += [initialRC / Double(np), min(max(options.initialTimeConstants[j], range.lower * 1.01), range.upper * 0.99)]
            transforms += [.positive, .interval(lower: range.lower, upper: range.upper)]
        }
        initial.append(measured[0]); transforms.append(.unbounded)
        if fitSeriesResistance { initial.append(max(r0, 1e-5)); transforms.append(.positive) }
        var lmOptions = LevenbergMarquardtOptions()
        lmOptions.maximumIterations = 100
        lmOptions.relativeReductionTolerance = 1e-10
        let fit = try LevenbergMarquardt.fit(initial: initial, transforms: transforms, options: lmOptions, residuals: model)
        let r = model(fit.parameters)
        var sum = 0.0
        for i in 0..<m { let e = r[i] / weight[i]; sum += e * e }
        return (fit, (sum / Double(m)).squareRoot())
    }

    /// Element values per pulse set from one joint fit over all the set's pulses and
    /// relaxations (the windows of `fits` joined, RC voltages 0 at the start): R₀ and the RC
    /// pairs fitted together by `fitWindow` (R₀ free), from the per-pulse medians and from each
    /// of `options.jointStartTimeConstants`; the start with the lowest residual wins. This is
    /// what a simulation with one set of values per SOC level can best do on the log (the
    /// pulses from 0.5C to 6C weigh by their voltage, so the high-current pulses count most); the
    /// per-pulse fits show how the elements vary with the pulse current.
    public static func jointLevels(_ d: CyclerData, fits: [HPPCPulseFit], capacity_Ah q: Double, ocv: (Double) -> Double,
                                   options: HPPCOptions = HPPCOptions()) throws(LithosError) -> [HPPCLevel] {
        let sets = Set(fits.map(\.setIndex)).sorted()
        let np = options.rcPairs
        var levels: [HPPCLevel] = []
        for set in sets {
            let f = fits.filter { $0.setIndex == set }
            let window = f.map(\.fitRange.lowerBound).min()!..<f.map(\.fitRange.upperBound).max()!
            var level = aggregate(f)[0]
            var best: (fit: LeastSquaresFit, rms_V: Double)? = nil
            for start in [level.rcTimeConstant_s] + options.jointStartTimeConstants {
                guard start.count >= np else { continue }
                var o = options
                o.initialTimeConstants = Array(start.prefix(np)) + Array(options.initialTimeConstants.dropFirst(np))
                let w = try fitWindow(d, window: window, capacity_Ah: q, ocv: ocv, seriesResistance: level.seriesResistance_ohm,
                                      initialRC: level.rcResistance_ohm.reduce(0, +), options: o, fitSeriesResistance: true)
                if best == nil || w.rms_V < best!.rms_V - 1e-12 { best = w }
            }
            let w = best!
            level.seriesResistance_ohm = w.fit.parameters[2 * np + 1]
            level.rcResistance_ohm = (0..<np).map { w.fit.parameters[2 * $0] }
            level.rcTimeConstant_s = (0..<np).map { w.fit.parameters[2 * $0 + 1] }
            level.fitRMS_V = w.rms_V
            levels.append(level)
        }
        return levels.sorted { $0.soc < $1.soc }
    }

    /// Element values per pulse set: the median over the set's pulses of R₀, Rⱼ and τⱼ, at the
    /// set's mean SOC and temperature. Sorted by SOC.
    public static func aggregate(_ fits: [HPPCPulseFit]) -> [HPPCLevel] {
        var levels: [HPPCLevel] = []
        let sets = Set(fits.map(\.setIndex)).sorted()
        func median(_ v: [Double]) -> Double {
            let s = v.sorted(); let n = s.count
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
        }
        for set in sets {
            let f = fits.filter { $0.setIndex == set }
            let np = f[0].rcResistance_ohm.count
            levels.append(HPPCLevel(
                soc: f.map(\.soc).reduce(0, +) / Double(f.count),
                socSpan: f.map(\.soc).min()!...f.map(\.soc).max()!,
                temperature_K: f.map(\.temperature_K).reduce(0, +) / Double(f.count),
                pulseCount: f.count,
                seriesResistance_ohm: median(f.map(\.seriesResistance_ohm)),
                rcResistance_ohm: (0..<np).map { j in median(f.map { $0.rcResistance_ohm[j] }) },
                rcTimeConstant_s: (0..<np).map { j in median(f.map { $0.rcTimeConstant_s[j] }) }))
        }
        return levels.sorted { $0.soc < $1.soc }
    }

    /// Resamples per-level values on a SOC grid: linear between levels, held constant beyond
    /// the lowest and highest level (a monotone extrapolation that invents no trend). With
    /// `overSpan`, each level's value is held over the SOC span of its pulses (the starts of its
    /// first and last pulse) and interpolated only between spans; otherwise it sits at the
    /// level's mean SOC.
    public static func onGrid(_ levels: [HPPCLevel], grid: [Double], overSpan: Bool = false,
                              _ value: (HPPCLevel) -> Double) -> [Double] {
        var xs: [Double] = [], ys: [Double] = []
        for level in levels.sorted(by: { $0.soc < $1.soc }) {
            let points = overSpan ? [level.socSpan.lowerBound, level.socSpan.upperBound] : [level.soc]
            for x in points {
                if let last = xs.last, x <= last + 1e-9 { continue }
                xs.append(x); ys.append(value(level))
            }
        }
        return grid.map { OCVIdentification.interpolate(xs, ys, $0) }
    }
}

/// The circuit elements at one HPPC SOC level (pulse set).
public struct HPPCLevel: Sendable {
    /// Mean SOC of the level's pulses (at their starts) [1].
    public var soc: Double
    /// Lowest and highest SOC at the start of the level's pulses [1].
    public var socSpan: ClosedRange<Double>
    public var temperature_K: Double
    public var pulseCount: Int
    public var seriesResistance_ohm: Double
    public var rcResistance_ohm: [Double]
    public var rcTimeConstant_s: [Double]
    /// RMS residual of the level's joint fit [V] (NaN for per-pulse medians).
    public var fitRMS_V: Double = .nan
}
