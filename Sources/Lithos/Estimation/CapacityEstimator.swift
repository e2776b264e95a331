/// Tuning of the capacity estimator.
public struct CapacityEstimatorSettings<Scalar: LithosReal>: Sendable, Equatable {
    /// Nominal (new-cell) capacity [A·h]: the prior and the 100 % of SOH.
    public var nominalCapacity_Ah: Scalar
    /// Prior standard deviation of the capacity [A·h].
    public var initialStandardDeviation_Ah: Scalar
    /// Bounds of the estimate as fractions of nominal [1].
    public var minimumFraction: Scalar = 0.5
    public var maximumFraction: Scalar = 1.2
    /// A pair enters the fit only if its SOC change is at least this [1] ("well separated").
    public var minimumSOCChange: Scalar = 0.2
    /// The counted charge must turn back from its furthest point by this much [1, in SOC, i.e.
    /// this × capacity in A·h] before the pair up to that point is committed (a drive cycle's
    /// regeneration wiggles stay inside one pair).
    public var reversalSOCChange: Scalar = 0.05
    /// SOC estimates with a standard deviation above this are not used as pair ends [1].
    public var maximumEndpointSOCStandardDeviation: Scalar = 0.05
    /// The SOC estimate may step by at most this much more than the counted charge explains
    /// between two updates to serve as a pair end [1] (a filter glitch or an OCV reset is not
    /// an end point; the next, consistent sample is).
    public var maximumSOCJump: Scalar = 0.02
    /// A pair open longer than this is committed (or dropped) [s]: current-offset error grows
    /// with time.
    public var maximumPairDuration_s: Scalar = 172_800
    /// Forgetting factor per committed pair (memory ≈ 1/(1 − γ) pairs).
    public var forgettingFactor: Scalar = 0.98
    /// Current sensor: white noise per sample [A] and a bound on its offset [A] (the offset
    /// enters the variance of the counted charge as (offset·duration)²).
    public var currentNoise_A: Scalar = 0.01
    public var currentOffset_A: Scalar = 0.005
    /// Coulombic efficiency on charge [1].
    public var chargeEfficiency: Scalar = 1
    /// A pair whose residual against the present estimate exceeds this many standard
    /// deviations is rejected as an outlier — unless this many pairs in a row were rejected:
    /// then the data, not the estimate, are believed and the pair is taken.
    public var outlierGate_sigma: Scalar = 4
    public var rejectionsBeforeAcceptance: Int = 3

    /// Defaults for a cell of nominal capacity `nominalCapacity_Ah`: prior σ 10 % of nominal.
    public init(nominalCapacity_Ah: Scalar) {
        self.nominalCapacity_Ah = nominalCapacity_Ah
        initialStandardDeviation_Ah = nominalCapacity_Ah / 10
    }

    public func validate(context: @autoclosure () -> String = "capacity estimator") throws(LithosError) {
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(LithosError) {
            if !ok { throw LithosError(.config, "\(context()): \(what())") }
        }
        try check(nominalCapacity_Ah > 0 && nominalCapacity_Ah.isFinite, "nominal capacity must be > 0")
        try check(initialStandardDeviation_Ah > 0 && initialStandardDeviation_Ah.isFinite, "initial capacity std must be > 0")
        try check(minimumFraction > 0 && minimumFraction < 1 && maximumFraction > 1 && maximumFraction <= 10, "bounds must satisfy 0 < min < 1 < max ≤ 10")
        try check(minimumSOCChange > 0 && minimumSOCChange <= 1 && reversalSOCChange > 0 && reversalSOCChange < minimumSOCChange,
                  "SOC changes must satisfy 0 < reversal < minimum ≤ 1")
        try check(maximumEndpointSOCStandardDeviation > 0 && maximumSOCJump > 0 && maximumPairDuration_s > 0, "end-point settings must be > 0")
        try check(forgettingFactor > 0.5 && forgettingFactor <= 1, "forgetting factor must be within (0.5, 1]")
        try check(currentNoise_A >= 0 && currentOffset_A >= 0 && currentNoise_A + currentOffset_A > 0, "current noise and offset must be ≥ 0, not both 0")
        try check(chargeEfficiency > 0 && chargeEfficiency <= 1, "charge efficiency must be within (0, 1]")
        try check(outlierGate_sigma > 0 && rejectionsBeforeAcceptance >= 1, "outlier gate must be > 0 and rejections ≥ 1")
    }
}

