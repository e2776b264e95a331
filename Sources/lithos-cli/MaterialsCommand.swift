import Lithos

/// `lithos materials` and `lithos material NAME`.
enum MaterialsCommand {
    static func list(_ options: inout Options) throws {
        let json = options.flag("--json")
        let roleName = try options.value("--role")
        try options.finish()
        var materials = MaterialDatabase.all
        if let roleName {
            guard let role = [MaterialRole.cathode, .solidElectrolyte, .anode, .currentCollector].first(where: { $0.name == roleName }) else {
                throw UsageError(message: "unknown role '\(roleName)' (use cathode, solid_electrolyte, anode or current_collector)")
            }
            materials = materials.filter { $0.role == role }
        }
        if json {
            print(JSONWriter.write(.array(materials.map { $0.toJSON() }), pretty: true))
            return
        }
        var table = TextTable(["name", "role", "formula", "key figure"])
        for m in materials {
            table.add([m.nameString, m.role.name, m.formula.description, keyFigure(m)])
        }
        print(table.render())
        print("\n\(materials.count) materials; `lithos material NAME` shows every number with its citation")
    }

    /// The one number an engineer looks for first: σ(25 °C) of an electrolyte, the practical
    /// capacity of an active material, the conductivity of a collector.
    static func keyFigure(_ m: Material) -> String {
        switch m.role {
        case .solidElectrolyte:
            if let s = m.value(MaterialKey.ionicConductivity25C) { return "σ(25 °C) = \(formatNumber(s * 10, significant: 3)) mS/cm" }
        case .cathode, .anode:
            if let q = m.value(MaterialKey.practicalCapacity) ?? m.value(MaterialKey.theoreticalCapacity) {
                return "\(formatNumber(q, significant: 4)) mAh/g"
            }
        case .currentCollector:
            if let s = m.value(MaterialKey.electronicConductivity) { return "σ = \(formatNumber(s, significant: 3)) S/m" }
        }
        return ""
    }

    static func show(_ options: inout Options) throws {
        let json = options.flag("--json")
        let name = try options.positional("material NAME")
        try options.finish()
        let m = try MaterialDatabase.material(named: name)
        if json {
            print(JSONWriter.write(m.toJSON(), pretty: true))
            return
        }
        print("\(m.nameString) (\(m.formula)) — \(m.role.name)")
        print(m.summary.description)
        if !m.aliases.isEmpty { print("aliases: " + m.aliases.map { $0.description }.joined(separator: ", ")) }
        print("")
        var table = TextTable(["property", "value", "unit", "source"])
        for p in m.properties {
            table.add([p.key.description, formatNumber(p.value, significant: 5), p.unit.description, p.citation.description])
        }
        print(table.render())
        if let law = m.conductivityLaw {
            print("")
            var t = TextTable(["T [°C]", "σ [S/m]", "σ [mS/cm]"])
            for celsius in [-20.0, 0, 25, 60, 80] {
                let sigma = law.conductivity(at: celsius + Physics.zeroCelsius_K)
                t.add([formatNumber(celsius), formatNumber(sigma, significant: 3), formatNumber(sigma * 10, significant: 3)])
            }
            print(t.render())
        }
        if let ocp = m.openCircuitPotential {
            print("")
            var t = TextTable(["stoichiometry", "U [V vs Li+/Li]"])
            for theta in stride(from: 0.0, through: 1.0, by: 0.1) {
                t.add([fixed(theta, decimals: 1), fixed(ocp.potential(theta, temperature_K: Physics.referenceTemperature_K), decimals: 4)])
            }
            print(t.render())
        }
    }
}
