/// Symmetric Butler–Volmer kinetics (α_a = α_c = ½), the form of PyBaMM's default
/// "symmetric" kinetics: j = 2·i₀·sinh(F·η/(2RT)), j > 0 anodic (Li leaves the host).
public enum ButlerVolmer {
    /// Overpotential η [V] that drives interfacial current density j [A/m²] at exchange
    /// current density i₀ [A/m²] (the exact inverse: η = 2RT/F·asinh(j/(2i₀))).
    @inlinable
    public static func overpotential(currentDensity j: Double, exchangeCurrentDensity i0: Double,
                                     temperature_K: Double) -> Double {
        2 * Physics.gasConstant * temperature_K / Physics.faraday * Physics.asinh(j / (2 * i0))
    }

    /// Current density j [A/m²] at overpotential η [V], and dj/dη [A/(m²·V)].
    @inlinable
    public static func currentDensity(overpotential eta: Double, exchangeCurrentDensity i0: Double,
                                      temperature_K: Double) -> (value: Double, slope: Double) {
        let f = Physics.faraday / (2 * Physics.gasConstant * temperature_K)
        // Clamp the exponent: beyond ±300 the current is astronomically large anyway, and
        // sinh/cosh must stay finite for the Newton solver.
        let x = min(max(f * eta, -300), 300)
        return (2 * i0 * Physics.sinh(x), 2 * i0 * f * Physics.cosh(x))
    }
}
