/// The through-thickness solve of the SSB-P2D composite cathode for one step and one cell current:
/// the distribution of the interfacial current over the cathode's finite-volume cells, given
/// each cell's particle surface stoichiometry as an affine function of its interfacial current.
///
/// Mesh: N cells of width Δx = L/N, x = 0 at the separator, x = L at the collector; faces
/// m = 0…N at x = m·Δx. Unknowns: the potential difference Δφ_k = φ_s − φ_e of every cell (cell
/// averages). Equations:
///
/// - Ohm in both networks with i_e + i_s = i: at interior face m the ionic current is
///   i_e,m = (Δφ_m − Δφ_m−1 + s)/r, r = Δx·(1/σ_ion + 1/σ_el), s = Δx·i/σ_el (eliminating φ_s
///   and φ_e: ∂Δφ/∂x = i_e/σ_ion − i_s/σ_el, two-point flux between cell averages), with the
///   boundary values i_e,0 = i (all current is ionic at the separator) and i_e,N = 0;
/// - charge balance of cell k (∂i_e/∂x = a·j): R_k = i_e,k+1 − i_e,k − a·Δx·j_k = 0;
/// - kinetics: Δφ_k = F_k(j_k) = U(θ_k) + j_k·R_film + 2RT/F·asinh(j_k/(2i₀(θ_k))),
///   θ_k = S_k + β·j_k (the implicit particle step is affine in the flux).
///
/// Nonlinear elimination: for a given Δφ every cell's current j_k = F_k⁻¹(Δφ_k) is found
/// exactly (F_k increases with j_k: a safeguarded Newton–bisection in one unknown), so the
/// stiff, kinked local kinetics (a surface running full drives i₀ → 0) never enter the outer
/// iteration. The outer Newton on R(Δφ) has the Jacobian −tridiag(−1/r, 2/r + a·Δx/G_k, −1/r)
/// (G_k = dF_k/dj_k; one 1/r at the two ends), symmetric negative definite, solved by the Thomas
/// algorithm; R is the gradient of a convex function of Δφ, so a backtracking line search on ‖R‖²
/// makes the iteration converge from any start. dU/dθ is not available analytically: each
/// evaluation uses the secant through the cell's previous evaluation, the first one of a solve
/// the last step's final slope (committed with the profile; a forward difference after a reset),
/// so a cell costs one OCP evaluation per local iteration.
///
/// After convergence a uniform correction of size ≤ the residual makes Σ a·Δx·j_k = −i exact to
/// round-off (lithium conservation), and the face currents are its running sums.
///
/// Terminal potentials (`summary`): the cell values are cell averages and the current varies
/// linearly within a cell (j_k uniform over it), so the boundary half cells give
/// φ̄_e,0 − φ_e(0) = −Δx·(2·i_e,0 + i_e,1)/(6σ_ion) and φ_s(L) − φ̄_s,N−1 = −Δx·(i_s,N−1 + 2·i_s,N)/(6σ_el).
/// With these a uniform reaction gives exactly the Newman–Tobias drop L/3·(1/σ_ion + 1/σ_el)·i for
/// every N (a point-value half cell, Δx/2·i/σ, would give L/3 + L/(6N²), i.e. L/2 at N = 1), so
/// N = 1 is the SSB-SPM exactly.
///
/// Storage is one fixed scratch array; nothing allocates after creation.
struct CompositeCathodeSolver: Sendable {
    /// What a solve needs besides the cell current: the start-of-step laws and the mesh.
    struct Constants: Sendable {
        var temperature_K: Double
        /// 2RT/F [V].
        var thermalVoltage2: Double
        var openCircuitPotential: OpenCircuitPotential
        var kinetics: ExchangeCurrentLaw
        /// i₀ at θ = ½ and the step temperature [A/m²].
        var referenceExchangeCurrent: Double
        /// CAM|SE film resistance [Ω·m² of particle surface].
        var filmResistance: Double
        /// dθ_surface/dj of the prepared step [1/(A/m²)] (same for every cell).
        var surfaceSlope: Double
        var ionicConductivity: Double
        var electronicConductivity: Double
        /// Cell width Δx [m] and a·Δx [1].
        var cellWidth: Double
        var areaPerCell: Double

