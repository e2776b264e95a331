import Testing
@testable import Lithos

@Suite struct NonNegativeLeastSquaresTests {
    /// A problem whose unconstrained solution has a negative component: min ‖Ax − b‖, x ≥ 0 with
    /// A = [[1, 0], [0, 1], [1, 1]], b = [2, −1, 1]. Unconstrained: x = (2, −1), so the constraint
    /// x₂ ≥ 0 is active and x₁ = argmin (x₁ − 2)² + (x₁ − 1)² = 1.5.
    @Test func smallProblemWithAnActiveConstraint() throws {
        var a = DenseMatrix(rows: 3, columns: 2)
        a[0, 0] = 1; a[1, 1] = 1; a[2, 0] = 1; a[2, 1] = 1
        let s = try NonNegativeLeastSquares.solve(a, [2, -1, 1])
        #expect(abs(s.x[0] - 1.5) < 1e-14 && s.x[1] == 0)
        #expect(abs(s.residualNorm - (0.25 + 1 + 0.25).squareRoot()) < 1e-14)
        #expect(s.converged)
        // Dual of the held variable: w₂ = Aᵀ(b − Ax) = (−1) + (1 − 1.5) = −1.5 < 0.
        #expect(abs(s.dual[1] + 1.5) < 1e-14)
    }

    /// A feasible exact solution is reproduced (all constraints inactive).
    @Test func interiorSolution() throws {
        var a = DenseMatrix(rows: 4, columns: 3)
        let values: [Double] = [1, 2, 0, 0, 1, 1, 3, 0, 1, 1, 1, 1]
        a.values = values
        let x = [0.5, 2, 1.25]
        let s = try NonNegativeLeastSquares.solve(a, a.times(x))
        for i in 0..<3 { #expect(abs(s.x[i] - x[i]) < 1e-13) }
        #expect(s.residualNorm < 1e-13)
    }

    /// Random over- and under-determined problems: the Karush–Kuhn–Tucker conditions hold
    /// (x ≥ 0; w = Aᵀ(b − Ax) ≤ tol where x = 0; |w| ≤ tol where x > 0), and no random feasible
    /// point does better.
    @Test func kktConditionsOnRandomProblems() throws {
        var rng = SplitMix64(seed: 17)
        for trial in 0..<60 {
            let m = 3 + Int(rng.next() % 30), n = 2 + Int(rng.next() % 25)
            var a = DenseMatrix(rows: m, columns: n)
            for i in 0..<(m * n) { a.values[i] = 2 * rng.uniform() - 1 }
            let b = (0..<m).map { _ in 4 * rng.uniform() - 2 }
            let s = try NonNegativeLeastSquares.solve(a, b)
            #expect(s.converged, "trial \(trial)")
            let scale = 1e-9 * max(1, s.dual.map(abs).max()!)
            for j in 0..<n {
                #expect(s.x[j] >= 0)
                if s.x[j] > 0 { #expect(abs(s.dual[j]) <= scale, "trial \(trial) (\(m)×\(n)): w[\(j)] = \(s.dual[j]) at x = \(s.x[j])") }
                else { #expect(s.dual[j] <= scale, "trial \(trial) (\(m)×\(n)): w[\(j)] = \(s.dual[j]) > 0 at a held variable") }
            }
            for _ in 0..<20 {
                let y = (0..<n).map { j in max(s.x[j] + 0.1 * (2 * rng.uniform() - 1), 0) }
                let r = a.times(y)
                var norm = 0.0
                for i in 0..<m { norm += (r[i] - b[i]) * (r[i] - b[i]) }
                #expect(norm.squareRoot() >= s.residualNorm - 1e-12)
            }
        }
    }

    @Test func rejectsMismatchedInput() {
        #expect(throws: LithosError.self) { try NonNegativeLeastSquares.solve(DenseMatrix(rows: 2, columns: 2), [1]) }
        #expect(throws: LithosError.self) { try NonNegativeLeastSquares.solve(DenseMatrix(rows: 1, columns: 1, repeating: .nan), [1]) }
    }
}
