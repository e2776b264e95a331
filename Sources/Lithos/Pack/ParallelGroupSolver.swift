/// The current split of one parallel group: Np cells, each behind its own tab resistance R_t,
/// joined at one node, the group carrying I_g (the string current) plus the bleed current of
/// its balancing resistor G_b·V_node.
///
/// Unknowns: the current i_k through each cell's electrochemistry and the node voltage V.
/// With f_k(i) the cell's end-of-step terminal voltage for a constant current i over the step
/// (`CellModel.trialVoltage`, no state change) and G_k its internal-short conductance, cell k
/// delivers e_k = i_k − G_k·f_k(i_k) to the node and the node sits at
///   h_k(i_k) = f_k(i_k) − R_t·e_k = f_k(i_k)·(1 + R_t·G_k) − R_t·i_k.
/// The split satisfies, at the end of the step,
///   h_k(i_k) = V for every k,   Σ_k e_k(i_k) = I_g + G_b·V.
/// Newton on (i, V): with a_k = dh_k/di = s_k(1 + R_t·G_k) − R_t < 0 and b_k = de_k/di =
/// 1 − G_k·s_k > 0 (s_k = df_k/di by a forward difference), eliminating the i_k gives
///   V = (I_g − Σ e_k + Σ b_k·h_k/a_k) / (Σ b_k/a_k − G_b),   i_k ← i_k + (V − h_k)/a_k.
/// Converged when the node voltages agree within `voltageTolerance_V` and the currents sum to
/// the group's within `currentTolerance` × max(1, |I_g|) A. An ECM group converges in one
/// Newton step (f is affine in i within a table cell), an SSB-SPM group in 2–4.
/// Scratch arrays are allocated at creation; solving does not allocate.
public struct ParallelGroupSolver: Sendable {
    public static let voltageTolerance_V = 1e-11
    public static let currentTolerance = 1e-9
    /// Current tolerance [A per A of group current, at least 1 A] accepted from the bracketed
    /// fallback (see `solveBracketed`).
    public static let fallbackCurrentTolerance = 1e-6
    /// Newton iterations before the bracketed fallback (`solveBracketed`) takes over.
    public static let maximumIterations = 25

    var f: [Double]
    var h: [Double]
    var e: [Double]
    var a: [Double]
    var b: [Double]

    init(parallel: Int) {
        f = Array(repeating: 0, count: parallel)
        h = f; e = f; a = f; b = f
    }

    struct Result {
        var nodeVoltage_V = 0.0
        var currentResidual_A = 0.0
        var voltageSpread_V = 0.0
        var iterations = 0
    }

    /// Solves group cells[first ..< first + count] for group current `groupCurrent` [A];
    /// `currents[first + j]` holds the initial guess and receives the split. Only trial
    /// evaluations: no cell's state changes. Throws when a cell cannot be evaluated or the
    /// iteration does not converge.
    mutating func solve<Cell: CellModel>(_ cells: inout [Cell], first: Int, count: Int, groupCurrent: Double,
                                         bleedConductance gb: Double, tabResistance rt: Double,
                                         shortConductance: [Double], currentLimit: [Double],
                                         currents: inout [Double], dt_s: Double, ambient_K: Double,
                                         group: Int) throws(LithosError) -> Result {
        for j in 0..<count { try cells[first + j].prepareTrial(dt_s: dt_s, ambient_K: ambient_K) }
        let tolI = Self.currentTolerance * max(1, abs(groupCurrent))
        var result = Result()
        var iteration = 0
        while true {
            var sumE = 0.0, lo = Double.infinity, hi = -Double.infinity, sumH = 0.0
            for j in 0..<count {
                let k = first + j
                let i = currents[k]
                let v = cells[k].trialVoltage(current: i)
                guard v.isFinite else {
                    throw LithosError(.outOfRange, "parallel group \(group): cell \(k) cannot carry \(i) A in this step (its model gives no voltage)")
                }
                let g = shortConductance[k]
                f[j] = v
                e[j] = i - g * v
                h[j] = v * (1 + rt * g) - rt * i
                sumE += e[j]; sumH += h[j]
                lo = min(lo, h[j]); hi = max(hi, h[j])
            }
            let node = sumH / Double(count)
            let residual = sumE - groupCurrent - gb * node
            result.nodeVoltage_V = node
            result.currentResidual_A = abs(residual)
            result.voltageSpread_V = hi - lo
            result.iterations = iteration
            if hi - lo <= Self.voltageTolerance_V && abs(residual) <= tolI { return result }
            iteration += 1
            guard iteration <= Self.maximumIterations else {
                // Newton failed (a cell near depletion makes f_k strongly nonlinear): solve by
                // nested bracketing, which cannot fail on monotone cells.
                return try solveBracketed(&cells, first: first, count: count, groupCurrent: groupCurrent,
                                          bleedConductance: gb, tabResistance: rt, shortConductance: shortConductance,
                                          currentLimit: currentLimit, currents: &currents, group: group)
            }
            var sumBA = 0.0, sumBHA = 0.0
            for j in 0..<count {
                let k = first + j
                let i = currents[k]
                let delta = 1e-6 * (1 + abs(i))
                let v = cells[k].trialVoltage(current: i + delta)
                var slope = (v - f[j]) / delta
                if !(slope.isFinite && slope < 0) { slope = -1e-9 }
                let g = shortConductance[k]
                a[j] = min(slope * (1 + rt * g) - rt, -1e-12)
                b[j] = max(1 - g * slope, 1e-12)
                sumBA += b[j] / a[j]
                sumBHA += b[j] * h[j] / a[j]
            }
            let v = (groupCurrent - sumE + sumBHA) / (sumBA - gb)
            for j in 0..<count {
                let k = first + j
                let limit = currentLimit[k]
                currents[k] = min(max(currents[k] + (v - h[j]) / a[j], -limit), limit)
            }
        }
    }

