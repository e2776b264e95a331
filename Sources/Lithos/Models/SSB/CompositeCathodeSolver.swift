/// The through-thickness solve of the SSB-P2D composite cathode for one step and one cell current:
/// the distribution of the interfacial current over the cathode's finite-volume cells, given
/// each cell's particle surface stoichiometry as an affine function of its interfacial current.
///
/// Mesh: N cells of width Δx = L/N, x = 0 at the separator, x = L at the collector; faces
/// m = 0…N at x = m·Δx. Unknowns: the ionic current density at the interior faces,
/// i_e,m (m = 1…N−1) [A/m² of electrode], with the boundary values i_e,0 = i (all current is ionic
/// at the separator) and i_e,N = 0 (all electronic at the collector). Everything else follows:
///
/// - charge balance of cell k (∂i_e/∂x = a·j): a·Δx·j_k = i_e,k+1 − i_e,k, so Σ a·Δx·j_k = −i
///   holds by construction (the particles' Li change sums to the cell current to round-off);
/// - Ohm in both networks with i_e + i_s = i: across interior face m the potential difference
///   Δφ = φ_s − φ_e jumps by Δφ_m − Δφ_m−1 = Δx·[(1/σ_ion + 1/σ_el)·i_e,m − i/σ_el] (two-point flux
///   between cell averages);
/// - kinetics in each cell: Δφ_k = F_k(j_k) = U(θ_k) + j_k·R_film + η(j_k; i₀(θ_k)),
///   θ_k = S_k + β·j_k (the implicit particle step is affine in the flux), η the inverse of the
///   symmetric Butler–Volmer law.
///
/// The residual at interior face m is E_m = F_m(j_m) − F_m−1(j_m−1) − r·i_e,m + s [V] with
/// r = Δx·(1/σ_ion + 1/σ_el), s = Δx·i/σ_el. Because every F_k increases with j_k, E is (minus) the
/// gradient of a strictly convex function of the face currents and its Jacobian is a symmetric
/// negative-definite tridiagonal matrix — Newton's method with a backtracking line search on
/// ‖E‖² solves it with the Thomas algorithm (no pivoting) and converges from any start. dU/dθ is
/// not available analytically, so the first evaluation of a solve takes it by a forward
/// difference and later ones by the secant through the last two evaluations of each cell (one
/// OCP evaluation per cell per iteration).
///
/// Terminal potentials (`compositeVoltage`): the cell values are cell averages and the current
/// varies linearly within a cell (j_k uniform over it), so the boundary half-cells give
/// φ̄_e,0 − φ_e(0) = −Δx·(2·i_e,0 + i_e,1)/(6σ_ion) and φ_s(L) − φ̄_s,N−1 = −Δx·(i_s,N−1 + 2·i_s,N)/(6σ_el).
/// With these, a uniform reaction gives exactly the Newman–Tobias drop L/3·(1/σ_ion + 1/σ_el)·i for
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

    /// Newton iteration bound and line-search halvings per iteration.
    static let maximumIterations = 50
    static let maximumHalvings = 30
    /// Convergence: max |E_m| ≤ this [V] (≈ 1e-10 of a typical cell's kinetic stiffness × j).
    static let residualTolerance_V = 1e-12
    /// A line search that cannot reduce ‖E‖ below this [V] has reached round-off: accepted.
    static let stagnationTolerance_V = 1e-9
    /// θ range of the OCP and i₀ (as `SingleParticleElectrode.interface`).
    static let stoichiometryFloor = 1e-9

    let nodeCount: Int
    /// Layout (N = nodeCount): face [N+1] | trial [N+1] | delta [N+1] | then per cell [N]:
    /// j, θ (clamped), U, dU/dθ, i₀, η, F = Δφ, G = dF/dj, residual E (by face), c′, d′.
    private var work: [Double]
    /// Newton updates of the last solve.
    private(set) var iterations = 0

    private static let cellFields = 11

    init(nodeCount: Int) {
        precondition(nodeCount >= 1)
        self.nodeCount = nodeCount
        work = Array(repeating: 0, count: 3 * (nodeCount + 1) + Self.cellFields * nodeCount)
    }

    /// Pointers into the scratch block.
    private struct Fields {
        let face, trial, delta, j, theta, u, du, i0, eta, f, g, e, cp, dp: UnsafeMutablePointer<Double>
        init(_ w: UnsafeMutablePointer<Double>, _ n: Int) {
            face = w
            trial = w + (n + 1)
            delta = w + 2 * (n + 1)
            let c = w + 3 * (n + 1)
            j = c; theta = c + n; u = c + 2 * n; du = c + 3 * n; i0 = c + 4 * n
            eta = c + 5 * n; f = c + 6 * n; g = c + 7 * n; e = c + 8 * n; cp = c + 9 * n; dp = c + 10 * n
        }
    }

    private enum SlopeMode { case finiteDifference, secant }

    /// Solves for cell current density i [A/m² of electrode] from `guess` (the last committed
    /// face currents, N+1 values; shifted by the current change spread as a uniform reaction)
    /// with cell surface stoichiometries θ_k = base[k] + β·j_k. Returns false if Newton fails.
    mutating func solve(currentDensity i: Double, base: [Double], guess: [Double], constants c: Constants) -> Bool {
        let n = nodeCount
        var count = 0
        let ok = base.withUnsafeBufferPointer { b in
            guess.withUnsafeBufferPointer { g0 in
                work.withUnsafeMutableBufferPointer { w in
                    Self.newton(n: n, w: w.baseAddress!, i: i, base: b.baseAddress!, guess: g0.baseAddress!, c: c, iterations: &count)
                }
            }
        }
        iterations = count
        return ok
    }

    private static func newton(n: Int, w: UnsafeMutablePointer<Double>, i: Double, base: UnsafePointer<Double>,
                               guess: UnsafePointer<Double>, c: Constants, iterations: inout Int) -> Bool {
        let p = Fields(w, n)
        // Initial guess: last profile plus the current change as a uniform reaction.
        let shift = i - guess[0]
        let inverseN = 1 / Double(n)
        for m in 0...n { p.face[m] = guess[m] + shift * (Double(n - m) * inverseN) }
        p.face[0] = i
        p.face[n] = 0
        iterations = 0
        var norm = evaluate(n: n, p: p, faces: p.face, i: i, base: base, c: c, mode: .finiteDifference)
        if n == 1 { return norm.max.isFinite }
        let r = c.cellWidth * (1 / c.ionicConductivity + 1 / c.electronicConductivity)
        let ra = r * c.areaPerCell
        while true {
            guard norm.max.isFinite else { return false }
            if norm.max <= residualTolerance_V { return true }
            if iterations >= maximumIterations { return false }
            // Newton: A·δ = a·Δx·E, A = tridiag(−G_m−1, G_m−1 + G_m + r·a·Δx, −G_m) on faces 1…N−1.
            var previousUpper = 0.0, previousRHS = 0.0
            for m in 1..<n {
                let lower = m > 1 ? -p.g[m - 1] : 0
                let upper = m < n - 1 ? -p.g[m] : 0
                let diagonal = p.g[m - 1] + p.g[m] + ra
                let inverse = 1 / (diagonal - lower * previousUpper)
                previousUpper = upper * inverse
                previousRHS = (c.areaPerCell * p.e[m] - lower * previousRHS) * inverse
                p.cp[m] = previousUpper
                p.dp[m] = previousRHS
            }
            p.delta[n - 1] = p.dp[n - 1]
            var m = n - 2
            while m >= 1 {
                p.delta[m] = p.dp[m] - p.cp[m] * p.delta[m + 1]
                m -= 1
            }
            iterations += 1
            // Backtracking line search on ‖E‖².
            var lambda = 1.0
            var accepted = false
            for _ in 0...maximumHalvings {
                p.trial[0] = i
                p.trial[n] = 0
                for m in 1..<n { p.trial[m] = p.face[m] + lambda * p.delta[m] }
                let t = evaluate(n: n, p: p, faces: p.trial, i: i, base: base, c: c, mode: .secant)
                if t.sumOfSquares.isFinite && t.sumOfSquares <= (1 - 1e-4 * lambda) * norm.sumOfSquares {
                    for m in 1..<n { p.face[m] = p.trial[m] }
                    norm = t
                    accepted = true
                    break
                }
                lambda *= 0.5
            }
            if !accepted {
                // The cell arrays now hold the last trial: re-evaluate the base point.
                let base0 = evaluate(n: n, p: p, faces: p.face, i: i, base: base, c: c, mode: .secant)
                return base0.max <= stagnationTolerance_V
            }
        }
    }

    /// Evaluates every cell at face currents `faces` (j, θ, U, i₀, η, F, G) and the residuals.
    @inline(__always)
    private static func evaluate(n: Int, p: Fields, faces: UnsafeMutablePointer<Double>, i: Double, base: UnsafePointer<Double>,
                                 c: Constants, mode: SlopeMode) -> (max: Double, sumOfSquares: Double) {
        let floor = stoichiometryFloor, ceiling = 1 - stoichiometryFloor
        let rt = c.thermalVoltage2
        let beta = c.surfaceSlope
        let inverseArea = 1 / c.areaPerCell
        for k in 0..<n {
            let j = (faces[k + 1] - faces[k]) * inverseArea
            let theta = base[k] + beta * j
            let clamped = min(max(theta, floor), ceiling)
            let inside = clamped == theta
            let u = c.openCircuitPotential.potential(clamped, temperature_K: c.temperature_K)
            var slope = p.du[k]
            switch mode {
            case .finiteDifference:
                let h = clamped < 0.5 ? 1e-6 : -1e-6
                slope = (c.openCircuitPotential.potential(clamped + h, temperature_K: c.temperature_K) - u) / h
            case .secant:
                let dTheta = clamped - p.theta[k]
                if abs(dTheta) > 1e-11 { slope = (u - p.u[k]) / dTheta }
            }
            let i0 = c.kinetics.value(surfaceStoichiometry: clamped, referenceValue: c.referenceExchangeCurrent)
            let eta = ButlerVolmer.overpotential(currentDensity: j, exchangeCurrentDensity: i0, temperature_K: c.temperature_K)
            let q = Physics.sqrt(4 * i0 * i0 + j * j)
            let kinetic = rt / q
            var g = c.filmResistance + kinetic
            if inside {
                g += slope * beta
                let occupancy = clamped * (1 - clamped)
                if c.kinetics.concentrationDependent && occupancy > ExchangeCurrentLaw.minimumOccupancyProduct {
                    // ∂η/∂i₀ · di₀/dθ · β with ∂η/∂i₀ = −(2RT/F)·j/(i₀·q), di₀/dθ = i₀(1 − 2θ)/(2θ(1 − θ)).
                    g -= kinetic * j * (1 - 2 * clamped) / (2 * occupancy) * beta
                }
            }
            p.j[k] = j
            p.theta[k] = clamped
            p.u[k] = u
            p.du[k] = slope
            p.i0[k] = i0
            p.eta[k] = eta
            p.f[k] = u + c.filmResistance * j + eta
            p.g[k] = max(g, 0.25 * (kinetic + c.filmResistance))
        }
        let r = c.cellWidth * (1 / c.ionicConductivity + 1 / c.electronicConductivity)
        let s = c.cellWidth * i / c.electronicConductivity
        var largest = 0.0, sum = 0.0
        p.e[0] = 0
        if n > 1 {
            for m in 1..<n {
                let e = p.f[m] - p.f[m - 1] - (r * faces[m] - s)
                p.e[m] = e
                largest = max(largest, abs(e))
                sum += e * e
            }
        }
        if !(sum.isFinite && largest.isFinite) { return (.nan, .nan) }
        return (largest, sum)
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
            let base = UnsafeMutablePointer(mutating: w.baseAddress!)
            let p = Fields(base, n)
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
    /// j, θ_surface (unclamped), η, Δφ, φ̄_e [N each].
    static func profileCount(nodeCount n: Int) -> Int { n + 1 + 5 * n }

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
                    }
                }
            }
        }
    }
}
