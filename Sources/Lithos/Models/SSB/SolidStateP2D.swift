/// SSB-P2D: the pseudo-two-dimensional model of a solid-state cell (kind "ssb-p2d").
///
/// The composite cathode is resolved through its thickness: N finite-volume cells (uniform,
/// x = 0 at the separator, x = L at the collector), each with its own particle (the same radial
/// finite volumes and implicit Euler as SSB-SPM; every particle shares one geometry, D(T) and
/// therefore one factorisation per (D, dt)). The solid electrolyte is a single-ion conductor
/// (t₊ = 1, no salt gradient), so the composite carries an ionic current i_e in the SE network and
/// an electronic current i_s = i − i_e in the CAM/carbon network, both ohmic:
///
///   i_e = −σ_ion·∂φ_e/∂x (σ_ion = σ_SE(T)·ionic_relative_conductivity), i_s = −σ_el·∂φ_s/∂x,
///   ∂i_e/∂x = a·j, i_e(0) = i, i_e(L) = 0, a = 3ε_AM/R,
///   φ_s − φ_e = U(θ_surf) + j·R_film + 2RT/F·asinh(j/(2i₀(θ_surf))) in every cell.
///
/// `CompositeCathodeSolver` solves this per step (Newton on the cells' potential differences
/// with each cell's kinetics solved exactly inside, a tridiagonal system per iteration); see it
/// for the discretisation, the boundary half cells and the convergence criteria. The negative side is
/// `SolidStateNegativeElectrode`, unchanged from SSB-SPM (Li metal, or an intercalation composite
/// kept as a single particle with its uniform-reaction ohmic term), and so are the separator,
/// series resistance, thermal model and outputs:
///
///   V = φ_s(L) − i·R_series,  φ_e(0) = −Δφ₋ − i·(L_sep/(σ_SE·f_sep) + R_comp,₋),
///
/// all potentials relative to the negative electrode's solid. With σ → ∞ (uniform reaction) or
/// N = 1 this is SSB-SPM (the latter exactly, to round-off).
///
/// Temperature-dependent coefficients are evaluated at the start-of-step temperature. Voltage and
/// power steps search the current with `StepCurrentSolver`, each trial a full Newton solve from
/// the committed profile (no state change). The state changes only at commit; every array is sized
/// at creation, so a step does not allocate.
public struct SolidStateP2D: CellModel, Sendable {
    public let parameters: SolidStateCellParameters
    /// Through-thickness cells of the cathode.
    public let nodeCount: Int
    /// Radial shells per particle.
    public let shellCount: Int
    private var diffusion: SphericalParticleDiffusion
    /// Particle concentrations [mol/m³], cell-major (nodeCount × shellCount).
    private var concentration: [Double]
    /// This step's zero-flux solutions (scratch, same layout).
    private var zeroFlux: [Double]
    /// This step's zero-flux surface stoichiometries S_k (scratch).
    private var surfaceBase: [Double]
    private var negative: SolidStateNegativeElectrode
    private var solver: CompositeCathodeSolver
    /// The prepared step's constants.
    private var constants = CompositeCathodeSolver.Constants()
    /// Committed profile of the last step (`CompositeCathodeSolver.export` layout); its cell
    /// currents and OCP slopes start the next step's Newton iteration.
    private var profile: [Double]
    public private(set) var temperature_K: Double
    public private(set) var output = ModelOutput()
    private var negativeInterface = SingleParticleElectrode.InterfaceState(surfaceStoichiometry: 0, openCircuitPotential_V: 0,
                                                                            overpotential_V: 0, filmDrop_V: 0, exchangeCurrentDensity_A_per_m2: 0)
    private var drops = Drops()
    /// Series ASR of the prepared step (separator + negative composite + collectors) [Ω·m²] and
    /// the separator's and the negative composite's shares.
    private var stepSeriesASR = 0.0
    private var stepSeparatorASR = 0.0
    private var stepNegativeCompositeASR = 0.0