    /// The fallback: the node voltage V by a bracketed Newton–bisection on
    /// F(V) = Σ e_k(i_k(V)) − I_g − G_b·V (decreasing in V), each i_k(V) by a bracketed solve of
    /// h_k(i) = V within ±100 C (a cell that cannot reach V saturates at its limit). Slow
    /// (Np × ~40 trials per evaluation of F) but sure; used only when Newton does not converge.
    mutating func solveBracketed<Cell: CellModel>(_ cells: inout [Cell], first: Int, count: Int, groupCurrent: Double,
                                                  bleedConductance gb: Double, tabResistance rt: Double,
                                                  shortConductance: [Double], currentLimit: [Double],
                                                  currents: inout [Double], group: Int) throws(LithosError) -> Result {
        var failed = false
        func h(_ k: Int, _ i: Double) -> Double {
            let v = cells[k].trialVoltage(current: i)
            if !v.isFinite { failed = true; return 0 }
            return v * (1 + rt * shortConductance[k]) - rt * i
        }
        func cellCurrent(_ k: Int, _ v: Double) -> Double {
            let limit = currentLimit[k]
            if h(k, limit) - v >= 0 { return limit }
            if h(k, -limit) - v <= 0 { return -limit }
            return (try? StepCurrentSolver.solveBracketed(-limit, limit, maximumCRate: 100) { h(k, $0) - v }) ?? .nan
        }
        func F(_ v: Double) -> Double {
            var sum = 0.0
            for j in 0..<count {
                let k = first + j
                let i = cellCurrent(k, v)
                currents[k] = i
                sum += i - shortConductance[k] * cells[k].trialVoltage(current: i)
            }
            return sum - groupCurrent - gb * v
        }
        var lo = Double.infinity, hi = -Double.infinity
        for j in 0..<count {
            let k = first + j
            lo = min(lo, h(k, currentLimit[k]))
            hi = max(hi, h(k, -currentLimit[k]))
        }
        let v: Double
        do {
            v = try StepCurrentSolver.solveBracketed(lo - 1e-9, hi + 1e-9, maximumCRate: 100) { F($0) }
        } catch {
            throw LithosError(.outOfRange, "parallel group \(group): no split of \(groupCurrent) A within 100C of its cells reaches a common voltage")
        }
        _ = F(v)
        var result = Result()
        var sumE = 0.0, sumH = 0.0, vlo = Double.infinity, vhi = -Double.infinity
        for j in 0..<count {
            let k = first + j
            let f = cells[k].trialVoltage(current: currents[k])
            let hk = f * (1 + rt * shortConductance[k]) - rt * currents[k]
            sumE += currents[k] - shortConductance[k] * f
            sumH += hk
            vlo = min(vlo, hk); vhi = max(vhi, hk)
        }
        guard !failed, sumE.isFinite, sumH.isFinite else {
            throw LithosError(.outOfRange, "parallel group \(group): a cell cannot carry its share of \(groupCurrent) A in this step (its model gives no voltage)")
        }
        result.nodeVoltage_V = sumH / Double(count)
        result.currentResidual_A = abs(sumE - groupCurrent - gb * result.nodeVoltage_V)
        result.voltageSpread_V = vhi - vlo
        result.iterations = Self.maximumIterations + 1
        // A cell driven past its window (e.g. over-discharged by a short) can have a V(I) with
        // jumps where its stoichiometry is clamped; the split is then exact to the residual
        // reported, within `fallbackCurrentTolerance`.
        guard result.currentResidual_A <= Self.fallbackCurrentTolerance * max(1, abs(groupCurrent)) else {
            throw LithosError(.internal, "parallel group \(group): the current split did not converge (current residual \(result.currentResidual_A) A, voltage spread \(result.voltageSpread_V) V)")
        }
        return result
    }
}
