/// OCV tables as JSON (what `lithos fit-ocv` writes and `lithos fit-ecm --ocv` reads):
///
/// ```json
/// {"capacity_Ah": 2.9973, "temperature_K": 298.15, "soc_breakpoints": [0, 0.005, …],
///  "ocv_V": […], "hysteresis_V": […], "discharge_V": […], "charge_V": […]}
/// ```
/// `hysteresis_V`, `discharge_V` and `charge_V` are optional (one value per SOC breakpoint).
extension OCVTable {
    public func toJSON() -> JSONValue {
        func array(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }
        var members: [(key: String, value: JSONValue)] = [
            ("capacity_Ah", .number(capacity_Ah)), ("temperature_K", .number(temperature_K)),
            ("soc_breakpoints", array(soc)), ("ocv_V", array(ocv_V)),
        ]
        if !hysteresis_V.isEmpty { members.append(("hysteresis_V", array(hysteresis_V))) }
        if !discharge_V.isEmpty { members.append(("discharge_V", array(discharge_V))) }
        if !charge_V.isEmpty { members.append(("charge_V", array(charge_V))) }
        return .object(members)
    }

    public static func fromJSON(_ text: String) throws(LithosError) -> OCVTable {
        var r = try JSONObjectReader(JSONParser.parse(text), path: "", context: "OCV table")
        let q = try r.positiveNumber("capacity_Ah", maximum: 1e6)
        let t = try r.number("temperature_K", default: Physics.referenceTemperature_K, in: 1...1000)
        func numbers(_ key: String, required: Bool, count: Int?) throws(LithosError) -> [Double] {
            guard let v = r.value(key) else {
                if required { throw r.fail(key, "is required") }
                return []
            }
            guard case let .array(items) = v else { throw r.fail(key, "must be an array of numbers") }
            var out: [Double] = []
            for item in items {
                guard case let .number(x) = item, x.isFinite else { throw r.fail(key, "must contain only finite numbers") }
                out.append(x)
            }
            if let count, out.count != count { throw r.fail(key, "needs one value per SOC breakpoint (\(count)), got \(out.count)") }
            return out
        }
        let soc = try numbers("soc_breakpoints", required: true, count: nil)
        guard soc.count >= 2 else { throw r.fail("soc_breakpoints", "needs ≥ 2 values") }
        for k in soc.indices.dropFirst() where !(soc[k] > soc[k - 1]) { throw r.fail("soc_breakpoints", "must be strictly increasing") }
        var table = OCVTable(soc: soc, ocv_V: try numbers("ocv_V", required: true, count: soc.count), capacity_Ah: q, temperature_K: t)
        table.hysteresis_V = try numbers("hysteresis_V", required: false, count: soc.count)
        table.discharge_V = try numbers("discharge_V", required: false, count: soc.count)
        table.charge_V = try numbers("charge_V", required: false, count: soc.count)
        try r.finish()
        return table
    }
}
