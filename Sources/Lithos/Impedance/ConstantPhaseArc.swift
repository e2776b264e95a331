/// One depressed semicircle of an equivalent circuit: a resistance R in parallel with a
/// constant-phase element (CPE) Z_CPE = 1/(Q·(jω)^α), 0 < α ≤ 1 (α = 1: an ideal capacitor Q).
///
///     Z_arc(ω) = R / (1 + R·Q·(jω)^α)
///
/// (Lasia, "Electrochemical Impedance Spectroscopy and its Applications", Springer 2014;
/// Orazem & Tribollet, "Electrochemical Impedance Spectroscopy", 2nd ed., Wiley 2017, ch. 14.)
public struct ConstantPhaseArc: Sendable, Equatable {
    /// R [Ω].
    public var resistance_ohm: Double
    /// Q [F·s^(α−1)] = [S·s^α] (the CPE coefficient; a capacitance in F when α = 1).
    public var cpeCoefficient: Double
    /// α [–], 0 < α ≤ 1.
    public var exponent: Double

    public init(resistance_ohm: Double, cpeCoefficient: Double, exponent: Double) {
        self.resistance_ohm = resistance_ohm
        self.cpeCoefficient = cpeCoefficient
        self.exponent = exponent
    }

    /// The arc that peaks (−Im Z maximal) at time constant τ [s]: Q = τ^α/R.
    public init(resistance_ohm: Double, timeConstant_s: Double, exponent: Double) {
        self.init(resistance_ohm: resistance_ohm, cpeCoefficient: Physics.pow(timeConstant_s, exponent) / resistance_ohm, exponent: exponent)
    }

    /// Z(ω) [Ω] at angular frequency ω [rad/s].
    public func impedance(angularFrequency omega: Double) -> ComplexNumber {
        let p = ComplexNumber.imaginaryPower(angularFrequency: omega, exponent: exponent)
        return ComplexNumber(resistance_ohm) / (ComplexNumber(1) + (resistance_ohm * cpeCoefficient) * p)
    }

    /// ∂Z/∂R, ∂Z/∂Q, ∂Z/∂α at ω (with D = 1 + RQ(jω)^α: 1/D², −R²(jω)^α/D², −R²Q(jω)^α·ln(jω)/D²).
    public func impedanceDerivatives(angularFrequency omega: Double) -> (resistance: ComplexNumber, coefficient: ComplexNumber, exponent: ComplexNumber) {
        let p = ComplexNumber.imaginaryPower(angularFrequency: omega, exponent: exponent)
        let r = resistance_ohm, q = cpeCoefficient
        let d = ComplexNumber(1) + (r * q) * p
        let inverseD2 = ComplexNumber(1) / (d * d)
        let dQ = (-r * r) * p * inverseD2
        let lnJOmega = ComplexNumber(Physics.log(omega), Double.pi / 2)
        return (inverseD2, dQ, q * dQ * lnJOmega)
    }

    /// τ = (R·Q)^(1/α) [s]: where −Im Z peaks (ωτ = 1).
    public var timeConstant_s: Double { Physics.pow(resistance_ohm * cpeCoefficient, 1 / exponent) }

    /// f = 1/(2πτ) [Hz]: the apex frequency of the arc.
    public var characteristicFrequency_Hz: Double { 1 / (2 * Double.pi * timeConstant_s) }

    /// Effective capacitance [F] by Brug's formula for a surface distribution of time constants,
    /// C = Q^(1/α)·(1/R_s + 1/R)^((α−1)/α), with R_s the ohmic series resistance (Brug, van den
    /// Eeden, Sluyters-Rehbach & Sluyters, J. Electroanal. Chem. 176 (1984) 275;
    /// Hirschorn et al., Electrochim. Acta 55 (2010) 6218). R_s → ∞ gives τ/R
    /// (Hsu & Mansfeld, Corrosion 57 (2001) 747); α = 1 gives Q.
    public func effectiveCapacitance_F(seriesResistance_ohm rs: Double) -> Double {
        let a = exponent
        let conductance = (rs > 0 ? 1 / rs : 0) + 1 / resistance_ohm
        return Physics.pow(cpeCoefficient, 1 / a) * Physics.pow(conductance, (a - 1) / a)
    }
}
