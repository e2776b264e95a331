/// Limits and readers shared by the layers of a cell design. Every failure names the JSON key and
/// the offending value ("cell design: cathode.thickness_um must be > 0 (got -5)").
public enum CellDesignLimits {
    /// Context prefixed to every message.
    public static let context = "cell design"
    /// Largest layer thickness accepted [µm] (5 mm: thicker than any electrode or foil).
    public static let maximumThickness_um = 5000.0
    /// Largest electrode area accepted [cm²] (10 m²).
    public static let maximumArea_cm2 = 1.0e5
    /// Largest stack pressure accepted [MPa] (1 GPa, above any lab press).
    public static let maximumStackPressure_MPa = 1000.0
    /// Largest particle radius accepted [µm].
    public static let maximumParticleRadius_um = 500.0
    /// Smallest layer thickness accepted [µm] (10 nm, below any thin-film layer). Lower bounds
    /// keep every product of the metrics a normal floating-point number.
    public static let minimumThickness_um = 0.01
    /// Smallest electrode area accepted [cm²] (100 µm × 100 µm, a microbattery).
    public static let minimumArea_cm2 = 1e-4
    /// Smallest particle radius accepted [µm] (1 nm).
    public static let minimumParticleRadius_um = 1e-3
    /// Tolerance on the sum of volume fractions.
    public static let fractionSumTolerance = 1e-3
}

/// A number for a message: at most 6 decimals, no trailing noise (0.9299999999 → 0.93).
func formatForMessage(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    if abs(x) >= 1e-3 && abs(x) < 1e9 {
        return JSONWriter.number((x * 1e6).rounded() / 1e6)
    }
    return JSONWriter.number(x)
}

extension JSONObjectReader {
    /// A strictly positive number within `minimum`…`maximum`. Missing → `defaultValue` (or an
    /// error when nil). ≤ 0 is a `.config` error (a design mistake, as lithos.h documents for
    /// negative thickness); outside the sane limits is `.outOfRange`.
    mutating func positive(_ key: String, default defaultValue: Double? = nil,
                           minimum: Double, maximum: Double) throws(LithosError) -> Double {
        let x = try number(key, default: defaultValue)
        if !(x > 0) { throw fail(.config, key, "must be > 0 (got \(formatForMessage(x)))") }
        if x < minimum {
            throw fail(.outOfRange, key, "must be ≥ \(formatForMessage(minimum)) (got \(formatForMessage(x)))")
        }
        if x > maximum {
            throw fail(.outOfRange, key, "must be ≤ \(formatForMessage(maximum)) (got \(formatForMessage(x)))")
        }
        return x
    }

    /// A number within 0…`upper` (a volume fraction or porosity).
    mutating func fraction(_ key: String, default defaultValue: Double? = nil,
                           upper: Double = 1) throws(LithosError) -> Double {
        let x = try number(key, default: defaultValue)
        if x < 0 || x > upper {
            let bound = upper == 1 ? "0…1" : "0…\(formatForMessage(upper)) (exclusive)"
            throw fail(.config, key, "must be within \(bound) (got \(formatForMessage(x)))")
        }
        return x
    }

    /// A material name resolved in the database with the role this key needs. Unknown names throw
    /// `.notFound`, wrong roles `.config`; both messages name the key.
    mutating func material(_ key: String, role: MaterialRole,
                           default defaultName: String? = nil) throws(LithosError) -> Material {
        let name = try string(key, default: defaultName)
        return try resolveMaterial(name, role: role, keyPath: keyPath(key))
    }
}

/// Looks a material up for a design key; errors name the key.
func resolveMaterial(_ name: String, role: MaterialRole, keyPath: String) throws(LithosError) -> Material {
    let purpose = "\(CellDesignLimits.context): \(keyPath)"
    guard MaterialDatabase.find(name) != nil else {
        do throws(LithosError) {
            _ = try MaterialDatabase.material(named: name)
        } catch {
            throw LithosError(error.kind, "\(purpose): \(error.message)")
        }
        throw LithosError(.notFound, "\(purpose): unknown material \"\(name)\"")
    }
    return try MaterialDatabase.material(named: name, role: role, for: purpose)
}

/// A material number that must exist and be finite and > 0 (densities, capacities).
func positiveProperty(_ material: Material, _ key: String, for purpose: String) throws(LithosError) -> Double {
    let v = try material.require(key, for: purpose)
    if !(v.isFinite && v > 0) {
        throw LithosError(.notSupported,
            "material \(material.name) has \(key) = \(v), which must be > 0 (needed for \(purpose)); the materials database is wrong")
    }
    return v
}
