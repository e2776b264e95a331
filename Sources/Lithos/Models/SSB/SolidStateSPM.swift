/// SSB-SPM: the single-particle model of a solid-state cell (kind "ssb-spm").
///
/// One representative particle per intercalation electrode (radial finite volumes, implicit
/// Euler, Arrhenius D — `SphericalParticleDiffusion`), symmetric Butler–Volmer kinetics at the
/// CAM|SE interface with Arrhenius, optionally concentration-dependent i₀, a CAM|SE interphase
/// film resistance, a lithium-metal anode with its own Butler–Volmer kinetics and Li|SE
/// resistance (or an intercalation anode as a second particle), the ohmic SE separator
/// L/(σ_SE·f), the composite's ionic and electronic resistance in the uniform-reaction limit
/// L/3·(1/σ_ion + 1/σ_el), and collector/contact resistance:
///
///   V = [U₊(θ₊,s) + η₊ + j₊R_f₊] − [U₋(θ₋,s) + η₋ + j₋R_f₋] − i·(R_sep + R_comp,₊ + R_comp,₋ + R_series)
///
/// with i = I/A, j₊ = −i/(a₊L₊), j₋ = i/(a₋L₋) (or i for Li metal), η = 2RT/F·asinh(j/(2i₀)).
/// With σ → ∞ and no films this is exactly PyBaMM's SPM (validation/pybamm).
///
/// Temperature-dependent coefficients are evaluated at the start-of-step temperature (the
/// thermal model then advances with the step's heat). Voltage and power steps find the current
/// with `StepCurrentSolver`; the concentrations are affine in the current within a step, so each
/// trial costs a few OCP evaluations and no linear solve.
public struct SolidStateSPM: CellModel, Sendable {
    public let parameters: SolidStateCellParameters
    private(set) var positive: SingleParticleElectrode
    private(set) var negative: SolidStateNegativeElectrode
    public private(set) var temperature_K: Double
    public private(set) var output = ModelOutput()
    /// Interface states of the last step (internals).
    private var positiveInterface = SingleParticleElectrode.InterfaceState(surfaceStoichiometry: 0, openCircuitPotential_V: 0,
                                                                            overpotential_V: 0, filmDrop_V: 0, exchangeCurrentDensity_A_per_m2: 0)
    private var negativeInterface = SingleParticleElectrode.InterfaceState(surfaceStoichiometry: 0, openCircuitPotential_V: 0,
                                                                            overpotential_V: 0, filmDrop_V: 0, exchangeCurrentDensity_A_per_m2: 0)
    private var ohmicDrop_V = 0.0
    /// Series ASR and the temperature it was computed at (not state: a function of T).
    private var asr_ohm_m2 = 0.0
    private var asrTemperature_K = Double.nan

    /// Largest current a step may ask for, as a multiple of 1C.
    public static let maximumCRate = 100.0
    /// Default radial shells per particle.
    public static let defaultShellCount = 20

    public var kind: StaticString { "ssb-spm" }
    public var capacity_Ah: Double { parameters.capacity_Ah }
    public var limits: ModelLimits { parameters.limits }
    public var shellCount: Int { positive.shellCount }

    public init(parameters: SolidStateCellParameters, shellCount: Int = defaultShellCount,
                initialSOC: Double, initialTemperature_K: Double) throws(LithosError) {
        guard shellCount >= SphericalParticleDiffusion.minimumShells && shellCount <= SphericalParticleDiffusion.maximumShells else {
            throw LithosError(.outOfRange, "particle_shells must be within \(SphericalParticleDiffusion.minimumShells)…\(SphericalParticleDiffusion.maximumShells) (got \(shellCount))")
        }
        self.parameters = parameters
        positive = SingleParticleElectrode(parameters: parameters.positive, shellCount: shellCount)
        negative = SolidStateNegativeElectrode(parameters: parameters.negative, shellCount: shellCount)
        temperature_K = initialTemperature_K
        try reset(soc: initialSOC, temperature_K: initialTemperature_K)
    }