    /// Scalars of the last step (internals).
    private struct Drops: Sendable {
        var electrolyte_V = 0.0
        var electronic_V = 0.0
        var compositeOhmic_V = 0.0
        var separator_V = 0.0
        var series_V = 0.0
        var newtonIterations = 0.0
        static let count = 6
    }

    /// Default through-thickness cells.
    public static let defaultNodeCount = 20
    public static let maximumNodeCount = 500

    public var kind: StaticString { "ssb-p2d" }
    /// Cell evaluations (OCP calls) of the last composite solve (diagnostics; not state).
    public var lastSolveEvaluations: Int { solver.evaluations }
    public var capacity_Ah: Double { parameters.capacity_Ah }
    public var limits: ModelLimits { parameters.limits }

    /// `nodeCount` ≥ 1 (1 is SSB-SPM exactly; the model options require ≥ 2).
    public init(parameters: SolidStateCellParameters, nodeCount: Int = defaultNodeCount, shellCount: Int = SolidStateSPM.defaultShellCount,
                initialSOC: Double, initialTemperature_K: Double) throws(LithosError) {
        guard shellCount >= SphericalParticleDiffusion.minimumShells && shellCount <= SphericalParticleDiffusion.maximumShells else {
            throw LithosError(.outOfRange, "particle_shells must be within \(SphericalParticleDiffusion.minimumShells)…\(SphericalParticleDiffusion.maximumShells) (got \(shellCount))")
        }
        guard nodeCount >= 1 && nodeCount <= Self.maximumNodeCount else {
            throw LithosError(.outOfRange, "cathode_nodes must be within 1…\(Self.maximumNodeCount) (got \(nodeCount))")
        }
        self.parameters = parameters
        self.nodeCount = nodeCount
        self.shellCount = shellCount
        diffusion = SphericalParticleDiffusion(radius_m: parameters.positive.particleRadius_m, shellCount: shellCount)
        concentration = Array(repeating: 0, count: nodeCount * shellCount)
        zeroFlux = Array(repeating: 0, count: nodeCount * shellCount)
        surfaceBase = Array(repeating: 0, count: nodeCount)
        negative = SolidStateNegativeElectrode(parameters: parameters.negative, shellCount: shellCount)
        solver = CompositeCathodeSolver(nodeCount: nodeCount)
        profile = Array(repeating: 0, count: CompositeCathodeSolver.profileCount(nodeCount: nodeCount))
        temperature_K = initialTemperature_K
        try reset(soc: initialSOC, temperature_K: initialTemperature_K)
    }

    public mutating func reset(soc: Double, temperature_K: Double) throws(LithosError) {
        try Validate.unitInterval(soc, "soc")
        try Validate.temperature(temperature_K)
        let c = parameters.positive.stoichiometry(soc: soc) * parameters.positive.maximumConcentration_mol_per_m3
        for k in 0..<concentration.count { concentration[k] = c }
        negative.setRest(soc: soc, positiveWindow_mol_per_m2: parameters.positive.windowInventory_mol_per_m2)
        self.temperature_K = temperature_K
        // The rest profile: no current anywhere, every cell at Δφ = U(θ) (φ_e relative to the
        // negative, whose interface carries no current either).
        negative.prepare(dt_s: 1, temperature_K: temperature_K)
        negativeInterface = negative.interface(electrodeCurrentDensity: 0)
        let theta = parameters.positive.stoichiometry(soc: soc)
        let u = parameters.positive.openCircuitPotential.potential(min(max(theta, 1e-9), 1 - 1e-9), temperature_K: temperature_K)
        let n = nodeCount, cells = cellOffset
        for k in 0..<profile.count { profile[k] = 0 }
        let h = theta < 0.5 ? 1e-6 : -1e-6
        let clamped = min(max(theta, 1e-9), 1 - 1e-9)
        let slope = (parameters.positive.openCircuitPotential.potential(clamped + h, temperature_K: temperature_K) - u) / h
        for k in 0..<n {
            profile[cells + n + k] = theta
            profile[cells + 3 * n + k] = u
            profile[cells + 4 * n + k] = -negativeInterface.potentialDifference_V
            profile[cells + 5 * n + k] = slope
        }
        drops = Drops()
        var o = ModelOutput()
        let rest = restVoltage(temperature_K: temperature_K)
        o.soc = stateOfCharge
        o.temperature_K = temperature_K
        o.openCircuitVoltage_V = rest.voltage
        o.voltage_V = rest.voltage
        o.limits = parameters.limits.flags(voltage_V: o.voltage_V, soc: o.soc, temperature_K: temperature_K)
        output = o
    }

