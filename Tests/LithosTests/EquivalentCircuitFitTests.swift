import Testing
@testable import Lithos

/// Gaussian deviates for the impedance tests: SplitMix64 (JSONTests) through Box–Muller.
struct ImpedanceNoise {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    mutating func next() -> Double {
        let u1 = max(rng.uniform(), 1e-300), u2 = rng.uniform()
        return Physics.sqrt(-2 * Physics.log(u1)) * Physics.cos(2 * Double.pi * u2)
    }
}

/// Log-spaced frequencies [Hz] from `from` to `to`, `count` points.
func logSpacedFrequencies(from: Double, to: Double, count: Int) -> [Double] {
    (0..<count).map { from * Physics.pow(to / from, Double($0) / Double(count - 1)) }
}

/// The spectrum of `circuit` at `frequencies`, with noise of `relativeNoise`·|Z| on the real and
/// on the imaginary part (proportional noise, the model the modulus weighting assumes).
func syntheticSpectrum(_ circuit: EquivalentCircuit, frequencies: [Double], relativeNoise: Double, seed: UInt64) throws -> ImpedanceSpectrum {
    var noise = ImpedanceNoise(seed: seed)
    let z = frequencies.map { f -> ComplexNumber in
        let z = circuit.impedance(frequency_Hz: f)
        let s = relativeNoise * z.magnitude
        return z + ComplexNumber(s * noise.next(), s * noise.next())
    }
    return try ImpedanceSpectrum(frequency_Hz: frequencies, impedance_ohm: z)
}

@Suite struct EquivalentCircuitFitTests {
    /// R0 = 20 mΩ, (15 mΩ ‖ CPE: τ = 1 ms, α = 0.9), (30 mΩ ‖ CPE: τ = 0.2 s, α = 0.8) and a
    /// Warburg element (σ_W = 4 mΩ·s^(−1/2), or R_W = 40 mΩ with τ_W = 10 s): a typical Li-ion cell
    /// spectrum.
    static func truth(_ warburg: WarburgElement.Kind, inductance: Bool = false) -> EquivalentCircuit {
        let w: WarburgElement
        switch warburg {
        case .none: w = .none
        case .semiInfinite: w = .semiInfinite(coefficient: 0.004)
        case .finiteSpace: w = .finiteSpace(resistance_ohm: 0.04, timeConstant_s: 10)
        }
        return EquivalentCircuit(seriesResistance_ohm: 0.020, seriesInductance_H: inductance ? 2e-7 : nil,
                                 arcs: [ConstantPhaseArc(resistance_ohm: 0.015, timeConstant_s: 1e-3, exponent: 0.9),
                                        ConstantPhaseArc(resistance_ohm: 0.030, timeConstant_s: 0.2, exponent: 0.8)],
                                 warburg: w)
    }

    static let frequencies = logSpacedFrequencies(from: 0.01, to: 1e5, count: 50)

    @Test func analyticDerivativesMatchFiniteDifferences() throws {
        for kind in WarburgElement.Kind.allCases {
            let c = Self.truth(kind, inductance: true)
            let p = c.parameters
            for f in [0.01, 0.7, 30, 2e4] {
                let analytic = c.impedanceDerivatives(frequency_Hz: f)
                for i in p.indices {
                    var up = p, down = p
                    let h = 1e-6 * abs(p[i])
                    up[i] += h; down[i] -= h
                    let zu = try EquivalentCircuit(topology: c.topology, parameters: up).impedance(frequency_Hz: f)
                    let zd = try EquivalentCircuit(topology: c.topology, parameters: down).impedance(frequency_Hz: f)
                    let numeric = (zu - zd) / (2 * h)
                    // Compared as the sensitivity p·∂Z/∂p relative to |Z| (what the log-parameter
                    // Jacobian holds): central differences are good to ~1e-9 on that scale.
                    let z = c.impedance(frequency_Hz: f).magnitude
                    let error = (numeric - analytic[i]).magnitude * abs(p[i]) / z
                    #expect(error < 1e-7, "∂Z/∂\(c.topology.parameterNames[i]) at \(f) Hz (\(kind)): error \(error)")
                }
            }
        }
    }

