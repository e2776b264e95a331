/// An open-circuit-voltage table identified from measurements: OCV(SOC) on a SOC grid, with
/// the hysteresis half-width and the branches it came from. SOC = 1 − (A·h discharged)/Q with
/// `capacity_Ah` = Q.
public struct OCVTable: Sendable, Equatable {
    /// SOC grid [1], strictly increasing.
    public var soc: [Double]
    /// OCV [V] on the grid: monotone non-decreasing in SOC.
    public var ocv_V: [Double]
    /// Hysteresis half-width (charge − discharge)/2 [V] on the grid (empty when unknown).
    public var hysteresis_V: [Double] = []
    /// The discharge and charge branches [V] on the grid (empty when not measured).
    public var discharge_V: [Double] = []
    public var charge_V: [Double] = []
    /// The capacity the SOC axis refers to [A·h].
    public var capacity_Ah: Double
    /// Temperature of the measurement [K].
    public var temperature_K: Double

    public init(soc: [Double], ocv_V: [Double], capacity_Ah: Double, temperature_K: Double) {
        self.soc = soc; self.ocv_V = ocv_V; self.capacity_Ah = capacity_Ah; self.temperature_K = temperature_K
    }

    /// OCV [V] at a SOC by linear interpolation (clamped at the ends).
    public func ocv(soc z: Double) -> Double { OCVIdentification.interpolate(soc, ocv_V, z) }

    /// The discharge branch if present, else the OCV.
    public func dischargeOrAverage(soc z: Double) -> Double {
        OCVIdentification.interpolate(soc, discharge_V.isEmpty ? ocv_V : discharge_V, z)
    }

    /// OCV [V] at a charge discharged from full [A·h] (independent of the SOC capacity).
    public func ocv(discharged_Ah q: Double) -> Double { ocv(soc: 1 - q / capacity_Ah) }

    /// The same curves on a SOC axis referred to another capacity: z' = 1 − (1 − z)·Q/Q'
    /// (same A·h discharged), resampled on `grid`.
    public func rescaled(toCapacity_Ah q: Double, grid: [Double]) -> OCVTable {
        func map(_ v: [Double]) -> [Double] {
            v.isEmpty ? [] : grid.map { OCVIdentification.interpolate(soc, v, 1 - (1 - $0) * q / capacity_Ah) }
        }
        var t = OCVTable(soc: grid, ocv_V: map(ocv_V), capacity_Ah: q, temperature_K: temperature_K)
        t.hysteresis_V = map(hysteresis_V); t.discharge_V = map(discharge_V); t.charge_V = map(charge_V)
        return t
    }
}

/// OCV(SOC) identification (Plett, Battery Management Systems Vol. I (2015) §2.9; Barai et al.,
/// J. Power Sources 295 (2015) 99 for low-rate vs. incremental OCV):
///
/// - from a low-rate (e.g. C/20) discharge/charge pair: each branch is put on a SOC grid
///   (SOC = 1 − Ah/Q, Q = the charge removed by the full discharge), the OCV estimate is the
///   average (V_ch + V_dis)/2 and the hysteresis half-width (V_ch − V_dis)/2, which also holds
///   the ohmic drop at the low rate. Where only one branch exists (a CC-only charge that stops at
///   V_max leaves the top of the charge branch empty), the half-width is held at its last known
///   value and the average is the discharge branch plus it;
/// - from rest points (GITT/HPPC rests): the relaxed voltages at known A·h; between them a
///   shape curve (e.g. the low-rate branch) is shifted by a linearly interpolated offset, so the
///   table passes through every rest point and keeps the shape's detail;
/// - every output is made monotone by isotonic regression (pool-adjacent-violators) and
///   lightly smoothed (a 3-point moving average, which keeps monotone data monotone), then
///   given a minimum increment of 1 µV per grid step so the slope is never 0.
public enum OCVIdentification {
    /// A uniform SOC grid 0…1 with `step`.
    public static func uniformGrid(step: Double) -> [Double] {
        let n = Int((1 / step).rounded())
        return (0...n).map { Double($0) / Double(n) }
    }

