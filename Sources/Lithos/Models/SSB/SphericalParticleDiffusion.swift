/// Fickian diffusion of Li in a spherical particle, ∂c/∂t = D·(1/r²)·∂/∂r(r²·∂c/∂r), with
/// −D·∂c/∂r = N at r = R (N [mol/(m²·s)], outward molar flux = j/F) and symmetry at r = 0.
///
/// Discretisation: finite volumes on `shellCount` shells of equal thickness Δr = R/n (cell
/// centres at (i + ½)·Δr, exact spherical shell volumes and face areas), so the amount of Li
/// is conserved to round-off: Σ vᵢ·cᵢ changes by exactly −dt·R²·N per step (all in units of
/// 4π). Time: implicit (backward) Euler, unconditionally stable — any dt is stable; the error is
/// first order in dt.
///
/// With D constant over a step the update is linear: c_new = A⁻¹·(v·c_old/dt) + N·w, where
/// w = A⁻¹·(−R²·e_last) is the response to a unit outward flux. `prepare` factorises A (Thomas
/// algorithm) and computes w once per (D, dt) pair; steps with the same D and dt — the usual
/// case — reuse them. A trial current then costs no solve at all: the surface concentration is
/// affine in N (`surfaceConcentration`). Storage is fixed at creation; nothing allocates after.
public struct SphericalParticleDiffusion: Sendable {
    /// Number of radial shells (≥ 3).
    public let shellCount: Int
    /// Particle radius [m].
    public let radius_m: Double
    /// Shell thickness Δr [m].
    public let shellThickness_m: Double
    /// Shell volumes / 4π [m³]: ((i+1)³ − i³)·Δr³/3.
    private var volumes: [Double]
    /// Outer face area / 4π of shell i [m²] = ((i+1)·Δr)²; the last one is R².
    private var faceAreas: [Double]
    /// Factorisation of A for (factorDiffusivity, factorTimeStep): Thomas multipliers.
    private var lowerDiagonal: [Double]
    private var modifiedUpper: [Double]
    private var inversePivot: [Double]
    /// Response to a unit outward molar flux, w = A⁻¹·(−R²·e_last) [mol/m³ per mol/(m²·s)].
    private var unitFluxResponse: [Double]
    private var factorDiffusivity = Double.nan
    private var factorTimeStep = Double.nan

    public static let minimumShells = 3
    public static let maximumShells = 1000

    /// Creates the mesh. `shellCount` must be within `minimumShells…maximumShells` and the radius
    /// positive (checked by the parameter readers; trapping here would be a bug upstream).
    public init(radius_m: Double, shellCount: Int) {
        precondition(shellCount >= Self.minimumShells && shellCount <= Self.maximumShells && radius_m > 0)
        self.shellCount = shellCount
        self.radius_m = radius_m
        let dr = radius_m / Double(shellCount)
        shellThickness_m = dr
        volumes = (0..<shellCount).map { i in
            let a = Double(i) * dr, b = Double(i + 1) * dr
            return (b * b * b - a * a * a) / 3
        }
        faceAreas = (0..<shellCount).map { i in let b = Double(i + 1) * dr; return b * b }
        lowerDiagonal = Array(repeating: 0, count: shellCount)
        modifiedUpper = Array(repeating: 0, count: shellCount)
        inversePivot = Array(repeating: 0, count: shellCount)
        unitFluxResponse = Array(repeating: 0, count: shellCount)
    }

    /// Factorises the implicit-Euler matrix for diffusivity D [m²/s] and step dt [s] unless the
    /// last factorisation was for the same pair. No allocation.
    public mutating func prepare(diffusivity_m2_per_s d: Double, dt_s dt: Double) {
        if d == factorDiffusivity && dt == factorTimeStep { return }
        let n = shellCount
        let dr = shellThickness_m
        volumes.withUnsafeBufferPointer { v in
            faceAreas.withUnsafeBufferPointer { s in
                lowerDiagonal.withUnsafeMutableBufferPointer { lower in
                    modifiedUpper.withUnsafeMutableBufferPointer { upper in
                        inversePivot.withUnsafeMutableBufferPointer { pivot in
                            // Row i: −g_{i−1}·c_{i−1} + (v_i/dt + g_{i−1} + g_i)·c_i − g_i·c_{i+1},
                            // with conductance g_i = D·s_i/Δr between shells i and i+1.
                            var previousUpper = 0.0
                            for i in 0..<n {
                                let gLeft = i > 0 ? d * s[i - 1] / dr : 0
                                let gRight = i < n - 1 ? d * s[i] / dr : 0
                                let a = -gLeft
                                let b = v[i] / dt + gLeft + gRight
                                let inv = 1 / (b - a * previousUpper)
                                lower[i] = a
                                pivot[i] = inv
                                upper[i] = -gRight * inv
                                previousUpper = upper[i]
                            }
                        }
                    }
                }
            }
        }
        factorDiffusivity = d
        factorTimeStep = dt
        // w = A⁻¹·(−R²·e_last).
        let r2 = radius_m * radius_m
        // Moved out for the solve (substitute reads self); an empty array does not allocate.
        var response: [Double] = []
        swap(&response, &unitFluxResponse)
        response.withUnsafeMutableBufferPointer { w in
            for i in 0..<n { w[i] = 0 }
            w[n - 1] = -r2
            substitute(w)
        }
        swap(&response, &unitFluxResponse)
    }