    // MARK: cathode aggregates

    /// Mean stoichiometry of cell k's particle.
    private func nodeMeanStoichiometry(_ k: Int) -> Double {
        let nr = shellCount
        return concentration.withUnsafeBufferPointer { c in
            diffusion.meanConcentration(UnsafeBufferPointer(rebasing: c[(k * nr)..<((k + 1) * nr)]))
        } / parameters.positive.maximumConcentration_mol_per_m3
    }

    /// Mean cathode stoichiometry over all cells (equal volumes) [1].
    public var meanStoichiometry: Double {
        var sum = 0.0
        for k in 0..<nodeCount { sum += nodeMeanStoichiometry(k) }
        return sum / Double(nodeCount)
    }

    /// max − min of the cells' mean stoichiometries [1].
    public var utilisationSpread: Double {
        var low = Double.infinity, high = -Double.infinity
        for k in 0..<nodeCount {
            let t = nodeMeanStoichiometry(k)
            low = min(low, t)
            high = max(high, t)
        }
        return high - low
    }

    /// SOC from the cathode's mean stoichiometry: (θ₀ − θ̄)/(θ₀ − θ₁), as SSB-SPM.
    public var stateOfCharge: Double { stateOfCharge(meanStoichiometry: meanStoichiometry) }

    /// SOC at mean cathode stoichiometry θ̄.
    private func stateOfCharge(meanStoichiometry theta: Double) -> Double {
        let p = parameters.positive
        return (p.stoichiometryAtFullDischarge - theta) / (p.stoichiometryAtFullDischarge - p.stoichiometryAtFullCharge)
    }

    /// OCV at the mean stoichiometries (the voltage the cell relaxes to) and its temperature coefficient.
    func restVoltage(temperature_K: Double) -> (voltage: Double, entropic: Double) {
        restVoltage(meanStoichiometry: meanStoichiometry, temperature_K: temperature_K)
    }

    private func restVoltage(meanStoichiometry mean: Double, temperature_K: Double) -> (voltage: Double, entropic: Double) {
        let theta = min(max(mean, 1e-9), 1 - 1e-9)
        let ocp = parameters.positive.openCircuitPotential
        let n = negative.restPotential(temperature_K: temperature_K)
        return (ocp.potential(theta, temperature_K: temperature_K) - n.potential_V, ocp.entropicCoefficient(theta) - n.entropic_V_per_K)
    }

    /// Li in both electrodes [mol] (conserved).
    public var lithiumInventory_mol: Double {
        let p = parameters.positive
        var sum = 0.0
        concentration.withUnsafeBufferPointer { c in
            for k in 0..<nodeCount {
                sum += diffusion.meanConcentration(UnsafeBufferPointer(rebasing: c[(k * shellCount)..<((k + 1) * shellCount)]))
            }
        }
        let positive = p.activeFraction * (p.thickness_m / Double(nodeCount)) * sum
        return (positive + negative.inventory_mol_per_m2) * parameters.area_m2
    }

    // MARK: step

