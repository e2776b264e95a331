/// One material of the database: its identity, its cited numbers, and the laws that make
/// properties functions of temperature or stoichiometry.
public struct Material: Sendable {
    /// Canonical name, e.g. "NMC811", "Li6PS5Cl", "LLZO-Ta".
    public let name: StaticString
    /// Other names accepted by lookup (case-insensitive), e.g. "LPSCl", "LLZTO".
    public let aliases: [StaticString]
    public let role: MaterialRole
    /// Chemical formula or composition, e.g. "LiNi0.8Mn0.1Co0.1O2".
    public let formula: StaticString
    /// One line: what class of material this is and why it is in the database.
    public let summary: StaticString
    /// Every number with unit and citation. Keys are unique within a material.
    public let properties: [MaterialProperty]
    /// Solid electrolytes: σ(T). nil for other roles.
    public let conductivityLaw: IonicConductivityLaw?
    /// Active materials: U(θ) and dU/dT(θ) vs Li+/Li. nil for electrolytes and collectors.
    public let openCircuitPotential: OpenCircuitPotential?

    public init(name: StaticString, aliases: [StaticString] = [], role: MaterialRole,
                formula: StaticString, summary: StaticString, properties: [MaterialProperty],
                conductivityLaw: IonicConductivityLaw? = nil,
                openCircuitPotential: OpenCircuitPotential? = nil) {
        self.name = name
        self.aliases = aliases
        self.role = role
        self.formula = formula
        self.summary = summary
        self.properties = properties
        self.conductivityLaw = conductivityLaw
        self.openCircuitPotential = openCircuitPotential
    }

    public var nameString: String { name.description }

    /// The property with this key, or nil.
    public func property(_ key: String) -> MaterialProperty? {
        for p in properties where p.key.description == key { return p }
        return nil
    }

    /// The value of the property with this key, or nil.
    public func value(_ key: String) -> Double? { property(key)?.value }

    /// The value of a property that this material must have; throws a `.notSupported` error
    /// naming the material and key otherwise.
    public func require(_ key: String, for purpose: String) throws(LithosError) -> Double {
        guard let v = value(key) else {
            throw LithosError(.notSupported, "material \(name) has no \(key), needed for \(purpose)")
        }
        return v
    }

    /// Solid-state Li diffusivity law (active materials), from the diffusivity properties.
    public var diffusivityLaw: ArrheniusLaw? {
        guard let d = value(MaterialKey.diffusivity25C) else { return nil }
        return ArrheniusLaw(valueAt25C: d, activationEnergy_J_per_mol: value(MaterialKey.diffusivityActivationEnergy) ?? 0)
    }

    /// Ionic conductivity [S/m] at temperature [K]; throws for materials that are not electrolytes.
    public func ionicConductivity(at temperature_K: Double) throws(LithosError) -> Double {
        try Validate.temperature(temperature_K)
        guard let law = conductivityLaw else {
            throw LithosError(.notSupported, "material \(name) is a \(role.name), not a solid electrolyte: it has no ionic conductivity law")
        }
        return law.conductivity(at: temperature_K)
    }

    /// Open-circuit potential vs Li+/Li [V] at stoichiometry θ (0…1) and temperature [K].
    public func openCircuitPotential(stoichiometry: Double, temperature_K: Double) throws(LithosError) -> Double {
        try Validate.unitInterval(stoichiometry, "stoichiometry")
        try Validate.temperature(temperature_K)
        guard let ocp = openCircuitPotential else {
            throw LithosError(.notSupported, "material \(name) is a \(role.name): it has no open-circuit potential")
        }
        return ocp.potential(stoichiometry, temperature_K: temperature_K)
    }

    /// Entropic coefficient dU/dT [V/K] at stoichiometry θ (0…1).
    public func entropicCoefficient(stoichiometry: Double) throws(LithosError) -> Double {
        try Validate.unitInterval(stoichiometry, "stoichiometry")
        guard let ocp = openCircuitPotential else {
            throw LithosError(.notSupported, "material \(name) is a \(role.name): it has no open-circuit potential")
        }
        return ocp.entropicCoefficient(stoichiometry)
    }

    /// Diffusivity [m^2/s] at temperature [K].
    public func diffusivity(at temperature_K: Double) throws(LithosError) -> Double {
        try Validate.temperature(temperature_K)
        guard let law = diffusivityLaw else {
            throw LithosError(.notSupported, "material \(name) has no solid-state diffusivity (it is a \(role.name))")
        }
        return law.value(at: temperature_K)
    }
}
