/// Impedance of a porous (composite) electrode as a two-rail transmission line: an ionic rail
/// (the solid electrolyte, entered at the separator side x = 0) and an electronic rail (the
/// CAM/carbon network, left at the current-collector side x = L), joined at every depth by the
/// interface impedance of the active material. Per unit electrode area:
///
///   Z = r_i·r_e·L/(r_i + r_e) + λ·(r_i² + r_e²)/(r_i + r_e)·coth(L/λ) + 2λ·r_i·r_e/(r_i + r_e)·csch(L/λ),
///   λ = √(ζ/(r_i + r_e)),
///
/// with r_i = 1/σ_ion,eff and r_e = 1/σ_el,eff [Ω·m] and ζ = z/a [Ω·m³] the interface
/// impedance z [Ω·m² of interface] divided by the specific interface area a [1/m]. (Paasch,
/// Micka & Gersdorf, Electrochim. Acta 38 (1993) 2653, the general two-rail line with the
/// rails connected at opposite ends; with r_e = 0 it is de Levie's λ·r_i·coth(L/λ).) For
/// ζ → ∞ (slow interface, or low frequency where the particles act as capacitors) it tends
/// to ζ/L + L·(r_i + r_e)/3: the uniform-reaction limit the SSB-SPM uses.
public enum TransmissionLine {
    /// Z·A [Ω·m²] of the two-rail line (see the type's documentation).
    /// - Parameters:
    ///   - ionicResistivity: r_i = 1/σ_ion,eff [Ω·m] (> 0).
    ///   - electronicResistivity: r_e = 1/σ_el,eff [Ω·m] (≥ 0).
    ///   - volumetricInterfaceImpedance: ζ = z/a [Ω·m³] (Re > 0).
    ///   - thickness: L [m].
    public static func twoRail(ionicResistivity ri: Double, electronicResistivity re: Double,
                               volumetricInterfaceImpedance zeta: ComplexNumber, thickness L: Double) -> ComplexNumber {
        let s = ri + re
        let x2 = ComplexNumber(L * L * s) / zeta           // (L/λ)², the line's electrical length squared
        let lambdaCoth: ComplexNumber, lambdaCsch: ComplexNumber
        if x2.magnitude < 1e-4 {
            // Series in x = L/λ, where coth and csch each lose digits to 1/x:
            // λ·coth x = λ²/L + L/3 − L·x²/45, λ·csch x = λ²/L − L/6 + 7L·x²/360.
            let lead = (1 / L) * (zeta / s)
            lambdaCoth = lead + ComplexNumber(L / 3) - (L / 45) * x2
            lambdaCsch = lead - ComplexNumber(L / 6) + (7 * L / 360) * x2
        } else {
            let x = x2.squareRoot                 // principal root: Re x > 0
            let lambda = ComplexNumber(L) / x
            lambdaCoth = lambda * x.coth
            // csch x = 2e^{−x}/(1 − e^{−2x}), finite for large Re x.
            let u = (ComplexNumber(0) - x).exponential
            lambdaCsch = lambda * (2 * u / (ComplexNumber(1) - u * u))
        }
        return ComplexNumber(ri * re * L / s) + ((ri * ri + re * re) / s) * lambdaCoth + (2 * ri * re / s) * lambdaCsch
    }
}