        init() {
            temperature_K = Physics.referenceTemperature_K
            thermalVoltage2 = 2 * Physics.gasConstant * temperature_K / Physics.faraday
            openCircuitPotential = .lithiumMetal
            kinetics = ExchangeCurrentLaw(valueAtHalfStoichiometry: ArrheniusLaw(valueAt25C: 1, activationEnergy_J_per_mol: 0),
                                          concentrationDependent: false)
            referenceExchangeCurrent = 1
            filmResistance = 0
            surfaceSlope = 0
            ionicConductivity = 1
            electronicConductivity = 1
            cellWidth = 1
            areaPerCell = 1
        }
    }

    /// Outer Newton iteration bound, line-search halvings per iteration, local iteration bound.
    static let maximumIterations = 50
    static let maximumHalvings = 30
    static let maximumLocalIterations = 100
    /// Local convergence: |F_k(j) − Δφ_k| ≤ G·1e-12·(|j| + j_scale) (or round-off).
    static let localTolerance = 1e-12
    /// Outer convergence: max |R_k| ≤ tolerance·(|i| + 1e-3 A/m²) (plus the round-off floor of
    /// R), or a Newton update max |δΔφ| ≤ `updateTolerance_V`.
    static let residualTolerance = 1e-10
    static let updateTolerance_V = 1e-12
    /// θ range of the OCP and i₀ (as `SingleParticleElectrode.interface`).
    static let stoichiometryFloor = 1e-9

    let nodeCount: Int
    /// Layout (N = nodeCount): face [N+1] | then per cell [N]: Δφ, trial Δφ, δ, j, j at the base
    /// point, G at the base point, θ (clamped), U, dU/dθ, i₀, η, F, G = dF/dj, R, c′, d′.
    private var work: [Double]
    /// Outer Newton updates of the last solve.
    private(set) var iterations = 0
    /// Cell evaluations (OCP calls) of the last solve.
    private(set) var evaluations = 0

    private static let cellFields = 16

    init(nodeCount: Int) {
        precondition(nodeCount >= 1)
        self.nodeCount = nodeCount
        work = Array(repeating: 0, count: (nodeCount + 1) + Self.cellFields * nodeCount)
    }

    /// Pointers into the scratch block.
    private struct Fields {
        let face, phi, trial, delta, j, jBase, gBase, theta, u, du, i0, eta, f, g, res, cp, dp: UnsafeMutablePointer<Double>
        init(_ w: UnsafeMutablePointer<Double>, _ n: Int) {
            face = w
            let c = w + (n + 1)
            phi = c; trial = c + n; delta = c + 2 * n; j = c + 3 * n; jBase = c + 4 * n; gBase = c + 5 * n
            theta = c + 6 * n; u = c + 7 * n; du = c + 8 * n; i0 = c + 9 * n; eta = c + 10 * n; f = c + 11 * n
            g = c + 12 * n; res = c + 13 * n; cp = c + 14 * n; dp = c + 15 * n
        }
    }

    /// Solves for cell current density i [A/m² of electrode] with cell surface stoichiometries
    /// θ_k = base[k] + β·j_k, starting from the last committed profile `guess` (`export` layout:
    /// its cell current density, cell currents and OCP slopes). Returns false if the iteration
    /// fails.
    mutating func solve(currentDensity i: Double, base: [Double], guess: [Double], constants c: Constants) -> Bool {
        let n = nodeCount
        var counts = (0, 0)
        let ok = base.withUnsafeBufferPointer { b in
            guess.withUnsafeBufferPointer { g0 in
                work.withUnsafeMutableBufferPointer { w in
                    Self.newton(n: n, w: w.baseAddress!, i: i, base: b.baseAddress!, guessFace0: g0[0],
                                guessCurrent: g0.baseAddress! + (n + 1), guessSlope: g0.baseAddress! + (n + 1 + 5 * n),
                                c: c, counts: &counts)
                }
            }
        }
        iterations = counts.0
        evaluations = counts.1
        return ok
    }