    /// Linear interpolation of (xs, ys) at x, clamped at the ends. xs increasing.
    public static func interpolate(_ xs: [Double], _ ys: [Double], _ x: Double) -> Double {
        let n = xs.count
        if n == 1 || x <= xs[0] { return ys[0] }
        if x >= xs[n - 1] { return ys[n - 1] }
        var lo = 0, hi = n - 1
        while hi - lo > 1 { let mid = (lo + hi) / 2; if xs[mid] <= x { lo = mid } else { hi = mid } }
        let w = (x - xs[lo]) / (xs[hi] - xs[lo])
        return (1 - w) * ys[lo] + w * ys[hi]
    }

    /// Isotonic (non-decreasing) least-squares regression by pool-adjacent-violators.
    public static func isotonic(_ y: [Double], weights: [Double]? = nil) -> [Double] {
        var value: [Double] = [], weight: [Double] = [], size: [Int] = []
        for (k, v) in y.enumerated() {
            value.append(v); weight.append(weights?[k] ?? 1); size.append(1)
            while value.count > 1 && value[value.count - 2] > value[value.count - 1] {
                let w = weight[weight.count - 2] + weight[weight.count - 1]
                let v = (value[value.count - 2] * weight[weight.count - 2] + value[value.count - 1] * weight[weight.count - 1]) / w
                let s = size[size.count - 2] + size[size.count - 1]
                value.removeLast(2); weight.removeLast(2); size.removeLast(2)
                value.append(v); weight.append(w); size.append(s)
            }
        }
        var out: [Double] = []
        for (v, s) in zip(value, size) { out += [Double](repeating: v, count: s) }
        return out
    }

    /// Isotonic regression, `passes` 3-point moving averages (end points kept), and a minimum
    /// increment of `minimumStep_V` per grid step.
    public static func monotoneSmooth(_ y: [Double], passes: Int = 1, minimumStep_V: Double = 1e-6) -> [Double] {
        var v = isotonic(y)
        if v.count > 2 {
            for _ in 0..<passes {
                var s = v
                for k in 1..<(v.count - 1) { s[k] = (v[k - 1] + v[k] + v[k + 1]) / 3 }
                v = s
            }
        }
        for k in v.indices.dropFirst() where v[k] < v[k - 1] + minimumStep_V { v[k] = v[k - 1] + minimumStep_V }
        return v
    }

    /// A branch measured at (SOC, V) points resampled on the grid (clamped outside the data;
    /// points are sorted by SOC first). Returns nil for grid points outside [min, max] SOC of the
    /// data when `extrapolate` is false.
    static func resample(_ points: [(soc: Double, voltage_V: Double)], grid: [Double], extrapolate: Bool) -> [Double?] {
        let sorted = points.sorted { $0.soc < $1.soc }
        var xs: [Double] = [], ys: [Double] = []
        for p in sorted {
            if let last = xs.last, p.soc <= last { ys[ys.count - 1] = p.voltage_V; continue }
            xs.append(p.soc); ys.append(p.voltage_V)
        }
        guard let lo = xs.first, let hi = xs.last else { return grid.map { _ in nil } }
        return grid.map { z in
            if !extrapolate && (z < lo - 1e-9 || z > hi + 1e-9) { return nil }
            return interpolate(xs, ys, z)
        }
    }

