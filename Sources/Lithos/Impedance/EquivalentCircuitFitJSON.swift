/// JSON form of an `EquivalentCircuitFit` (what `lithos fit-eis --out` writes):
///
///     { "circuit": "R0-(R|CPE)x2-Wfs",
///       "topology": { "arcs": 2, "warburg": "none|semi-infinite|finite-space", "inductance": false },
///       "parameters": [ { "name": "R0", "unit": "ohm", "value": …, "standard_error": …,
///                         "ci95_lower": …, "ci95_upper": … }, … ],
///       "arcs": [ { "resistance_ohm", "cpe_Q", "alpha", "time_constant_s",
///                   "characteristic_frequency_Hz", "effective_capacitance_F" }, … ],
///       "warburg": { "kind": …, "sigma_ohm_per_sqrt_s" | "resistance_ohm", "time_constant_s" },
///       "series_resistance_ohm": …, "series_inductance_H": … | null,
///       "rms_relative_residual": …, "converged": true, "iterations": …, "termination": "…",
///       "starts": …, "converged_starts": …,
///       "points": { "frequency_Hz": […], "re_ohm": […], "im_ohm": […],
///                   "fit_re_ohm": […], "fit_im_ohm": […],
///                   "residual_re_relative": […], "residual_im_relative": […] } }
///
/// Non-finite numbers (an unavailable confidence interval) are written as null.
extension EquivalentCircuitFit {
    public func toJSON() -> JSONValue {
        func array(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }
        let t = topology
        var parameterList: [JSONValue] = []
        for i in parameters.indices {
            parameterList.append(.object([
                ("name", .string(parameterNames[i])), ("unit", .string(parameterUnits[i])), ("value", .number(parameters[i])),
                ("standard_error", .number(standardErrors[i])),
                ("ci95_lower", .number(confidenceLower95[i])), ("ci95_upper", .number(confidenceUpper95[i])),
            ]))
        }
        let arcs: [JSONValue] = circuit.arcs.map { a in
            .object([
                ("resistance_ohm", .number(a.resistance_ohm)), ("cpe_Q", .number(a.cpeCoefficient)), ("alpha", .number(a.exponent)),
                ("time_constant_s", .number(a.timeConstant_s)), ("characteristic_frequency_Hz", .number(a.characteristicFrequency_Hz)),
                ("effective_capacitance_F", .number(a.effectiveCapacitance_F(seriesResistance_ohm: circuit.seriesResistance_ohm))),
            ])
        }
        var warburg: [(key: String, value: JSONValue)] = [("kind", .string(circuit.warburg.kind.rawValue))]
        switch circuit.warburg {
        case .none: break
        case let .semiInfinite(sigma): warburg.append(("sigma_ohm_per_sqrt_s", .number(sigma)))
        case let .finiteSpace(r, tau):
            warburg += [("resistance_ohm", .number(r)), ("time_constant_s", .number(tau)), ("capacitance_F", .number(tau / r))]
        }
        let points: JSONValue = .object([
            ("frequency_Hz", array(spectrum.frequency_Hz)),
            ("re_ohm", array(spectrum.impedance_ohm.map(\.real))), ("im_ohm", array(spectrum.impedance_ohm.map(\.imaginary))),
            ("fit_re_ohm", array(fitted_ohm.map(\.real))), ("fit_im_ohm", array(fitted_ohm.map(\.imaginary))),
            ("residual_re_relative", array(relativeResiduals.map(\.real))),
            ("residual_im_relative", array(relativeResiduals.map(\.imaginary))),
        ])
        return .object([
            ("circuit", .string(t.label)),
            ("topology", .object([("arcs", .number(Double(t.arcCount))), ("warburg", .string(t.warburg.rawValue)),
                                  ("inductance", .bool(t.seriesInductance))])),
            ("parameters", .array(parameterList)),
            ("series_resistance_ohm", .number(circuit.seriesResistance_ohm)),
            ("series_inductance_H", circuit.seriesInductance_H.map { .number($0) } ?? .null),
            ("arcs", .array(arcs)),
            ("warburg", .object(warburg)),
            ("rms_relative_residual", .number(rmsRelativeResidual)),
            ("converged", .bool(converged)), ("iterations", .number(Double(iterations))), ("termination", .string(termination)),
            ("starts", .number(Double(startCount))), ("converged_starts", .number(Double(convergedStartCount))),
            ("points", points),
        ])
    }
}
