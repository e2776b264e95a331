/// Settings of `DistributionOfRelaxationTimes.compute`.
public struct DRTOptions: Sendable {
    /// Regularisation weight λ [–] (≥ 0) of the first-derivative penalty, in the normalised
    /// objective described at `DistributionOfRelaxationTimes`. Default 1e-5: for spectra with a
    /// relative noise of ~0.5 % it leaves a residual about the size of the noise, two Voigt
    /// elements come out as two clean peaks and the polarisation resistance is biased by < 0.6 %
    /// (`DRTTests`); lower it for cleaner data (sharper peaks, less bias), raise it for noisier
    /// data (fewer false peaks).
    public var regularization = 1e-5
    /// Grid points per decade of τ (default 10).
    public var pointsPerDecade = 10.0
    /// Decades the τ grid extends beyond the measured band on each side: τ from
    /// 1/(2πf_max)/10^e to 10^e/(2πf_min) (default e = 1).
    public var extensionDecades = 1.0
    /// Fit a series inductance L ≥ 0 (for spectra with an inductive high-frequency tail).
    public var inductance = false
    /// Fit a series capacitance C (as 1/C ≥ 0: Z gains −j/(ωC)) for spectra whose low-frequency
    /// end is capacitive (blocking diffusion, the cell's own differential capacitance dQ/dOCV);
    /// without it that tail is forced into γ at the largest τ of the grid.
    public var capacitance = false
    /// Local maxima of γ below this fraction of the largest γ are not reported as peaks (their
    /// area goes to the neighbouring peak).
    public var peakThreshold = 0.01

    public init() {}
}

/// One peak of a distribution of relaxation times.
public struct DRTPeak: Sendable, Equatable {
    /// τ at the maximum [s] (parabolic interpolation in ln τ between grid points).
    public var timeConstant_s: Double
    /// 1/(2πτ) [Hz].
    public var frequency_Hz: Double
    /// The area under the peak, ∫γ d ln τ between the minima that bound it [Ω].
    public var resistance_ohm: Double
    /// γ at the peak's grid maximum [Ω].
    public var gammaMaximum_ohm: Double
}

/// The distribution of relaxation times (DRT) of an impedance spectrum: the spectrum written as
/// a continuum of Voigt elements,
///
///     Z(ω) = R∞ + jωL [+ 1/(jωC)] + ∫ γ(ln τ)/(1 + jωτ) d ln τ,   γ ≥ 0,
///
/// discretised on a log-uniform τ grid (γ piecewise constant over each cell of width Δ = Δ ln τ):
/// Z(ω) ≈ R∞ + jωL + Σₖ γₖ·Δ/(1 + jωτₖ). γ(τ) [Ω] is the resistance per unit ln τ, so the
/// resistance of a process is the area under its peak and Σₖγₖ·Δ is the polarisation
/// resistance (Schichlein, Müller, Voigts, Krügel & Ivers-Tiffée, J. Appl. Electrochem. 32
/// (2002) 875; Wan, Saccoccio, Chen & Ciucci, Electrochim. Acta 184 (2015) 483).
///
/// **Problem solved** (by `NonNegativeLeastSquares` on the stacked system [A; √λ·D]):
///
///     minimise  (1/N)·Σᵢ |Z_fit(ωᵢ) − Zᵢ|²/|Zᵢ|²  +  λ·Σₖ ((γ̃ₖ₊₁ − γ̃ₖ)/Δ)²·Δ
///     subject to γ ≥ 0, R∞ ≥ 0, L ≥ 0, 1/C ≥ 0,
///
/// with γ̃ = γ/R_ref, R_ref = max|Zᵢ|, so λ is dimensionless and independent of the cell's
/// impedance level, of N and of the grid density (the penalty approximates ∫(dγ̃/d ln τ)² d ln τ).
/// Modulus weighting 1/|Zᵢ| for the reason given at `EquivalentCircuitFit`. The penalty is on the
/// first derivative: its null space is a constant γ, which the data exclude (a constant γ over
/// the extended grid adds a large real part at every frequency), whereas the second derivative's
/// null space also holds linear ramps that the weakly constrained ends of the grid (beyond the
/// measured band) can take up; together with γ ≥ 0, which removes the negative side lobes, the
/// first derivative gives compact peaks whose areas are preserved.
public struct DistributionOfRelaxationTimes: Sendable {
    /// τ grid [s] (log-uniform, increasing).
    public var timeConstants_s: [Double]
    /// γ(τ) [Ω] (per unit ln τ), ≥ 0.
    public var gamma_ohm: [Double]
    /// Δ ln τ of the grid [–].
    public var logSpacing: Double
    /// R∞ [Ω]: the high-frequency resistance.
    public var highFrequencyResistance_ohm: Double
    /// L [H] (0 unless `DRTOptions.inductance`).
    public var inductance_H: Double
    /// Series capacitance C [F] (infinite — no capacitive term — unless `DRTOptions.capacitance`).
    public var capacitance_F: Double
    /// Σγₖ·Δ [Ω]: the polarisation resistance.
    public var polarizationResistance_ohm: Double
    /// Peaks by increasing τ.
    public var peaks: [DRTPeak]
    /// The spectrum that was analysed (as given).
    public var spectrum: ImpedanceSpectrum
    /// Z of the DRT model at each measured frequency [Ω].
    public var fitted_ohm: [ComplexNumber]
    /// (Z_fit − Z_meas)/|Z_meas| at each frequency [–].
    public var relativeResiduals: [ComplexNumber]
    /// √(mean |Z_fit − Z_meas|²/|Z_meas|²) [–].
    public var rmsRelativeResidual: Double
    /// The λ used.
    public var regularization: Double