    /// OCV from a low-rate discharge branch and (optionally) a charge branch, each given as
    /// (SOC, V) points on the SOC axis of `capacity_Ah`.
    public static func fromBranches(discharge: [(soc: Double, voltage_V: Double)],
                                    charge: [(soc: Double, voltage_V: Double)]?,
                                    grid: [Double], capacity_Ah: Double,
                                    temperature_K: Double) throws(LithosError) -> OCVTable {
        guard discharge.count >= 2 else { throw LithosError(.invalidArgument, "OCV: the discharge branch needs ≥ 2 points") }
        let dis = resample(discharge, grid: grid, extrapolate: true).map { $0! }
        let disMono = monotoneSmooth(dis, passes: 0)
        var table = OCVTable(soc: grid, ocv_V: disMono, capacity_Ah: capacity_Ah, temperature_K: temperature_K)
        table.discharge_V = disMono
        if let charge, charge.count >= 2 {
            let ch = resample(charge, grid: grid, extrapolate: false)
            // Half-width where both branches exist; held at the nearest known value elsewhere.
            var half = [Double?](repeating: nil, count: grid.count)
            for k in grid.indices { if let c = ch[k] { half[k] = max(0, (c - dis[k]) / 2) } }
            guard let firstKnown = half.firstIndex(where: { $0 != nil }) else { return table }
            let lastKnown = half.lastIndex(where: { $0 != nil })!
            var h = [Double](repeating: 0, count: grid.count)
            for k in grid.indices {
                h[k] = half[k] ?? (k < firstKnown ? half[firstKnown]! : k > lastKnown ? half[lastKnown]! : 0)
            }
            // Interior gaps (should not happen): linear between neighbours.
            for k in firstKnown...lastKnown where half[k] == nil {
                let a = (k...lastKnown).first { half[$0] != nil }!
                let b = (firstKnown...k).last { half[$0] != nil }!
                let w = Double(k - b) / Double(a - b)
                h[k] = (1 - w) * half[b]! + w * half[a]!
            }
            table.hysteresis_V = h
            table.charge_V = grid.indices.map { dis[$0] + 2 * h[$0] }
            table.ocv_V = monotoneSmooth(grid.indices.map { dis[$0] + h[$0] })
        }
        return table
    }

    /// OCV from a low-rate test log: a discharge from full (current > `threshold`) and, if
    /// present, the charge that follows (current < −threshold), in one log or two. SOC from the
    /// log's A·h counter (or integrated current); Q = the charge removed by the discharge unless
    /// `capacity_Ah` is given. The log must start fully charged.
    public static func fromLowRateTest(_ data: CyclerData, charge: CyclerData? = nil, capacity_Ah: Double? = nil,
                                       grid: [Double], threshold_A: Double = 0.01) throws(LithosError) -> OCVTable {
        let q = dischargedCharge(data)
        // Discharge branch: the rested point before the discharge, then every discharging sample.
        guard let firstDischarge = data.current_A.firstIndex(where: { $0 > threshold_A }) else {
            throw LithosError(.invalidArgument, "OCV: the low-rate log has no discharge")
        }
        var dis: [(Double, Double)] = []
        if firstDischarge > 0 { dis.append((q[firstDischarge - 1], data.voltage_V[firstDischarge - 1])) }
        var k = firstDischarge
        while k < data.count && data.current_A[k] > threshold_A { dis.append((q[k], data.voltage_V[k])); k += 1 }
        guard dis.count >= 2 else { throw LithosError(.invalidArgument, "OCV: the discharge branch has < 2 samples") }
        let q0 = dis[0].0
        let qEnd = dis[dis.count - 1].0
        let capacity = capacity_Ah ?? (qEnd - q0)
        guard capacity > 0 else { throw LithosError(.invalidArgument, "OCV: capacity must be > 0") }
        let disPoints = dis.map { (soc: 1 - ($0.0 - q0) / capacity, voltage_V: $0.1) }
        // Charge branch: later in the same log, or in `charge`, which then starts where the
        // discharge ended. SOC = 1 − (qc + offset)/Q with qc that log's discharged-charge counter.
        var chPoints: [(soc: Double, voltage_V: Double)] = []
        let source = charge ?? data
        let start = charge == nil ? k : 0
        let qc = dischargedCharge(source)
        let offset = charge == nil ? -q0 : (qEnd - q0) - qc[0]
        if start < source.count, let firstCharge = source.current_A[start...].firstIndex(where: { $0 < -threshold_A }) {
            if firstCharge > start { chPoints.append((1 - (qc[firstCharge - 1] + offset) / capacity, source.voltage_V[firstCharge - 1])) }
            var j = firstCharge
            while j < source.count && source.current_A[j] < -threshold_A {
                chPoints.append((1 - (qc[j] + offset) / capacity, source.voltage_V[j])); j += 1
            }
        }
        let temperature = data.temperature_K.reduce(0, +) / Double(data.count)
        return try fromBranches(discharge: disPoints, charge: chPoints.count >= 2 ? chPoints : nil,
                                grid: grid, capacity_Ah: capacity, temperature_K: temperature)
    }

