/// One intercalation electrode represented by a single particle: its Li concentration profile,
/// the radial diffusion solver, and the interface kinetics. The SSB-SPM's positive (and
/// intercalation negative) electrode, and the SSB-P2D's intercalation negative.
///
/// A step is taken in three phases so that trial currents (voltage and power steps) cost no
/// solve and a failed step leaves the state untouched:
/// `prepare` (once per step: factorise, zero-flux solve into scratch, temperature laws) →
/// `potentialDifference` (any number of trial interfacial currents) → `commit` (the chosen one).
public struct SingleParticleElectrode: Sendable {
    public let parameters: IntercalationElectrodeParameters
    private(set) var diffusion: SphericalParticleDiffusion
    /// Shell-average concentrations [mol/m³] at the end of the last step.
    private(set) var concentration: [Double]
    /// This step's zero-flux solution (scratch).
    private var zeroFlux: [Double]
    /// i₀ at θ = ½ and the temperature of the prepared step.
    private var referenceExchangeCurrent = 0.0
    private var stepDiffusivity = 0.0
    private var stepTemperature_K = Double.nan

    public init(parameters: IntercalationElectrodeParameters, shellCount: Int) {
        self.parameters = parameters
        diffusion = SphericalParticleDiffusion(radius_m: parameters.particleRadius_m, shellCount: shellCount)
        concentration = Array(repeating: 0, count: shellCount)
        zeroFlux = Array(repeating: 0, count: shellCount)
    }

    public var shellCount: Int { diffusion.shellCount }

    /// Sets a uniform stoichiometry (rest).
    public mutating func setUniform(stoichiometry theta: Double) {
        let c = theta * parameters.maximumConcentration_mol_per_m3
        for i in 0..<concentration.count { concentration[i] = c }
        updateMean()
    }

    /// Mean stoichiometry of the particle [1] (kept up to date by every change of the profile).
    public private(set) var meanStoichiometry = 0.0

    private mutating func updateMean() {
        meanStoichiometry = concentration.withUnsafeBufferPointer { diffusion.meanConcentration($0) }
            / parameters.maximumConcentration_mol_per_m3
    }

    /// Li in the electrode per electrode area [mol/m²] = ε·L·c̄.
    public var inventory_mol_per_m2: Double {
        parameters.activeFraction * parameters.thickness_m
            * concentration.withUnsafeBufferPointer { diffusion.meanConcentration($0) }
    }

    /// Interfacial current density [A/m² of particle surface] for an electrode current density
    /// i [A/m² of electrode] (positive = Li leaves this electrode's particles).
    @inlinable
    public func interfacialCurrentDensity(electrodeCurrentDensity i: Double) -> Double {
        i / (parameters.specificInterfaceArea_per_m * parameters.thickness_m)
    }

    /// First phase of a step: diffusion matrix for D(T) and dt, zero-flux solve, i₀(T).
    public mutating func prepare(dt_s: Double, temperature_K: Double) {
        // The Arrhenius laws are re-evaluated only when the temperature changed.
        if temperature_K != stepTemperature_K {
            stepDiffusivity = parameters.diffusivity.value(at: temperature_K)
            referenceExchangeCurrent = parameters.kinetics.referenceValue(at: temperature_K)
            stepTemperature_K = temperature_K
        }
        diffusion.prepare(diffusivity_m2_per_s: stepDiffusivity, dt_s: dt_s)
        var scratch: [Double] = []
        swap(&scratch, &zeroFlux)
        concentration.withUnsafeBufferPointer { old in
            scratch.withUnsafeMutableBufferPointer { diffusion.advanceWithoutFlux(from: old, into: $0) }
        }
        swap(&scratch, &zeroFlux)
    }

    /// What the interface looks like at the end of the prepared step under interfacial current
    /// density j [A/m²] (positive = de-intercalation).
    public struct InterfaceState: Sendable {
        /// Surface stoichiometry [1] (unclamped).
        public var surfaceStoichiometry: Double
        /// Open-circuit potential at the surface [V].
        public var openCircuitPotential_V: Double
        /// Butler–Volmer overpotential [V].
        public var overpotential_V: Double
        /// Drop across the interphase film, j·R_film [V].
        public var filmDrop_V: Double
        /// Exchange current density [A/m²].
        public var exchangeCurrentDensity_A_per_m2: Double

        public init(surfaceStoichiometry: Double, openCircuitPotential_V: Double, overpotential_V: Double,
                    filmDrop_V: Double, exchangeCurrentDensity_A_per_m2: Double) {
            self.surfaceStoichiometry = surfaceStoichiometry
            self.openCircuitPotential_V = openCircuitPotential_V
            self.overpotential_V = overpotential_V
            self.filmDrop_V = filmDrop_V
            self.exchangeCurrentDensity_A_per_m2 = exchangeCurrentDensity_A_per_m2
        }

