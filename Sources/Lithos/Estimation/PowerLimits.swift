/// Which constraint set a power limit (the smallest of the candidate currents).
public enum PowerLimitConstraint: UInt8, Sendable, Equatable {
    /// Not computed yet.
    case none = 0
    /// The current limit of the operating limits.
    case current = 1
    /// The predicted terminal voltage (at the end, or at the start, of the horizon).
    case voltage = 2
    /// The SOC window at the end of the horizon.
    case soc = 3
    /// The temperature window (outside it now, or predicted adiabatic heating over the horizon).
    case temperature = 4
    /// Charge only: the plating current density at the CCD margin (lithium-metal anode).
    case criticalCurrentDensity = 5
}

/// One available current and power over one horizon in one direction.
public struct PowerLimit<Scalar: LithosReal>: Sendable, Equatable {
    /// Largest constant current magnitude [A] (≥ 0) that keeps every constraint.
    public var current_A: Scalar = 0
    /// Power at that current [W] (≥ 0): |I|·V_end(I).
    public var power_W: Scalar = 0
    /// Predicted terminal voltage at the end of the horizon at that current [V].
    public var endVoltage_V: Scalar = 0
    /// The constraint that set the limit.
    public var constraint: PowerLimitConstraint = .none

    public init() {}
}

/// State of power (SOP): the largest constant discharge and charge current — and the power it
/// delivers — that the cell can sustain over each horizon (default 2, 10 and 30 s) without
/// leaving its operating limits, predicted with the estimator's ECM from the present state
/// estimate — the model-based method of Plett ("High-performance battery-pack power estimation
/// using a dynamic cell model", IEEE Trans. Veh. Technol. 53 (2004) 1586), generalised to
/// several RC pairs and hysteresis and extended by the solid-state plating limit.
///
/// **Prediction.** For a constant current I held over the horizon Δt from the estimated state
/// (z, vⱼ, h, s) at the present temperature T, with the exact (exponential) discretisation of
/// `ECMDynamics` taken over the whole horizon as one step:
///   z_end   = z − η·I·Δt/(3600·Q)
///   vⱼ,end  = aⱼ·vⱼ + Rⱼ·(1 − aⱼ)·I,   aⱼ = exp(−Δt/τⱼ)       (RC voltages relax toward Rⱼ·I)
///   h_end   = b·h − (1 − b)·sgn I,      b = exp(−|η·I·γ·Δt/(3600·Q)|),  s_end = −sgn I
///   V_end(I) = OCV(z_end, T) + M₀·s_end + M(z_end, T)·h_end − Σ vⱼ,end − k_R·R₀(z_end, T)·I
/// with Rⱼ, τⱼ evaluated at the horizon's mid-point SOC (z + z_end)/2 (the elements vary with
/// SOC along the way; freezing them at the start, as one model step would, is off by ≈ 2 mV
/// after 30 s at 4C for the default cell, the mid-point by < 0.1 mV), k_R the series-resistance
/// scale from the resistance estimator (R₀,est/R₀,model, 1 for a new cell) and Q the capacity
/// (the estimator's, when given). The voltage right after the
/// current is applied, V₀(I) = OCV(z) + M₀·s_end + M·h − Σ vⱼ − k_R·R₀(z)·I, is checked too:
/// when the RC voltages start above Rⱼ·I (after a harder pulse) they relax upward and the
/// lowest voltage of the horizon is at its start, not its end. With all RC voltages relaxing in
/// one direction (always the case from rest or under a steady load) V(t) is monotone between
/// the two, so checking both ends bounds the whole horizon.
///
/// **Monotonicity and solution.** For fixed parameters V_end is strictly decreasing in I: OCV
/// rises with SOC and z_end falls with I, every RC term is −Rⱼ(1−aⱼ)·I, the ohmic term is
/// −R₀·I, and h_end and s_end move toward −sgn I as I grows. (R₀(z_end) varies with I only
/// through the tiny SOC change over 30 s.) So each constraint is an upper bound on |I|:
/// - current: |I| ≤ the discharge/charge current limit (charge also ≤ margin·CCD(T, p)·A for
///   a lithium-metal anode — the solid-state-specific limit);
/// - SOC: z_end within [minimumSOC, maximumSOC], closed form;
/// - start voltage: V₀ linear in I, closed form;
/// - temperature: outside the temperature window now → 0 A; else, with a thermal model, the
///   adiabatic heating over the horizon ΔT = Δt·(I²·(k_R·R₀ + Σ Rⱼ) + |I|·T·|∂U/∂T|)/C must
///   stay within the headroom to the maximum temperature, closed form (a quadratic). Adiabatic
///   is the worst case and exact enough: the thermal time constant C/hA of a cell is
///   10²–10⁴ s ≫ 30 s. The voltage prediction itself uses the present temperature's elements
///   (no heating): heating lowers the resistances, so this is conservative, and the heating of
///   a cell at its 30 s limit can be several kelvin (the default cell, 4C for 30 s: ≈ 4 K,
///   ending ≈ 80 mV above V_min instead of at it, its SE conductivity being Arrhenius). Each constraint takes its own worst case:
///   no heating credit for the voltage, adiabatic heating for the temperature;
/// - end voltage: V_end(I) ≥ V_min (discharge) or ≤ V_max (charge), solved on [0, the
///   smallest closed-form bound] by false position with the Illinois modification, at most
///   `maximumIterations` (40) evaluations, stopping when the feasible end of the bracket is
///   within `voltageTolerance_V` of the limit. The result is always the feasible end, so it
///   never overshoots a limit.
/// The current limit is the smallest bound; `constraint` says which one.
///
/// **Power.** P = |I_lim|·V_end(I_lim) [W]: when the voltage limits, P = I·V_min (discharge)
/// or I·V_max (charge) exactly. Since P(I) = I·V_end(I) increases with I on the feasible set,
/// this is also the minimum over the constraints expressed as powers (each constraint's
/// current converted by P = I·V_end(I)). For discharge, P increases up to the maximum-power
/// current where V_end ≈ OCV/2; every feasible current lies below it whenever V_min > OCV/2
/// (true of every practical window), so the statement holds. A constant-power load of P_lim
/// draws at most I_lim over the horizon and is therefore also within the limits.
///
/// No allocation; fixed iteration counts: at most 3 × 2 × (1 + 2·43) table evaluations per
/// call, typically a tenth of that (the end voltage is nearly linear in I; false position
/// reaches the 10 µV tolerance in about five evaluations).
public struct PowerLimits<Scalar: LithosReal>: Sendable, Equatable {
    /// Horizons [s].
    public var horizons_s: (Scalar, Scalar, Scalar)
    /// Results per horizon (same order as `horizons_s`).
    public var discharge: (PowerLimit<Scalar>, PowerLimit<Scalar>, PowerLimit<Scalar>)
    public var charge: (PowerLimit<Scalar>, PowerLimit<Scalar>, PowerLimit<Scalar>)

