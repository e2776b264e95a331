/// JSON views of materials, for the C API, the CLI (`lithos material NAME --json`) and Python.
extension Material {
    public func toJSON() -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(name.description)),
            ("role", .string(role.name)),
            ("formula", .string(formula.description)),
            ("summary", .string(summary.description)),
            ("aliases", .array(aliases.map { .string($0.description) })),
        ]
        members.append(("properties", .array(properties.map { p in
            .object([
                ("key", .string(p.key.description)),
                ("value", .number(p.value)),
                ("unit", .string(p.unit.description)),
                ("citation", .string(p.citation.description)),
                ("description", .string(p.description.description)),
            ])
        })))
        if let law = conductivityLaw {
            switch law {
            case let .arrhenius(sigma, activation):
                members.append(("conductivity_law", .object([
                    ("type", .string("arrhenius")),
                    ("conductivity_25C_S_per_m", .number(sigma)),
                    ("activation_energy_J_per_mol", .number(activation)),
                ])))
            case let .vogelTammannFulcher(prefactor, pseudoActivation, glass):
                members.append(("conductivity_law", .object([
                    ("type", .string("vtf")),
                    ("prefactor_S_per_m", .number(prefactor)),
                    ("pseudo_activation_energy_J_per_mol", .number(pseudoActivation)),
                    ("ideal_glass_temperature_K", .number(glass)),
                ])))
            }
        }
        if let ocp = openCircuitPotential {
            members.append(("open_circuit_potential", .string(String(describing: ocp))))
        }
        return .object(members)
    }
}

extension MaterialDatabase {
    public static func toJSON() -> JSONValue { .array(all.map { $0.toJSON() }) }
}