/// Total capacity from pairs (x, y) = (SOC change estimated by the SOC filter between two
/// well-separated points, charge counted between them), by Plett's approximate weighted total
/// least squares (AWTLS; G. L. Plett, "Recursive approximate weighted total least squares
/// estimation of battery cell total capacity", J. Power Sources 196 (2011) 2319).
///
/// **Why AWTLS.** y = Q·x with noise on *both* sides: x is the difference of two SOC estimates
/// (σ of 1–2 % each, far from negligible against the 20–90 % changes used), y is counted
/// charge (current-sensor noise and offset). Ordinary or weighted least squares puts all the
/// error on y and is biased when x is noisy (errors in variables: Q̂ shrinks by
/// Σx²/(Σx² + Σσₓ²)); total least squares weighs both. AWTLS minimises
///   χ²(Q) = Σᵢ (yᵢ − Q·xᵢ)² / (σ²_yᵢ + Q²σ²_xᵢ)
/// in a form that is exactly recursive: six running sums with forgetting and a quartic for the
/// stationary points. With the pre-scaling of Plett's reference implementation (q = K·Q,
/// K² = σ²ₓ/σ²ᵧ of the first pair, so both variables are of the same order):
///   c₁ = Σ x²/(K²σᵧ²), c₂ = Σ K·xy/(K²σᵧ²), c₃ = Σ K²y²/(K²σᵧ²),
///   c₄ = Σ x²/σₓ²,     c₅ = Σ K·xy/σₓ²,     c₆ = Σ K²y²/σₓ²,
///   J(q) = (c₄q⁴ − 2c₅q³ + (c₁ + c₆)q² − 2c₂q + c₃)/(q² + 1)²,
///   J'(q) ∝ c₅q⁴ + (2c₄ − c₁ − c₆)q³ + 3(c₂ − c₅)q² + (c₁ − 2c₃ + c₆)q − c₂,
/// and σ²_Q = 2/(K²·J''(q̂)). The nominal capacity enters as a first, fictitious pair (x = 1,
/// y = Q_nom) whose weight gives the prior σ. Instead of a polynomial root finder (which would
/// allocate) the minimum over the bounded interval [min, max]·Q_nom is found by a scan of
/// `scanPoints` points and bisection of J' (`bisectionSteps`), fixed counts. AWTLS over WLS
/// with forgetting: the same cost per update, no bias from SOC-estimate noise, and a variance
/// that is honest about both noise sources.
///
/// **Pairs.** Each update integrates the measured current (y = −∫η·I dt/3600, so y = Q·x with
/// x = z₂ − z₁). A pair runs from its anchor to the point of furthest counted charge (a turning
/// point of the charge, not of the SOC estimate, whose extreme would be its largest error);
/// when the charge turns back by `reversalSOCChange`·Q̂ (or the pair is older than
/// `maximumPairDuration_s`) the pair
/// anchor→furthest point is committed if its |x| ≥ `minimumSOCChange` and it passes the
/// outlier gate, and the next pair starts at that furthest point. Pair ends are only taken
/// where the SOC estimate is confident (σ ≤ `maximumEndpointSOCStandardDeviation`) and
/// consistent with the counted charge since the previous update (no jump larger than
/// `maximumSOCJump`); σ²ₓ = σ²(z₁) + σ²(z₂), σ²ᵧ = (σ_I²·Σdt² + (offset·duration)²)/3600².
/// A pair far from the present estimate (outlier gate) is rejected, unless
/// `rejectionsBeforeAcceptance` pairs in a row were: then the capacity has really moved.
/// While a pair is open and already well separated, the reported estimate includes it
/// provisionally, so one full discharge yields an estimate without waiting for the next charge.
/// The estimate is bounded to [minimumFraction, maximumFraction]·Q_nom; SOH = Q̂/Q_nom.
public struct CapacityEstimator<Scalar: LithosReal>: Sendable, Equatable {
    public var settings: CapacityEstimatorSettings<Scalar>
    /// Capacity estimate [A·h] and its standard deviation [A·h].
    public private(set) var capacity_Ah: Scalar
    public private(set) var capacityStandardDeviation_Ah: Scalar
    /// Pairs committed to / rejected from the fit since creation.
    public private(set) var committedPairs: Int = 0
    public private(set) var rejectedPairs: Int = 0
    var consecutiveRejections: Int = 0

    public static var scanPoints: Int { 24 }
    public static var bisectionSteps: Int { 40 }

