/// Settings of `EquivalentCircuitFit.fit`.
public struct EquivalentCircuitFitOptions: Sendable {
    /// Bounds of every CPE exponent α (open interval, logistic transform). α → 1 is an ideal
    /// capacitor; the lower bound keeps an arc from flattening into a resistor-like line.
    public var exponentLower = 0.3
    public var exponentUpper = 1.0
    /// Iteration limit of each Levenberg–Marquardt start.
    public var maximumIterations = 400

    public init() {}
}

/// A complex nonlinear least-squares fit of an `EquivalentCircuit` to a measured spectrum
/// (Macdonald, "Impedance Spectroscopy", Ann. Biomed. Eng. 20 (1992) 289; Boukamp, Solid State
/// Ionics 20 (1986) 31), with the linearised statistics of `LevenbergMarquardt`.
///
/// **Residuals** (2N for N frequencies): rₖ = (Re Z_fit − Re Z_meas)/|Z_meas| and
/// (Im Z_fit − Im Z_meas)/|Z_meas|. Modulus weighting: the error of an impedance analyser is
/// roughly a fixed fraction of |Z| (Orazem & Tribollet 2017, ch. 21), and |Z| spans decades
/// between the ohmic intercept and the diffusion tail, so unweighted residuals would fit only the
/// low-frequency points; with 1/|Z| every frequency counts by its relative error, and the
/// residual variance s² is the variance of that relative error (so the confidence intervals are
/// right when the noise is proportional to |Z|).
///
/// **Parameters:** R0, L, Rₖ, Qₖ, σ_W, R_W, τ_W are fitted as logarithms (positive, relative
/// steps); each αₖ through a logistic map onto (`exponentLower`, `exponentUpper`). Analytic
/// Jacobian (`EquivalentCircuit.impedanceDerivatives`).
///
/// **Starts** (deterministic, the lowest sum of squares wins): R0 from the high-frequency
/// real-axis intercept (where Im Z changes sign, else Re Z at the highest frequency), the
/// polarisation resistance from Re Z at the lowest frequency; arcs (1) at the −Im Z peaks
/// (τ = 1/(2πf_peak), R = 2·(−Im Z)_peak; missing arcs filled log-uniformly), (2)–(4) with time
/// constants spread log-uniformly across the measured band (α = 0.9, 0.7, and a shifted grid),
/// the polarisation resistance shared equally; a finite-space Warburg element starts at τ_W
/// = 1/(2πf_min) and 10× that.
public struct EquivalentCircuitFit: Sendable {
    /// The fitted circuit (arcs ordered by increasing time constant).
    public var circuit: EquivalentCircuit
    /// The spectrum that was fitted (as given).
    public var spectrum: ImpedanceSpectrum
    /// Parameter names, units, values, standard errors and 95 % confidence intervals, in
    /// `EquivalentCircuitTopology` order (after the arcs were ordered by time constant).
    public var parameterNames: [String]
    public var parameterUnits: [String]
    public var parameters: [Double]
    public var standardErrors: [Double]
    public var confidenceLower95: [Double]
    public var confidenceUpper95: [Double]
    /// Z_fit [Ω] at each measured frequency.
    public var fitted_ohm: [ComplexNumber]
    /// (Z_fit − Z_meas)/|Z_meas| at each frequency [–].
    public var relativeResiduals: [ComplexNumber]
    /// √(mean over frequencies of |Z_fit − Z_meas|²/|Z_meas|²) [–].
    public var rmsRelativeResidual: Double
    /// Whether the winning start's iteration met a stopping tolerance, its iteration count and
    /// the reason it stopped.
    public var converged: Bool
    public var iterations: Int
    public var termination: String
    /// Number of starts that ran, and of those that converged.
    public var startCount: Int
    public var convergedStartCount: Int

    /// The circuit's form.
    public var topology: EquivalentCircuitTopology { circuit.topology }

