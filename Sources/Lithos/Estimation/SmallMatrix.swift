/// Fixed-size linear algebra for the state estimators: vectors of up to 5 scalars and 5×5
/// matrices (the filters' state is [SOC, up to 3 RC voltages, hysteresis]), stored inline in
/// homogeneous tuples — no heap, no reference counting, trivially copyable, so a filter that
/// holds them never allocates and copies with a plain memcpy.
///
/// Every operation works on the leading n×n block (n ≤ `capacity`); entries outside it are left
/// alone (they stay 0 when the object was created with `init()` or `identity(n)`).
///
/// Storage choice: `InlineArray<25, Scalar>` compiles and does not allocate with this toolchain
/// on Linux, but on Apple platforms it needs macOS 26 / iOS 26 at run time, which would force
/// availability annotations through the estimator; a tuple read through a typed pointer is
/// equally fixed-size and runs everywhere, Embedded Swift included.
public struct SmallVector<Scalar: LithosReal>: Sendable {
    /// Largest dimension [1].
    public static var capacity: Int { 5 }

    @usableFromInline
    var storage: (Scalar, Scalar, Scalar, Scalar, Scalar) = (0, 0, 0, 0, 0)

    @inlinable public init() {}

    /// Element i (0 ≤ i < 5).
    @inlinable
    public subscript(i: Int) -> Scalar {
        get {
            precondition(i >= 0 && i < 5, "SmallVector index out of range")
            #if hasFeature(Embedded)
            var s = storage     // a local copy: see `SmallMatrix`'s subscript
            return withUnsafeBytes(of: &s) { $0.load(fromByteOffset: i &* MemoryLayout<Scalar>.stride, as: Scalar.self) }
            #else
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i &* MemoryLayout<Scalar>.stride, as: Scalar.self) }
            #endif
        }
        set {
            precondition(i >= 0 && i < 5, "SmallVector index out of range")
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: i &* MemoryLayout<Scalar>.stride, as: Scalar.self) }
        }
    }

    /// Dot product of the first n elements.
    @inlinable
    public func dot(_ other: SmallVector, _ n: Int) -> Scalar {
        var s: Scalar = 0
        for i in 0..<n { s += self[i] * other[i] }
        return s
    }

    /// Whether the first n elements are finite.
    @inlinable
    public func isFinite(_ n: Int) -> Bool {
        for i in 0..<n where !self[i].isFinite { return false }
        return true
    }
}

extension SmallVector: Equatable {
    @inlinable
    public static func == (a: SmallVector, b: SmallVector) -> Bool {
        for i in 0..<5 where a[i] != b[i] { return false }
        return true
    }
}

/// A 5×5 matrix in row-major inline storage; see `SmallVector` for the conventions.
public struct SmallMatrix<Scalar: LithosReal>: Sendable {
    /// Largest dimension [1].
    public static var capacity: Int { 5 }

    @usableFromInline
    var storage: (Scalar, Scalar, Scalar, Scalar, Scalar,
                  Scalar, Scalar, Scalar, Scalar, Scalar,
                  Scalar, Scalar, Scalar, Scalar, Scalar,
                  Scalar, Scalar, Scalar, Scalar, Scalar,
                  Scalar, Scalar, Scalar, Scalar, Scalar) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// The zero matrix.
    @inlinable public init() {}