    /// First phase of a step (touches only scratch and caches): series resistances, the particle
    /// factorisation and zero-flux solves, the surface stoichiometry base and slope, the
    /// start-of-step laws.
    private mutating func prepare(dt_s: Double, temperature_K t0: Double) throws(LithosError) {
        let p = parameters.positive
        let sigma = parameters.electrolyteConductivity.conductivity(at: t0)
        let separator = parameters.separatorThickness_m == 0 ? 0
            : parameters.separatorThickness_m / (sigma * parameters.separatorRelativeConductivity)
        let negativeComposite = negative.compositeResistance_ohm_m2(electrolyteConductivity_S_per_m: sigma)
        let asr = parameters.seriesResistance_ohm_m2 + separator + negativeComposite
        let ionic = sigma * p.ionicRelativeConductivity
        guard asr.isFinite, ionic > 0, ionic.isFinite else {
            throw LithosError(.outOfRange, "the solid electrolyte does not conduct at \(t0) K (σ = \(sigma) S/m)")
        }
        stepSeriesASR = asr
        stepSeparatorASR = separator
        stepNegativeCompositeASR = negativeComposite
        diffusion.prepare(diffusivity_m2_per_s: p.diffusivity.value(at: t0), dt_s: dt_s)
        let nr = shellCount, n = nodeCount
        let cMax = p.maximumConcentration_mol_per_m3
        var scratch: [Double] = []
        var base: [Double] = []
        swap(&scratch, &zeroFlux)
        swap(&base, &surfaceBase)
        var slope = 0.0
        concentration.withUnsafeBufferPointer { old in
            scratch.withUnsafeMutableBufferPointer { z in
                base.withUnsafeMutableBufferPointer { s in
                    for k in 0..<n {
                        let range = (k * nr)..<((k + 1) * nr)
                        let out = UnsafeMutableBufferPointer(rebasing: z[range])
                        diffusion.advanceWithoutFlux(from: UnsafeBufferPointer(rebasing: old[range]), into: out)
                        s[k] = diffusion.surfaceConcentration(zeroFlux: UnsafeBufferPointer(out), flux: 0) / cMax
                    }
                    let first = UnsafeBufferPointer(rebasing: z[0..<nr])
                    slope = (diffusion.surfaceConcentration(zeroFlux: first, flux: 1 / Physics.faraday)
                             - diffusion.surfaceConcentration(zeroFlux: first, flux: 0)) / cMax
                }
            }
        }
        swap(&scratch, &zeroFlux)
        swap(&base, &surfaceBase)
        negative.prepare(dt_s: dt_s, temperature_K: t0)
        var c = CompositeCathodeSolver.Constants()
        c.temperature_K = t0
        c.thermalVoltage2 = 2 * Physics.gasConstant * t0 / Physics.faraday
        c.openCircuitPotential = p.openCircuitPotential
        c.kinetics = p.kinetics
        c.referenceExchangeCurrent = p.kinetics.referenceValue(at: t0)
        c.filmResistance = p.interfaceResistance_ohm_m2
        c.surfaceSlope = slope
        c.ionicConductivity = ionic
        c.electronicConductivity = p.electronicConductivity_S_per_m
        c.cellWidth = p.thickness_m / Double(n)
        c.areaPerCell = p.specificInterfaceArea_per_m * c.cellWidth
        constants = c
    }

    /// Solves the prepared step for current I [A] (scratch only) from the committed profile and
    /// returns the terminal voltage, NaN if the solve fails.
    private mutating func trialVoltage(_ current: Double) -> Double {
        let i = current / parameters.area_m2
        guard solver.solve(currentDensity: i, base: surfaceBase, guess: profile, constants: constants) else { return .nan }
        let composite = solver.summary(currentDensity: i, constants: constants).voltage_V
        let n = negative.interface(electrodeCurrentDensity: i)
        let ohmic = i == 0 ? 0 : i * stepSeriesASR
        return composite - n.potentialDifference_V - ohmic
    }

    public mutating func prepareTrial(dt_s: Double, ambient_K: Double) throws(LithosError) {
        try StepInput.current(0, dt_s: dt_s, ambient_K: ambient_K).validate()
        try prepare(dt_s: dt_s, temperature_K: temperature_K)
    }

    public mutating func trialVoltage(current: Double) -> Double {
        trialVoltage(current)
    }