    /// The start: the cell current density `guessFace0` with its cell currents and OCP slopes.
    private static func newton(n: Int, w: UnsafeMutablePointer<Double>, i: Double, base: UnsafePointer<Double>,
                               guessFace0: Double, guessCurrent: UnsafePointer<Double>, guessSlope: UnsafePointer<Double>,
                               c: Constants, counts: inout (Int, Int)) -> Bool {
        let p = Fields(w, n)
        counts = (0, 0)
        if n == 1 {
            // One cell carries the whole current: no iteration (exactly the single-particle model).
            let j = -i / c.areaPerCell
            let (f, g) = evaluateCell(0, j: j, p: p, base: base, c: c, firstEvaluation: true, initialSlope: 0)
            p.j[0] = j; p.f[0] = f; p.g[0] = g; p.phi[0] = f
            counts.1 = 1
            finish(n: n, p: p, i: i, c: c)
            return f.isFinite
        }
        let r = c.cellWidth * (1 / c.ionicConductivity + 1 / c.electronicConductivity)
        let s = c.cellWidth * i / c.electronicConductivity
        let jScale = abs(i) / (c.areaPerCell * Double(n)) + c.referenceExchangeCurrent
        // Start: the last step's cell currents, shifted by the change of the cell current spread
        // as a uniform reaction, with their potentials (a consistent pair, one evaluation per cell).
        let shift = (i - guessFace0) / (c.areaPerCell * Double(n))
        for k in 0..<n {
            let j = guessCurrent[k] - shift
            let (f, g) = evaluateCell(k, j: j, p: p, base: base, c: c, firstEvaluation: true, initialSlope: guessSlope[k])
            p.j[k] = j; p.f[k] = f; p.g[k] = g; p.phi[k] = f
        }
        counts.1 += n
        var norm = residuals(n: n, p: p, potentials: p.phi, i: i, r: r, s: s, c: c)
        while true {
            guard norm.max.isFinite else { return false }
            if norm.max <= norm.tolerance { break }
            if counts.0 >= maximumIterations { return false }
            // Newton: A·δ = r·R with A = tridiag(−1, [k > 0] + [k < N−1] + r·a·Δx/G_k, −1).
            var previousUpper = 0.0, previousRHS = 0.0
            for k in 0..<n {
                let lower = k > 0 ? -1.0 : 0
                let upper = k < n - 1 ? -1.0 : 0
                let diagonal = (k > 0 ? 1.0 : 0) + (k < n - 1 ? 1.0 : 0) + r * c.areaPerCell / p.g[k]
                let inverse = 1 / (diagonal - lower * previousUpper)
                previousUpper = upper * inverse
                previousRHS = (r * p.res[k] - lower * previousRHS) * inverse
                p.cp[k] = previousUpper
                p.dp[k] = previousRHS
            }
            p.delta[n - 1] = p.dp[n - 1]
            var largestUpdate = abs(p.delta[n - 1])
            var k = n - 2
            while k >= 0 {
                p.delta[k] = p.dp[k] - p.cp[k] * p.delta[k + 1]
                largestUpdate = max(largestUpdate, abs(p.delta[k]))
                k -= 1
            }
            counts.0 += 1
            for k in 0..<n { p.jBase[k] = p.j[k]; p.gBase[k] = p.g[k] }
            // Backtracking line search on ‖R‖².
            var lambda = 1.0
            var accepted = false
            for _ in 0...maximumHalvings {
                for k in 0..<n { p.trial[k] = p.phi[k] + lambda * p.delta[k] }
                let t = evaluate(n: n, p: p, potentials: p.trial, lambda: lambda, i: i, r: r, s: s, jScale: jScale, base: base, c: c,
                                 evaluations: &counts.1)
                if t.sumOfSquares.isFinite && (t.sumOfSquares <= (1 - 1e-4 * lambda) * norm.sumOfSquares || t.max <= t.tolerance) {
                    for k in 0..<n { p.phi[k] = p.trial[k] }
                    norm = t
                    accepted = true
                    break
                }
                lambda *= 0.5
            }
            if !accepted {
                // No decrease: the base point is at round-off if its update was negligible.
                guard largestUpdate <= 1e3 * updateTolerance_V else { return false }
                for k in 0..<n { p.trial[k] = p.phi[k] }
                norm = evaluate(n: n, p: p, potentials: p.trial, lambda: 0, i: i, r: r, s: s, jScale: jScale, base: base, c: c,
                                evaluations: &counts.1)
                break
            }
            if lambda * largestUpdate <= updateTolerance_V { break }
        }
        finish(n: n, p: p, i: i, c: c)
        return true
    }

