/// A small dense row-major matrix of Doubles with the few operations least-squares fitting
/// needs (JᵀJ, Jᵀr, Cholesky factorisation, solve, inverse). Meant for ≤ ~20 unknowns; it
/// allocates, so it is not for hot paths.
public struct DenseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Row-major storage: element (i, j) at `values[i * columns + j]`.
    public var values: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        values = [Double](repeating: value, count: rows * columns)
    }

    public static func identity(_ n: Int) -> DenseMatrix {
        var m = DenseMatrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// AᵀA (columns × columns, symmetric).
    public func gram() -> DenseMatrix {
        var g = DenseMatrix(rows: columns, columns: columns)
        for r in 0..<rows {
            let base = r * columns
            for i in 0..<columns {
                let a = values[base + i]
                if a == 0 { continue }
                for j in i..<columns { g.values[i * columns + j] += a * values[base + j] }
            }
        }
        for i in 0..<columns { for j in 0..<i { g[i, j] = g[j, i] } }
        return g
    }

    /// Aᵀv.
    public func transposeTimes(_ v: [Double]) -> [Double] {
        precondition(v.count == rows)
        var out = [Double](repeating: 0, count: columns)
        for r in 0..<rows where v[r] != 0 {
            let base = r * columns
            for j in 0..<columns { out[j] += values[base + j] * v[r] }
        }
        return out
    }

    /// A·v.
    public func times(_ v: [Double]) -> [Double] {
        precondition(v.count == columns)
        var out = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            var s = 0.0
            for j in 0..<columns { s += values[r * columns + j] * v[j] }
            out[r] = s
        }
        return out
    }

    /// The lower-triangular Cholesky factor L with A = L·Lᵀ of a symmetric positive-definite
    /// matrix, or nil when A is not (numerically) positive definite.
    public func cholesky() -> DenseMatrix? {
        precondition(rows == columns)
        let n = rows
        var l = DenseMatrix(rows: n, columns: n)
        for j in 0..<n {
            var d = self[j, j]
            for k in 0..<j { d -= l[j, k] * l[j, k] }
            guard d > 0, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j, j] = ljj
            for i in (j + 1)..<max(j + 1, n) {
                var s = self[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / ljj
            }
        }
        return l
    }

    /// Solves (L·Lᵀ)·x = b given the Cholesky factor L (self).
    public func choleskySolve(_ b: [Double]) -> [Double] {
        let n = rows
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= self[i, k] * y[k] }
            y[i] = s / self[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(i + 1, n) { s -= self[k, i] * y[k] }
            y[i] = s / self[i, i]
        }
        return y
    }

    /// The inverse of a symmetric positive-definite matrix, or nil when it is singular.
    public func symmetricPositiveDefiniteInverse() -> DenseMatrix? {
        guard let l = cholesky() else { return nil }
        let n = rows
        var inv = DenseMatrix(rows: n, columns: n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let x = l.choleskySolve(e)
            for i in 0..<n { inv[i, j] = x[i] }
        }
        return inv
    }
}