    /// The AWTLS sums of committed pairs (including the prior) and the scale K (0 = not yet set).
    var sums = AWTLSSums<Scalar>()
    var scaleK: Scalar = 0
    /// The open pair: anchor, furthest point, running charge and its variance.
    var anchorValid = false
    var anchorSOC: Scalar = 0, anchorVariance: Scalar = 0
    var charge_Ah: Scalar = 0, chargeNoise_As2: Scalar = 0, duration_s: Scalar = 0
    var furthest = PairEnd<Scalar>()
    var previousSOC: Scalar = .nan
    /// Committed-only estimate (reported when no pair is open).
    var committedCapacity_Ah: Scalar
    var committedStandardDeviation_Ah: Scalar
    /// |x| of the open pair when the provisional estimate was last computed.
    var provisionalSpan: Scalar = 0

    public init(settings: CapacityEstimatorSettings<Scalar>) {
        self.settings = settings
        capacity_Ah = settings.nominalCapacity_Ah
        capacityStandardDeviation_Ah = settings.initialStandardDeviation_Ah
        committedCapacity_Ah = capacity_Ah
        committedStandardDeviation_Ah = capacityStandardDeviation_Ah
    }

    /// Capacity SOH = Q̂ / Q_nom [%].
    public var capacitySOH_percent: Scalar { 100 * capacity_Ah / settings.nominalCapacity_Ah }

    /// One update.
    /// - Parameters:
    ///   - soc: the SOC filter's estimate [1] after this update.
    ///   - socStandardDeviation: its standard deviation [1].
    ///   - current_A: measured current over the update [A] (discharge +; NaN drops the open pair).
    ///   - dt_s: time since the previous update [s].
    public mutating func update(soc: Scalar, socStandardDeviation: Scalar, current_A i: Scalar, dt_s dt: Scalar) {
        let s = settings
        guard dt > 0, dt.isFinite else { return }
        guard i.isFinite else {
            anchorValid = false; previousSOC = .nan
            restoreCommitted()
            return
        }
        let eta: Scalar = i < 0 ? s.chargeEfficiency : 1
        let dy = -eta * i * dt / 3600
        if anchorValid {
            charge_Ah += dy
            chargeNoise_As2 += s.currentNoise_A * s.currentNoise_A * dt * dt
            duration_s += dt
        }
        // Is this sample usable as a pair end?
        var usable = soc.isFinite && socStandardDeviation.isFinite && socStandardDeviation >= 0
            && socStandardDeviation <= s.maximumEndpointSOCStandardDeviation
        if usable && previousSOC.isFinite {
            let expected = dy / capacity_Ah
            usable = abs(soc - previousSOC - expected) <= s.maximumSOCJump
        }
        previousSOC = soc.isFinite ? soc : .nan
        let variance = socStandardDeviation * socStandardDeviation

        if !anchorValid {
            if usable { startPair(soc: soc, variance: variance) }
            return
        }
        if usable {
            // Pair ends are the turning points of the counted charge, not of the SOC estimate:
            // picking the furthest *estimate* would pick its largest error (during a rest the
            // estimate wanders while the charge stands still) and bias |x| outward.
            let y = charge_Ah, yFurthest = furthest.charge_Ah
            if abs(y) >= abs(yFurthest) && (yFurthest == 0 || (y > 0) == (yFurthest > 0)) {
                furthest = PairEnd(soc: soc, variance: variance, charge_Ah: charge_Ah, chargeNoise_As2: chargeNoise_As2, duration_s: duration_s)
            } else if (yFurthest - y) * (yFurthest > 0 ? 1 : -1) >= s.reversalSOCChange * capacity_Ah {
                // Turned back: commit anchor → furthest, continue from the furthest point.
                commitFurthest()
                rebase(onto: furthest)
                furthest = PairEnd(soc: soc, variance: variance, charge_Ah: charge_Ah, chargeNoise_As2: chargeNoise_As2, duration_s: duration_s)
            }
        }
        if duration_s >= s.maximumPairDuration_s {
            commitFurthest()
            if usable { startPair(soc: soc, variance: variance) } else { anchorValid = false }
            restoreCommitted()
            return
        }
        updateProvisional()
    }

    /// Writes capacity, its standard deviation and SOH into an estimate.
    public func write(into e: inout StateEstimate<Scalar>) {
        e.capacity_Ah = capacity_Ah
        e.capacityStandardDeviation_Ah = capacityStandardDeviation_Ah
        e.capacitySOH_percent = capacitySOH_percent
    }

    // MARK: pairs

    mutating func startPair(soc: Scalar, variance: Scalar) {
        anchorValid = true
        anchorSOC = soc; anchorVariance = variance
        charge_Ah = 0; chargeNoise_As2 = 0; duration_s = 0
        furthest = PairEnd(soc: soc, variance: variance, charge_Ah: 0, chargeNoise_As2: 0, duration_s: 0)
        provisionalSpan = 0
    }

