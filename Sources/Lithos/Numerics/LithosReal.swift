import CLithosMath

/// The floating-point types the firmware-ready core (ECM, estimator) is generic over: Double on
/// the host, Float on a single-precision microcontroller FPU. Adds the few elementary functions
/// the stdlib lacks, bound to the matching-precision C builtins (no Foundation, Embedded-safe).
public protocol LithosReal: BinaryFloatingPoint, Sendable {
    static func exp(_ x: Self) -> Self
    /// exp(x) − 1, accurate for small x (RC discretisation with dt ≪ τ).
    static func expm1(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
}

extension Double: LithosReal {
    @inlinable public static func exp(_ x: Double) -> Double { lithos_math_exp(x) }
    @inlinable public static func expm1(_ x: Double) -> Double { lithos_math_expm1(x) }
    @inlinable public static func log(_ x: Double) -> Double { lithos_math_log(x) }
    @inlinable public static func sqrt(_ x: Double) -> Double { lithos_math_sqrt(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { lithos_math_tanh(x) }
}

extension Float: LithosReal {
    @inlinable public static func exp(_ x: Float) -> Float { lithos_math_expf(x) }
    @inlinable public static func expm1(_ x: Float) -> Float { lithos_math_expm1f(x) }
    @inlinable public static func log(_ x: Float) -> Float { lithos_math_logf(x) }
    @inlinable public static func sqrt(_ x: Float) -> Float { lithos_math_sqrtf(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { lithos_math_tanhf(x) }
}