    /// Fits `topology` to `spectrum`.
    /// - Throws: `.invalidArgument` for an arc count outside 0…8, fewer than parameterCount/2
    ///   + 1 frequencies, or when no start gives a finite fit.
    public static func fit(_ spectrum: ImpedanceSpectrum, topology: EquivalentCircuitTopology,
                           options: EquivalentCircuitFitOptions = EquivalentCircuitFitOptions()) throws(LithosError) -> EquivalentCircuitFit {
        guard (0...8).contains(topology.arcCount) else {
            throw LithosError(.outOfRange, "equivalent-circuit fit: arc count must be within 0…8 (got \(topology.arcCount))")
        }
        let n = topology.parameterCount
        guard 2 * spectrum.count > n else {
            throw LithosError(.invalidArgument,
                "equivalent-circuit fit: \(topology.label) has \(n) parameters, which \(spectrum.count) frequencies (\(2 * spectrum.count) real residuals) cannot determine")
        }
        guard options.exponentLower > 0, options.exponentUpper <= 1, options.exponentLower < options.exponentUpper else {
            throw LithosError(.invalidArgument, "equivalent-circuit fit: need 0 < exponentLower < exponentUpper ≤ 1")
        }
        let f = spectrum.frequency_Hz, z = spectrum.impedance_ohm
        let weight = z.map { 1 / $0.magnitude }
        let alphaTransform = ParameterTransform.interval(lower: options.exponentLower, upper: options.exponentUpper)
        let transforms: [ParameterTransform] = topology.parameterNames.map { $0.hasPrefix("alpha") ? alphaTransform : .positive }

        func circuit(_ p: [Double]) -> EquivalentCircuit {
            // The length always matches (the solver keeps n parameters).
            (try? EquivalentCircuit(topology: topology, parameters: p)) ?? EquivalentCircuit(seriesResistance_ohm: .nan)
        }
        func residuals(_ p: [Double]) -> [Double] {
            let c = circuit(p)
            var r = [Double](repeating: 0, count: 2 * f.count)
            for k in f.indices {
                let d = c.impedance(frequency_Hz: f[k]) - z[k]
                r[2 * k] = d.real * weight[k]
                r[2 * k + 1] = d.imaginary * weight[k]
            }
            return r
        }
        func jacobian(_ p: [Double]) -> DenseMatrix {
            let c = circuit(p)
            var j = DenseMatrix(rows: 2 * f.count, columns: n)
            for k in f.indices {
                let d = c.impedanceDerivatives(frequency_Hz: f[k])
                for i in 0..<n {
                    j[2 * k, i] = d[i].real * weight[k]
                    j[2 * k + 1, i] = d[i].imaginary * weight[k]
                }
            }
            return j
        }

        var lm = LevenbergMarquardtOptions()
        lm.maximumIterations = options.maximumIterations
        let starts = initialGuesses(spectrum, topology: topology, options: options)
        var best: LeastSquaresFit? = nil
        var convergedStarts = 0, ran = 0
        for start in starts {
            guard let result = try? LevenbergMarquardt.fit(initial: start, transforms: transforms, options: lm,
                                                           residuals: residuals, jacobian: jacobian),
                  result.sumOfSquares.isFinite else { continue }
            ran += 1
            if result.converged { convergedStarts += 1 }
            if best == nil || result.sumOfSquares < best!.sumOfSquares { best = result }
        }
        guard let best else {
            throw LithosError(.invalidArgument, "equivalent-circuit fit: no start gave a finite fit of \(topology.label) (is the spectrum an impedance in Ω?)")
        }

        // Order the arcs by increasing time constant (permuting their parameter blocks).
        let base = topology.seriesInductance ? 2 : 1
        let unordered = circuit(best.parameters)
        let arcOrder = unordered.arcs.indices.sorted { unordered.arcs[$0].timeConstant_s < unordered.arcs[$1].timeConstant_s }
        var permutation = Array(0..<base)
        for a in arcOrder { permutation += [base + 3 * a, base + 3 * a + 1, base + 3 * a + 2] }
        permutation += Array((base + 3 * topology.arcCount)..<n)
        let p = permutation.map { best.parameters[$0] }
        let fitted = circuit(p)
        let zFit = f.map { fitted.impedance(frequency_Hz: $0) }
        var relative: [ComplexNumber] = []
        var sum = 0.0
        for k in f.indices {
            let d = (zFit[k] - z[k]) / z[k].magnitude
            relative.append(d)
            sum += d.real * d.real + d.imaginary * d.imaginary
        }
        return EquivalentCircuitFit(
            circuit: fitted, spectrum: spectrum, parameterNames: topology.parameterNames, parameterUnits: topology.parameterUnits,
            parameters: p, standardErrors: permutation.map { best.standardErrors[$0] },
            confidenceLower95: permutation.map { best.confidenceLower95[$0] },
            confidenceUpper95: permutation.map { best.confidenceUpper95[$0] },
            fitted_ohm: zFit, relativeResiduals: relative, rmsRelativeResidual: (sum / Double(f.count)).squareRoot(),
            converged: best.converged, iterations: best.iterations, termination: best.termination,
            startCount: ran, convergedStartCount: convergedStarts)
    }