    /// Solves every cell's kinetics for its current at the potentials `potentials`
    /// (warm-started from the base point's j plus the linear prediction λ·δ/G) and evaluates the
    /// charge-balance residuals.
    private static func evaluate(n: Int, p: Fields, potentials phi: UnsafeMutablePointer<Double>, lambda: Double, i: Double,
                                 r: Double, s: Double, jScale: Double, base: UnsafePointer<Double>, c: Constants,
                                 evaluations: inout Int) -> (max: Double, sumOfSquares: Double, tolerance: Double) {
        for k in 0..<n {
            let start = p.jBase[k] + lambda * p.delta[k] / p.gBase[k]
            solveCell(k, target: phi[k], start: start, jScale: jScale, p: p, base: base, c: c, evaluations: &evaluations)
        }
        return residuals(n: n, p: p, potentials: phi, i: i, r: r, s: s, c: c)
    }

    /// The charge-balance residuals R_k at `potentials` with the cells' present currents: max |R|,
    /// ‖R‖² and the convergence tolerance of R.
    private static func residuals(n: Int, p: Fields, potentials phi: UnsafeMutablePointer<Double>, i: Double, r: Double, s: Double,
                                  c: Constants) -> (max: Double, sumOfSquares: Double, tolerance: Double) {
        var largest = 0.0, sum = 0.0, smallestG = Double.infinity, largestPhi = 0.0
        for k in 0..<n {
            let right = k < n - 1 ? (phi[k + 1] - phi[k] + s) / r : 0
            let left = k > 0 ? (phi[k] - phi[k - 1] + s) / r : i
            let residual = right - left - c.areaPerCell * p.j[k]
            p.res[k] = residual
            largest = max(largest, abs(residual))
            sum += residual * residual
            smallestG = min(smallestG, p.g[k])
            largestPhi = max(largestPhi, abs(phi[k]))
        }
        if !(sum.isFinite && largest.isFinite) { return (.nan, .nan, 0) }
        // Round-off floor of R: potentials to an ulp, each cell's kinetics to a few ulps.
        let epsilon = Double.ulpOfOne
        let floor = 8 * epsilon * (largestPhi / r + abs(i) + c.areaPerCell * (largestPhi + 1) / smallestG)
        return (largest, sum, residualTolerance * (abs(i) + 1e-3) + floor)
    }

    /// j_k with F_k(j_k) = target: Newton on the increasing function F_k, safeguarded by the
    /// bracket the signs of F_k − target give (bisection when Newton leaves it) and, before both
    /// ends are known, by a cap on the step (F_k is only logarithmic in j far out, where plain
    /// Newton overshoots). Leaves the cell's arrays at the solution.
    @inline(__always)
    private static func solveCell(_ k: Int, target: Double, start: Double, jScale: Double, p: Fields, base: UnsafePointer<Double>,
                                  c: Constants, evaluations: inout Int) {
        var j = start
        var (f, g) = evaluateCell(k, j: j, p: p, base: base, c: c, firstEvaluation: false)
        evaluations += 1
        var low = -Double.infinity, high = Double.infinity
        let tolerance = 4 * Double.ulpOfOne * (abs(target) + 1)
        for _ in 0..<maximumLocalIterations {
            let h = f - target
            // Converged when the potential matches to round-off or the current to 1e-12 of its
            // scale (near a full or empty surface F is steep and carries round-off of ~1e-9 V).
            if abs(h) <= tolerance || abs(h) <= g * localTolerance * (abs(j) + jScale) { break }
            if h > 0 { high = j } else { low = j }
            var next = j - h / g
            if low.isFinite && high.isFinite {
                if !(next > low && next < high) { next = 0.5 * (low + high) }
            } else {
                let cap = 4 * (abs(j) + jScale)
                next = min(max(next, j - cap), j + cap)
            }
            if next == j || !next.isFinite { break }
            j = next
            (f, g) = evaluateCell(k, j: j, p: p, base: base, c: c, firstEvaluation: false)
            evaluations += 1
        }
        p.j[k] = j
        p.f[k] = f
        p.g[k] = g
    }

