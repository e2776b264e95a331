/// The options of an HPPC → ECM identification, readable from JSON (the C API's and Python's
/// `options_json`; every key optional):
///
/// ```json
/// {"rc_pairs": 2, "soc_step": 0.01, "ocv_source": "rests", "thermal": true,
///  "minimum_voltage_V": 2.5, "maximum_voltage_V": 4.2}
/// ```
/// - `ocv_source`: `"rests"` shifts the low-rate OCV through each log's rested voltages before
///   its pulse sets (a temperature-dependent OCV), `"table"` uses the low-rate table as it is.
/// - `thermal`: the identified model carries the lumped 18650 thermal model
///   (`ECMIdentification.cylindrical18650Thermal`); false: isothermal.
public struct ECMIdentificationOptions: Sendable, Equatable {
    /// RC pairs per pulse fit (1…3).
    public var rcPairs = 2
    /// Spacing of the SOC breakpoints of the output tables (0 < step ≤ 0.5).
    public var socStep = 0.01
    /// OCV per temperature through the HPPC rests (true) or the low-rate table only (false).
    public var ocvFromRests = true
    /// Whether the identified ECM carries the lumped thermal model.
    public var thermal = true
    /// Voltage window written into the ECM's limits [V].
    public var minimumVoltage_V = 2.5
    public var maximumVoltage_V = 4.2

    public init() {}

    public static func fromJSON(_ text: String) throws(LithosError) -> ECMIdentificationOptions {
        var r = try JSONObjectReader(JSONParser.parse(text), path: "", context: "ECM identification options")
        var o = ECMIdentificationOptions()
        let pairs = try r.number("rc_pairs", default: 2)
        guard pairs == 1 || pairs == 2 || pairs == 3 else { throw r.fail(.outOfRange, "rc_pairs", "must be 1, 2 or 3 (got \(pairs))") }
        o.rcPairs = Int(pairs)
        o.socStep = try r.positiveNumber("soc_step", default: 0.01, maximum: 0.5)
        switch try r.string("ocv_source", default: "rests") {
        case "rests": o.ocvFromRests = true
        case "table": o.ocvFromRests = false
        case let other: throw r.fail("ocv_source", "must be \"rests\" or \"table\" (got \"\(other)\")")
        }
        o.thermal = try r.optionalBool("thermal") ?? true
        o.minimumVoltage_V = try r.number("minimum_voltage_V", default: 2.5, in: 0...10)
        o.maximumVoltage_V = try r.number("maximum_voltage_V", default: 4.2, in: 0...10)
        guard o.maximumVoltage_V > o.minimumVoltage_V else {
            throw r.fail(.outOfRange, "maximum_voltage_V", "must be above minimum_voltage_V")
        }
        try r.finish()
        return o
    }
}

extension ECMIdentification {
    /// `identify` with its options gathered in one value (the path the C API and Python take).
    public static func identify(hppc logs: [CyclerData], ocv: OCVTable, capacity_Ah q: Double,
                                options o: ECMIdentificationOptions) throws(LithosError) -> ECMIdentificationResult {
        guard q.isFinite, q > 0, q <= 1e6 else { throw LithosError(.outOfRange, "ECM identification: capacity_Ah must be within (0, 1e6] (got \(q))") }
        var hppc = HPPCOptions()
        hppc.rcPairs = o.rcPairs
        var thermal = cylindrical18650Thermal
        thermal.enabled = o.thermal
        return try identify(hppc: logs, ocv: ocv, capacity_Ah: q, socGrid: OCVIdentification.uniformGrid(step: o.socStep),
                            ocvFromRests: o.ocvFromRests, options: hppc, thermal: thermal,
                            minimumVoltage_V: o.minimumVoltage_V, maximumVoltage_V: o.maximumVoltage_V)
    }
}

extension ECMIdentificationResult {
    /// What the fit learnt, as JSON: per temperature breakpoint the per-SOC-level elements and
    /// every pulse fit with its 95 % confidence intervals and residual.
    ///
    /// ```json
    /// {"temperatures": [{"temperature_K": 298.95,
    ///   "levels": [{"soc": 0.9, "pulse_count": 4, "R0_ohm": …, "R_ohm": [R1, R2], "tau_s": [τ1, τ2]}, …],
    ///   "pulses": [{"soc": …, "current_A": …, "duration_s": …, "R0_ohm": …, "R_ohm": […],
    ///               "R_ci95_ohm": [[lo, hi], …], "tau_s": […], "tau_ci95_s": [[lo, hi], …],
    ///               "fit_rms_V": …, "converged": true}, …],
    ///   "rest_points": [{"discharged_Ah": …, "voltage_V": …}, …]}, …]}
    /// ```
    public func reportJSON() -> JSONValue {
        func numbers(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }
        func intervals(_ v: [(lower: Double, upper: Double)]) -> JSONValue {
            .array(v.map { .array([.number($0.lower), .number($0.upper)]) })
        }
        var temperatures: [JSONValue] = []
        for k in temperatures_K.indices {
            let levelValues: [JSONValue] = levels[k].map { l in
                .object([("soc", .number(l.soc)), ("temperature_K", .number(l.temperature_K)),
                         ("pulse_count", .number(Double(l.pulseCount))), ("R0_ohm", .number(l.seriesResistance_ohm)),
                         ("R_ohm", numbers(l.rcResistance_ohm)), ("tau_s", numbers(l.rcTimeConstant_s))])
            }
            let pulseValues: [JSONValue] = pulses[k].map { p in
                .object([("soc", .number(p.soc)), ("temperature_K", .number(p.temperature_K)),
                         ("current_A", .number(p.current_A)), ("duration_s", .number(p.duration_s)),
                         ("R0_ohm", .number(p.seriesResistance_ohm)),
                         ("R_ohm", numbers(p.rcResistance_ohm)), ("R_ci95_ohm", intervals(p.rcResistanceInterval95)),
                         ("tau_s", numbers(p.rcTimeConstant_s)), ("tau_ci95_s", intervals(p.rcTimeConstantInterval95)),
                         ("fit_rms_V", .number(p.fitRMS_V)), ("converged", .bool(p.converged))])
            }
            let rests: [JSONValue] = restPoints[k].map {
                .object([("discharged_Ah", .number($0.discharged_Ah)), ("voltage_V", .number($0.voltage_V))])
            }
            temperatures.append(.object([("temperature_K", .number(temperatures_K[k])), ("levels", .array(levelValues)),
                                         ("pulses", .array(pulseValues)), ("rest_points", .array(rests))]))
        }
        return .object([("temperatures", .array(temperatures))])
    }
}
