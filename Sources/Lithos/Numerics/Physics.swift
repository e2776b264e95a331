import CLithosMath

/// Physical constants (CODATA 2018 exact values) and the elementary functions the core uses.
/// Foundation-free: the transcendental functions come from `CLithosMath` (compiler builtins), so
/// the code also builds with Embedded Swift.
public enum Physics {
    /// Faraday constant [C/mol].
    public static let faraday = 96485.33212
    /// Molar gas constant [J/(mol·K)].
    public static let gasConstant = 8.314462618
    /// Boltzmann constant [eV/K].
    public static let boltzmann_eV_per_K = 8.617333262e-5
    /// Reference temperature of every "25 °C" value [K].
    public static let referenceTemperature_K = 298.15
    /// 0 °C [K].
    public static let zeroCelsius_K = 273.15
    /// 1 eV per particle in J/mol (for activation energies quoted in eV).
    public static let electronvolt_J_per_mol = 96485.33212

    @inlinable public static func exp(_ x: Double) -> Double { lithos_math_exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { lithos_math_log(x) }
    @inlinable public static func log10(_ x: Double) -> Double { lithos_math_log10(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { lithos_math_tanh(x) }
    @inlinable public static func cosh(_ x: Double) -> Double { lithos_math_cosh(x) }
    @inlinable public static func sinh(_ x: Double) -> Double { lithos_math_sinh(x) }
    @inlinable public static func asinh(_ x: Double) -> Double { lithos_math_asinh(x) }
    @inlinable public static func atan(_ x: Double) -> Double { lithos_math_atan(x) }
    @inlinable public static func sin(_ x: Double) -> Double { lithos_math_sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { lithos_math_cos(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { lithos_math_pow(x, y) }
    @inlinable public static func sqrt(_ x: Double) -> Double { lithos_math_sqrt(x) }
}