    /// Makes `end` the new anchor; the charge counted after it carries over.
    mutating func rebase(onto end: PairEnd<Scalar>) {
        anchorSOC = end.soc; anchorVariance = end.variance
        charge_Ah -= end.charge_Ah; chargeNoise_As2 -= end.chargeNoise_As2; duration_s -= end.duration_s
        provisionalSpan = 0
    }

    /// The open pair anchor → furthest point as (x, y, σ²ₓ, σ²ᵧ).
    func furthestPair() -> (x: Scalar, y: Scalar, varX: Scalar, varY: Scalar) {
        let s = settings
        let offsetCharge = s.currentOffset_A * furthest.duration_s
        let varY = (furthest.chargeNoise_As2 + offsetCharge * offsetCharge) / (3600 * 3600)
        let tiny = Scalar.leastNormalMagnitude.squareRoot()
        return (furthest.soc - anchorSOC, furthest.charge_Ah, max(anchorVariance + furthest.variance, tiny), max(varY, tiny))
    }

    /// Whether a pair is consistent with the estimate so far (outlier gate).
    func passesGate(_ pair: (x: Scalar, y: Scalar, varX: Scalar, varY: Scalar), capacity q: Scalar, standardDeviation sq: Scalar) -> Bool {
        let residual = pair.y - q * pair.x
        let variance = pair.varY + q * q * pair.varX + pair.x * pair.x * sq * sq
        let k = settings.outlierGate_sigma
        return residual * residual <= k * k * variance
    }

    mutating func commitFurthest() {
        let pair = furthestPair()
        guard abs(pair.x) >= settings.minimumSOCChange else { return }
        if passesGate(pair, capacity: committedCapacity_Ah, standardDeviation: committedStandardDeviation_Ah) {
            consecutiveRejections = 0
        } else {
            consecutiveRejections += 1
            guard consecutiveRejections >= settings.rejectionsBeforeAcceptance else {
                rejectedPairs += 1
                return
            }
            consecutiveRejections = 0
        }
        ensureScale(pair)
        sums.forget(settings.forgettingFactor)
        sums.add(x: pair.x, y: pair.y, varX: pair.varX, varY: pair.varY, k: scaleK)
        committedPairs += 1
        let (q, sq) = solve(sums)
        committedCapacity_Ah = q
        committedStandardDeviation_Ah = sq
        capacity_Ah = q
        capacityStandardDeviation_Ah = sq
    }

    mutating func restoreCommitted() {
        capacity_Ah = committedCapacity_Ah
        capacityStandardDeviation_Ah = committedStandardDeviation_Ah
        provisionalSpan = 0
    }

    /// Reported estimate = committed pairs + the open pair when it is well separated and
    /// plausible. Recomputed when the open pair has grown by 0.01 in SOC.
    mutating func updateProvisional() {
        let pair = furthestPair()
        let span = abs(pair.x)
        guard span >= settings.minimumSOCChange,
              passesGate(pair, capacity: committedCapacity_Ah, standardDeviation: committedStandardDeviation_Ah) else {
            if provisionalSpan != 0 { restoreCommitted() }
            return
        }
        guard abs(span - provisionalSpan) >= Scalar(0.01) || provisionalSpan == 0 else { return }
        ensureScale(pair)
        var trial = sums
        trial.forget(settings.forgettingFactor)
        trial.add(x: pair.x, y: pair.y, varX: pair.varX, varY: pair.varY, k: scaleK)
        let (q, sq) = solve(trial)
        capacity_Ah = q
        capacityStandardDeviation_Ah = sq
        provisionalSpan = span
    }

    /// Fixes K from the first pair and enters the prior (x = 1, y = Q_nom) with its weight.
    mutating func ensureScale(_ pair: (x: Scalar, y: Scalar, varX: Scalar, varY: Scalar)) {
        guard scaleK == 0 else { return }
        scaleK = Scalar.sqrt(pair.varX / pair.varY)
        let s = settings
        let q0 = s.nominalCapacity_Ah
        // Prior pair with σ²ₓ = K²σ²ᵧ and total residual variance σ²ᵧ + Q²σ²ₓ = σ²_Q0.
        let priorVarY = s.initialStandardDeviation_Ah * s.initialStandardDeviation_Ah / (1 + scaleK * scaleK * q0 * q0)
        sums.add(x: 1, y: q0, varX: scaleK * scaleK * priorVarY, varY: priorVarY, k: scaleK)
    }