    /// F_k(j) and G = dF_k/dj; stores θ (clamped), U, dU/dθ, i₀ and η of the cell. dU/dθ: the
    /// secant through the cell's previous evaluation, or, at a solve's first evaluation,
    /// `initialSlope` (the last step's final slope; a forward difference when it is not finite).
    @inline(__always)
    private static func evaluateCell(_ k: Int, j: Double, p: Fields, base: UnsafePointer<Double>, c: Constants,
                                     firstEvaluation: Bool, initialSlope: Double = .nan) -> (Double, Double) {
        let beta = c.surfaceSlope
        let theta = base[k] + beta * j
        let clamped = min(max(theta, stoichiometryFloor), 1 - stoichiometryFloor)
        let inside = clamped == theta
        let u = c.openCircuitPotential.potential(clamped, temperature_K: c.temperature_K)
        var slope = p.du[k]
        if firstEvaluation {
            slope = initialSlope
            if !slope.isFinite {
                let h = clamped < 0.5 ? 1e-6 : -1e-6
                slope = (c.openCircuitPotential.potential(clamped + h, temperature_K: c.temperature_K) - u) / h
            }
        } else {
            let dTheta = clamped - p.theta[k]
            if abs(dTheta) > 1e-11 { slope = (u - p.u[k]) / dTheta }
        }
        let i0 = c.kinetics.value(surfaceStoichiometry: clamped, referenceValue: c.referenceExchangeCurrent)
        let q = Physics.sqrt(4 * i0 * i0 + j * j)
        // η = 2RT/F·asinh(j/(2i₀)) = ±2RT/F·ln((|j| + q)/(2i₀)), one logarithm.
        let magnitude = c.thermalVoltage2 * Physics.log((abs(j) + q) / (2 * i0))
        let eta = j < 0 ? -magnitude : magnitude
        let kinetic = c.thermalVoltage2 / q   // ∂η/∂j
        var g = c.filmResistance + kinetic
        if inside {
            g += slope * beta
            let occupancy = clamped * (1 - clamped)
            if c.kinetics.concentrationDependent && occupancy > ExchangeCurrentLaw.minimumOccupancyProduct {
                // ∂η/∂i₀·di₀/dθ·β with ∂η/∂i₀ = −(2RT/F)·j/(i₀·q), di₀/dθ = i₀(1 − 2θ)/(2θ(1 − θ)).
                g -= kinetic * j * (1 - 2 * clamped) / (2 * occupancy) * beta
            }
        }
        p.theta[k] = clamped
        p.u[k] = u
        p.du[k] = slope
        p.i0[k] = i0
        p.eta[k] = eta
        return (u + c.filmResistance * j + eta, max(g, 0.25 * (kinetic + c.filmResistance)))
    }

    /// Exact charge conservation (uniform correction of the cell currents) and the face currents.
    private static func finish(n: Int, p: Fields, i: Double, c: Constants) {
        var total = 0.0
        for k in 0..<n { total += c.areaPerCell * p.j[k] }
        let correction = (total + i) / (c.areaPerCell * Double(n))
        p.face[0] = i
        for k in 0..<n {
            p.j[k] -= correction
            p.face[k + 1] = p.face[k] + c.areaPerCell * p.j[k]
        }
        p.face[n] = 0
    }

    // MARK: results of the last successful solve