    public mutating func step(_ input: StepInput) throws(LithosError) -> ModelOutput {
        try input.validate()
        let limit = SolidStateSPM.maximumCRate * parameters.capacity_Ah
        if input.mode == .current && abs(input.value) > limit {
            throw LithosError(.outOfRange, "current \(input.value) A is beyond ±\(SolidStateSPM.maximumCRate)C (±\(limit) A) for this \(parameters.capacity_Ah) A·h cell")
        }
        let t0 = temperature_K
        try prepare(dt_s: input.dt_s, temperature_K: t0)
        // Every trial starts from the committed profile, so V_end(I) is a function of I alone
        // (`StepCurrentSolver` compares and re-evaluates it; a start from the previous trial
        // would make it depend on the search path by ~1e-9 V and flip marginal decisions).
        let current: Double
        if input.mode == .current {
            current = input.value
        } else {
            current = try StepCurrentSolver.current(for: input, limit: limit, maximumCRate: SolidStateSPM.maximumCRate) {
                trialVoltage($0)
            }
        }
        let voltage = trialVoltage(current)
        guard voltage.isFinite else {
            throw LithosError(.internal, "ssb-p2d: the composite cathode solve did not converge in \(CompositeCathodeSolver.maximumIterations) Newton iterations (I = \(current) A)")
        }
        // Commit.
        let i = current / parameters.area_m2
        let n = negative.interface(electrodeCurrentDensity: i)
        let separatorDrop = i == 0 ? 0 : i * stepSeparatorASR
        let seriesDrop = (i == 0 ? 0 : i * stepSeriesASR) - separatorDrop
        let separatorPotential = -n.potentialDifference_V - separatorDrop - (i == 0 ? 0 : i * stepNegativeCompositeASR)
        solver.export(into: &profile, base: surfaceBase, separatorPotential: separatorPotential, constants: constants)
        let s = solver.summary(currentDensity: i, constants: constants)
        commitParticles()
        negative.commit(electrodeCurrentDensity: i, dt_s: input.dt_s)
        negativeInterface = n
        drops = Drops(electrolyte_V: s.electrolyteDrop_V, electronic_V: s.electronicDrop_V, compositeOhmic_V: s.ohmicDrop_V,
                      separator_V: separatorDrop, series_V: seriesDrop, newtonIterations: Double(solver.iterations))
        let mean = meanStoichiometry
        let rest = restVoltage(meanStoichiometry: mean, temperature_K: t0)
        temperature_K = SolidStateStepAccounting.finish(&output, input: input, current_A: current, voltage_V: voltage,
                                                        openCircuitVoltage_V: rest.voltage, entropic_V_per_K: rest.entropic,
                                                        soc: stateOfCharge(meanStoichiometry: mean), temperature_K: t0,
                                                        thermal: parameters.thermal, limits: parameters.limits)
        return output
    }

    /// c_new = zero-flux solution + (j_k/F)·w in every cell, with j_k from the committed profile.
    private mutating func commitParticles() {
        let nr = shellCount, n = nodeCount
        var scratch: [Double] = []
        swap(&scratch, &zeroFlux)
        scratch.withUnsafeMutableBufferPointer { z in
            profile.withUnsafeBufferPointer { p in
                for k in 0..<n {
                    diffusion.addFluxResponse(p[n + 1 + k] / Physics.faraday,
                                              to: UnsafeMutableBufferPointer(rebasing: z[(k * nr)..<((k + 1) * nr)]))
                }
            }
        }
        swap(&scratch, &concentration)
        swap(&scratch, &zeroFlux)   // the old profile becomes next step's scratch
    }

    // MARK: internals