    @Test func elementLimits() {
        // R‖CPE with α = 1 is an RC: Z(1/(2πτ)) = R/(1 + j); C_eff = Q.
        let arc = ConstantPhaseArc(resistance_ohm: 2, timeConstant_s: 0.5, exponent: 1)
        let z = arc.impedance(angularFrequency: 2)
        #expect(abs(z.real - 1) < 1e-12 && abs(z.imaginary + 1) < 1e-12)
        #expect(abs(arc.effectiveCapacitance_F(seriesResistance_ohm: 0.1) - 0.25) < 1e-12)
        #expect(abs(arc.characteristicFrequency_Hz - 1 / Double.pi) < 1e-12)
        // Brug with R_s → ∞ reduces to τ/R (Hsu–Mansfeld).
        let cpe = ConstantPhaseArc(resistance_ohm: 0.03, timeConstant_s: 0.2, exponent: 0.8)
        #expect(abs(cpe.effectiveCapacitance_F(seriesResistance_ohm: .infinity) - 0.2 / 0.03) < 1e-9 * 0.2 / 0.03)
        // Finite-space Warburg: 45° at high frequency (R_W/√(jωτ)), R_W/3 − j/(ωC) at low.
        let w = WarburgElement.finiteSpace(resistance_ohm: 0.04, timeConstant_s: 100)
        let high = w.impedance(angularFrequency: 1e4)
        #expect(abs(high.real + high.imaginary) < 1e-12 * high.magnitude)
        let low = w.impedance(angularFrequency: 1e-6)
        #expect(abs(low.real - 0.04 / 3) < 1e-6 && abs(low.imaginary + 0.04 / (1e-6 * 100)) < 1e-6 * 400)
        let semi = WarburgElement.semiInfinite(coefficient: 0.004).impedance(angularFrequency: 4)
        #expect(abs(semi.real - 0.002) < 1e-15 && abs(semi.imaginary + 0.002) < 1e-15)
    }

    @Test func noiseFreeRoundTripIsExact() throws {
        for kind in WarburgElement.Kind.allCases {
            for inductance in [false, true] {
                let truth = Self.truth(kind, inductance: inductance)
                let spectrum = try syntheticSpectrum(truth, frequencies: Self.frequencies, relativeNoise: 0, seed: 1)
                let fit = try EquivalentCircuitFit.fit(spectrum, topology: truth.topology)
                var worst = 0.0
                for (i, p) in truth.parameters.enumerated() {
                    worst = max(worst, abs(fit.parameters[i] / p - 1))
                }
                print("noise-free \(truth.topology.label): worst relative parameter error \(worst), rms residual \(fit.rmsRelativeResidual), \(fit.iterations) iterations, starts \(fit.convergedStartCount)/\(fit.startCount)")
                #expect(worst < 1e-6, "\(truth.topology.label)")
                #expect(fit.rmsRelativeResidual < 1e-8)
                #expect(fit.converged)
            }
        }
    }

    /// 0.5 % noise (seed 2024): every parameter within 2 % of the truth and inside its 95 %
    /// interval, except R_W and τ_W of the finite-space element, which are strongly correlated
    /// (the band ends at ωτ_W ≈ 0.6): each within 6 % and its interval, and their ratio, the
    /// diffusion capacitance τ_W/R_W, within 2 %.
    @Test func noisyRoundTripRecoversEveryParameter() throws {
        for kind in [WarburgElement.Kind.finiteSpace, .semiInfinite] {
            let truth = Self.truth(kind)
            let spectrum = try syntheticSpectrum(truth, frequencies: Self.frequencies, relativeNoise: 0.005, seed: 2024)
            let fit = try EquivalentCircuitFit.fit(spectrum, topology: truth.topology)
            print("0.5 % noise, \(truth.topology.label): rms relative residual \(fit.rmsRelativeResidual), converged \(fit.converged)")
            for (i, p) in truth.parameters.enumerated() {
                let error = fit.parameters[i] / p - 1
                let name = fit.parameterNames[i]
                print("  \(name) true \(p) fitted \(fit.parameters[i]) [\(fit.confidenceLower95[i]), \(fit.confidenceUpper95[i])] error \(error * 100) %")
                #expect(abs(error) < (name == "R_W" || name == "tau_W" ? 0.06 : 0.02), "\(name): \(error * 100) %")
                #expect(fit.confidenceLower95[i] <= p && p <= fit.confidenceUpper95[i], "\(name) outside its 95 % interval")
            }
            if case let .finiteSpace(r, tau) = fit.circuit.warburg {
                let error = (tau / r) / (10 / 0.04) - 1
                print("  C_W = τ_W/R_W error \(error * 100) %")
                #expect(abs(error) < 0.02)
            }
            // The residual is the noise: 0.5 % per component, √2 × that per point.
            #expect(abs(fit.rmsRelativeResidual / (0.005 * 2.0.squareRoot()) - 1) < 0.2)
            #expect(fit.converged)
        }
    }