    /// The charge discharged since the start [A·h] per sample: the log's counter if present,
    /// else the trapezoidal integral of the current.
    public static func dischargedCharge(_ d: CyclerData) -> [Double] {
        if d.discharged_Ah.count == d.count { return d.discharged_Ah }
        var q = [Double](repeating: 0, count: d.count)
        for k in 1..<max(1, d.count) {
            q[k] = q[k - 1] + 0.5 * (d.current_A[k] + d.current_A[k - 1]) * (d.time_s[k] - d.time_s[k - 1]) / 3600
        }
        return q
    }

    /// The A·h axis of a shape curve aligned to rest points: the affine map
    /// q' = offset + scale·q (q = A·h discharged in the rest points' log, q' = A·h on the shape's
    /// axis) that minimises Σ (V_rest − shape(q'))² (Levenberg–Marquardt from the identity).
    /// A low-rate test run on another day, or after ageing, has its knee at another A·h than
    /// the pulse test; aligning the axes puts the shape's steep end where the rest points are, so
    /// the shape is right between and beyond them, not only shifted through them. Returns the
    /// identity when there are fewer than three points, the fit fails, or the scale is outside
    /// 0.8…1.25.
    public static func alignShapeAxis(_ points: [(discharged_Ah: Double, voltage_V: Double)],
                                      shape: (Double) -> Double) -> (offset_Ah: Double, scale: Double) {
        guard points.count >= 3 else { return (0, 1) }
        var o = LevenbergMarquardtOptions()
        o.maximumIterations = 100
        let fit = try? LevenbergMarquardt.fit(initial: [0, 1], options: o) { p in
            points.map { shape(p[0] + p[1] * $0.discharged_Ah) - $0.voltage_V }
        }
        guard let fit, fit.parameters.allSatisfy({ $0.isFinite }), fit.parameters[1] >= 0.8, fit.parameters[1] <= 1.25,
              fit.sumOfSquares <= points.reduce(0, { $0 + pow2(shape($1.discharged_Ah) - $1.voltage_V) }) else { return (0, 1) }
        return (fit.parameters[0], fit.parameters[1])
    }

    static func pow2(_ x: Double) -> Double { x * x }

    /// OCV through rest points (A·h discharged from full, relaxed voltage): a shape curve
    /// (`shape`, on the SOC axis of `capacity_Ah`) shifted by the offset at the rest points,
    /// interpolated linearly in SOC and held constant beyond the first and last point; without a
    /// shape, linear interpolation between the points. Monotone output on `grid`.
    public static func fromRestPoints(_ points: [(discharged_Ah: Double, voltage_V: Double)],
                                      shape: ((Double) -> Double)?, grid: [Double], capacity_Ah: Double,
                                      temperature_K: Double) throws(LithosError) -> OCVTable {
        guard !points.isEmpty else { throw LithosError(.invalidArgument, "OCV: no rest points") }
        let sorted = points.map { (soc: 1 - $0.discharged_Ah / capacity_Ah, v: $0.voltage_V) }.sorted { $0.soc < $1.soc }
        let xs = sorted.map(\.soc)
        var values: [Double]
        if let shape {
            let offsets = sorted.map { $0.v - shape($0.soc) }
            values = grid.map { shape($0) + interpolate(xs, offsets, $0) }
        } else {
            guard sorted.count >= 2 else { throw LithosError(.invalidArgument, "OCV: ≥ 2 rest points without a shape curve") }
            values = grid.map { interpolate(xs, sorted.map(\.v), $0) }
        }
        return OCVTable(soc: grid, ocv_V: monotoneSmooth(values, passes: 0), capacity_Ah: capacity_Ah, temperature_K: temperature_K)
    }
}
