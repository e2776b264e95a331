/// The materials database: every material Lithos knows, looked up by name or alias
/// (case-insensitive). The entries live in `Catalog*.swift`, one file per role.
public enum MaterialDatabase {
    /// All materials, in a stable order (cathodes, electrolytes, anodes, collectors).
    public static let all: [Material] = CathodeCatalog.materials + ElectrolyteCatalog.materials
        + AnodeCatalog.materials + CurrentCollectorCatalog.materials

    /// Case- and punctuation-insensitive comparison key: "Li6PS5Cl" == "li6ps5cl", "LLZO-Ta" == "llzo_ta".
    static func normalized(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "-", "_", " ", "–", "|": continue
            case "A"..."Z": out.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The material with this name or alias, or nil.
    public static func find(_ name: String) -> Material? {
        let key = normalized(name)
        if key.isEmpty { return nil }
        for m in all {
            if normalized(m.name.description) == key { return m }
            for alias in m.aliases where normalized(alias.description) == key { return m }
        }
        return nil
    }

    /// The material with this name or alias; throws `.notFound` listing close matches.
    public static func material(named name: String) throws(LithosError) -> Material {
        if let m = find(name) { return m }
        let key = normalized(name)
        var suggestions: [String] = []
        if key.count >= 2 {
            let prefix = String(key.prefix(2))
            for m in all where normalized(m.name.description).hasPrefix(prefix) {
                suggestions.append(m.name.description)
            }
        }
        var message = "unknown material \"\(name)\""
        if !suggestions.isEmpty { message += " (did you mean: \(suggestions.joined(separator: ", "))?)" }
        message += "; lithos_material_count/lithos_material_name (CLI: `lithos materials`) list all names"
        throw LithosError(.notFound, message)
    }

    /// The material with this name that must have a given role.
    public static func material(named name: String, role: MaterialRole, for purpose: String) throws(LithosError) -> Material {
        let m = try material(named: name)
        if m.role != role {
            throw LithosError(.config, "\(purpose): material \"\(name)\" is a \(m.role.name), but a \(role.name) is needed here")
        }
        return m
    }
}