    /// The n×n identity (zeros elsewhere).
    @inlinable
    public static func identity(_ n: Int) -> SmallMatrix {
        var m = SmallMatrix()
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// A diagonal matrix from the first n elements of `d`.
    @inlinable
    public static func diagonal(_ d: SmallVector<Scalar>, _ n: Int) -> SmallMatrix {
        var m = SmallMatrix()
        for i in 0..<n { m[i, i] = d[i] }
        return m
    }

    /// Element (i, j), 0 ≤ i, j < 5.
    @inlinable
    public subscript(i: Int, j: Int) -> Scalar {
        get {
            precondition(i >= 0 && i < 5 && j >= 0 && j < 5, "SmallMatrix index out of range")
            // Firmware: read through a local copy rather than `withUnsafeBytes(of: storage)`:
            // the same value, and in the -Osize firmware build 2.9 KiB less code and 0.4 KiB
            // less stack. Host (-O): in place — the copy was a 200-byte memcpy per element read,
            // a quarter of an EKF update's instructions.
            #if hasFeature(Embedded)
            var s = storage
            return withUnsafeBytes(of: &s) {
                $0.load(fromByteOffset: (i &* 5 &+ j) &* MemoryLayout<Scalar>.stride, as: Scalar.self)
            }
            #else
            return withUnsafeBytes(of: storage) {
                $0.load(fromByteOffset: (i &* 5 &+ j) &* MemoryLayout<Scalar>.stride, as: Scalar.self)
            }
            #endif
        }
        set {
            precondition(i >= 0 && i < 5 && j >= 0 && j < 5, "SmallMatrix index out of range")
            withUnsafeMutableBytes(of: &storage) {
                $0.storeBytes(of: newValue, toByteOffset: (i &* 5 &+ j) &* MemoryLayout<Scalar>.stride, as: Scalar.self)
            }
        }
    }

    /// A·B on the leading n×n blocks.
    @inlinable
    public func multiplied(by b: SmallMatrix, _ n: Int) -> SmallMatrix {
        var c = SmallMatrix()
        for i in 0..<n {
            for j in 0..<n {
                var s: Scalar = 0
                for k in 0..<n { s += self[i, k] * b[k, j] }
                c[i, j] = s
            }
        }
        return c
    }

    /// A·Bᵀ on the leading n×n blocks.
    @inlinable
    public func multipliedByTranspose(of b: SmallMatrix, _ n: Int) -> SmallMatrix {
        var c = SmallMatrix()
        for i in 0..<n {
            for j in 0..<n {
                var s: Scalar = 0
                for k in 0..<n { s += self[i, k] * b[j, k] }
                c[i, j] = s
            }
        }
        return c
    }

    /// A·v.
    @inlinable
    public func multiplied(by v: SmallVector<Scalar>, _ n: Int) -> SmallVector<Scalar> {
        var r = SmallVector<Scalar>()
        for i in 0..<n {
            var s: Scalar = 0
            for k in 0..<n { s += self[i, k] * v[k] }
            r[i] = s
        }
        return r
    }

    /// Aᵀ.
    @inlinable
    public func transposed(_ n: Int) -> SmallMatrix {
        var t = SmallMatrix()
        for i in 0..<n { for j in 0..<n { t[j, i] = self[i, j] } }
        return t
    }

    /// vᵀ·A·v.
    @inlinable
    public func quadraticForm(_ v: SmallVector<Scalar>, _ n: Int) -> Scalar {
        multiplied(by: v, n).dot(v, n)
    }

    /// D·A·D for the diagonal matrix D = diag(d): A[i,j]·d[i]·d[j] (the covariance prediction
    /// A·P·Aᵀ when the transition matrix is diagonal).
    @inlinable
    public func scaledSymmetrically(by d: SmallVector<Scalar>, _ n: Int) -> SmallMatrix {
        var r = self
        for i in 0..<n { for j in 0..<n { r[i, j] = self[i, j] * d[i] * d[j] } }
        return r
    }

    /// A ← D·A·D in place, D = diag(d).
    @inlinable
    public mutating func scaleSymmetrically(by d: SmallVector<Scalar>, _ n: Int) {
        for i in 0..<n { for j in 0..<n { self[i, j] *= d[i] * d[j] } }
    }

    /// A ← A + B in place.
    @inlinable
    public mutating func add(_ b: SmallMatrix, _ n: Int) {
        for i in 0..<n { for j in 0..<n { self[i, j] += b[i, j] } }
    }

    /// A + B.
    @inlinable
    public func adding(_ b: SmallMatrix, _ n: Int) -> SmallMatrix {
        var r = self
        for i in 0..<n { for j in 0..<n { r[i, j] += b[i, j] } }
        return r
    }

    /// A ← A + s·u·vᵀ (a rank-one update; symmetric when u = v).
    @inlinable
    public mutating func addOuterProduct(_ u: SmallVector<Scalar>, _ v: SmallVector<Scalar>, scale s: Scalar, _ n: Int) {
        for i in 0..<n {
            let su = s * u[i]
            for j in 0..<n { self[i, j] += su * v[j] }
        }
    }

    /// A ← (A + Aᵀ)/2: removes the asymmetry round-off leaves in a covariance.
    @inlinable
    public mutating func symmetrize(_ n: Int) {
        for i in 0..<n {
            for j in (i + 1)..<n {
                let m = (self[i, j] + self[j, i]) / 2
                self[i, j] = m
                self[j, i] = m
            }
        }
    }

    /// max |A[i,j] − A[j,i]| over the n×n block.
    @inlinable
    public func asymmetry(_ n: Int) -> Scalar {
        var worst: Scalar = 0
        for i in 0..<n { for j in 0..<n { worst = max(worst, abs(self[i, j] - self[j, i])) } }
        return worst
    }

    /// Whether every entry of the n×n block is finite.
    @inlinable
    public func isFinite(_ n: Int) -> Bool {
        for i in 0..<n { for j in 0..<n where !self[i, j].isFinite { return false } }
        return true
    }

    /// The lower-triangular Cholesky factor L with L·Lᵀ = A (A symmetric; only its lower
    /// triangle is read), or nil when A is not positive definite: a pivot ≤ 0 or not finite.
    /// This is both the UKF's matrix square root and the positive-definiteness test.
    @inlinable
    public func choleskyFactor(_ n: Int) -> SmallMatrix? {
        var l = SmallMatrix()
        for j in 0..<n {
            var d = self[j, j]
            for k in 0..<j { d -= l[j, k] * l[j, k] }
            guard d > 0, d.isFinite else { return nil }
            let root = Scalar.sqrt(d)
            l[j, j] = root
            for i in (j + 1)..<n {
                var s = self[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / root
            }
        }
        return l
    }

    /// Solves A·x = b given the Cholesky factor L of A (L·Lᵀ = A): forward then back
    /// substitution.
    @inlinable
    public static func choleskySolve(_ l: SmallMatrix, _ b: SmallVector<Scalar>, _ n: Int) -> SmallVector<Scalar> {
        var y = SmallVector<Scalar>()
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i, k] * y[k] }
            y[i] = s / l[i, i]
        }
        var x = SmallVector<Scalar>()
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k, i] * x[k] }
            x[i] = s / l[i, i]
        }
        return x
    }

    /// Whether the n×n block is symmetric (to `tolerance` relative to its largest diagonal
    /// entry) and positive definite (its Cholesky factorisation succeeds).
    @inlinable
    public func isSymmetricPositiveDefinite(_ n: Int, relativeTolerance: Scalar = 0) -> Bool {
        var scale: Scalar = 0
        for i in 0..<n { scale = max(scale, abs(self[i, i])) }
        guard asymmetry(n) <= relativeTolerance * scale else { return false }
        return hasCholeskyFactor(n)
    }

    /// Whether `choleskyFactor(n)` succeeds. (A pattern match: `choleskyFactor(n) != nil`
    /// compiled to an element-by-element `==` on copies of the matrix in firmware builds.)
    @inlinable
    public func hasCholeskyFactor(_ n: Int) -> Bool {
        if case .some = choleskyFactor(n) { return true }
        return false
    }
}

extension SmallMatrix: Equatable {
    @inlinable
    public static func == (a: SmallMatrix, b: SmallMatrix) -> Bool {
        for i in 0..<5 { for j in 0..<5 where a[i, j] != b[i, j] { return false } }
        return true
    }
}
