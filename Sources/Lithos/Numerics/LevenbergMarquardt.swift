/// How a parameter is mapped to the unconstrained variable u the solver works on. Bounds are
/// enforced by the mapping, never by clipping, so the solver always moves in a smooth space.
public enum ParameterTransform: Sendable, Equatable {
    /// p = u.
    case unbounded
    /// p = exp(u) (p > 0; relative steps, the natural scale for resistances and time constants).
    case positive
    /// p = lower + (upper − lower)/(1 + exp(−u)) (lower < p < upper).
    case interval(lower: Double, upper: Double)

    /// u from p (p is pulled just inside a bound it sits on).
    public func toInternal(_ p: Double) -> Double {
        switch self {
        case .unbounded: return p
        case .positive: return Physics.log(max(p, Double.leastNormalMagnitude))
        case let .interval(lo, hi):
            let w = hi - lo
            let x = min(max((p - lo) / w, 1e-12), 1 - 1e-12)
            return Physics.log(x / (1 - x))
        }
    }

    /// p from u.
    public func toExternal(_ u: Double) -> Double {
        switch self {
        case .unbounded: return u
        case .positive: return Physics.exp(u)
        case let .interval(lo, hi): return lo + (hi - lo) / (1 + Physics.exp(-u))
        }
    }

    /// dp/du at u.
    public func derivative(_ u: Double) -> Double {
        switch self {
        case .unbounded: return 1
        case .positive: return Physics.exp(u)
        case let .interval(lo, hi):
            let s = 1 / (1 + Physics.exp(-u))
            return (hi - lo) * s * (1 - s)
        }
    }
}

/// Stopping rules and numerical settings of `LevenbergMarquardt.fit`.
public struct LevenbergMarquardtOptions: Sendable {
    /// Largest number of accepted or rejected steps.
    public var maximumIterations = 200
    /// Stop when max |∂F/∂uᵢ| ≤ this (F = ½Σr²).
    public var gradientTolerance = 1e-12
    /// Stop when ‖δu‖ ≤ stepTolerance·(‖u‖ + stepTolerance).
    public var stepTolerance = 1e-10
    /// Stop when an accepted step lowers the sum of squares by less than this fraction.
    public var relativeReductionTolerance = 1e-12
    /// Initial damping λ relative to the largest diagonal element of JᵀJ.
    public var initialDamping = 1e-3
    /// Relative step of the forward-difference Jacobian (in u).
    public var finiteDifferenceStep = 1e-6

    public init() {}
}

/// The result of a nonlinear least-squares fit, with the linearised statistics.
public struct LeastSquaresFit: Sendable {
    /// Best-fit parameters (external, as passed in).
    public var parameters: [Double]
    /// Residuals r(p) at the solution (the caller's definition: usually model − data).
    public var residuals: [Double]
    /// Σ r².
    public var sumOfSquares: Double
    /// √(Σ r² / m).
    public var rms: Double
    /// Degrees of freedom m − n.
    public var degreesOfFreedom: Int
    /// s² = Σ r² / (m − n): the residual variance used to scale the covariance.
    public var residualVariance: Double
    /// Covariance of the parameters, s²·(JᵀJ)⁻¹ mapped to external parameters by the delta
    /// method; nil when JᵀJ is singular (a parameter is not identifiable from the data).
    public var covariance: DenseMatrix?
    /// √diag(covariance) (NaN when the covariance is unavailable).
    public var standardErrors: [Double]
    /// 95 % confidence intervals: u ± t(0.975, m − n)·se(u) in the solver's variable, mapped
    /// back through the transform (so intervals of log-transformed parameters are asymmetric and
    /// stay positive). NaN bounds when the covariance is unavailable.
    public var confidenceLower95: [Double]
    public var confidenceUpper95: [Double]
    public var iterations: Int
    public var converged: Bool
    /// Why the iteration stopped, in words.
    public var termination: String
}

