/// Parameters of the equivalent-circuit model (Thevenin with 0–3 RC pairs, optional Plett
/// hysteresis), every element a table over SOC × temperature.
///
/// Terminal voltage (current I positive on discharge):
///   V = OCV(z, T) + M₀·s + M(z, T)·h − Σⱼ vⱼ − R₀(z, T)·I
/// with vⱼ the voltage across RC pair j, h ∈ [−1, 1] the dynamic hysteresis state, s the sign
/// of the last non-zero current (instantaneous hysteresis: +1 after charge, −1 after discharge)
/// — Plett, Battery Management Systems Vol. II (2015), ch. 2 ("enhanced self-correcting" model).
public struct ECMParameters<Scalar: LithosReal>: Sendable, Equatable {
    /// Capacity used for SOC [A·h].
    public var capacity_Ah: Scalar
    /// Coulombic efficiency on charge (charge current is multiplied by it) [1].
    public var chargeEfficiency: Scalar
    /// OCV(z, T) [V] at temperature T (tables may carry T dependence directly).
    public var openCircuitVoltage: BilinearTable<Scalar>
    /// ∂OCV/∂T(z) [V/K]: the entropic coefficient for reversible heat. When the OCV table has a
    /// single temperature column, OCV(z, T) = OCV(z) + (T − 298.15 K)·∂OCV/∂T(z).
    public var entropicCoefficient: BilinearTable<Scalar>
    /// Series resistance R₀(z, T) [Ω].
    public var seriesResistance: BilinearTable<Scalar>
    /// RC pairs: resistance Rⱼ(z, T) [Ω] and time constant τⱼ(z, T) = RⱼCⱼ [s]; 0…3 pairs.
    public var rcResistances: [BilinearTable<Scalar>]
    public var rcTimeConstants: [BilinearTable<Scalar>]
    /// Dynamic-hysteresis magnitude M(z, T) [V] (0 disables hysteresis).
    public var hysteresisMagnitude: BilinearTable<Scalar>
    /// Instantaneous-hysteresis magnitude M₀ [V].
    public var instantaneousHysteresis_V: Scalar
    /// Dynamic-hysteresis rate γ [1]: h relaxes by exp(−|η·I·γ·Δt/(3600·Q)|).
    public var hysteresisRate: Scalar
    /// Thermal model.
    public var thermal: LumpedThermalModel<Scalar>
    /// Operating window.
    public var limits: ModelLimits

    public static var maximumRCPairs: Int { 3 }

    /// True when every table fits the OCV table's grid, so one location per state serves all
    /// (`evaluate` then searches the grid once instead of once per table). Set at creation.
    public private(set) var tablesShareGrid: Bool = false
    /// The common grid's breakpoints (SOC from the OCV table, temperature from the first table
    /// that varies with temperature).
    @usableFromInline var gridSOC: [Scalar] = [0]
    @usableFromInline var gridTemperature: [Scalar] = [0]

    public var rcPairCount: Int { rcResistances.count }

    public init(capacity_Ah: Scalar, chargeEfficiency: Scalar = 1,
                openCircuitVoltage: BilinearTable<Scalar>,
                entropicCoefficient: BilinearTable<Scalar> = BilinearTable(constant: 0),
                seriesResistance: BilinearTable<Scalar>,
                rcResistances: [BilinearTable<Scalar>] = [], rcTimeConstants: [BilinearTable<Scalar>] = [],
                hysteresisMagnitude: BilinearTable<Scalar> = BilinearTable(constant: 0),
                instantaneousHysteresis_V: Scalar = 0, hysteresisRate: Scalar = 0,
                thermal: LumpedThermalModel<Scalar>, limits: ModelLimits) throws(LithosError) {
        guard capacity_Ah > 0, capacity_Ah.isFinite else {
            throw LithosError(.config, "ECM: capacity_Ah must be > 0")
        }
        guard chargeEfficiency > 0, chargeEfficiency <= 1 else {
            throw LithosError(.config, "ECM: charge_efficiency must be within (0, 1]")
        }
        guard rcResistances.count == rcTimeConstants.count, rcResistances.count <= Self.maximumRCPairs else {
            throw LithosError(.config, "ECM: 0…3 RC pairs, each with a resistance and a time-constant table")
        }
        guard thermal.heatCapacity_J_per_K > 0, thermal.heatTransfer_W_per_K >= 0 else {
            throw LithosError(.config, "ECM: thermal heat capacity must be > 0 and heat transfer ≥ 0")
        }
        for v in seriesResistance.values where v < 0 { throw LithosError(.config, "ECM: R0 must be ≥ 0") }
        for t in rcResistances { for v in t.values where v < 0 { throw LithosError(.config, "ECM: RC resistances must be ≥ 0") } }
        for t in rcTimeConstants { for v in t.values where !(v > 0) { throw LithosError(.config, "ECM: RC time constants must be > 0") } }
        guard hysteresisRate >= 0, instantaneousHysteresis_V >= 0 else {
            throw LithosError(.config, "ECM: hysteresis rate and magnitude must be ≥ 0")
        }
        guard limits.minimumVoltage_V < limits.maximumVoltage_V else {
            throw LithosError(.config, "ECM: minimum voltage must be below maximum voltage")
        }
        self.capacity_Ah = capacity_Ah
        self.chargeEfficiency = chargeEfficiency
        self.openCircuitVoltage = openCircuitVoltage
        self.entropicCoefficient = entropicCoefficient
        self.seriesResistance = seriesResistance
        self.rcResistances = rcResistances
        self.rcTimeConstants = rcTimeConstants
        self.hysteresisMagnitude = hysteresisMagnitude
        self.instantaneousHysteresis_V = instantaneousHysteresis_V
        self.hysteresisRate = hysteresisRate
        self.thermal = thermal
        self.limits = limits
        let tables = [openCircuitVoltage, entropicCoefficient, seriesResistance, hysteresisMagnitude] + rcResistances + rcTimeConstants
        gridSOC = tables.first(where: { $0.xs.count > 1 })?.xs ?? [0]
        gridTemperature = tables.first(where: { $0.ys.count > 1 })?.ys ?? [0]
        tablesShareGrid = tables.allSatisfy { $0.fits(xs: gridSOC, ys: gridTemperature) }
    }

