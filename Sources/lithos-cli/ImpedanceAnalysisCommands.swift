import Lithos

/// `lithos fit-eis` and `lithos drt`: analysis of a measured impedance spectrum (CSV
/// `frequency_Hz,re_ohm,im_ohm|minus_im_ohm`, what `lithos impedance` writes; docs/identification.md).
enum ImpedanceAnalysisCommands {
    static func readSpectrum(_ path: String) throws -> ImpedanceSpectrum {
        try ImpedanceSpectrum.parse(csv: readTextFile(path))
    }

    /// lithos fit-eis --data eis.csv [--arcs N] [--warburg none|semi-infinite|finite-space]
    ///                [--inductance] --out fit.json [--spectrum-out fitted.csv]
    static func fitEIS(_ o: inout Options) throws {
        guard let path = try o.value("--data") else { throw UsageError(message: "--data eis.csv is required") }
        guard let out = try o.value("--out") else { throw UsageError(message: "--out fit.json is required") }
        let arcs = try o.number("--arcs") ?? 2
        let warburgName = try o.value("--warburg") ?? "none"
        let inductance = o.flag("--inductance")
        let spectrumOut = try o.value("--spectrum-out")
        try o.finish()
        guard [0.0, 1, 2, 3, 4].contains(arcs) else { throw UsageError(message: "--arcs must be 0, 1, 2, 3 or 4") }
        guard let warburg = WarburgElement.Kind(rawValue: warburgName) else {
            throw UsageError(message: "--warburg must be none, semi-infinite or finite-space (got '\(warburgName)')")
        }
        let spectrum = try readSpectrum(path)
        let topology = EquivalentCircuitTopology(arcCount: Int(arcs), warburg: warburg, seriesInductance: inductance)
        let fit = try EquivalentCircuitFit.fit(spectrum, topology: topology)

        let range = spectrum.frequencyRange_Hz
        print("\(topology.label) fitted to \(path): \(spectrum.count) frequencies, \(formatNumber(range.lowerBound, significant: 3))…\(formatNumber(range.upperBound, significant: 3)) Hz")
        print("RMS relative residual \(formatNumber(fit.rmsRelativeResidual * 100, significant: 3)) %, \(fit.converged ? "converged" : "NOT converged") (\(fit.termination), \(fit.iterations) iterations; \(fit.convergedStartCount)/\(fit.startCount) starts converged)\n")
        var table = TextTable(["parameter", "value", "95 % CI", "unit"])
        for i in fit.parameters.indices {
            let ci = fit.confidenceLower95[i].isFinite
                ? "\(formatNumber(fit.confidenceLower95[i])) … \(formatNumber(fit.confidenceUpper95[i]))" : "not identified"
            table.add([fit.parameterNames[i], formatNumber(fit.parameters[i], significant: 5), ci, fit.parameterUnits[i]])
        }
        print(table.render())
        if !fit.circuit.arcs.isEmpty {
            var arcsTable = TextTable(["arc", "R [Ω]", "τ [s]", "f_c [Hz]", "C_eff (Brug) [F]"])
            for (k, a) in fit.circuit.arcs.enumerated() {
                arcsTable.add(["\(k + 1)", formatNumber(a.resistance_ohm), formatNumber(a.timeConstant_s), formatNumber(a.characteristicFrequency_Hz),
                               formatNumber(a.effectiveCapacitance_F(seriesResistance_ohm: fit.circuit.seriesResistance_ohm))])
            }
            print("\n" + arcsTable.render())
        }
        try writeTextFile(out, JSONWriter.write(fit.toJSON(), pretty: true) + "\n")
        print("\nwrote \(out)")
        if let spectrumOut {
            var csv = "frequency_Hz,re_ohm,im_ohm,fit_re_ohm,fit_im_ohm,residual_re_relative,residual_im_relative\n"
            for k in 0..<spectrum.count {
                let z = spectrum.impedance_ohm[k], zf = fit.fitted_ohm[k], r = fit.relativeResiduals[k]
                csv += [spectrum.frequency_Hz[k], z.real, z.imaginary, zf.real, zf.imaginary, r.real, r.imaginary]
                    .map { JSONWriter.number($0) }.joined(separator: ",") + "\n"
            }
            try writeTextFile(spectrumOut, csv)
            print("wrote \(spectrumOut)")
        }
    }

    /// lithos drt --data eis.csv [--lambda X] [--points-per-decade N] [--inductance] [--capacitance]
    ///            --out drt.csv [--peaks-out peaks.csv]
    static func drt(_ o: inout Options) throws {
        guard let path = try o.value("--data") else { throw UsageError(message: "--data eis.csv is required") }
        guard let out = try o.value("--out") else { throw UsageError(message: "--out drt.csv is required") }
        var options = DRTOptions()
        if let lambda = try o.number("--lambda") { options.regularization = lambda }
        if let ppd = try o.number("--points-per-decade") { options.pointsPerDecade = ppd }
        options.inductance = o.flag("--inductance")
        options.capacitance = o.flag("--capacitance")
        let peaksOut = try o.value("--peaks-out")
        try o.finish()
        guard options.regularization >= 0 else { throw UsageError(message: "--lambda must be ≥ 0") }
        guard options.pointsPerDecade >= 1, options.pointsPerDecade <= 100 else {
            throw UsageError(message: "--points-per-decade must be within 1…100")
        }
        let spectrum = try readSpectrum(path)
        let drt = try DistributionOfRelaxationTimes.compute(spectrum, options: options)

        print("DRT of \(path): \(spectrum.count) frequencies, λ = \(formatNumber(drt.regularization)), \(drt.timeConstants_s.count) time constants \(formatNumber(drt.timeConstants_s.first!, significant: 3))…\(formatNumber(drt.timeConstants_s.last!, significant: 3)) s")
        print("R∞ = \(formatNumber(drt.highFrequencyResistance_ohm * 1000)) mΩ, polarisation resistance Σγ·Δlnτ = \(formatNumber(drt.polarizationResistance_ohm * 1000)) mΩ, RMS relative residual \(formatNumber(drt.rmsRelativeResidual * 100, significant: 3)) %")
        if options.inductance { print("L = \(formatNumber(drt.inductance_H)) H") }
        if options.capacitance { print("series C = \(formatNumber(drt.capacitance_F)) F") }
        var table = TextTable(["peak", "τ [s]", "f [Hz]", "R [mΩ]", "γ_max [mΩ]"])
        for (k, p) in drt.peaks.enumerated() {
            table.add(["\(k + 1)", formatNumber(p.timeConstant_s), formatNumber(p.frequency_Hz), formatNumber(p.resistance_ohm * 1000), formatNumber(p.gammaMaximum_ohm * 1000)])
        }
        print("\n" + table.render())
        var csv = "tau_s,gamma_ohm,frequency_Hz\n"
        for k in drt.timeConstants_s.indices {
            let tau = drt.timeConstants_s[k]
            csv += [tau, drt.gamma_ohm[k], 1 / (2 * Double.pi * tau)].map { JSONWriter.number($0) }.joined(separator: ",") + "\n"
        }
        try writeTextFile(out, csv)
        print("\nwrote \(out)")
        if let peaksOut {
            var text = "tau_s,frequency_Hz,resistance_ohm,gamma_max_ohm\n"
            for p in drt.peaks {
                text += [p.timeConstant_s, p.frequency_Hz, p.resistance_ohm, p.gammaMaximum_ohm].map { JSONWriter.number($0) }.joined(separator: ",") + "\n"
            }
            try writeTextFile(peaksOut, text)
            print("wrote \(peaksOut)")
        }
    }
}