    /// Separator side/collector side: the surface stoichiometry and overpotential at x = 0 and
    /// x = L (extrapolated from the cells); utilisation spread: max − min of the cells' mean
    /// stoichiometries; electrolyte/electronic drop: φ(L) − φ(0) in the SE/CAM network;
    /// composite ohmic drop: mean Δφ − (φ_s(L) − φ_e(0)) (L/3·(1/σ_ion + 1/σ_el)·i for a uniform
    /// reaction); series drop: i·(R_series + R_comp,₋); newton_iterations: outer updates of the
    /// step's composite solve.
    public var internalNames: [StaticString] {
        ["positive_surface_stoichiometry_separator_side", "positive_surface_stoichiometry_collector_side",
         "positive_mean_stoichiometry", "positive_utilisation_spread",
         "positive_overpotential_separator_side_V", "positive_overpotential_collector_side_V",
         "negative_surface_stoichiometry", "negative_mean_stoichiometry", "negative_overpotential_V",
         "electrolyte_potential_drop_V", "electronic_potential_drop_V", "composite_ohmic_drop_V",
         "separator_drop_V", "series_drop_V", "newton_iterations", "lithium_metal_mol_per_m2"]
    }

    public var internalCount: Int { 16 }

    private var cellOffset: Int { nodeCount + 1 }

    public func internalValue(_ index: Int) -> Double {
        let n = nodeCount, o = cellOffset
        switch index {
        case 0: return boundaryValue(at: o + n, collectorSide: false)
        case 1: return boundaryValue(at: o + n, collectorSide: true)
        case 2: return meanStoichiometry
        case 3: return utilisationSpread
        case 4: return boundaryValue(at: o + 2 * n, collectorSide: false)
        case 5: return boundaryValue(at: o + 2 * n, collectorSide: true)
        case 6: return negativeInterface.surfaceStoichiometry
        case 7: return negative.meanStoichiometry
        case 8: return negativeInterface.overpotential_V
        case 9: return drops.electrolyte_V
        case 10: return drops.electronic_V
        case 11: return drops.compositeOhmic_V
        case 12: return drops.separator_V
        case 13: return drops.series_V
        case 14: return drops.newtonIterations
        case 15: return negative.kind == .lithiumMetal ? negative.lithiumInventory_mol_per_m2 : .nan
        default: return .nan
        }
    }

    /// A cell field of the profile block (N values from `offset`) at x = 0 or x = L: linear
    /// extrapolation of the two nearest cell values, (3·f₀ − f₁)/2 (second order; the cell value
    /// itself is Δx/2 away, first order). N = 1: the cell value.
    private func boundaryValue(at offset: Int, collectorSide: Bool) -> Double {
        let n = nodeCount
        let edge = collectorSide ? offset + n - 1 : offset
        guard n > 1 else { return profile[edge] }
        let next = collectorSide ? edge - 1 : edge + 1
        return 1.5 * profile[edge] - 0.5 * profile[next]
    }

    public func writeInternals(to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        let n = min(internalCount, buffer.count)
        for i in 0..<n { buffer[i] = internalValue(i) }
        return n
    }

    // MARK: profiles

    /// Through-thickness profiles of the last step, each `profileLength` values at the cell
    /// centres (x = 0 at the separator). Potentials are relative to the negative electrode's
    /// solid and are cell averages.
    public var profileNames: [StaticString] {
        ["x_m", "electrolyte_potential_V", "solid_potential_V", "interfacial_current_A_per_m2",
         "surface_stoichiometry", "mean_stoichiometry", "overpotential_V", "ionic_current_A_per_m2"]
    }

    public var profileCount: Int { 8 }
    /// Every profile has one value per cathode node.
    public func profileLength(_ index: Int) -> Int { index >= 0 && index < profileCount ? nodeCount : 0 }

    /// Writes min(profileLength, buffer.count) values of profile `index` (`profileNames` order)
    /// and returns how many (0 for an unknown index). No allocation.
    public func writeProfile(_ index: Int, to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        guard index >= 0 && index < profileCount else { return 0 }
        let n = min(nodeCount, buffer.count), o = cellOffset, count = nodeCount
        let dx = parameters.positive.thickness_m / Double(count)
        for k in 0..<n {
            switch index {
            case 0: buffer[k] = (Double(k) + 0.5) * dx
            case 1: buffer[k] = profile[o + 4 * count + k]
            case 2: buffer[k] = profile[o + 4 * count + k] + profile[o + 3 * count + k]
            case 3: buffer[k] = profile[o + k]
            case 4: buffer[k] = profile[o + count + k]
            case 5: buffer[k] = nodeMeanStoichiometry(k)
            case 6: buffer[k] = profile[o + 2 * count + k]
            default: buffer[k] = 0.5 * (profile[k] + profile[k + 1])
            }
        }
        return n
    }