    /// What the composite looks like after the last solve.
    struct Summary: Sendable {
        /// φ_s(L) − φ_e(0) [V].
        var voltage_V: Double
        /// Mean Δφ over the cells minus `voltage_V` [V]: the composite's ohmic loss.
        var ohmicDrop_V: Double
        /// φ_e(L) − φ_e(0) and φ_s(L) − φ_s(0) [V].
        var electrolyteDrop_V: Double
        var electronicDrop_V: Double
    }

    /// Potentials of the last solve for cell current density i (see the type's notes).
    func summary(currentDensity i: Double, constants c: Constants) -> Summary {
        let n = nodeCount
        return work.withUnsafeBufferPointer { w in
            let p = Fields(UnsafeMutablePointer(mutating: w.baseAddress!), n)
            let dx = c.cellWidth, si = c.ionicConductivity, se = c.electronicConductivity
            var meanF = 0.0
            for k in 0..<n { meanF += p.f[k] }
            meanF /= Double(n)
            // Σ over cells of the drops from φ_e(0) to φ̄_e,k and from φ̄_s,k to φ_s(L), averaged.
            var ionicInterior = 0.0, electronicInterior = 0.0, ionicSum = 0.0, electronicSum = 0.0
            if n > 1 {
                for m in 1..<n {
                    let f = p.face[m]
                    ionicInterior += f * Double(n - m)
                    electronicInterior += (i - f) * Double(m)
                    ionicSum += f
                    electronicSum += i - f
                }
            }
            let f0 = p.face[0], f1 = p.face[1], fLast = p.face[n - 1]
            let ionicStart = (2 * f0 + f1) / 6            // φ_e(0) → φ̄_e,0, ×Δx/σ_ion
            let electronicEnd = ((i - fLast) + 2 * i) / 6   // φ̄_s,N−1 → φ_s(L), ×Δx/σ_el
            let ionic = dx / si * (ionicStart + ionicInterior / Double(n))
            let electronic = dx / se * (electronicEnd + electronicInterior / Double(n))
            let voltage = meanF - ionic - electronic
            // Whole-layer drops: add the far half cells (φ̄_e,N−1 → φ_e(L), φ_s(0) → φ̄_s,0).
            let electrolyteDrop = -dx / si * (ionicStart + ionicSum + (fLast + 2 * p.face[n]) / 6)
            let electronicDrop = -dx / se * ((2 * (i - f0) + (i - f1)) / 6 + electronicSum + electronicEnd)
            return Summary(voltage_V: voltage, ohmicDrop_V: meanF - voltage,
                           electrolyteDrop_V: electrolyteDrop, electronicDrop_V: electronicDrop)
        }
    }

    /// Layout of the committed profile block (`export`): face currents [N+1], then per cell
    /// j, θ_surface (unclamped), η, Δφ, φ̄_e, dU/dθ [N each]. Its j and dU/dθ start the next solve.
    static func profileCount(nodeCount n: Int) -> Int { n + 1 + 6 * n }

    /// Copies the last solve into `profile` (layout of `profileCount`); φ̄_e relative to the
    /// negative electrode, from φ_e(0) = `separatorPotential`.
    func export(into profile: inout [Double], base: [Double], separatorPotential: Double, constants c: Constants) {
        let n = nodeCount
        work.withUnsafeBufferPointer { w in
            let p = Fields(UnsafeMutablePointer(mutating: w.baseAddress!), n)
            base.withUnsafeBufferPointer { b in
                profile.withUnsafeMutableBufferPointer { out in
                    for m in 0...n { out[m] = p.face[m] }
                    let o = n + 1
                    let dx = c.cellWidth, si = c.ionicConductivity
                    var phi = separatorPotential - dx / si * (2 * p.face[0] + p.face[1]) / 6
                    for k in 0..<n {
                        if k > 0 { phi -= dx / si * p.face[k] }
                        out[o + k] = p.j[k]
                        out[o + n + k] = b[k] + c.surfaceSlope * p.j[k]
                        out[o + 2 * n + k] = p.eta[k]
                        out[o + 3 * n + k] = p.f[k]
                        out[o + 4 * n + k] = phi
                        out[o + 5 * n + k] = p.du[k]
                    }
                }
            }
        }
    }
}