/// Levenberg–Marquardt with Marquardt's diagonal scaling (Marquardt 1963; Moré 1978, "The
/// Levenberg–Marquardt algorithm: implementation and theory") and Nielsen's damping update
/// (Madsen, Nielsen & Tingleff, "Methods for non-linear least squares problems", 2004, §3.2).
///
/// Minimises F(u) = ½‖r(p(u))‖² over the unconstrained variables u (see `ParameterTransform`).
/// Each step solves (JᵀJ + λ·D)·δ = −Jᵀr by Cholesky, D = diag(JᵀJ) (kept at its running
/// maximum, Moré's scaling), and is accepted when it lowers F; λ then shrinks by
/// max(1/3, 1 − (2ρ − 1)³) with ρ the actual/predicted reduction, otherwise it grows by a
/// doubling factor. Small dense problems only (allocation per iteration is fine).
public enum LevenbergMarquardt {
    /// Fits `residuals(p)` (length m ≥ n) starting from `initial`.
    /// - Parameters:
    ///   - transforms: one per parameter (default: all unbounded). Initial values must lie
    ///     inside their bounds.
    ///   - jacobian: optional analytic ∂r/∂p (m × n, external parameters); forward differences
    ///     in u otherwise.
    /// - Throws: `.invalidArgument` on mismatched sizes, fewer residuals than parameters or a
    ///   non-finite residual at the initial point.
    public static func fit(initial: [Double], transforms: [ParameterTransform]? = nil,
                           options: LevenbergMarquardtOptions = LevenbergMarquardtOptions(),
                           residuals residualFunction: ([Double]) -> [Double],
                           jacobian analyticJacobian: (([Double]) -> DenseMatrix)? = nil) throws(LithosError) -> LeastSquaresFit {
        let n = initial.count
        let maps = transforms ?? [ParameterTransform](repeating: .unbounded, count: n)
        guard n > 0, maps.count == n else {
            throw LithosError(.invalidArgument, "least squares: need ≥ 1 parameter and one transform per parameter")
        }
        func external(_ u: [Double]) -> [Double] { (0..<n).map { maps[$0].toExternal(u[$0]) } }
        func cost(_ r: [Double]) -> Double { var s = 0.0; for x in r { s += x * x }; return s }

        var u = (0..<n).map { maps[$0].toInternal(initial[$0]) }
        var r = residualFunction(external(u))
        let m = r.count
        guard m >= n else {
            throw LithosError(.invalidArgument, "least squares: \(m) residuals cannot determine \(n) parameters")
        }
        var f = cost(r)
        guard f.isFinite else { throw LithosError(.invalidArgument, "least squares: non-finite residual at the initial parameters") }

        func jacobianU(_ u: [Double], _ r: [Double]) -> DenseMatrix {
            if let analyticJacobian {
                var j = analyticJacobian(external(u))
                for k in 0..<n {
                    let d = maps[k].derivative(u[k])
                    for i in 0..<m { j[i, k] *= d }
                }
                return j
            }
            var j = DenseMatrix(rows: m, columns: n)
            for k in 0..<n {
                var up = u
                let h = options.finiteDifferenceStep * max(abs(u[k]), 1)
                up[k] += h
                let rp = residualFunction(external(up))
                for i in 0..<m { j[i, k] = (rp[i] - r[i]) / h }
            }
            return j
        }

        var j = jacobianU(u, r)
        var h = j.gram()
        var g = j.transposeTimes(r)
        var scale = (0..<n).map { max(h[$0, $0], 1e-300) }
        var lambda = options.initialDamping
        var nu = 2.0
        var iterations = 0
        var converged = false
        var termination = "maximum iterations reached"
        while iterations < options.maximumIterations {
            if g.map(abs).max()! <= options.gradientTolerance {
                converged = true; termination = "gradient below tolerance"; break
            }
            iterations += 1
            var a = h
            for k in 0..<n { a[k, k] += lambda * scale[k] }
            guard let l = a.cholesky() else {
                lambda *= nu; nu *= 2
                if !lambda.isFinite { termination = "damped normal equations not positive definite"; break }
                continue
            }
            let delta = l.choleskySolve(g.map { -$0 })
            var stepNorm = 0.0, uNorm = 0.0
            for k in 0..<n { stepNorm += delta[k] * delta[k]; uNorm += u[k] * u[k] }
            stepNorm = stepNorm.squareRoot(); uNorm = uNorm.squareRoot()
            if stepNorm <= options.stepTolerance * (uNorm + options.stepTolerance) {
                converged = true; termination = "step below tolerance"; break
            }
            let trial = (0..<n).map { u[$0] + delta[$0] }
            let rTrial = residualFunction(external(trial))
            let fTrial = rTrial.count == m ? cost(rTrial) : .nan
            // Predicted reduction of ½Σr² by the linear model: −gᵀδ − ½δᵀHδ (≥ 0).
            var gd = 0.0, dhd = 0.0
            let hd = h.times(delta)
            for k in 0..<n { gd += g[k] * delta[k]; dhd += delta[k] * hd[k] }
            let predicted = -gd - 0.5 * dhd
            let actual = 0.5 * (f - fTrial)
            if fTrial.isFinite && actual > 0 {
                let rho = predicted > 0 ? actual / predicted : 1
                let relative = (f - fTrial) / max(f, 1e-300)
                u = trial; r = rTrial; f = fTrial
                j = jacobianU(u, r); h = j.gram(); g = j.transposeTimes(r)
                for k in 0..<n { scale[k] = max(scale[k], h[k, k]) }
                let c = 2 * rho - 1
                lambda *= max(1.0 / 3.0, 1 - c * c * c)
                nu = 2
                if relative <= options.relativeReductionTolerance {
                    converged = true; termination = "relative reduction below tolerance"; break
                }
            } else {
                lambda *= nu; nu *= 2
                if !lambda.isFinite || lambda > 1e30 {
                    converged = true; termination = "no further reduction possible (damping saturated)"; break
                }
            }
        }

        // Statistics at the solution.
        let p = external(u)
        let dof = m - n
        let s2 = dof > 0 ? f / Double(dof) : .nan
        var covariance: DenseMatrix? = nil
        var se = [Double](repeating: .nan, count: n)
        var lower = [Double](repeating: .nan, count: n)
        var upper = [Double](repeating: .nan, count: n)
        if dof > 0, let inv = h.symmetricPositiveDefiniteInverse() {
            let t = studentTQuantile975(degreesOfFreedom: dof)
            var cov = DenseMatrix(rows: n, columns: n)
            let d = (0..<n).map { maps[$0].derivative(u[$0]) }
            for a in 0..<n { for b in 0..<n { cov[a, b] = s2 * inv[a, b] * d[a] * d[b] } }
            for k in 0..<n {
                let seU = (s2 * inv[k, k]).squareRoot()
                se[k] = cov[k, k].squareRoot()
                let x = maps[k].toExternal(u[k] - t * seU), y = maps[k].toExternal(u[k] + t * seU)
                lower[k] = min(x, y); upper[k] = max(x, y)
            }
            covariance = cov
        }
        return LeastSquaresFit(parameters: p, residuals: r, sumOfSquares: f, rms: (f / Double(m)).squareRoot(),
                               degreesOfFreedom: dof, residualVariance: s2, covariance: covariance,
                               standardErrors: se, confidenceLower95: lower, confidenceUpper95: upper,
                               iterations: iterations, converged: converged, termination: termination)
    }

    /// The 0.975 quantile of Student's t distribution with ν degrees of freedom, by the
    /// Cornish–Fisher expansion about the normal quantile (Abramowitz & Stegun 26.7.5);
    /// error < 1e-3 for ν ≥ 3 (12.706 exactly for ν = 1, 4.303 for ν = 2).
    public static func studentTQuantile975(degreesOfFreedom nu: Int) -> Double {
        if nu <= 0 { return .nan }
        if nu == 1 { return 12.7062047 }
        if nu == 2 { return 4.30265273 }
        let z = 1.959963984540054
        let v = Double(nu)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
            + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v)
    }
}