    /// Minimises the AWTLS cost over the bounds: scan, then bisection of J' around the best
    /// scan point. Returns (Q̂ [A·h], σ_Q [A·h]).
    func solve(_ c: AWTLSSums<Scalar>) -> (Scalar, Scalar) {
        let s = settings
        let k = scaleK
        let lower = k * s.minimumFraction * s.nominalCapacity_Ah
        let upper = k * s.maximumFraction * s.nominalCapacity_Ah
        let n = Self.scanPoints
        var best = lower, bestCost = c.cost(lower), bestIndex = 0
        for j in 1..<n {
            let q = lower + (upper - lower) * Scalar(j) / Scalar(n - 1)
            let cost = c.cost(q)
            if cost < bestCost { best = q; bestCost = cost; bestIndex = j }
        }
        let step = (upper - lower) / Scalar(n - 1)
        var lo = max(lower, best - step), hi = min(upper, best + step)
        if c.slopeSign(lo) < 0 && c.slopeSign(hi) > 0 {
            for _ in 0..<Self.bisectionSteps {
                let mid = lo + (hi - lo) / 2
                if c.slopeSign(mid) < 0 { lo = mid } else { hi = mid }
            }
            best = lo + (hi - lo) / 2
        } else if bestIndex == 0 {
            best = lower
        } else if bestIndex == n - 1 {
            best = upper
        }
        let h = c.curvature(best)
        let variance = h > 0 ? 2 / h / (k * k) : s.initialStandardDeviation_Ah * s.initialStandardDeviation_Ah
        let sd = min(Scalar.sqrt(variance), s.initialStandardDeviation_Ah)
        return (best / k, sd)
    }
}

/// One candidate pair end.
struct PairEnd<Scalar: LithosReal>: Sendable, Equatable {
    var soc: Scalar = 0
    var variance: Scalar = 0
    var charge_Ah: Scalar = 0
    var chargeNoise_As2: Scalar = 0
    var duration_s: Scalar = 0
}

/// Plett's six AWTLS sums (pre-scaled by K) and the cost, its slope and curvature in q = K·Q.
struct AWTLSSums<Scalar: LithosReal>: Sendable, Equatable {
    var c1: Scalar = 0, c2: Scalar = 0, c3: Scalar = 0, c4: Scalar = 0, c5: Scalar = 0, c6: Scalar = 0

    mutating func forget(_ gamma: Scalar) {
        c1 *= gamma; c2 *= gamma; c3 *= gamma; c4 *= gamma; c5 *= gamma; c6 *= gamma
    }

    mutating func add(x: Scalar, y: Scalar, varX: Scalar, varY: Scalar, k: Scalar) {
        let k2vy = k * k * varY
        c1 += x * x / k2vy
        c2 += k * x * y / k2vy
        c3 += k * k * y * y / k2vy
        c4 += x * x / varX
        c5 += k * x * y / varX
        c6 += k * k * y * y / varX
    }

    func cost(_ q: Scalar) -> Scalar {
        let q2 = q * q
        var numerator: Scalar = c4 * q - 2 * c5
        numerator = numerator * q + (c1 + c6)
        numerator = numerator * q - 2 * c2
        numerator = numerator * q + c3
        return numerator / ((q2 + 1) * (q2 + 1))
    }

    /// Sign of dJ/dq (the quartic whose roots are the stationary points).
    func slopeSign(_ q: Scalar) -> Scalar {
        var p: Scalar = c5 * q + (2 * c4 - c1 - c6)
        p = p * q + 3 * (c2 - c5)
        p = p * q + (c1 - 2 * c3 + c6)
        p = p * q - c2
        return p < 0 ? -1 : (p > 0 ? 1 : 0)
    }

    /// d²J/dq² (Plett's Hessian).
    func curvature(_ q: Scalar) -> Scalar {
        let q2 = q * q
        let a5: Scalar = -2 * c5
        let a4: Scalar = 3 * c1 - 6 * c4 + 3 * c6
        let a3: Scalar = -12 * c2 + 16 * c5
        let a2: Scalar = -8 * c1 + 10 * c3 + 6 * c4 - 8 * c6
        let a1: Scalar = 12 * c2 - 6 * c5
        let a0: Scalar = c1 - 2 * c3 + c6
        var poly: Scalar = a5 * q + a4
        poly = poly * q + a3
        poly = poly * q + a2
        poly = poly * q + a1
        poly = poly * q + a0
        let d = q2 + 1
        return 2 * poly / (d * d * d * d)
    }
}