    /// Every element of the circuit at one SOC and temperature (one grid search when the tables
    /// share a grid). The dynamics work on these values, so each step evaluates the tables
    /// twice: at its start (RC dynamics) and at its end (terminal voltage).
    @inlinable
    public func evaluate(soc z: Scalar, temperature_K t: Scalar) -> ECMLocalParameters<Scalar> {
        var hint = BilinearTable<Scalar>.Location(i: -1, wx: 0, j: -1, wy: 0)
        return evaluate(soc: z, temperature_K: t, hint: &hint)
    }

    /// `evaluate` that starts the grid search from `hint` (the previous evaluation's location,
    /// updated on return): SOC moves little per step, so the search is usually O(1). Same
    /// result as without the hint.
    @inlinable
    public func evaluate(soc z: Scalar, temperature_K t: Scalar,
                         hint: inout BilinearTable<Scalar>.Location) -> ECMLocalParameters<Scalar> {
        var e = ECMLocalParameters<Scalar>()
        let n = rcPairCount
        let oneColumnOCV = openCircuitVoltage.ys.count == 1
        let reference = Scalar(Physics.referenceTemperature_K)
        if tablesShareGrid {
            let at = BilinearTable<Scalar>.locate(xs: gridSOC, ys: gridTemperature, x: z, y: t, hint: hint)
            hint = at
            e.seriesResistance = seriesResistance.value(at: at)
            e.hysteresisMagnitude = hysteresisMagnitude.value(at: at)
            if oneColumnOCV {
                e.entropicCoefficient = entropicCoefficient.value(at: at)
                e.openCircuitVoltage = openCircuitVoltage.value(at: at) + (t - reference) * e.entropicCoefficient
            } else {
                e.openCircuitVoltage = openCircuitVoltage.value(at: at)
                // (At the location already found: `slopeY(x:y:)` searched both axes again.)
                e.entropicCoefficient = openCircuitVoltage.slopeY(at: at)
            }
            if n > 0 { e.rcResistance1 = rcResistances[0].value(at: at); e.rcTimeConstant1 = rcTimeConstants[0].value(at: at) }
            if n > 1 { e.rcResistance2 = rcResistances[1].value(at: at); e.rcTimeConstant2 = rcTimeConstants[1].value(at: at) }
            if n > 2 { e.rcResistance3 = rcResistances[2].value(at: at); e.rcTimeConstant3 = rcTimeConstants[2].value(at: at) }
        } else {
            e.seriesResistance = seriesResistance.value(x: z, y: t)
            e.hysteresisMagnitude = hysteresisMagnitude.value(x: z, y: t)
            e.openCircuitVoltage = ocv(soc: z, temperature_K: t)
            e.entropicCoefficient = entropicCoefficient(soc: z, temperature_K: t)
            if n > 0 { e.rcResistance1 = rcResistances[0].value(x: z, y: t); e.rcTimeConstant1 = rcTimeConstants[0].value(x: z, y: t) }
            if n > 1 { e.rcResistance2 = rcResistances[1].value(x: z, y: t); e.rcTimeConstant2 = rcTimeConstants[1].value(x: z, y: t) }
            if n > 2 { e.rcResistance3 = rcResistances[2].value(x: z, y: t); e.rcTimeConstant3 = rcTimeConstants[2].value(x: z, y: t) }
        }
        return e
    }

    /// OCV [V] at SOC z and temperature T, including the entropic term when the OCV table has a
    /// single temperature column.
    @inlinable
    public func ocv(soc: Scalar, temperature_K: Scalar) -> Scalar {
        let base = openCircuitVoltage.value(x: soc, y: temperature_K)
        if openCircuitVoltage.ys.count == 1 {
            return base + (temperature_K - Scalar(Physics.referenceTemperature_K)) * entropicCoefficient.value(x: soc, y: temperature_K)
        }
        return base
    }