    /// Solves A·x = rhs in place with the current factorisation.
    private func substitute(_ x: UnsafeMutableBufferPointer<Double>) {
        let n = shellCount
        lowerDiagonal.withUnsafeBufferPointer { lower in
            modifiedUpper.withUnsafeBufferPointer { upper in
                inversePivot.withUnsafeBufferPointer { pivot in
                    var previous = 0.0
                    for i in 0..<n {
                        previous = (x[i] - lower[i] * previous) * pivot[i]
                        x[i] = previous
                    }
                    var i = n - 2
                    while i >= 0 {
                        x[i] -= upper[i] * x[i + 1]
                        i -= 1
                    }
                }
            }
        }
    }

    /// The zero-flux part of a step: x = A⁻¹·(v·c_old/dt), written to `out` (may alias
    /// `old`). `prepare` must have been called with this step's D and dt.
    public func advanceWithoutFlux(from old: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let n = shellCount
        let dt = factorTimeStep
        volumes.withUnsafeBufferPointer { v in
            for i in 0..<n { out[i] = v[i] * old[i] / dt }
        }
        substitute(out)
    }

    /// Adds the response to outward flux N [mol/(m²·s)] to a zero-flux solution in place:
    /// c_new = x + N·w.
    public func addFluxResponse(_ flux: Double, to x: UnsafeMutableBufferPointer<Double>) {
        unitFluxResponse.withUnsafeBufferPointer { w in
            for i in 0..<shellCount { x[i] += flux * w[i] }
        }
    }

    /// Surface concentration [mol/m³] of the profile `zeroFlux + N·w` under outward flux N,
    /// without forming the profile: a quadratic through the last two shell averages with the
    /// boundary slope ∂c/∂r = −N/D at r = R (third-order accurate in Δr). Affine in N.
    public func surfaceConcentration(zeroFlux x: UnsafeBufferPointer<Double>, flux: Double) -> Double {
        let n = shellCount
        let (w1, w2) = unitFluxResponse.withUnsafeBufferPointer { w in (w[n - 1], w[n - 2]) }
        return surfaceConcentration(last: x[n - 1] + flux * w1, secondLast: x[n - 2] + flux * w2, flux: flux)
    }

    /// Surface concentration [mol/m³] of a profile (`c`, the shell averages) under outward flux N.
    public func surfaceConcentration(_ c: UnsafeBufferPointer<Double>, flux: Double) -> Double {
        surfaceConcentration(last: c[shellCount - 1], secondLast: c[shellCount - 2], flux: flux)
    }

    /// c(R) from the quadratic c(r) = c_R + b·(r − R) + k·(r − R)² with b = −N/D, matching the
    /// averages at the last two cell centres (R − Δr/2 and R − 3Δr/2; the cell-centre values
    /// stand in for the averages, an O(Δr²) difference absorbed in the scheme's own error).
    func surfaceConcentration(last: Double, secondLast: Double, flux: Double) -> Double {
        let dr = shellThickness_m
        let slope = -flux / factorDiffusivity
        let curvature = (slope * dr - (last - secondLast)) / (2 * dr * dr)
        return last + slope * dr / 2 - curvature * dr * dr / 4
    }

    /// Volume-averaged concentration [mol/m³].
    public func meanConcentration(_ c: UnsafeBufferPointer<Double>) -> Double {
        volumes.withUnsafeBufferPointer { v in
            var sum = 0.0
            for i in 0..<shellCount { sum += v[i] * c[i] }
            let r = radius_m
            return sum / (r * r * r / 3)
        }
    }

    /// The diffusivity the last `prepare` used [m²/s] (NaN before the first).
    public var preparedDiffusivity: Double { factorDiffusivity }
}