        /// The five values as state (snapshots), at `offset`.
        func write(to b: UnsafeMutableBufferPointer<Double>, at k: Int) {
            b[k] = surfaceStoichiometry; b[k + 1] = openCircuitPotential_V; b[k + 2] = overpotential_V
            b[k + 3] = filmDrop_V; b[k + 4] = exchangeCurrentDensity_A_per_m2
        }

        init(reading b: UnsafeBufferPointer<Double>, at k: Int) {
            self.init(surfaceStoichiometry: b[k], openCircuitPotential_V: b[k + 1], overpotential_V: b[k + 2],
                      filmDrop_V: b[k + 3], exchangeCurrentDensity_A_per_m2: b[k + 4])
        }

        /// φ_s − φ_e across the interface [V].
        @inlinable public var potentialDifference_V: Double { openCircuitPotential_V + overpotential_V + filmDrop_V }
    }

    /// Surface stoichiometry and potentials at the end of the prepared step for interfacial
    /// current j [A/m²]. The OCP and i₀ are evaluated at θ clamped to [1e-9, 1 − 1e-9]: an
    /// over-driven particle gives a finite (limit-crossing) voltage, not a NaN.
    public func interface(currentDensity j: Double) -> InterfaceState {
        let flux = j / Physics.faraday
        let cSurface = zeroFlux.withUnsafeBufferPointer { diffusion.surfaceConcentration(zeroFlux: $0, flux: flux) }
        let theta = cSurface / parameters.maximumConcentration_mol_per_m3
        let clamped = min(max(theta, 1e-9), 1 - 1e-9)
        let u = parameters.openCircuitPotential.potential(clamped, temperature_K: stepTemperature_K)
        let i0 = parameters.kinetics.value(surfaceStoichiometry: clamped, referenceValue: referenceExchangeCurrent)
        let eta = ButlerVolmer.overpotential(currentDensity: j, exchangeCurrentDensity: i0, temperature_K: stepTemperature_K)
        return InterfaceState(surfaceStoichiometry: theta, openCircuitPotential_V: u, overpotential_V: eta,
                              filmDrop_V: j * parameters.interfaceResistance_ohm_m2, exchangeCurrentDensity_A_per_m2: i0)
    }

    /// d(surface stoichiometry)/dj [1/(A/m²)] of the prepared step (the concentration is affine in j).
    public var surfaceStoichiometrySlope: Double {
        let f0 = zeroFlux.withUnsafeBufferPointer { diffusion.surfaceConcentration(zeroFlux: $0, flux: 0) }
        let f1 = zeroFlux.withUnsafeBufferPointer { diffusion.surfaceConcentration(zeroFlux: $0, flux: 1 / Physics.faraday) }
        return (f1 - f0) / parameters.maximumConcentration_mol_per_m3
    }

    /// Last phase: the step happens with interfacial current density j [A/m²].
    public mutating func commit(currentDensity j: Double) {
        var scratch: [Double] = []
        swap(&scratch, &zeroFlux)
        scratch.withUnsafeMutableBufferPointer { diffusion.addFluxResponse(j / Physics.faraday, to: $0) }
        swap(&scratch, &concentration)
        swap(&scratch, &zeroFlux)   // the old profile becomes next step's scratch
        updateMean()
    }

    /// Surface stoichiometry of the committed profile under the last flux (for reports).
    public func surfaceStoichiometry(currentDensity j: Double) -> Double {
        concentration.withUnsafeBufferPointer { diffusion.surfaceConcentration($0, flux: j / Physics.faraday) }
            / parameters.maximumConcentration_mol_per_m3
    }

    /// Writes `count` shell-centre radii [m] (`radius`) or shell-average stoichiometries.
    func writeProfile(radius: Bool, to buffer: UnsafeMutableBufferPointer<Double>, count: Int) {
        let dr = diffusion.shellThickness_m, cMax = parameters.maximumConcentration_mol_per_m3
        for i in 0..<min(count, concentration.count) {
            buffer[i] = radius ? (Double(i) + 0.5) * dr : concentration[i] / cMax
        }
    }

    // MARK: state

    /// Writes the concentrations (shellCount values).
    func writeState(to b: UnsafeMutableBufferPointer<Double>, at offset: Int) {
        for i in 0..<concentration.count { b[offset + i] = concentration[i] }
    }

    /// Validates (finite) the concentrations at `offset` of `b`; `apply` sets them.
    func checkState(_ b: UnsafeBufferPointer<Double>, at offset: Int) -> Bool {
        for i in 0..<concentration.count where !b[offset + i].isFinite { return false }
        return true
    }

    mutating func readState(_ b: UnsafeBufferPointer<Double>, at offset: Int) {
        for i in 0..<concentration.count { concentration[i] = b[offset + i] }
        updateMean()
    }
}