    public static var defaultHorizons_s: (Scalar, Scalar, Scalar) { (2, 10, 30) }
    public static var maximumIterations: Int { 40 }
    /// The end-voltage solve stops when the predicted voltage is this close to its limit [V].
    public static var voltageTolerance_V: Scalar { 1e-5 }

    public init(horizons_s: (Scalar, Scalar, Scalar) = defaultHorizons_s) {
        self.horizons_s = horizons_s
        discharge = (PowerLimit(), PowerLimit(), PowerLimit())
        charge = (PowerLimit(), PowerLimit(), PowerLimit())
    }

    /// Computes every limit from the present state estimate.
    /// - Parameters:
    ///   - parameters: the estimator's ECM.
    ///   - state: the estimated ECM state (SOC, RC voltages, hysteresis, last current sign).
    ///   - temperature_K: present cell temperature [K] (the elements are evaluated at it).
    ///   - limits: the operating limits.
    ///   - capacity_Ah: capacity for the SOC prediction [A·h] (the capacity estimate); nil = the
    ///     ECM's.
    ///   - seriesResistanceScale: R₀,est/R₀,model [1] from the resistance estimator; 1 = model.
    public mutating func update(parameters: ECMParameters<Scalar>, state: ECMState<Scalar>, temperature_K: Scalar,
                                limits: OperatingLimits<Scalar>, capacity_Ah: Scalar? = nil,
                                seriesResistanceScale: Scalar = 1) {
        let h = horizons_s
        // The elements at the start of every horizon are the same (the present state): evaluated
        // once here, and the grid location of the temperature with them.
        var start = StartPoint(parameters: parameters, state: state, temperature_K: temperature_K)
        discharge.0 = Self.limit(discharging: true, horizon_s: h.0, parameters: parameters, state: state, temperature_K: temperature_K,
                                 limits: limits, capacity_Ah: capacity_Ah, seriesResistanceScale: seriesResistanceScale, start: &start)
        discharge.1 = Self.limit(discharging: true, horizon_s: h.1, parameters: parameters, state: state, temperature_K: temperature_K,
                                 limits: limits, capacity_Ah: capacity_Ah, seriesResistanceScale: seriesResistanceScale, start: &start)
        discharge.2 = Self.limit(discharging: true, horizon_s: h.2, parameters: parameters, state: state, temperature_K: temperature_K,
                                 limits: limits, capacity_Ah: capacity_Ah, seriesResistanceScale: seriesResistanceScale, start: &start)
        charge.0 = Self.limit(discharging: false, horizon_s: h.0, parameters: parameters, state: state, temperature_K: temperature_K,
                              limits: limits, capacity_Ah: capacity_Ah, seriesResistanceScale: seriesResistanceScale, start: &start)
        charge.1 = Self.limit(discharging: false, horizon_s: h.1, parameters: parameters, state: state, temperature_K: temperature_K,
                              limits: limits, capacity_Ah: capacity_Ah, seriesResistanceScale: seriesResistanceScale, start: &start)
        charge.2 = Self.limit(discharging: false, horizon_s: h.2, parameters: parameters, state: state, temperature_K: temperature_K,
                              limits: limits, capacity_Ah: capacity_Ah, seriesResistanceScale: seriesResistanceScale, start: &start)
    }