    /// Computes the DRT of `spectrum`.
    /// - Throws: `.invalidArgument` for λ < 0, a grid density outside 1…100 per decade, an
    ///   extension outside 0…4 decades, or fewer than 3 frequencies.
    public static func compute(_ spectrum: ImpedanceSpectrum, options: DRTOptions = DRTOptions()) throws(LithosError) -> DistributionOfRelaxationTimes {
        guard options.regularization >= 0, options.regularization.isFinite else {
            throw LithosError(.invalidArgument, "DRT: the regularisation λ must be finite and ≥ 0 (got \(options.regularization))")
        }
        guard options.pointsPerDecade >= 1, options.pointsPerDecade <= 100 else {
            throw LithosError(.outOfRange, "DRT: points per decade must be within 1…100 (got \(options.pointsPerDecade))")
        }
        guard options.extensionDecades >= 0, options.extensionDecades <= 4 else {
            throw LithosError(.outOfRange, "DRT: the grid extension must be within 0…4 decades (got \(options.extensionDecades))")
        }
        guard spectrum.count >= 3 else {
            throw LithosError(.invalidArgument, "DRT: needs at least 3 frequencies (got \(spectrum.count))")
        }
        let f = spectrum.frequency_Hz, z = spectrum.impedance_ohm, count = f.count
        let range = spectrum.frequencyRange_Hz
        let widening = Physics.pow(10, options.extensionDecades)
        let tauMin = 1 / (2 * Double.pi * range.upperBound) / widening
        let tauMax = widening / (2 * Double.pi * range.lowerBound)
        let decades = Physics.log10(tauMax / tauMin)
        let gridCount = max(Int((decades * options.pointsPerDecade).rounded()) + 1, 3)
        let delta = Physics.log(tauMax / tauMin) / Double(gridCount - 1)
        let tau = (0..<gridCount).map { tauMin * Physics.exp(Double($0) * delta) }

        let rRef = z.map(\.magnitude).max()!
        let omegaMax = 2 * Double.pi * range.upperBound
        let lRef = rRef / omegaMax
        // Unknowns (scaled by R_ref, L_ref, ω_min/R_ref for 1/C): R∞, [L], [1/C], γ₀ … γ_{K−1}.
        let omegaMin = 2 * Double.pi * range.lowerBound
        let elastanceRef = rRef * omegaMin
        let lColumn = options.inductance ? 1 : -1
        let cColumn = options.capacitance ? (options.inductance ? 2 : 1) : -1
        let offset = 1 + (options.inductance ? 1 : 0) + (options.capacitance ? 1 : 0)
        let n = offset + gridCount
        let rows = 2 * count + (gridCount - 1)
        var a = DenseMatrix(rows: rows, columns: n)
        var b = [Double](repeating: 0, count: rows)
        let dataScale = 1 / Double(count).squareRoot()
        for i in 0..<count {
            let omega = 2 * Double.pi * f[i]
            let w = dataScale / z[i].magnitude
            a[2 * i, 0] = rRef * w
            if lColumn > 0 { a[2 * i + 1, lColumn] = omega * lRef * w }
            if cColumn > 0 { a[2 * i + 1, cColumn] = -elastanceRef / omega * w }
            for k in 0..<gridCount {
                let x = omega * tau[k], d = 1 / (1 + x * x)
                a[2 * i, offset + k] = rRef * delta * d * w
                a[2 * i + 1, offset + k] = -rRef * delta * x * d * w
            }
            b[2 * i] = z[i].real * w
            b[2 * i + 1] = z[i].imaginary * w
        }
        let penalty = (options.regularization / delta).squareRoot()
        for k in 0..<(gridCount - 1) {
            a[2 * count + k, offset + k] = -penalty
            a[2 * count + k, offset + k + 1] = penalty
        }
        let solution = try NonNegativeLeastSquares.solve(a, b)
        let rInf = solution.x[0] * rRef
        let inductance = lColumn > 0 ? solution.x[lColumn] * lRef : 0
        let elastance = cColumn > 0 ? solution.x[cColumn] * elastanceRef : 0
        let gamma = (0..<gridCount).map { solution.x[offset + $0] * rRef }

        var zFit: [ComplexNumber] = []
        var relative: [ComplexNumber] = []
        var sum = 0.0
        for i in 0..<count {
            let omega = 2 * Double.pi * f[i]
            var zi = ComplexNumber(rInf, omega * inductance - elastance / omega)
            for k in 0..<gridCount where gamma[k] > 0 {
                zi = zi + ComplexNumber(gamma[k] * delta) / ComplexNumber(1, omega * tau[k])
            }
            zFit.append(zi)
            let d = (zi - z[i]) / z[i].magnitude
            relative.append(d)
            sum += d.real * d.real + d.imaginary * d.imaginary
        }
        var polarization = 0.0
        for g in gamma { polarization += g * delta }
        return DistributionOfRelaxationTimes(
            timeConstants_s: tau, gamma_ohm: gamma, logSpacing: delta, highFrequencyResistance_ohm: rInf,
            inductance_H: inductance, capacitance_F: 1 / elastance, polarizationResistance_ohm: polarization,
            peaks: findPeaks(tau: tau, gamma: gamma, delta: delta, threshold: options.peakThreshold),
            spectrum: spectrum, fitted_ohm: zFit, relativeResiduals: relative,
            rmsRelativeResidual: (sum / Double(count)).squareRoot(), regularization: options.regularization)
    }

