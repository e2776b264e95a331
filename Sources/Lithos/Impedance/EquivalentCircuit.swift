/// An equivalent circuit for impedance spectra of a cell:
///
///     Z(ω) = R0 + jωL + Σₖ Rₖ/(1 + RₖQₖ(jω)^αₖ) + Z_W(ω)
///
/// R0 [Ω] the ohmic (high-frequency) resistance, L [H] an optional series (cable) inductance,
/// n R‖CPE arcs (`ConstantPhaseArc`) and an optional Warburg element (`WarburgElement`). Z is in
/// the library's sign convention (capacitive: Im Z < 0; inductive: Im Z > 0).
public struct EquivalentCircuit: Sendable, Equatable {
    /// R0 [Ω].
    public var seriesResistance_ohm: Double
    /// L [H]; nil when the circuit has no inductance.
    public var seriesInductance_H: Double?
    /// The R‖CPE arcs, in the order given (the fit orders them by increasing time constant).
    public var arcs: [ConstantPhaseArc]
    /// The diffusion element.
    public var warburg: WarburgElement

    public init(seriesResistance_ohm: Double, seriesInductance_H: Double? = nil, arcs: [ConstantPhaseArc] = [],
                warburg: WarburgElement = .none) {
        self.seriesResistance_ohm = seriesResistance_ohm
        self.seriesInductance_H = seriesInductance_H
        self.arcs = arcs
        self.warburg = warburg
    }

    /// The circuit of `topology` from a parameter vector in `EquivalentCircuitTopology` order.
    /// - Throws: `.invalidArgument` when the vector has the wrong length.
    public init(topology: EquivalentCircuitTopology, parameters p: [Double]) throws(LithosError) {
        guard p.count == topology.parameterCount else {
            throw LithosError(.invalidArgument, "equivalent circuit \(topology.label): needs \(topology.parameterCount) parameters (got \(p.count))")
        }
        var k = 0
        func next() -> Double { defer { k += 1 }; return p[k] }
        seriesResistance_ohm = next()
        seriesInductance_H = topology.seriesInductance ? next() : nil
        arcs = []
        for _ in 0..<topology.arcCount {
            let r = next(), q = next(), a = next()
            arcs.append(ConstantPhaseArc(resistance_ohm: r, cpeCoefficient: q, exponent: a))
        }
        warburg = WarburgElement(kind: topology.warburg, values: Array(p[k...]))
    }

    /// The circuit's form.
    public var topology: EquivalentCircuitTopology {
        EquivalentCircuitTopology(arcCount: arcs.count, warburg: warburg.kind, seriesInductance: seriesInductance_H != nil)
    }

    /// The parameter vector in `EquivalentCircuitTopology` order.
    public var parameters: [Double] {
        var p = [seriesResistance_ohm]
        if let l = seriesInductance_H { p.append(l) }
        for a in arcs { p += [a.resistance_ohm, a.cpeCoefficient, a.exponent] }
        return p + warburg.values
    }

    /// Z [Ω] at frequency f [Hz] (> 0).
    public func impedance(frequency_Hz f: Double) -> ComplexNumber {
        let omega = 2 * Double.pi * f
        var z = ComplexNumber(seriesResistance_ohm, omega * (seriesInductance_H ?? 0))
        for a in arcs { z = z + a.impedance(angularFrequency: omega) }
        return z + warburg.impedance(angularFrequency: omega)
    }

    /// ∂Z/∂pᵢ at frequency f [Hz], in parameter-vector order.
    public func impedanceDerivatives(frequency_Hz f: Double) -> [ComplexNumber] {
        let omega = 2 * Double.pi * f
        var d = [ComplexNumber(1)]
        if seriesInductance_H != nil { d.append(ComplexNumber(0, omega)) }
        for a in arcs {
            let g = a.impedanceDerivatives(angularFrequency: omega)
            d += [g.resistance, g.coefficient, g.exponent]
        }
        return d + warburg.impedanceDerivatives(angularFrequency: omega)
    }

    /// Z(ω → 0) resistance R0 + ΣRₖ (+ R_W/3 for a finite-space element) [Ω]: the DC resistance
    /// without the Warburg capacitance; infinite with a semi-infinite Warburg element.
    public var directCurrentResistance_ohm: Double {
        var r = seriesResistance_ohm
        for a in arcs { r += a.resistance_ohm }
        switch warburg {
        case .none: break
        case .semiInfinite: return .infinity
        case let .finiteSpace(rw, _): r += rw / 3
        }
        return r
    }
}