    /// Copies the currents and powers into an estimate's SOP tuples.
    public func write(into e: inout StateEstimate<Scalar>) {
        e.dischargeCurrentLimit_A = (discharge.0.current_A, discharge.1.current_A, discharge.2.current_A)
        e.chargeCurrentLimit_A = (charge.0.current_A, charge.1.current_A, charge.2.current_A)
        e.dischargePowerLimit_W = (discharge.0.power_W, discharge.1.power_W, discharge.2.power_W)
        e.chargePowerLimit_W = (charge.0.power_W, charge.1.power_W, charge.2.power_W)
    }

    /// The limit in one direction over one horizon (see the type's documentation).
    public static func limit(discharging: Bool, horizon_s: Scalar, parameters p: ECMParameters<Scalar>, state s: ECMState<Scalar>,
                             temperature_K t: Scalar, limits: OperatingLimits<Scalar>, capacity_Ah: Scalar? = nil,
                             seriesResistanceScale: Scalar = 1) -> PowerLimit<Scalar> {
        var start = StartPoint(parameters: p, state: s, temperature_K: t)
        return limit(discharging: discharging, horizon_s: horizon_s, parameters: p, state: s, temperature_K: t, limits: limits,
                     capacity_Ah: capacity_Ah, seriesResistanceScale: seriesResistanceScale, start: &start)
    }