    public mutating func reset(soc: Double, temperature_K: Double) throws(LithosError) {
        try Validate.unitInterval(soc, "soc")
        try Validate.temperature(temperature_K)
        positive.setUniform(stoichiometry: parameters.positive.stoichiometry(soc: soc))
        negative.setRest(soc: soc, positiveWindow_mol_per_m2: parameters.positive.windowInventory_mol_per_m2)
        self.temperature_K = temperature_K
        // A zero-length "step" at zero current gives the rest state's interfaces and voltage.
        positive.prepare(dt_s: 1, temperature_K: temperature_K)
        negative.prepare(dt_s: 1, temperature_K: temperature_K)
        positiveInterface = positive.interface(currentDensity: 0)
        negativeInterface = negative.interface(electrodeCurrentDensity: 0)
        ohmicDrop_V = 0
        var o = ModelOutput()
        let rest = restVoltage(temperature_K: temperature_K)
        o.soc = stateOfCharge
        o.temperature_K = temperature_K
        o.openCircuitVoltage_V = rest.voltage
        o.voltage_V = rest.voltage
        o.limits = parameters.limits.flags(voltage_V: o.voltage_V, soc: o.soc, temperature_K: temperature_K)
        output = o
    }

    /// SOC from the positive electrode's mean stoichiometry: (θ₀ − θ̄)/(θ₀ − θ₁).
    public var stateOfCharge: Double {
        let p = parameters.positive
        return (p.stoichiometryAtFullDischarge - positive.meanStoichiometry) / (p.stoichiometryAtFullDischarge - p.stoichiometryAtFullCharge)
    }

    /// OCV at the mean stoichiometries and its temperature coefficient.
    func restVoltage(temperature_K: Double) -> (voltage: Double, entropic: Double) {
        let theta = min(max(positive.meanStoichiometry, 1e-9), 1 - 1e-9)
        let p = Self.potentialAndEntropic(parameters.positive.openCircuitPotential, theta, temperature_K)
        let n = negative.restPotential(temperature_K: temperature_K)
        return (p.potential_V - n.potential_V, p.entropic_V_per_K - n.entropic_V_per_K)
    }

    /// U(θ, T) and dU/dT(θ), with dU/dT evaluated once (`OpenCircuitPotential.potential`
    /// computes the same sum).
    @inline(__always)
    static func potentialAndEntropic(_ ocp: OpenCircuitPotential, _ theta: Double, _ temperature_K: Double)
        -> (potential_V: Double, entropic_V_per_K: Double) {
        let entropic = ocp.entropicCoefficient(theta)
        return (ocp.referencePotential(theta) + (temperature_K - Physics.referenceTemperature_K) * entropic, entropic)
    }

    /// Terminal voltage at the end of the prepared step for current I, with the interfaces.
    @inline(__always)
    func endOfStep(current: Double, seriesASR: Double) -> (voltage: Double, positive: SingleParticleElectrode.InterfaceState,
                                                           negative: SingleParticleElectrode.InterfaceState, ohmic: Double) {
        let i = current / parameters.area_m2
        let p = positive.interface(currentDensity: -positive.interfacialCurrentDensity(electrodeCurrentDensity: i))
        let n = negative.interface(electrodeCurrentDensity: i)
        let ohmic = i == 0 ? 0 : i * seriesASR
        return (p.potentialDifference_V - n.potentialDifference_V - ohmic, p, n, ohmic)
    }

    /// Series area-specific resistance at temperature T [Ω·m²]: separator, composites, collectors.
    mutating func seriesASR(temperature_K: Double) -> Double {
        if temperature_K != asrTemperature_K {
            asr_ohm_m2 = computeSeriesASR(temperature_K: temperature_K)
            asrTemperature_K = temperature_K
        }
        return asr_ohm_m2
    }

    func computeSeriesASR(temperature_K: Double) -> Double {
        let sigma = parameters.electrolyteConductivity.conductivity(at: temperature_K)
        let separator = parameters.separatorThickness_m == 0 ? 0
            : parameters.separatorThickness_m / (sigma * parameters.separatorRelativeConductivity)
        return parameters.seriesResistance_ohm_m2 + separator
            + parameters.positive.uniformReactionResistance_ohm_m2(electrolyteConductivity_S_per_m: sigma)
            + negative.compositeResistance_ohm_m2(electrolyteConductivity_S_per_m: sigma)
    }