    /// Local maxima of γ above `threshold`·max γ; each peak's area runs to the lowest point of γ
    /// between it and its neighbouring peaks (a valley point is shared half and half), so the
    /// areas add up to the polarisation resistance.
    static func findPeaks(tau: [Double], gamma: [Double], delta: Double, threshold: Double) -> [DRTPeak] {
        let k = gamma.count
        guard let top = gamma.max(), top > 0 else { return [] }
        var maxima: [Int] = []
        for i in 0..<k {
            let left = i > 0 ? gamma[i - 1] : 0, right = i < k - 1 ? gamma[i + 1] : 0
            if gamma[i] > left && gamma[i] >= right && gamma[i] >= threshold * top { maxima.append(i) }
        }
        guard !maxima.isEmpty else { return [] }
        // Valleys between consecutive maxima (lowest γ; first index on ties).
        var valleys: [Int] = []
        for p in 0..<(maxima.count - 1) {
            var v = maxima[p] + 1
            for i in (maxima[p] + 1)..<maxima[p + 1] where gamma[i] < gamma[v] { v = i }
            valleys.append(v)
        }
        var peaks: [DRTPeak] = []
        for (p, i) in maxima.enumerated() {
            let lower = p == 0 ? 0 : valleys[p - 1], upper = p == maxima.count - 1 ? k - 1 : valleys[p]
            var area = 0.0
            for j in lower...upper {
                let shared = (p > 0 && j == lower) || (p < maxima.count - 1 && j == upper)
                area += gamma[j] * delta * (shared ? 0.5 : 1)
            }
            // Parabola through the three points around the maximum, in ln τ.
            var lnTau = Physics.log(tau[i])
            if i > 0 && i < k - 1 {
                let g0 = gamma[i - 1], g1 = gamma[i], g2 = gamma[i + 1]
                let curvature = g0 - 2 * g1 + g2
                if curvature < 0 { lnTau += 0.5 * (g0 - g2) / curvature * delta }
            }
            let t = Physics.exp(lnTau)
            peaks.append(DRTPeak(timeConstant_s: t, frequency_Hz: 1 / (2 * Double.pi * t), resistance_ohm: area, gammaMaximum_ohm: gamma[i]))
        }
        return peaks
    }
}