    /// `limit` with the start point's evaluation shared (`update` computes six limits from one
    /// state). `start` carries the grid search's hint from one evaluation to the next.
    static func limit(discharging: Bool, horizon_s: Scalar, parameters p: ECMParameters<Scalar>, state s: ECMState<Scalar>,
                      temperature_K t: Scalar, limits: OperatingLimits<Scalar>, capacity_Ah: Scalar?,
                      seriesResistanceScale: Scalar, start: inout StartPoint<Scalar>) -> PowerLimit<Scalar> {
        var result = PowerLimit<Scalar>()
        let q = capacity_Ah.map { $0 > 0 && $0.isFinite ? $0 : p.capacity_Ah } ?? p.capacity_Ah
        let kR = seriesResistanceScale > 0 && seriesResistanceScale.isFinite ? seriesResistanceScale : 1
        guard horizon_s > 0, horizon_s.isFinite, t.isFinite, s.soc.isFinite else {
            result.constraint = .none
            return result
        }
        let prediction = HorizonPrediction(state: s, temperature_K: t, horizon_s: horizon_s, capacity_Ah: q,
                                           seriesResistanceScale: kR, start: start.elements)
        let d: Scalar = discharging ? 1 : -1

        // Temperature window now.
        if t > limits.maximumTemperature_K || t < limits.minimumTemperature_K {
            result.constraint = .temperature
            result.endVoltage_V = prediction.endVoltage(current: 0, parameters: p, hint: &start.hint)
            return result
        }

        // Closed-form bounds on the magnitude x = |I|.
        var b = Bound(value: discharging ? limits.dischargeCurrentLimit_A : limits.chargeCurrentLimit_A, constraint: .current)
        if !discharging, let ccd = limits.criticalCurrentDensity {
            b.tighten(ccd.maximumChargeCurrent_A(temperature_K: t), .criticalCurrentDensity)
        }
        // SOC at the end of the horizon.
        let socPerAmp = horizon_s / (3600 * q)     // SOC change per ampere over the horizon
        if discharging {
            b.tighten((s.soc - limits.minimumSOC) / socPerAmp, .soc)
        } else {
            b.tighten((limits.maximumSOC - s.soc) / (p.chargeEfficiency * socPerAmp), .soc)
        }
        // Voltage at the start of the horizon: V₀(d·x) = base − d·k_R·R₀·x.
        let r0Start = kR * prediction.start.seriesResistance
        let base0 = prediction.start.openCircuitVoltage + p.instantaneousHysteresis_V * (-d)
            + prediction.start.hysteresisMagnitude * s.hysteresis - s.rcVoltageSum
        let startHeadroom = discharging ? base0 - limits.minimumVoltage_V : limits.maximumVoltage_V - base0
        if r0Start > 0 {
            b.tighten(startHeadroom / r0Start, .voltage)
        } else if startHeadroom < 0 {
            b.tighten(0, .voltage)
        }
        // Adiabatic heating over the horizon (only with a thermal model).
        if p.thermal.enabled && p.thermal.heatCapacity_J_per_K > 0 {
            var rHeat = kR * prediction.start.seriesResistance
            for j in 0..<p.rcPairCount { rHeat += prediction.start.rcResistance(j) }
            let qa = horizon_s * rHeat / p.thermal.heatCapacity_J_per_K
            let qb = horizon_s * t * abs(prediction.start.entropicCoefficient) / p.thermal.heatCapacity_J_per_K
            let qc = limits.maximumTemperature_K - t
            // a·x² + b·x ≤ c  →  x ≤ 2c / (b + √(b² + 4ac)) (the cancellation-free root).
            let denominator = qb + Scalar.sqrt(qb * qb + 4 * qa * qc)
            if denominator > 0 { b.tighten(2 * qc / denominator, .temperature) }
        }

        // End voltage: g(x) ≥ 0 is feasible, g decreasing in x.
        // (g(x) is the same function of x all along: the final value is taken from the
        // evaluation that found x instead of evaluating it again.)
        let minimumVoltage = limits.minimumVoltage_V, maximumVoltage = limits.maximumVoltage_V
        func g(_ x: Scalar) -> Scalar {
            let v = prediction.endVoltage(current: d * x, parameters: p, hint: &start.hint)
            return discharging ? v - minimumVoltage : maximumVoltage - v
        }
        var x = b.value
        var gx = g(x)
        var constraint = b.constraint
        if !(gx >= 0) {
            constraint = .voltage
            let g0 = g(0)
            if !(g0 >= 0) || x <= 0 {
                x = 0
                gx = g0
            } else {
                (x, gx) = solveLargestFeasible(hi: x, gLo: g0, gHi: gx, g)
            }
        }
        result.current_A = x
        result.endVoltage_V = discharging ? gx + limits.minimumVoltage_V : limits.maximumVoltage_V - gx
        result.power_W = x > 0 ? x * result.endVoltage_V : 0
        result.constraint = constraint
        return result
    }

    /// Largest x in [0, hi] with g(x) ≥ 0, for g decreasing, g(0) ≥ 0 > g(hi): false position
    /// with the Illinois modification (Dowell & Jarratt, BIT 11 (1971) 168), bisection when the
    /// secant leaves the bracket; returns the feasible end of the final bracket.
    /// Returns x and g(x).
    static func solveLargestFeasible(hi hi0: Scalar, gLo: Scalar, gHi: Scalar, _ g: (Scalar) -> Scalar) -> (Scalar, Scalar) {
        var lo: Scalar = 0, hi = hi0
        var fLo = gLo, fHi = gHi          // values used by the secant (Illinois-halved)
        var gLoTrue = gLo
        var lastSide = 0
        let tolerance = voltageTolerance_V
        for _ in 0..<maximumIterations {
            if gLoTrue <= tolerance || hi - lo <= 4 * Scalar.ulpOfOne * (1 + hi) { break }
            var x = (lo * fHi - hi * fLo) / (fHi - fLo)
            if !(x > lo && x < hi) { x = lo + (hi - lo) / 2 }
            let gx = g(x)
            if gx >= 0 {
                lo = x; fLo = gx; gLoTrue = gx
                if lastSide == 1 { fHi /= 2 }
                lastSide = 1
            } else {
                hi = x; fHi = gx
                if lastSide == -1 { fLo /= 2 }
                lastSide = -1
            }
        }
        return (lo, gLoTrue)
    }