    public mutating func step(_ input: StepInput) throws(LithosError) -> ModelOutput {
        try input.validate()
        let limit = Self.maximumCRate * parameters.capacity_Ah
        if input.mode == .current && abs(input.value) > limit {
            throw LithosError(.outOfRange, "current \(input.value) A is beyond ±\(Self.maximumCRate)C (±\(limit) A) for this \(parameters.capacity_Ah) A·h cell")
        }
        let t0 = temperature_K
        let asr = seriesASR(temperature_K: t0)
        guard asr.isFinite else {
            throw LithosError(.outOfRange, "the solid electrolyte does not conduct at \(t0) K (σ = \(parameters.electrolyteConductivity.conductivity(at: t0)) S/m)")
        }
        // Preparing touches only scratch and factor caches, never the state.
        positive.prepare(dt_s: input.dt_s, temperature_K: t0)
        negative.prepare(dt_s: input.dt_s, temperature_K: t0)
        let current: Double
        if input.mode == .current {
            current = input.value
        } else {
            current = try StepCurrentSolver.current(for: input, limit: limit, maximumCRate: Self.maximumCRate) {
                endOfStep(current: $0, seriesASR: asr).voltage
            }
        }
        let end = endOfStep(current: current, seriesASR: asr)
        guard end.voltage.isFinite else {
            throw LithosError(.internal, "ssb-spm step produced a non-finite voltage (I = \(current) A)")
        }
        // Commit.
        let i = current / parameters.area_m2
        positive.commit(currentDensity: -positive.interfacialCurrentDensity(electrodeCurrentDensity: i))
        negative.commit(electrodeCurrentDensity: i, dt_s: input.dt_s)
        positiveInterface = end.positive
        negativeInterface = end.negative
        ohmicDrop_V = end.ohmic
        let rest = restVoltage(temperature_K: t0)
        temperature_K = SolidStateStepAccounting.finish(&output, input: input, current_A: current, voltage_V: end.voltage,
                                                        openCircuitVoltage_V: rest.voltage, entropic_V_per_K: rest.entropic,
                                                        soc: stateOfCharge, temperature_K: t0,
                                                        thermal: parameters.thermal, limits: parameters.limits)
        return output
    }

    /// Series ASR of the prepared trial step (`prepareTrial`).
    private var trialASR = 0.0

    public mutating func prepareTrial(dt_s: Double, ambient_K: Double) throws(LithosError) {
        try StepInput.current(0, dt_s: dt_s, ambient_K: ambient_K).validate()
        let t0 = temperature_K
        let asr = seriesASR(temperature_K: t0)
        guard asr.isFinite else {
            throw LithosError(.outOfRange, "the solid electrolyte does not conduct at \(t0) K (σ = \(parameters.electrolyteConductivity.conductivity(at: t0)) S/m)")
        }
        positive.prepare(dt_s: dt_s, temperature_K: t0)
        negative.prepare(dt_s: dt_s, temperature_K: t0)
        trialASR = asr
    }

    public mutating func trialVoltage(current: Double) -> Double {
        endOfStep(current: current, seriesASR: trialASR).voltage
    }

    /// Li in both electrodes [mol] (conserved: what leaves one enters the other).
    public var lithiumInventory_mol: Double {
        (positive.inventory_mol_per_m2 + negative.inventory_mol_per_m2) * parameters.area_m2
    }

    // MARK: internals

    public var internalNames: [StaticString] {
        ["positive_surface_stoichiometry", "positive_mean_stoichiometry", "negative_surface_stoichiometry",
         "negative_mean_stoichiometry", "positive_overpotential_V", "negative_overpotential_V",
         "positive_interface_drop_V", "negative_interface_drop_V", "ohmic_drop_V",
         "positive_exchange_current_A_per_m2", "negative_exchange_current_A_per_m2", "lithium_metal_mol_per_m2"]
    }

    public var internalCount: Int { 12 }

