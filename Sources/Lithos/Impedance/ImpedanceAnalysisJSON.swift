/// JSON for the impedance analyses the C API and Python run: the options of an
/// equivalent-circuit fit and of a DRT (every key optional), and the DRT result.
///
/// Fit options: `{"arcs": 2, "warburg": "none" | "semi-infinite" | "finite-space",
/// "inductance": false, "exponent_lower": 0.3, "exponent_upper": 1.0, "maximum_iterations": 400}`.
///
/// DRT options: `{"lambda": 1e-5, "points_per_decade": 10, "extension_decades": 1,
/// "inductance": false, "capacitance": false, "peak_threshold": 0.01}`.
public enum ImpedanceAnalysisJSON {
    /// The circuit and the fit options of `lithos_fit_eis`.
    public static func fitOptions(_ text: String) throws(LithosError) -> (topology: EquivalentCircuitTopology, options: EquivalentCircuitFitOptions) {
        var r = try JSONObjectReader(JSONParser.parse(text), path: "", context: "EIS fit options")
        let arcs = try r.number("arcs", default: 2, in: 0...8)
        guard arcs == arcs.rounded() else { throw r.fail(.outOfRange, "arcs", "must be a whole number (got \(arcs))") }
        let warburgName = try r.string("warburg", default: "none")
        guard let warburg = WarburgElement.Kind(rawValue: warburgName) else {
            throw r.fail("warburg", "must be \"none\", \"semi-infinite\" or \"finite-space\" (got \"\(warburgName)\")")
        }
        let inductance = try r.optionalBool("inductance") ?? false
        var options = EquivalentCircuitFitOptions()
        options.exponentLower = try r.number("exponent_lower", default: options.exponentLower, in: 0.05...1)
        options.exponentUpper = try r.number("exponent_upper", default: options.exponentUpper, in: 0.05...1)
        guard options.exponentUpper >= options.exponentLower else {
            throw r.fail(.outOfRange, "exponent_upper", "must be ≥ exponent_lower")
        }
        let iterations = try r.number("maximum_iterations", default: Double(options.maximumIterations), in: 1...100_000)
        options.maximumIterations = Int(iterations)
        try r.finish()
        return (EquivalentCircuitTopology(arcCount: Int(arcs), warburg: warburg, seriesInductance: inductance), options)
    }

    /// The options of `lithos_drt`.
    public static func drtOptions(_ text: String) throws(LithosError) -> DRTOptions {
        var r = try JSONObjectReader(JSONParser.parse(text), path: "", context: "DRT options")
        var o = DRTOptions()
        o.regularization = try r.number("lambda", default: o.regularization, in: 0...1e6)
        o.pointsPerDecade = try r.number("points_per_decade", default: o.pointsPerDecade, in: 1...100)
        o.extensionDecades = try r.number("extension_decades", default: o.extensionDecades, in: 0...5)
        o.inductance = try r.optionalBool("inductance") ?? false
        o.capacitance = try r.optionalBool("capacitance") ?? false
        o.peakThreshold = try r.number("peak_threshold", default: o.peakThreshold, in: 0...1)
        try r.finish()
        return o
    }
}

/// The DRT as JSON (what `lithos_drt` returns):
///
///     {"tau_s": […], "gamma_ohm": […], "log_spacing": Δln τ, "lambda": λ,
///      "high_frequency_resistance_ohm": R∞, "inductance_H": L, "capacitance_F": C | null,
///      "polarization_resistance_ohm": Σγ·Δln τ, "rms_relative_residual": …,
///      "peaks": [{"tau_s", "frequency_Hz", "resistance_ohm", "gamma_max_ohm"}, …],
///      "points": {"frequency_Hz", "re_ohm", "im_ohm", "fit_re_ohm", "fit_im_ohm"}}
///
/// A capacitance that was not fitted (infinite) is written as null.
extension DistributionOfRelaxationTimes {
    public func toJSON() -> JSONValue {
        func array(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }
        let peakValues: [JSONValue] = peaks.map {
            .object([("tau_s", .number($0.timeConstant_s)), ("frequency_Hz", .number($0.frequency_Hz)),
                     ("resistance_ohm", .number($0.resistance_ohm)), ("gamma_max_ohm", .number($0.gammaMaximum_ohm))])
        }
        let points: JSONValue = .object([
            ("frequency_Hz", array(spectrum.frequency_Hz)),
            ("re_ohm", array(spectrum.impedance_ohm.map(\.real))), ("im_ohm", array(spectrum.impedance_ohm.map(\.imaginary))),
            ("fit_re_ohm", array(fitted_ohm.map(\.real))), ("fit_im_ohm", array(fitted_ohm.map(\.imaginary))),
        ])
        return .object([
            ("tau_s", array(timeConstants_s)), ("gamma_ohm", array(gamma_ohm)), ("log_spacing", .number(logSpacing)),
            ("lambda", .number(regularization)), ("high_frequency_resistance_ohm", .number(highFrequencyResistance_ohm)),
            ("inductance_H", .number(inductance_H)), ("capacitance_F", capacitance_F.isFinite ? .number(capacitance_F) : .null),
            ("polarization_resistance_ohm", .number(polarizationResistance_ohm)),
            ("rms_relative_residual", .number(rmsRelativeResidual)), ("peaks", .array(peakValues)), ("points", points),
        ])
    }
}