    /// The smallest bound on |I| so far and the constraint that set it.
    struct Bound {
        var value: Scalar
        var constraint: PowerLimitConstraint
        mutating func tighten(_ x: Scalar, _ c: PowerLimitConstraint) {
            let v = x.isNaN ? 0 : max(0, x)
            if v < value { value = v; constraint = c }
        }
    }

    public static func == (a: PowerLimits, b: PowerLimits) -> Bool {
        a.horizons_s == b.horizons_s && a.discharge == b.discharge && a.charge == b.charge
    }
}

/// The elements at the start of the horizons (the present state) and the grid location of the
/// last evaluation (the next search starts from it: same result, usually O(1)).
struct StartPoint<Scalar: LithosReal> {
    var elements: ECMLocalParameters<Scalar>
    var hint: BilinearTable<Scalar>.Location

    init(parameters p: ECMParameters<Scalar>, state s: ECMState<Scalar>, temperature_K t: Scalar) {
        hint = BilinearTable<Scalar>.Location(i: -1, wx: 0, j: -1, wy: 0)
        elements = p.evaluate(soc: s.soc, temperature_K: t, hint: &hint)
    }
}

/// The ECM's response to a constant current over one horizon from one state (see
/// `PowerLimits`). Each trial current costs two table evaluations: the RC elements at the
/// horizon's mid-point SOC, the OCV, R₀ and M at its end (none at zero current: both points are
/// the start). The parameters are passed to `endVoltage`, not stored (storing them copied
/// every table's arrays, with their reference counts, per horizon).
struct HorizonPrediction<Scalar: LithosReal> {
    let state: ECMState<Scalar>
    let temperature_K: Scalar
    let horizon_s: Scalar
    let capacity_Ah: Scalar
    let seriesResistanceScale: Scalar
    /// Elements at the start of the horizon.
    let start: ECMLocalParameters<Scalar>

    /// Terminal voltage [V] at the end of the horizon for a constant current [A] (discharge +).
    /// `hint`: the grid location of the previous evaluation (updated).
    func endVoltage(current i: Scalar, parameters p: ECMParameters<Scalar>, hint: inout BilinearTable<Scalar>.Location) -> Scalar {
        let eta: Scalar = i < 0 ? p.chargeEfficiency : 1
        let dz = eta * i * horizon_s / (3600 * capacity_Ah)
        let zEnd = state.soc - dz
        let n = p.rcPairCount
        // At zero current (dz = 0; also −0) the mid-point and the end are the start itself.
        let atStart = dz == 0
        var rcSum: Scalar = 0
        if n > 0 {
            let mid = atStart ? start : p.evaluate(soc: state.soc - dz / 2, temperature_K: temperature_K, hint: &hint)
            for j in 0..<n {
                let oneMinusA = -Scalar.expm1(-horizon_s / mid.rcTimeConstant(j))
                rcSum += (1 - oneMinusA) * state.rcVoltage(j) + mid.rcResistance(j) * oneMinusA * i
            }
        }
        let e = atStart ? start : p.evaluate(soc: zEnd, temperature_K: temperature_K, hint: &hint)
        var h = state.hysteresis
        var sign = state.lastCurrentSign
        if i != 0 {
            let sgn: Scalar = i > 0 ? 1 : -1
            if p.hysteresisRate > 0 {
                let oneMinusB = -Scalar.expm1(-abs(dz * p.hysteresisRate))
                h = (1 - oneMinusB) * h - oneMinusB * sgn
            }
            sign = -sgn
        }
        return e.openCircuitVoltage + p.instantaneousHysteresis_V * sign + e.hysteresisMagnitude * h
            - rcSum - seriesResistanceScale * e.seriesResistance * i
    }
}
