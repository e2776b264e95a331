/// ECM parameters as JSON — the format `lithos fit-ecm` writes and the model and the estimator
/// read. Tables share one grid:
///
/// ```json
/// {
///   "capacity_Ah": 2.9, "charge_efficiency": 1.0,
///   "soc_breakpoints": [0, 0.5, 1], "temperature_breakpoints_K": [273.15, 298.15],
///   "ocv_V": [3.0, 3.7, 4.2],                 // number | [per SOC] | [[per SOC] per temperature]
///   "entropic_coefficient_V_per_K": 0,        // same forms
///   "r0_ohm": 0.02,
///   "rc_pairs": [{"r_ohm": 0.01, "tau_s": 10}, {"r_ohm": 0.02, "tau_s": 200}],
///   "hysteresis": {"magnitude_V": 0.01, "instantaneous_V": 0.002, "rate": 50},
///   "minimum_voltage_V": 2.5, "maximum_voltage_V": 4.2,
///   "minimum_temperature_K": 243.15, "maximum_temperature_K": 333.15,
///   "thermal": {"enabled": true, "heat_capacity_J_per_K": 40, "heat_transfer_W_per_K": 0.1}
/// }
/// ```
/// Each table is a number (constant), an array over the SOC breakpoints (same at every
/// temperature) or an array of such arrays, one per temperature breakpoint.
extension ECMParameters where Scalar == Double {
    static var context: String { "ECM parameters" }

    public static func fromJSON(_ text: String) throws(LithosError) -> ECMParameters<Double> {
        try from(json: JSONParser.parse(text))
    }

    public static func from(json: JSONValue) throws(LithosError) -> ECMParameters<Double> {
        var r = try JSONObjectReader(json, path: "", context: context)
        let capacity = try r.positiveNumber("capacity_Ah", maximum: 1e6)
        let efficiency = try r.number("charge_efficiency", default: 1, in: 0.5...1)
        let socs = try numberArray(&r, "soc_breakpoints", default: [0])
        let temps = try numberArray(&r, "temperature_breakpoints_K", default: [Physics.referenceTemperature_K])
        for t in temps where t < Validate.minimumTemperature_K || t > Validate.maximumTemperature_K {
            throw r.fail(.outOfRange, "temperature_breakpoints_K", "must lie within \(Validate.minimumTemperature_K)…\(Validate.maximumTemperature_K) K (got \(t))")
        }
        func table(_ key: String, default d: Double? = nil) throws(LithosError) -> BilinearTable<Double> {
            let v = r.value(key)
            return try parseTable(v, key: r.keyPath(key), socs: socs, temps: temps, default: d)
        }
        let ocv = try table("ocv_V")
        let dUdT = try table("entropic_coefficient_V_per_K", default: 0)
        let r0 = try table("r0_ohm")
        var rcR: [BilinearTable<Double>] = []
        var rcTau: [BilinearTable<Double>] = []
        if let pairs = r.value("rc_pairs") {
            guard case let .array(items) = pairs, items.count <= 3 else {
                throw r.fail("rc_pairs", "must be an array of 0…3 objects {\"r_ohm\": …, \"tau_s\": …}")
            }
            for (k, item) in items.enumerated() {
                var pr = try JSONObjectReader(item, path: "rc_pairs[\(k)]", context: context)
                rcR.append(try parseTable(pr.value("r_ohm"), key: pr.keyPath("r_ohm"), socs: socs, temps: temps, default: nil))
                rcTau.append(try parseTable(pr.value("tau_s"), key: pr.keyPath("tau_s"), socs: socs, temps: temps, default: nil))
                try pr.finish()
            }
        }
        var hysteresisM = BilinearTable<Double>(constant: 0)
        var m0 = 0.0, gamma = 0.0
        if var h = try r.optionalObject("hysteresis") {
            hysteresisM = try parseTable(h.value("magnitude_V"), key: h.keyPath("magnitude_V"), socs: socs, temps: temps, default: 0)
            m0 = try h.number("instantaneous_V", default: 0, in: 0...1)
            gamma = try h.number("rate", default: 0, in: 0...1e6)
            try h.finish()
        }
        let vmin = try r.number("minimum_voltage_V", in: 0...10)
        let vmax = try r.number("maximum_voltage_V", in: 0...10)
        let tmin = try r.number("minimum_temperature_K", default: 243.15, in: Validate.minimumTemperature_K...Validate.maximumTemperature_K)
        let tmax = try r.number("maximum_temperature_K", default: 333.15, in: Validate.minimumTemperature_K...Validate.maximumTemperature_K)
        var thermal = LumpedThermalModel<Double>(enabled: false, heatCapacity_J_per_K: 1, heatTransfer_W_per_K: 0)
        if var t = try r.optionalObject("thermal") {
            thermal.enabled = try t.optionalBool("enabled") ?? true
            thermal.heatCapacity_J_per_K = try t.positiveNumber("heat_capacity_J_per_K", maximum: 1e9)
            thermal.heatTransfer_W_per_K = try t.number("heat_transfer_W_per_K", in: 0...1e6)
            try t.finish()
        }
        try r.finish()
        return try ECMParameters(
            capacity_Ah: capacity, chargeEfficiency: efficiency, openCircuitVoltage: ocv, entropicCoefficient: dUdT,
            seriesResistance: r0, rcResistances: rcR, rcTimeConstants: rcTau, hysteresisMagnitude: hysteresisM,
            instantaneousHysteresis_V: m0, hysteresisRate: gamma, thermal: thermal,
            limits: ModelLimits(minimumVoltage_V: vmin, maximumVoltage_V: vmax, minimumTemperature_K: tmin, maximumTemperature_K: tmax))
    }

