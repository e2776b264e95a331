/// A quantity tabulated on a rectangular grid over (x, y) — in the ECM, x = SOC and y =
/// temperature — evaluated by bilinear interpolation, clamped to the grid at the edges (no
/// extrapolation: a table says nothing beyond its data). A single row or column degenerates to
/// linear interpolation in the other variable; a 1×1 table is a constant.
///
/// Storage is allocated once at creation; `value(x:y:)` does not allocate.
public struct BilinearTable<Scalar: LithosReal>: Sendable, Equatable {
    /// Strictly increasing breakpoints of the first variable.
    public let xs: [Scalar]
    /// Strictly increasing breakpoints of the second variable.
    public let ys: [Scalar]
    /// Values, row-major over y: values[j * xs.count + i] = f(xs[i], ys[j]).
    public let values: [Scalar]

    /// Validates sizes, finiteness and monotonicity; `name` prefixes error messages.
    public init(xs: [Scalar], ys: [Scalar], values: [Scalar], name: String) throws(LithosError) {
        guard !xs.isEmpty, !ys.isEmpty else {
            throw LithosError(.config, "\(name): a table needs at least one breakpoint in each variable")
        }
        guard values.count == xs.count * ys.count else {
            throw LithosError(.config, "\(name): \(xs.count)×\(ys.count) breakpoints need \(xs.count * ys.count) values, got \(values.count)")
        }
        for (label, axis) in [("first", xs), ("second", ys)] {
            for v in axis where !v.isFinite {
                throw LithosError(.config, "\(name): breakpoints of the \(label) variable must be finite")
            }
            if axis.count > 1 {
                for k in 1..<axis.count where !(axis[k] > axis[k - 1]) {
                    throw LithosError(.config, "\(name): breakpoints of the \(label) variable must be strictly increasing")
                }
            }
        }
        for v in values where !v.isFinite {
            throw LithosError(.config, "\(name): table values must be finite")
        }
        self.xs = xs
        self.ys = ys
        self.values = values
    }

    /// A constant.
    public init(constant: Scalar) {
        xs = [0]
        ys = [0]
        values = [constant]
    }

