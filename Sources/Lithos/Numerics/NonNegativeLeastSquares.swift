/// Non-negative least squares: minimise ‖A·x − b‖₂ subject to x ≥ 0, by the active-set method of
/// Lawson & Hanson ("Solving Least Squares Problems", Prentice-Hall 1974, ch. 23, algorithm NNLS).
///
/// The variables are split into a passive set P (free, x > 0) and an active set Z (held at 0).
/// Starting from x = 0, the variable with the largest dual w = Aᵀ(b − A·x) (the steepest
/// descent direction among the held ones) enters P; the unconstrained least-squares solution s
/// on the columns of P is taken if it is positive, otherwise x moves towards s until the first
/// variable reaches 0, which leaves P, and the subproblem is solved again. The loop ends when
/// every held variable has wⱼ ≤ tol: the Karush–Kuhn–Tucker conditions x ≥ 0, w ≤ 0 on Z,
/// w = 0 on P. Each subproblem is solved by Householder QR of the passive columns (no normal
/// equations, so the conditioning is that of A, not of AᵀA). Deterministic: ties go to the
/// lowest index. Dense and allocating: meant for a few hundred unknowns.
public enum NonNegativeLeastSquares {
    public struct Solution: Sendable {
        /// The minimiser (each ≥ 0).
        public var x: [Double]
        /// ‖A·x − b‖₂.
        public var residualNorm: Double
        /// w = Aᵀ(b − A·x): ≤ tolerance where xⱼ = 0, ≈ 0 where xⱼ > 0 at a solution.
        public var dual: [Double]
        /// The dual tolerance used.
        public var tolerance: Double
        /// Least-squares subproblems solved.
        public var iterations: Int
        /// False when `maximumIterations` stopped the loop before the KKT conditions held.
        public var converged: Bool
    }

    /// Solves min ‖A·x − b‖ s.t. x ≥ 0.
    /// - Parameters:
    ///   - maximumIterations: subproblem limit (default 3·columns + 30, Lawson & Hanson's 3n).
    ///   - tolerance: dual threshold below which no variable enters (default
    ///     10·ε·max(m, n)·‖A‖_F·‖b‖).
    /// - Throws: `.invalidArgument` when b does not have one entry per row of A or an entry of A
    ///   or b is not finite.
    public static func solve(_ a: DenseMatrix, _ b: [Double], maximumIterations: Int? = nil,
                             tolerance: Double? = nil) throws(LithosError) -> Solution {
        let m = a.rows, n = a.columns
        guard b.count == m else {
            throw LithosError(.invalidArgument, "non-negative least squares: b has \(b.count) entries for \(m) rows")
        }
        guard a.values.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else {
            throw LithosError(.invalidArgument, "non-negative least squares: A and b must be finite")
        }
        var normA = 0.0, normB = 0.0
        for v in a.values { normA += v * v }
        for v in b { normB += v * v }
        let tol = tolerance ?? 10 * Double.ulpOfOne * Double(max(m, n)) * normA.squareRoot() * normB.squareRoot()
        let limit = maximumIterations ?? 3 * n + 30

        var x = [Double](repeating: 0, count: n)
        var passive = [Bool](repeating: false, count: n)
        var blocked = [Bool](repeating: false, count: n)   // entered with a non-positive s: skip once
        func dual(_ x: [Double]) -> [Double] {
            let ax = a.times(x)
            return a.transposeTimes((0..<m).map { b[$0] - ax[$0] })
        }
        var w = dual(x)
        var iterations = 0
        var converged = false
        outer: while true {
            // The held variable with the largest positive dual enters.
            var t = -1, best = tol
            for j in 0..<n where !passive[j] && !blocked[j] && w[j] > best { best = w[j]; t = j }
            if t < 0 { converged = true; break }
            if iterations >= limit { break }
            passive[t] = true
            var s = subproblem(a, b, passive)
            iterations += 1
            if !(s[t] > 0) {
                // Rounding made the entering variable's optimum non-positive (Lawson & Hanson
                // step 6): put it back and try the next candidate.
                passive[t] = false
                blocked[t] = true
                continue
            }
            for j in 0..<n { blocked[j] = false }
            // Inner loop: step back towards feasibility until s > 0 on the passive set.
            while (0..<n).contains(where: { passive[$0] && !(s[$0] > 0) }) {
                if iterations >= limit { break outer }
                var alpha = 1.0, leaving = -1
                for j in 0..<n where passive[j] && !(s[j] > 0) {
                    let step = x[j] / (x[j] - s[j])   // x_j > 0 ≥ s_j, so 0 ≤ step < 1
                    if step < alpha { alpha = step; leaving = j }
                }
                for j in 0..<n where passive[j] { x[j] += alpha * (s[j] - x[j]) }
                if leaving >= 0 { x[leaving] = 0 }
                // Every passive variable that reached zero (at least the one that set α) leaves.
                for j in 0..<n where passive[j] && !(x[j] > 0) {
                    passive[j] = false
                    x[j] = 0
                }
                s = subproblem(a, b, passive)
                iterations += 1
            }
            for j in 0..<n { x[j] = passive[j] ? s[j] : 0 }
            w = dual(x)
        }
        for j in 0..<n where !passive[j] { x[j] = 0 }
        w = dual(x)
        let ax = a.times(x)
        var r2 = 0.0
        for i in 0..<m { let d = ax[i] - b[i]; r2 += d * d }
        return Solution(x: x, residualNorm: r2.squareRoot(), dual: w, tolerance: tol, iterations: iterations, converged: converged)
    }

