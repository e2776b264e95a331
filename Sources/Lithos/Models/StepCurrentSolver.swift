/// The constant current of a voltage or power step, shared by every model kind: the model
/// supplies V_end(I), the terminal voltage at the end of the step for a trial current (no state
/// change), and this finds the current. Deterministic, bounded, no allocation (the closures are
/// non-escaping).
public enum StepCurrentSolver {
    /// Iteration bound of every search.
    public static let maximumIterations = 100

    /// Solves f(I) = 0 on [lo, hi] where f(lo) and f(hi) have opposite signs: Newton steps with a
    /// finite-difference slope, falling back to bisection whenever Newton would leave the
    /// bracket. Converges to |hi − lo| ≤ 1e-12·(1 + |I|) A.
    public static func solveBracketed(_ lo0: Double, _ hi0: Double, maximumCRate: Double,
                                      _ f: (Double) -> Double) throws(LithosError) -> Double {
        var lo = lo0, hi = hi0
        var flo = f(lo)
        let fhi = f(hi)
        if flo == 0 { return lo }
        if fhi == 0 { return hi }
        guard (flo < 0) != (fhi < 0) else {
            throw LithosError(.outOfRange, "no current within ±\(maximumCRate)C reaches the requested value in this step")
        }
        var x = 0.5 * (lo + hi)
        for _ in 0..<maximumIterations {
            let fx = f(x)
            if fx == 0 { return x }
            if (fx < 0) == (flo < 0) { lo = x; flo = fx } else { hi = x }
            if hi - lo <= 1e-12 * (1 + abs(x)) { return 0.5 * (lo + hi) }
            let h = 1e-7 * (1 + abs(x))
            let slope = (f(x + h) - fx) / h
            var candidate = slope != 0 && slope.isFinite ? x - fx / slope : .nan
            if !(candidate > lo && candidate < hi) { candidate = 0.5 * (lo + hi) }
            x = candidate
        }
        throw LithosError(.internal, "current solve did not converge in \(maximumIterations) iterations")
    }

    /// The current [A] of a voltage or power step (`input.mode` ≠ .current), searched within
    /// ±`limit` A (= maximumCRate × capacity). V_end(I) must decrease with I.
    public static func current(for input: StepInput, limit: Double, maximumCRate: Double,
                               endVoltage: (Double) -> Double) throws(LithosError) -> Double {
        switch input.mode {
        case .current:
            return input.value
        case .voltage:
            let target = input.value
            return try solveBracketed(-limit, limit, maximumCRate: maximumCRate) { endVoltage($0) - target }
        case .power:
            let target = input.value
            if target == 0 { return 0 }
            if target > 0 {
                // Discharge: P(I) = I·V(I) rises from 0 to a maximum; take the low-current root.
                // Bracket it by doubling from I = P/V(0): usually one or two trials. P(I) ≥ P on
                // the bracket's end means exactly one crossing in [0, I] (past the maximum P only
                // falls), so the bracketed solve finds the low-current root.
                let v0 = endVoltage(0)
                var current = v0 > 0 ? min(target / v0, limit) : 1e-3 * limit
                var power = current * endVoltage(current)
                var previousPower = 0.0
                while power < target && power > previousPower && current < limit {
                    previousPower = power
                    current = min(2 * current, limit)
                    power = current * endVoltage(current)
                }
                if power >= target {
                    return try solveBracketed(0, current, maximumCRate: maximumCRate) { $0 * endVoltage($0) - target }
                }
                // The power fell (or the limit was reached) before the target: the maximum lies
                // within [current/4, current]; locate it by ternary search (P is unimodal there).
                var a = current / 4, b = current
                for _ in 0..<maximumIterations where b - a > 1e-9 * limit {
                    let m1 = a + (b - a) / 3, m2 = b - (b - a) / 3
                    if m1 * endVoltage(m1) < m2 * endVoltage(m2) { a = m1 } else { b = m2 }
                }
                let peak = 0.5 * (a + b)
                guard peak * endVoltage(peak) >= target else {
                    throw LithosError(.outOfRange, "the cell cannot deliver \(target) W in this step (maximum ≈ \(peak * endVoltage(peak)) W)")
                }
                return try solveBracketed(0, peak, maximumCRate: maximumCRate) { $0 * endVoltage($0) - target }
            }
            // Charge: I·V(I) decreases monotonically for I < 0.
            return try solveBracketed(-limit, 0, maximumCRate: maximumCRate) { $0 * endVoltage($0) - target }
        }
    }
}