    /// Bracketing index i and weight w on an axis: the point lies between axis[i] and
    /// axis[i+1] with weight w ∈ [0, 1] on axis[i+1] (clamped at the ends).
    @inlinable
    static func locate(_ axis: [Scalar], _ v: Scalar) -> (Int, Scalar) {
        let n = axis.count
        if n == 1 || !(v > axis[0]) { return (0, 0) }           // also catches NaN
        if v >= axis[n - 1] { return (n - 2, 1) }
        // Binary search: axis[lo] <= v < axis[hi].
        var lo = 0
        var hi = n - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if axis[mid] <= v { lo = mid } else { hi = mid }
        }
        return (lo, (v - axis[lo]) / (axis[lo + 1] - axis[lo]))
    }

    /// f(x, y) by bilinear interpolation, clamped to the grid.
    @inlinable
    public func value(x: Scalar, y: Scalar) -> Scalar {
        value(at: locate(x: x, y: y))
    }

    /// A point located on a grid: bracketing indices and weights on both axes. Tables that
    /// share a grid (`fits`) evaluate a location without searching again.
    public struct Location: Sendable {
        public var i: Int
        public var wx: Scalar
        public var j: Int
        public var wy: Scalar

        @inlinable
        public init(i: Int, wx: Scalar, j: Int, wy: Scalar) {
            self.i = i; self.wx = wx; self.j = j; self.wy = wy
        }
    }

    /// Locates (x, y) on this table's grid (clamped as in `value(x:y:)`).
    @inlinable
    public func locate(x: Scalar, y: Scalar) -> Location {
        let (i, wx) = Self.locate(xs, x)
        let (j, wy) = Self.locate(ys, y)
        return Location(i: i, wx: wx, j: j, wy: wy)
    }

    /// Locates (x, y) on a grid given by its breakpoints.
    @inlinable
    public static func locate(xs: [Scalar], ys: [Scalar], x: Scalar, y: Scalar) -> Location {
        let (i, wx) = locate(xs, x)
        let (j, wy) = locate(ys, y)
        return Location(i: i, wx: wx, j: j, wy: wy)
    }

    /// `locate(axis, v)` that first tries the interval `hint` (the previous step's): when v is
    /// still strictly inside the grid and inside that interval the answer is the same as the
    /// binary search's (the bracketing interval is unique), found in O(1).
    @inlinable
    static func locate(_ axis: [Scalar], _ v: Scalar, hint: Int) -> (Int, Scalar) {
        let n = axis.count
        if hint >= 0, hint + 1 < n, v > axis[0], v < axis[n - 1], axis[hint] <= v, v < axis[hint + 1] {
            return (hint, (v - axis[hint]) / (axis[hint + 1] - axis[hint]))
        }
        return locate(axis, v)
    }

    /// Locates (x, y) on a grid, trying the intervals of `hint` first (see above).
    @inlinable
    public static func locate(xs: [Scalar], ys: [Scalar], x: Scalar, y: Scalar, hint: Location) -> Location {
        let (i, wx) = locate(xs, x, hint: hint.i)
        let (j, wy) = locate(ys, y, hint: hint.j)
        return Location(i: i, wx: wx, j: j, wy: wy)
    }

    /// Whether a location found on the grid (xs, ys) is valid for this table: each axis either
    /// equals the grid's or has a single breakpoint (constant along that variable).
    public func fits(xs gridXs: [Scalar], ys gridYs: [Scalar]) -> Bool {
        (xs.count == 1 || xs == gridXs) && (ys.count == 1 || ys == gridYs)
    }

    /// f at a location found on a grid this table `fits`; identical to `value(x:y:)` there.
    @inlinable
    public func value(at p: Location) -> Scalar {
        let nx = xs.count
        let i = nx == 1 ? 0 : p.i
        let wx: Scalar = nx == 1 ? 0 : p.wx
        let j = ys.count == 1 ? 0 : p.j
        let wy: Scalar = ys.count == 1 ? 0 : p.wy
        let i1 = nx == 1 ? i : i + 1
        let j1 = ys.count == 1 ? j : j + 1
        // Convex-combination form (1−w)·a + w·b: exact at both ends of an interval (w = 0 or 1),
        // so a table evaluated at its own breakpoints returns its stored values bit for bit.
        return values.withUnsafeBufferPointer { v in
            let f00 = v[j * nx + i], f10 = v[j * nx + i1]
            let f01 = v[j1 * nx + i], f11 = v[j1 * nx + i1]
            let low = (1 - wx) * f00 + wx * f10
            let high = (1 - wx) * f01 + wx * f11
            return (1 - wy) * low + wy * high
        }
    }

    /// ∂f/∂x at (x, y): the slope of the bracketing interval (0 for a single column). Used for
    /// the OCV slope in Newton solves and the estimator's Jacobian.
    @inlinable
    public func slopeX(x: Scalar, y: Scalar) -> Scalar {
        let nx = xs.count
        if nx == 1 { return 0 }
        let (i, _) = Self.locate(xs, x)
        let (j, wy) = Self.locate(ys, y)
        let j1 = ys.count == 1 ? j : j + 1
        let dx = xs[i + 1] - xs[i]
        let s0 = (values[j * nx + i + 1] - values[j * nx + i]) / dx
        let s1 = (values[j1 * nx + i + 1] - values[j1 * nx + i]) / dx
        return s0 + wy * (s1 - s0)
    }

    /// ∂f/∂y at (x, y): the slope of the bracketing interval in y, interpolated in x (0 for a
    /// single row; the end intervals' slopes outside the grid).
    @inlinable
    public func slopeY(x: Scalar, y: Scalar) -> Scalar {
        let nx = xs.count
        if ys.count == 1 { return 0 }
        let (i, wx) = Self.locate(xs, x)
        let (j, _) = Self.locate(ys, y)
        let i1 = nx == 1 ? i : i + 1
        let dy = ys[j + 1] - ys[j]
        let s0 = (values[(j + 1) * nx + i] - values[j * nx + i]) / dy
        let s1 = (values[(j + 1) * nx + i1] - values[j * nx + i1]) / dy
        return s0 + wx * (s1 - s0)
    }

    /// `slopeX(x:y:)` at a location found on a grid this table `fits` (identical there: the same
    /// bracketing interval and weight, without searching again).
    @inlinable
    public func slopeX(at p: Location) -> Scalar {
        let nx = xs.count
        if nx == 1 { return 0 }
        let i = p.i
        let j = ys.count == 1 ? 0 : p.j
        let wy: Scalar = ys.count == 1 ? 0 : p.wy
        let j1 = ys.count == 1 ? j : j + 1
        let dx = xs[i + 1] - xs[i]
        let s0 = (values[j * nx + i + 1] - values[j * nx + i]) / dx
        let s1 = (values[j1 * nx + i + 1] - values[j1 * nx + i]) / dx
        return s0 + wy * (s1 - s0)
    }

    /// `slopeY(x:y:)` at a location found on a grid this table `fits` (identical there).
    @inlinable
    public func slopeY(at p: Location) -> Scalar {
        let nx = xs.count
        if ys.count == 1 { return 0 }
        let i = nx == 1 ? 0 : p.i
        let wx: Scalar = nx == 1 ? 0 : p.wx
        let j = p.j
        let i1 = nx == 1 ? i : i + 1
        let dy = ys[j + 1] - ys[j]
        let s0 = (values[(j + 1) * nx + i] - values[j * nx + i]) / dy
        let s1 = (values[(j + 1) * nx + i1] - values[j * nx + i1]) / dy
        return s0 + wx * (s1 - s0)
    }

    /// The same table in another precision (e.g. Double → Float for firmware).
    public func converted<Other: LithosReal>(to: Other.Type) -> BilinearTable<Other> {
        BilinearTable<Other>(uncheckedXs: xs.map { Other($0) }, ys: ys.map { Other($0) }, values: values.map { Other($0) })
    }

    @usableFromInline
    init(uncheckedXs: [Scalar], ys: [Scalar], values: [Scalar]) {
        self.xs = uncheckedXs
        self.ys = ys
        self.values = values
    }
}