    /// `ocv(soc:temperature_K:)` that starts the grid search from `hint` (the previous call's
    /// location, updated on return) when the tables share a grid: same result, and a search
    /// that evaluates the OCV at nearby SOCs (`CoulombCounter.socFromOCV`) finds each in O(1).
    @inlinable
    public func ocv(soc: Scalar, temperature_K t: Scalar, hint: inout BilinearTable<Scalar>.Location) -> Scalar {
        guard tablesShareGrid else { return ocv(soc: soc, temperature_K: t) }
        let at = BilinearTable<Scalar>.locate(xs: gridSOC, ys: gridTemperature, x: soc, y: t, hint: hint)
        hint = at
        let base = openCircuitVoltage.value(at: at)
        if openCircuitVoltage.ys.count == 1 {
            return base + (t - Scalar(Physics.referenceTemperature_K)) * entropicCoefficient.value(at: at)
        }
        return base
    }

    /// ∂OCV/∂T [V/K] at SOC z and temperature T, for the reversible heat: the entropic table
    /// when the OCV table has one temperature column, else the OCV table's own temperature slope.
    @inlinable
    public func entropicCoefficient(soc: Scalar, temperature_K: Scalar) -> Scalar {
        if openCircuitVoltage.ys.count == 1 {
            return entropicCoefficient.value(x: soc, y: temperature_K)
        }
        return openCircuitVoltage.slopeY(x: soc, y: temperature_K)
    }

    /// ∂OCV/∂z [V per unit SOC].
    @inlinable
    public func ocvSlope(soc: Scalar, temperature_K: Scalar) -> Scalar {
        var slope = openCircuitVoltage.slopeX(x: soc, y: temperature_K)
        if openCircuitVoltage.ys.count == 1 {
            slope += (temperature_K - Scalar(Physics.referenceTemperature_K)) * entropicCoefficient.slopeX(x: soc, y: temperature_K)
        }
        return slope
    }

    /// `ocvSlope` at a location that `evaluate(soc:temperature_K:hint:)` found on the common grid
    /// (only when `tablesShareGrid`): identical to `ocvSlope(soc:temperature_K:)` there.
    @inlinable
    public func ocvSlope(at p: BilinearTable<Scalar>.Location, temperature_K: Scalar) -> Scalar {
        var slope = openCircuitVoltage.slopeX(at: p)
        if openCircuitVoltage.ys.count == 1 {
            slope += (temperature_K - Scalar(Physics.referenceTemperature_K)) * entropicCoefficient.slopeX(at: p)
        }
        return slope
    }

    /// A fingerprint of every parameter (state snapshots are tied to it).
    public var fingerprint: UInt64 {
        var h = FNV1a64()
        func add(_ t: BilinearTable<Scalar>) {
            for axis in [t.xs, t.ys, t.values] {
                h.add(UInt64(axis.count))
                for v in axis { h.add(Double(v)) }
            }
        }
        h.add(Double(capacity_Ah)); h.add(Double(chargeEfficiency))
        add(openCircuitVoltage); add(entropicCoefficient); add(seriesResistance)
        h.add(UInt64(rcPairCount))
        for t in rcResistances { add(t) }
        for t in rcTimeConstants { add(t) }
        add(hysteresisMagnitude)
        h.add(Double(instantaneousHysteresis_V)); h.add(Double(hysteresisRate))
        h.add(UInt64(thermal.enabled ? 1 : 0)); h.add(Double(thermal.heatCapacity_J_per_K)); h.add(Double(thermal.heatTransfer_W_per_K))
        h.add(limits.minimumVoltage_V); h.add(limits.maximumVoltage_V)
        h.add(limits.minimumTemperature_K); h.add(limits.maximumTemperature_K)
        return h.value
    }
}

/// The circuit's elements evaluated at one SOC and temperature (see `ECMParameters.evaluate`).
/// Unused RC pairs keep R = 0, τ = 1 s.
public struct ECMLocalParameters<Scalar: LithosReal>: Sendable, Equatable {
    public var openCircuitVoltage: Scalar = 0        // V
    public var entropicCoefficient: Scalar = 0       // V/K
    public var seriesResistance: Scalar = 0          // Ω
    public var hysteresisMagnitude: Scalar = 0       // V
    public var rcResistance1: Scalar = 0             // Ω
    public var rcResistance2: Scalar = 0
    public var rcResistance3: Scalar = 0
    public var rcTimeConstant1: Scalar = 1           // s
    public var rcTimeConstant2: Scalar = 1
    public var rcTimeConstant3: Scalar = 1

    @inlinable public init() {}

    @inlinable
    public func rcResistance(_ j: Int) -> Scalar {
        switch j { case 0: return rcResistance1; case 1: return rcResistance2; default: return rcResistance3 }
    }

    @inlinable
    public func rcTimeConstant(_ j: Int) -> Scalar {
        switch j { case 0: return rcTimeConstant1; case 1: return rcTimeConstant2; default: return rcTimeConstant3 }
    }
}