    public func internalValue(_ index: Int) -> Double {
        switch index {
        case 0: return positiveInterface.surfaceStoichiometry
        case 1: return positive.meanStoichiometry
        case 2: return negativeInterface.surfaceStoichiometry
        case 3: return negative.meanStoichiometry
        case 4: return positiveInterface.overpotential_V
        case 5: return negativeInterface.overpotential_V
        case 6: return positiveInterface.filmDrop_V
        case 7: return negativeInterface.filmDrop_V
        case 8: return ohmicDrop_V
        case 9: return positiveInterface.exchangeCurrentDensity_A_per_m2
        case 10: return negativeInterface.exchangeCurrentDensity_A_per_m2
        case 11: return negative.kind == .lithiumMetal ? negative.lithiumInventory_mol_per_m2 : .nan
        default: return .nan
        }
    }

    public func writeInternals(to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        let n = min(internalCount, buffer.count)
        for i in 0..<n { buffer[i] = internalValue(i) }
        return n
    }

    // MARK: profiles

    /// The particles' radial profiles after the last step: shell-centre radius and shell-average
    /// stoichiometry, for the positive particle and (intercalation anode) the negative one.
    public var profileNames: [StaticString] {
        negative.kind == .intercalation
            ? ["positive_particle_radius_m", "positive_particle_stoichiometry", "negative_particle_radius_m", "negative_particle_stoichiometry"]
            : ["positive_particle_radius_m", "positive_particle_stoichiometry"]
    }

    public var profileCount: Int { negative.kind == .intercalation ? 4 : 2 }

    public func profileLength(_ index: Int) -> Int { index >= 0 && index < profileCount ? positive.shellCount : 0 }

    public func writeProfile(_ index: Int, to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        guard index >= 0 && index < profileCount else { return 0 }
        let n = min(positive.shellCount, buffer.count)
        if index >= 2, negative.kind == .intercalation {
            negative.particle!.writeProfile(radius: index == 2, to: buffer, count: n)
        } else {
            positive.writeProfile(radius: index == 0, to: buffer, count: n)
        }
        return n
    }

    // MARK: state

    /// Layout: positive shells, negative (shells or Li inventory), temperature, output (10),
    /// the last step's interfaces (2 × 5) and ohmic drop.
    private var negativeOffset: Int { positive.shellCount }
    private var scalarOffset: Int { positive.shellCount + negative.stateCount }
    private static let scalarCount = 1 + SolidStateStepAccounting.outputStateCount + 11

    public var stateCount: Int { scalarOffset + Self.scalarCount }

    public func writeState(to b: UnsafeMutableBufferPointer<Double>) {
        positive.writeState(to: b, at: 0)
        negative.writeState(to: b, at: negativeOffset)
        var k = scalarOffset
        b[k] = temperature_K; k += 1
        SolidStateStepAccounting.write(output, to: b, at: k); k += SolidStateStepAccounting.outputStateCount
        positiveInterface.write(to: b, at: k)
        negativeInterface.write(to: b, at: k + 5)
        b[k + 10] = ohmicDrop_V
    }

    public mutating func readState(from b: UnsafeBufferPointer<Double>) throws(LithosError) {
        let k0 = scalarOffset
        guard positive.checkState(b, at: 0), negative.checkState(b, at: negativeOffset), b[k0].isFinite, b[k0] > 0,
              let o = SolidStateStepAccounting.read(b, at: k0 + 1) else {
            throw LithosError(.invalidArgument, "state snapshot values are out of range")
        }
        let k = k0 + 1 + SolidStateStepAccounting.outputStateCount
        positive.readState(b, at: 0)
        negative.readState(b, at: negativeOffset)
        temperature_K = b[k0]
        output = o
        positiveInterface = .init(reading: b, at: k)
        negativeInterface = .init(reading: b, at: k + 5)
        ohmicDrop_V = b[k + 10]
    }

    public var parameterFingerprint: UInt64 {
        var h = FNV1a64()
        h.add(parameters.fingerprint)
        h.add(UInt64(positive.shellCount))
        return h.value
    }
}