    // MARK: state

    /// Layout: particle concentrations (nodeCount × shellCount), negative (shells or Li
    /// inventory), temperature, output (10), the committed profile (`CompositeCathodeSolver`
    /// export block: face currents and the cell values, among them the cell currents and OCP
    /// slopes the next Newton solve starts from, so a restored model continues bit-exactly), the
    /// negative interface (5), the drops (6).
    private var negativeOffset: Int { concentration.count }
    private var scalarOffset: Int { concentration.count + negative.stateCount }
    private var profileOffset: Int { scalarOffset + 1 + SolidStateStepAccounting.outputStateCount }

    public var stateCount: Int { profileOffset + profile.count + 5 + Drops.count }

    public func writeState(to b: UnsafeMutableBufferPointer<Double>) {
        for k in 0..<concentration.count { b[k] = concentration[k] }
        negative.writeState(to: b, at: negativeOffset)
        b[scalarOffset] = temperature_K
        SolidStateStepAccounting.write(output, to: b, at: scalarOffset + 1)
        var k = profileOffset
        for x in profile { b[k] = x; k += 1 }
        let s = negativeInterface
        b[k] = s.surfaceStoichiometry; b[k + 1] = s.openCircuitPotential_V; b[k + 2] = s.overpotential_V
        b[k + 3] = s.filmDrop_V; b[k + 4] = s.exchangeCurrentDensity_A_per_m2; k += 5
        b[k] = drops.electrolyte_V; b[k + 1] = drops.electronic_V; b[k + 2] = drops.compositeOhmic_V
        b[k + 3] = drops.separator_V; b[k + 4] = drops.series_V; b[k + 5] = drops.newtonIterations
    }

    public mutating func readState(from b: UnsafeBufferPointer<Double>) throws(LithosError) {
        let k0 = scalarOffset
        var ok = b.count >= stateCount && negative.checkState(b, at: negativeOffset) && b[k0].isFinite && b[k0] > 0
        if ok {
            for k in 0..<concentration.count where !b[k].isFinite { ok = false }
            // Interface stoichiometry may be NaN (Li metal); everything else must be finite.
            for k in profileOffset..<stateCount where !b[k].isFinite && k != profileOffset + profile.count { ok = false }
            if b[stateCount - 1] < 0 { ok = false }
        }
        guard ok, let o = SolidStateStepAccounting.read(b, at: k0 + 1) else {
            throw LithosError(.invalidArgument, "state snapshot values are out of range")
        }
        for k in 0..<concentration.count { concentration[k] = b[k] }
        negative.readState(b, at: negativeOffset)
        temperature_K = b[k0]
        output = o
        var k = profileOffset
        for m in 0..<profile.count { profile[m] = b[k]; k += 1 }
        negativeInterface = .init(surfaceStoichiometry: b[k], openCircuitPotential_V: b[k + 1], overpotential_V: b[k + 2],
                                  filmDrop_V: b[k + 3], exchangeCurrentDensity_A_per_m2: b[k + 4])
        k += 5
        drops = Drops(electrolyte_V: b[k], electronic_V: b[k + 1], compositeOhmic_V: b[k + 2], separator_V: b[k + 3],
                      series_V: b[k + 4], newtonIterations: b[k + 5])
    }

    public var parameterFingerprint: UInt64 {
        var h = FNV1a64()
        h.add(parameters.fingerprint)
        h.add(UInt64(3))
        h.add(UInt64(nodeCount))
        h.add(UInt64(shellCount))
        return h.value
    }
}
