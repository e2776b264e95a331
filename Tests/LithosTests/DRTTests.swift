import Testing
@testable import Lithos

@Suite struct DRTTests {
    /// R∞ = 20 mΩ + (15 mΩ ‖ C, τ = 1 ms) + (30 mΩ ‖ C, τ = 0.2 s): two ideal Voigt elements.
    static let voigt = EquivalentCircuit(seriesResistance_ohm: 0.020, arcs: [
        ConstantPhaseArc(resistance_ohm: 0.015, timeConstant_s: 1e-3, exponent: 1),
        ConstantPhaseArc(resistance_ohm: 0.030, timeConstant_s: 0.2, exponent: 1),
    ])

    static func check(_ drt: DistributionOfRelaxationTimes, label: String, areaTolerance: Double) {
        print("DRT \(label): λ = \(drt.regularization), R∞ = \(drt.highFrequencyResistance_ohm) Ω, R_pol = \(drt.polarizationResistance_ohm) Ω, rms residual \(drt.rmsRelativeResidual), peaks:")
        for p in drt.peaks { print("  τ = \(p.timeConstant_s) s, R = \(p.resistance_ohm) Ω, γ_max = \(p.gammaMaximum_ohm) Ω") }
        #expect(drt.peaks.count == 2, "\(label): \(drt.peaks.count) peaks")
        guard drt.peaks.count == 2 else { return }
        for (peak, arc) in zip(drt.peaks, voigt.arcs) {
            // Within one grid spacing of the true τ.
            #expect(abs(Physics.log(peak.timeConstant_s / arc.timeConstant_s)) <= drt.logSpacing, "\(label): τ \(peak.timeConstant_s) vs \(arc.timeConstant_s)")
            #expect(abs(peak.resistance_ohm / arc.resistance_ohm - 1) < areaTolerance, "\(label): area \(peak.resistance_ohm) vs \(arc.resistance_ohm)")
        }
        #expect(abs(drt.highFrequencyResistance_ohm / 0.020 - 1) < 0.01, "\(label): R∞")
        #expect(abs(drt.polarizationResistance_ohm / 0.045 - 1) < 0.01, "\(label): R_pol")
    }

    @Test func recoversTwoVoigtElements() throws {
        let f = logSpacedFrequencies(from: 0.01, to: 1e5, count: 50)
        let clean = try syntheticSpectrum(Self.voigt, frequencies: f, relativeNoise: 0, seed: 1)
        let drt = try DistributionOfRelaxationTimes.compute(clean)
        Self.check(drt, label: "noise-free", areaTolerance: 0.03)
        #expect(drt.rmsRelativeResidual < 0.01)
        // τ grid: 1/(2π·1e5)/10 … 10/(2π·0.01), 10 per decade.
        #expect(abs(drt.timeConstants_s.first! * 2 * Double.pi * 1e6 - 1) < 1e-12)
        #expect(abs(drt.timeConstants_s.last! * 2 * Double.pi * 0.001 - 1) < 1e-9)
        #expect(drt.timeConstants_s.count == 91)
        #expect(drt.gamma_ohm.allSatisfy { $0 >= 0 })

        let noisy = try syntheticSpectrum(Self.voigt, frequencies: f, relativeNoise: 0.005, seed: 99)
        Self.check(try DistributionOfRelaxationTimes.compute(noisy), label: "0.5 % noise", areaTolerance: 0.03)
    }

    @Test func inductiveTail() throws {
        var c = Self.voigt
        c.seriesInductance_H = 1e-7
        let f = logSpacedFrequencies(from: 0.01, to: 1e5, count: 50)
        let s = try syntheticSpectrum(c, frequencies: f, relativeNoise: 0, seed: 1)
        var options = DRTOptions()
        options.inductance = true
        let drt = try DistributionOfRelaxationTimes.compute(s, options: options)
        Self.check(drt, label: "with L", areaTolerance: 0.03)
        print("DRT with L: L = \(drt.inductance_H) H (true 1e-7)")
        #expect(abs(drt.inductance_H / 1e-7 - 1) < 0.02)
    }

    @Test func rejectsBadOptions() throws {
        let s = try syntheticSpectrum(Self.voigt, frequencies: [1, 10, 100], relativeNoise: 0, seed: 1)
        var o = DRTOptions()
        o.regularization = -1
        #expect(throws: LithosError.self) { try DistributionOfRelaxationTimes.compute(s, options: o) }
        o = DRTOptions(); o.pointsPerDecade = 0
        #expect(throws: LithosError.self) { try DistributionOfRelaxationTimes.compute(s, options: o) }
        let two = try syntheticSpectrum(Self.voigt, frequencies: [1, 10], relativeNoise: 0, seed: 1)
        #expect(throws: LithosError.self) { try DistributionOfRelaxationTimes.compute(two) }
    }

    /// Physics consistency on the SSB-SPM model's impedance (default cell, SOC 0.5, 25 °C, with a
    /// 0.1 F/m² double layer so that charge transfer shows as an arc), 1e-4 … 1e5 Hz: the fitted
    /// R0 (1 arc + finite-space Warburg) and the DRT's R∞ equal the model's high-frequency
    /// resistance, and the DRT (with a series capacitance for the blocking diffusion) puts the
    /// polarisation resistance at Re Z(f_min) − R∞.
    @Test func ssbSPMSpectrumIsConsistent() throws {
        let p = try SolidStateCellParameters(design: try BuiltInCells.defaultDesign())
        func z(_ f: Double) -> ComplexNumber {
            ModelImpedance.solidStateSPM(p, soc: 0.5, temperature_K: 298.15, frequency_Hz: f, doubleLayerCapacitance_F_per_m2: 0.1)
        }
        let f = logSpacedFrequencies(from: 1e-4, to: 1e5, count: 64)
        let spectrum = try ImpedanceSpectrum(frequency_Hz: f, impedance_ohm: f.map(z))
        let highFrequency = z(1e9).real
        let fit = try EquivalentCircuitFit.fit(spectrum, topology: EquivalentCircuitTopology(arcCount: 1, warburg: .finiteSpace))
        print("SSB-SPM fit: \(fit.parameterNames) = \(fit.parameters), rms \(fit.rmsRelativeResidual); model R_HF = \(highFrequency) Ω")
        #expect(abs(fit.circuit.seriesResistance_ohm / highFrequency - 1) < 0.005)
        var options = DRTOptions()
        options.capacitance = true
        let drt = try DistributionOfRelaxationTimes.compute(spectrum, options: options)
        let polarization = spectrum.impedance_ohm[0].real - drt.highFrequencyResistance_ohm
        print("SSB-SPM DRT: R∞ = \(drt.highFrequencyResistance_ohm) Ω, R_pol = \(drt.polarizationResistance_ohm) Ω, Re Z(f_min) − R∞ = \(polarization) Ω, C = \(drt.capacitance_F) F, rms \(drt.rmsRelativeResidual), peaks \(drt.peaks.map { ($0.timeConstant_s, $0.resistance_ohm) })")
        #expect(abs(drt.highFrequencyResistance_ohm / highFrequency - 1) < 0.01)
        #expect(abs(drt.polarizationResistance_ohm / polarization - 1) < 0.03)
    }
}