    static func numberArray(_ r: inout JSONObjectReader, _ key: String, default d: [Double]) throws(LithosError) -> [Double] {
        guard let v = r.value(key) else { return d }
        guard case let .array(items) = v, !items.isEmpty, items.count <= 4096 else {
            throw r.fail(key, "must be a non-empty array of at most 4096 numbers")
        }
        var out: [Double] = []
        for item in items {
            guard case let .number(x) = item else { throw r.fail(key, "must contain only numbers") }
            out.append(x)
        }
        for k in out.indices.dropFirst() where !(out[k] > out[k - 1]) {
            throw r.fail(key, "must be strictly increasing")
        }
        return out
    }

    static func parseTable(_ value: JSONValue?, key: String, socs: [Double], temps: [Double],
                           default d: Double?) throws(LithosError) -> BilinearTable<Double> {
        guard let value else {
            if let d { return BilinearTable(constant: d) }
            throw LithosError(.config, "\(context): \(key) is required but missing")
        }
        func row(_ items: [JSONValue]) throws(LithosError) -> [Double] {
            guard items.count == socs.count else {
                throw LithosError(.config, "\(context): \(key) rows need one value per SOC breakpoint (\(socs.count)), got \(items.count)")
            }
            var out: [Double] = []
            for item in items {
                guard case let .number(x) = item else { throw LithosError(.config, "\(context): \(key) must contain only numbers") }
                out.append(x)
            }
            return out
        }
        switch value {
        case let .number(x):
            return BilinearTable(constant: x)
        case let .array(items):
            if case .array = items.first {
                guard items.count == temps.count else {
                    throw LithosError(.config, "\(context): \(key) needs one row per temperature breakpoint (\(temps.count)), got \(items.count)")
                }
                var values: [Double] = []
                for item in items {
                    guard case let .array(inner) = item else { throw LithosError(.config, "\(context): \(key) rows must all be arrays") }
                    values += try row(inner)
                }
                return try BilinearTable(xs: socs, ys: temps, values: values, name: "\(context): \(key)")
            }
            return try BilinearTable(xs: socs, ys: [Physics.referenceTemperature_K], values: row(items), name: "\(context): \(key)")
        default:
            throw LithosError(.config, "\(context): \(key) must be a number, an array over SOC, or an array of such arrays over temperature (got \(value.typeName))")
        }
    }

    /// The parameters as JSON in the form `fromJSON` reads (2-D tables written in full).
    public func toJSON() -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("capacity_Ah", .number(capacity_Ah)), ("charge_efficiency", .number(chargeEfficiency))]
        // Every table is written on the OCV table's SOC grid and the finest temperature grid
        // among the tables: exact when they share a grid, as parsed and derived ones do.
        let socs = openCircuitVoltage.xs
        var temps = openCircuitVoltage.ys
        for t in [seriesResistance] + rcResistances + rcTimeConstants where t.ys.count > temps.count { temps = t.ys }
        func grid(_ t: BilinearTable<Double>) -> JSONValue {
            if t.values.count == 1 { return .number(t.values[0]) }
            if t.ys.count == 1 {
                return .array(socs.map { .number(t.value(x: $0, y: t.ys[0])) })
            }
            return .array(temps.map { T in .array(socs.map { .number(t.value(x: $0, y: T)) }) })
        }
        members.append(("soc_breakpoints", .array(socs.map { .number($0) })))
        members.append(("temperature_breakpoints_K", .array(temps.map { .number($0) })))
        members.append(("ocv_V", grid(openCircuitVoltage)))
        members.append(("entropic_coefficient_V_per_K", grid(entropicCoefficient)))
        members.append(("r0_ohm", grid(seriesResistance)))
        members.append(("rc_pairs", .array((0..<rcPairCount).map { j in
            .object([("r_ohm", grid(rcResistances[j])), ("tau_s", grid(rcTimeConstants[j]))])
        })))
        members.append(("hysteresis", .object([("magnitude_V", grid(hysteresisMagnitude)),
                                               ("instantaneous_V", .number(instantaneousHysteresis_V)),
                                               ("rate", .number(hysteresisRate))])))
        members.append(("minimum_voltage_V", .number(limits.minimumVoltage_V)))
        members.append(("maximum_voltage_V", .number(limits.maximumVoltage_V)))
        members.append(("minimum_temperature_K", .number(limits.minimumTemperature_K)))
        members.append(("maximum_temperature_K", .number(limits.maximumTemperature_K)))
        members.append(("thermal", .object([("enabled", .bool(thermal.enabled)),
                                            ("heat_capacity_J_per_K", .number(thermal.heatCapacity_J_per_K)),
                                            ("heat_transfer_W_per_K", .number(thermal.heatTransfer_W_per_K))])))
        return .object(members)
    }
}
