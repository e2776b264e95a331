/// The negative side of a solid-state cell in both SSB models: a lithium-metal electrode
/// (Butler–Volmer plating/stripping at the Li|SE interface, a contact resistance, and the Li
/// inventory it holds) or an intercalation composite represented by a single particle.
/// Same three-phase step as `SingleParticleElectrode`: prepare → trial currents → commit.
public struct SolidStateNegativeElectrode: Sendable {
    public enum Kind: Sendable { case lithiumMetal, intercalation }

    public let kind: Kind
    private let lithium: LithiumMetalParameters?
    private(set) var particle: SingleParticleElectrode?
    /// Li metal held by the anode [mol/m² of electrode] (lithium metal only; 0 otherwise).
    private(set) var lithiumInventory_mol_per_m2 = 0.0
    private var lithiumExchangeCurrent = 0.0
    private var stepTemperature_K = Double.nan
    /// 1/(a·L): interfacial current density per electrode current density (intercalation only).
    private let interfaceScale: Double

    init(parameters: NegativeElectrodeParameters, shellCount: Int) {
        switch parameters {
        case let .lithiumMetal(li):
            kind = .lithiumMetal
            lithium = li
            particle = nil
            interfaceScale = 1
        case let .intercalation(e):
            kind = .intercalation
            lithium = nil
            particle = SingleParticleElectrode(parameters: e, shellCount: shellCount)
            interfaceScale = 1 / (e.specificInterfaceArea_per_m * e.thickness_m)
        }
    }

    /// Number of state values (`writeState`).
    var stateCount: Int { kind == .lithiumMetal ? 1 : particle?.shellCount ?? 0 }

    /// Puts the electrode at rest at `soc`; `positiveWindow` is the cathode window's Li per area.
    mutating func setRest(soc: Double, positiveWindow_mol_per_m2: Double) {
        if let li = lithium {
            lithiumInventory_mol_per_m2 = li.excessInventory_mol_per_m2 + soc * positiveWindow_mol_per_m2
        }
        if let p = particle?.parameters {
            particle?.setUniform(stoichiometry: p.stoichiometry(soc: soc))
        }
    }

    mutating func prepare(dt_s: Double, temperature_K: Double) {
        if let li = lithium, temperature_K != stepTemperature_K {
            lithiumExchangeCurrent = li.exchangeCurrentDensity.value(at: temperature_K)
        }
        stepTemperature_K = temperature_K
        particle?.prepare(dt_s: dt_s, temperature_K: temperature_K)
    }

    /// The interface at the end of the prepared step for electrode current density i [A/m² of
    /// electrode], positive on discharge (Li leaves the negative).
    func interface(electrodeCurrentDensity i: Double) -> SingleParticleElectrode.InterfaceState {
        if kind == .intercalation {
            return particle!.interface(currentDensity: i * interfaceScale)
        }
        let li = lithium!   // kind == .lithiumMetal
        return .init(surfaceStoichiometry: .nan, openCircuitPotential_V: 0,
                     overpotential_V: ButlerVolmer.overpotential(currentDensity: i, exchangeCurrentDensity: lithiumExchangeCurrent,
                                                                 temperature_K: stepTemperature_K),
                     filmDrop_V: i * li.interfaceResistance_ohm_m2, exchangeCurrentDensity_A_per_m2: lithiumExchangeCurrent)
    }

    mutating func commit(electrodeCurrentDensity i: Double, dt_s: Double) {
        if lithium != nil { lithiumInventory_mol_per_m2 -= i * dt_s / Physics.faraday }
        let j = i * interfaceScale
        particle?.commit(currentDensity: j)
    }

    /// Mean stoichiometry (NaN for lithium metal).
    var meanStoichiometry: Double { particle?.meanStoichiometry ?? .nan }

    /// Open-circuit potential at the mean stoichiometry [V] (0 for lithium metal) and its dU/dT.
    func restPotential(temperature_K: Double) -> (potential_V: Double, entropic_V_per_K: Double) {
        guard kind == .intercalation else { return (0, 0) }
        let theta = min(max(particle!.meanStoichiometry, 1e-9), 1 - 1e-9)
        return SolidStateSPM.potentialAndEntropic(particle!.parameters.openCircuitPotential, theta, temperature_K)
    }

    /// Li in the negative electrode [mol/m² of electrode].
    var inventory_mol_per_m2: Double { particle?.inventory_mol_per_m2 ?? lithiumInventory_mol_per_m2 }

    /// Ohmic resistance of a composite negative in the uniform-reaction limit [Ω·m²] (0 for Li metal).
    func compositeResistance_ohm_m2(electrolyteConductivity_S_per_m sigma: Double) -> Double {
        particle?.parameters.uniformReactionResistance_ohm_m2(electrolyteConductivity_S_per_m: sigma) ?? 0
    }

    // MARK: state

    func writeState(to b: UnsafeMutableBufferPointer<Double>, at offset: Int) {
        if kind == .intercalation { particle!.writeState(to: b, at: offset) } else { b[offset] = lithiumInventory_mol_per_m2 }
    }

    func checkState(_ b: UnsafeBufferPointer<Double>, at offset: Int) -> Bool {
        if kind == .intercalation { return particle!.checkState(b, at: offset) }
        return b[offset].isFinite
    }

    mutating func readState(_ b: UnsafeBufferPointer<Double>, at offset: Int) {
        if particle != nil { particle?.readState(b, at: offset) } else { lithiumInventory_mol_per_m2 = b[offset] }
    }
}
