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
}

@usableFromInline func cosine(_ x: Double) -> Double { Physics.cos(x) }
@usableFromInline func sine(_ x: Double) -> Double { Physics.sin(x) }