    /// The least-squares solution of A_P·s = b on the passive columns (zeros elsewhere), by
    /// Householder QR; a column whose pivot vanishes (linearly dependent) gets s = 0.
    static func subproblem(_ a: DenseMatrix, _ b: [Double], _ passive: [Bool]) -> [Double] {
        let m = a.rows
        let columns = (0..<a.columns).filter { passive[$0] }
        let p = columns.count
        var q = columns.map { c in (0..<m).map { a[$0, c] } }   // column-major copy
        var rhs = b
        var diagonal = [Double](repeating: 0, count: p)
        let steps = min(p, m)
        var scale = 0.0
        for col in q { for v in col { scale = max(scale, abs(v)) } }
        for j in 0..<steps {
            var norm = 0.0
            for i in j..<m { norm += q[j][i] * q[j][i] }
            norm = norm.squareRoot()
            if norm <= 1e-14 * scale { diagonal[j] = 0; continue }
            let alpha = q[j][j] > 0 ? -norm : norm
            // v = x − α·e₁ stored in place of column j's rows j…m−1.
            q[j][j] -= alpha
            var vv = 0.0
            for i in j..<m { vv += q[j][i] * q[j][i] }
            for k in (j + 1)..<max(j + 1, p) {
                var d = 0.0
                for i in j..<m { d += q[j][i] * q[k][i] }
                let c = 2 * d / vv
                for i in j..<m { q[k][i] -= c * q[j][i] }
            }
            var d = 0.0
            for i in j..<m { d += q[j][i] * rhs[i] }
            let c = 2 * d / vv
            for i in j..<m { rhs[i] -= c * q[j][i] }
            diagonal[j] = alpha
        }
        // Back substitution R·s = (Qᵀb)[0..<p]; R's diagonal in `diagonal`, above it in q.
        var s = [Double](repeating: 0, count: p)
        for j in stride(from: steps - 1, through: 0, by: -1) {
            if diagonal[j] == 0 { s[j] = 0; continue }
            var v = rhs[j]
            for k in (j + 1)..<max(j + 1, steps) { v -= q[k][j] * s[k] }
            s[j] = v / diagonal[j]
        }
        var full = [Double](repeating: 0, count: a.columns)
        for (i, c) in columns.enumerated() { full[c] = s[i] }
        return full
    }
}