    @Test func reportAndJSON() throws {
        let truth = Self.truth(.finiteSpace)
        let spectrum = try syntheticSpectrum(truth, frequencies: Self.frequencies, relativeNoise: 0.005, seed: 7)
        let fit = try EquivalentCircuitFit.fit(spectrum, topology: truth.topology)
        #expect(fit.parameterNames == ["R0", "R1", "Q1", "alpha1", "R2", "Q2", "alpha2", "R_W", "tau_W"])
        #expect(fit.circuit.arcs[0].timeConstant_s < fit.circuit.arcs[1].timeConstant_s)
        #expect(abs(fit.circuit.arcs[0].characteristicFrequency_Hz / (1 / (2 * Double.pi * 1e-3)) - 1) < 0.03)
        let json = try JSONParser.parse(JSONWriter.write(fit.toJSON(), pretty: true))
        #expect(json["circuit"] == .string("R0-(R|CPE)x2-Wfs"))
        guard case let .array(parameters)? = json["parameters"], case let .array(arcs)? = json["arcs"],
              case let .array(frequencies)? = json["points"]?["frequency_Hz"] else {
            Issue.record("missing members"); return
        }
        #expect(parameters.count == 9 && arcs.count == 2 && frequencies.count == 50)
        #expect(parameters[0]["name"] == .string("R0"))
        if case let .number(c)? = arcs[1]["effective_capacitance_F"] {
            let expected = truth.arcs[1].effectiveCapacitance_F(seriesResistance_ohm: 0.02)
            #expect(abs(c / expected - 1) < 0.1)
        } else { Issue.record("no effective capacitance") }
    }

    @Test func parsesTheCSVThatLithosImpedanceWrites() throws {
        let text = "frequency_Hz,re_ohm,im_ohm,minus_im_ohm,magnitude_ohm,phase_deg\n0.1,0.05,-0.01,0.01,0.051,-11\n\n10,0.03,-0.002,0.002,0.03,-3\n"
        let s = try ImpedanceSpectrum.parse(csv: text)
        #expect(s.frequency_Hz == [0.1, 10])
        #expect(s.impedance_ohm == [ComplexNumber(0.05, -0.01), ComplexNumber(0.03, -0.002)])
        // −Im Z column only, other order, CRLF, extra column.
        let minus = try ImpedanceSpectrum.parse(csv: "minus_im_ohm,re_ohm,frequency_Hz,note\r\n0.01,0.05,0.1,x\r\n")
        #expect(minus.impedance_ohm == [ComplexNumber(0.05, -0.01)])
        #expect(throws: LithosError.self) { try ImpedanceSpectrum.parse(csv: "frequency_Hz,re_ohm\n1,2\n") }
        #expect(throws: LithosError.self) { try ImpedanceSpectrum.parse(csv: "frequency_Hz,re_ohm,im_ohm\n1,abc,2\n") }
        #expect(throws: LithosError.self) { try ImpedanceSpectrum.parse(csv: "frequency_Hz,re_ohm,im_ohm\n-1,1,2\n") }
        #expect(throws: LithosError.self) { try ImpedanceSpectrum.parse(csv: "frequency_Hz,re_ohm,im_ohm\n") }
        do {
            _ = try ImpedanceSpectrum.parse(csv: "frequency_Hz,re_ohm,im_ohm\n1,1,1\n2,x,1\n")
            Issue.record("no error")
        } catch {   // typed throws: `error` is a LithosError
            #expect(error.kind == .parse && error.message.contains("line 3"))
        }
    }

    @Test func rejectsUnderdeterminedFits() throws {
        let s = try ImpedanceSpectrum(frequency_Hz: [1, 10, 100], impedance_ohm: [ComplexNumber(1, -1), ComplexNumber(1, -0.5), ComplexNumber(1, -0.1)])
        #expect(throws: LithosError.self) { try EquivalentCircuitFit.fit(s, topology: EquivalentCircuitTopology(arcCount: 2)) }
        #expect(throws: LithosError.self) { try EquivalentCircuitFit.fit(s, topology: EquivalentCircuitTopology(arcCount: 9)) }
    }
}