    /// The deterministic starting parameter vectors (see the type's documentation).
    static func initialGuesses(_ measured: ImpedanceSpectrum, topology: EquivalentCircuitTopology,
                               options: EquivalentCircuitFitOptions) -> [[Double]] {
        let s = measured.sortedByFrequency()
        let f = s.frequency_Hz, z = s.impedance_ohm
        let last = f.count - 1
        let zMax = z.map(\.magnitude).max()!
        // High-frequency real-axis intercept: the highest frequency where Im Z changes sign.
        var r0 = z[last].real
        for k in stride(from: last, to: 0, by: -1) where (z[k].imaginary > 0) != (z[k - 1].imaginary > 0) {
            let t = z[k - 1].imaginary / (z[k - 1].imaginary - z[k].imaginary)
            r0 = z[k - 1].real + t * (z[k].real - z[k - 1].real)
            break
        }
        r0 = max(min(r0, z.map(\.real).min()!), 1e-6 * zMax)
        if !(r0 > 0) { r0 = 1e-3 * zMax }
        let rPolarisation = max(z[0].real - r0, 1e-3 * zMax)
        let omegaMin = 2 * Double.pi * f[0], omegaMax = 2 * Double.pi * f[last]
        let tauLow = 1 / omegaMax, tauHigh = 1 / omegaMin
        var inductance = 1e-3 * zMax / omegaMax
        if z[last].imaginary > 0 { inductance = max(inductance, z[last].imaginary / omegaMax) }

        // Interior local maxima of −Im Z (largest first).
        var peaks: [(tau: Double, height: Double)] = []
        if f.count >= 3 {
            for k in 1..<last where -z[k].imaginary > 0 && -z[k].imaginary >= -z[k - 1].imaginary && -z[k].imaginary > -z[k + 1].imaginary {
                peaks.append((1 / (2 * Double.pi * f[k]), -z[k].imaginary))
            }
        }
        peaks.sort { $0.height > $1.height }

        let nArcs = topology.arcCount
        let warburgShare = topology.warburg == .none ? 0.0 : 0.3
        let arcR = rPolarisation * (1 - warburgShare) / Double(max(nArcs, 1))
        func logUniform(_ k: Int, shift: Double) -> Double {
            tauLow * Physics.pow(tauHigh / tauLow, (Double(k) + shift) / Double(nArcs))
        }
        var arcSets: [[(r: Double, tau: Double, alpha: Double)]] = []
        if nArcs > 0 {
            var fromPeaks = Array(peaks.prefix(nArcs)).map { (r: min(2 * $0.height, rPolarisation), tau: $0.tau, alpha: 0.9) }
            var k = 0
            while fromPeaks.count < nArcs {
                let tau = logUniform(k, shift: 0.5)
                if !fromPeaks.contains(where: { abs(Physics.log($0.tau / tau)) < 0.5 }) { fromPeaks.append((arcR, tau, 0.9)) }
                k += 1
                if k > 4 * nArcs { fromPeaks.append((arcR, logUniform(fromPeaks.count, shift: 0.25), 0.9)) }
            }
            arcSets.append(fromPeaks)
            arcSets.append((0..<nArcs).map { (arcR, logUniform($0, shift: 0.5), 0.9) })
            arcSets.append((0..<nArcs).map { (arcR, logUniform($0, shift: 0.5), 0.7) })
            arcSets.append((0..<nArcs).map { (arcR, logUniform($0, shift: 0.25), 0.85) })
        } else {
            arcSets.append([])
        }
        let alphaRange = options.exponentLower...options.exponentUpper
        func clampAlpha(_ a: Double) -> Double {
            let w = alphaRange.upperBound - alphaRange.lowerBound
            return min(max(a, alphaRange.lowerBound + 0.02 * w), alphaRange.upperBound - 0.02 * w)
        }
        var warburgSets: [[Double]] = []
        switch topology.warburg {
        case .none: warburgSets = [[]]
        case .semiInfinite:
            let sigma = max(-z[0].imaginary * Physics.sqrt(omegaMin) * 0.5, 1e-3 * zMax * Physics.sqrt(omegaMin))
            warburgSets = [[sigma]]
        case .finiteSpace:
            let rw = max(warburgShare * rPolarisation * 3, 1e-3 * zMax)
            warburgSets = [[rw, tauHigh], [rw, 10 * tauHigh]]
        }
        var starts: [[Double]] = []
        for arcs in arcSets {
            for w in warburgSets {
                var p = [r0]
                if topology.seriesInductance { p.append(inductance) }
                for a in arcs {
                    let alpha = clampAlpha(a.alpha)
                    p += [a.r, Physics.pow(a.tau, alpha) / a.r, alpha]
                }
                starts.append(p + w)
            }
        }
        return starts
    }
}
