/// A complex number for impedance spectra (Foundation-free; only what Z(ω) needs).
public struct ComplexNumber: Sendable, Equatable {
    public var real: Double
    public var imaginary: Double

    @inlinable public init(_ real: Double, _ imaginary: Double = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    @inlinable public static func + (a: ComplexNumber, b: ComplexNumber) -> ComplexNumber {
        ComplexNumber(a.real + b.real, a.imaginary + b.imaginary)
    }
    @inlinable public static func - (a: ComplexNumber, b: ComplexNumber) -> ComplexNumber {
        ComplexNumber(a.real - b.real, a.imaginary - b.imaginary)
    }
    @inlinable public static func * (a: ComplexNumber, b: ComplexNumber) -> ComplexNumber {
        ComplexNumber(a.real * b.real - a.imaginary * b.imaginary, a.real * b.imaginary + a.imaginary * b.real)
    }
    @inlinable public static func * (a: Double, b: ComplexNumber) -> ComplexNumber {
        ComplexNumber(a * b.real, a * b.imaginary)
    }
    /// Division scaled by the larger component of the divisor (Smith's algorithm: no overflow
    /// for large or tiny divisors).
    @inlinable public static func / (a: ComplexNumber, b: ComplexNumber) -> ComplexNumber {
        if abs(b.real) >= abs(b.imaginary) {
            let r = b.imaginary / b.real, d = b.real + b.imaginary * r
            return ComplexNumber((a.real + a.imaginary * r) / d, (a.imaginary - a.real * r) / d)
        }
        let r = b.real / b.imaginary, d = b.real * r + b.imaginary
        return ComplexNumber((a.real * r + a.imaginary) / d, (a.imaginary * r - a.real) / d)
    }

    /// Principal square root.
    public var squareRoot: ComplexNumber {
        let m = Physics.sqrt(real * real + imaginary * imaginary)
        let re = Physics.sqrt(max((m + real) / 2, 0))
        let im = Physics.sqrt(max((m - real) / 2, 0))
        return ComplexNumber(re, imaginary < 0 ? -im : im)
    }

    /// tanh(z) = (1 − e^{−2z})/(1 + e^{−2z}) for Re z ≥ 0 (and by oddness otherwise); → 1 for
    /// large Re z without overflow.
    public var tanh: ComplexNumber {
        if real < 0 { return ComplexNumber(0, 0) - ComplexNumber(-real, -imaginary).tanh }
        if real > 40 { return ComplexNumber(1, 0) }
        let e = Physics.exp(-2 * real)
        let w = ComplexNumber(e * cosine(2 * imaginary), -e * sine(2 * imaginary))   // e^{−2z}
        return (ComplexNumber(1) - w) / (ComplexNumber(1) + w)
    }

    /// Magnitude.
    public var magnitude: Double { Physics.sqrt(real * real + imaginary * imaginary) }

    /// The imaginary unit j.
    public static let j = ComplexNumber(0, 1)

    @inlinable public static prefix func - (a: ComplexNumber) -> ComplexNumber {
        ComplexNumber(-a.real, -a.imaginary)
    }
    @inlinable public static func / (a: ComplexNumber, b: Double) -> ComplexNumber {
        ComplexNumber(a.real / b, a.imaginary / b)
    }

    /// Complex conjugate.
    @inlinable public var conjugate: ComplexNumber { ComplexNumber(real, -imaginary) }

    /// Argument (phase angle) in (−π, π] [rad], from `Physics.atan` with the quadrant resolved
    /// (atan2; 0 for z = 0).
    public var argument: Double {
        if real > 0 { return Physics.atan(imaginary / real) }
        if real < 0 { return imaginary >= 0 ? Physics.atan(imaginary / real) + Double.pi : Physics.atan(imaginary / real) - Double.pi }
        if imaginary > 0 { return Double.pi / 2 }
        if imaginary < 0 { return -Double.pi / 2 }
        return 0
    }

    /// Principal natural logarithm ln|z| + j·arg z.
    public var logarithm: ComplexNumber { ComplexNumber(Physics.log(magnitude), argument) }

    /// e^z = e^{Re z}(cos Im z + j sin Im z).
    public var exponential: ComplexNumber {
        let m = Physics.exp(real)
        return ComplexNumber(m * cosine(imaginary), m * sine(imaginary))
    }

    /// Principal power z^p = |z|^p·e^{j·p·arg z} for a real exponent p (0^p = 0 for p > 0).
    public func power(_ p: Double) -> ComplexNumber {
        let m = magnitude
        if m == 0 { return p == 0 ? ComplexNumber(1) : ComplexNumber(0) }
        let r = Physics.pow(m, p), phi = p * argument
        return ComplexNumber(r * cosine(phi), r * sine(phi))
    }

    /// (jω)^α = ω^α·(cos(απ/2) + j·sin(απ/2)) for ω ≥ 0: the constant-phase factor, exact in
    /// the phase (no atan round trip).
    public static func imaginaryPower(angularFrequency omega: Double, exponent alpha: Double) -> ComplexNumber {
        let r = Physics.pow(omega, alpha), phi = alpha * Double.pi / 2
        return ComplexNumber(r * cosine(phi), r * sine(phi))
    }

    /// coth z = 1/tanh z (→ 1 for large Re z; a pole at z = 0).
    public var coth: ComplexNumber { ComplexNumber(1) / tanh }
}

@usableFromInline func cosine(_ x: Double) -> Double { Physics.cos(x) }
@usableFromInline func sine(_ x: Double) -> Double { Physics.sin(x) }
