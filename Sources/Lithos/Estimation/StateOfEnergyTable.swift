/// State of energy from the estimator's model, precomputed at creation so the per-update
/// lookup is two table interpolations (no allocation, no integration in the loop):
///
///   E(z, T) = Q · ∫_{z_empty(T)}^{z} OCV(ζ, T) dζ      [W·h with Q in A·h]
///
/// the energy the cell delivers from SOC z down to the SOC whose OCV is the minimum voltage
/// (`z_empty`, not below SOC 0) at a vanishing rate. `z_full(T)` is the SOC whose OCV is the
/// maximum voltage (not above SOC 1): the end point of "time to full".
///
/// The integral is tabulated by the trapezoidal rule on `socPoints` SOC points over the OCV
/// table's SOC range, at the OCV table's temperatures (or, with a one-column OCV table and an
/// entropic coefficient, 9 temperatures across the model's operating window).
public struct StateOfEnergyTable<Scalar: LithosReal>: Sendable, Equatable {
    /// ∫_{z₀}^{z} OCV dζ [V] over (SOC, temperature).
    @usableFromInline let cumulative: BilinearTable<Scalar>
    /// ∫_{z₀}^{z_empty(T)} OCV dζ [V], z_empty(T) and z_full(T) over temperature.
    @usableFromInline let cumulativeAtEmpty: BilinearTable<Scalar>
    @usableFromInline let emptySOCTable: BilinearTable<Scalar>
    @usableFromInline let fullSOCTable: BilinearTable<Scalar>
    @usableFromInline let capacity_Ah: Scalar

    public static var socPoints: Int { 201 }

    public init(parameters p: ECMParameters<Scalar>) throws(LithosError) {
        let ocvTable = p.openCircuitVoltage
        let lower: Scalar = ocvTable.xs.count > 1 ? min(ocvTable.xs[0], 0) : 0
        let upper: Scalar = ocvTable.xs.count > 1 ? max(ocvTable.xs[ocvTable.xs.count - 1], 1) : 1
        var temperatures: [Scalar]
        if ocvTable.ys.count > 1 {
            temperatures = ocvTable.ys
        } else if p.entropicCoefficient.values.contains(where: { $0 != 0 }) {
            let tMin = Scalar(p.limits.minimumTemperature_K), tMax = Scalar(p.limits.maximumTemperature_K)
            temperatures = (0..<9).map { tMin + (tMax - tMin) * Scalar($0) / 8 }
        } else {
            temperatures = [Scalar(Physics.referenceTemperature_K)]
        }
        let m = Self.socPoints
        let socs = (0..<m).map { lower + (upper - lower) * Scalar($0) / Scalar(m - 1) }
        var values: [Scalar] = []
        var atEmpty: [Scalar] = [], empty: [Scalar] = [], full: [Scalar] = []
        let vMin = Scalar(p.limits.minimumVoltage_V), vMax = Scalar(p.limits.maximumVoltage_V)
        for t in temperatures {
            var sum: Scalar = 0
            var previous = p.ocv(soc: socs[0], temperature_K: t)
            values.append(0)
            for k in 1..<m {
                let v = p.ocv(soc: socs[k], temperature_K: t)
                sum += (previous + v) / 2 * (socs[k] - socs[k - 1])
                values.append(sum)
                previous = v
            }
            let zEmpty = max(CoulombCounter.socFromOCV(vMin, temperature: t, parameters: p, lower: lower, upper: upper), 0)
            let zFull = min(CoulombCounter.socFromOCV(vMax, temperature: t, parameters: p, lower: lower, upper: upper), 1)
            empty.append(zEmpty)
            full.append(max(zFull, zEmpty))
            // The cumulative integral at z_empty, from the same table the lookup uses.
            let row = BilinearTable<Scalar>(uncheckedXs: socs, ys: [t], values: Array(values.suffix(m)))
            atEmpty.append(row.value(x: zEmpty, y: t))
        }
        cumulative = try BilinearTable(xs: socs, ys: temperatures, values: values, name: "state-of-energy table")
        let zero: [Scalar] = [0]
        cumulativeAtEmpty = try BilinearTable(xs: temperatures, ys: zero, values: atEmpty, name: "state-of-energy table")
        emptySOCTable = try BilinearTable(xs: temperatures, ys: zero, values: empty, name: "state-of-energy table")
        fullSOCTable = try BilinearTable(xs: temperatures, ys: zero, values: full, name: "state-of-energy table")
        capacity_Ah = p.capacity_Ah
    }

    /// Energy left to the minimum voltage from SOC z at temperature T [W·h] (≥ 0).
    @inlinable
    public func energyRemaining_Wh(soc: Scalar, temperature_K: Scalar) -> Scalar {
        let e = cumulative.value(x: soc, y: temperature_K) - cumulativeAtEmpty.value(x: temperature_K, y: 0)
        return max(e, 0) * capacity_Ah
    }

    /// SOC at which the OCV reaches the minimum voltage (≥ 0) [1].
    @inlinable
    public func emptySOC(temperature_K: Scalar) -> Scalar { emptySOCTable.value(x: temperature_K, y: 0) }

    /// SOC at which the OCV reaches the maximum voltage (≤ 1) [1].
    @inlinable
    public func fullSOC(temperature_K: Scalar) -> Scalar { fullSOCTable.value(x: temperature_K, y: 0) }
}
