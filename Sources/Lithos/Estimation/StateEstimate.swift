/// Everything the estimator reports after an update. Mirrors the C `lithos_estimate` struct.
public struct StateEstimate<Scalar: LithosReal>: Sendable, Equatable {
    /// Estimated state of charge [1] and its standard deviation [1].
    public var soc: Scalar = 0
    public var socStandardDeviation: Scalar = 0
    /// Estimated capacity [A·h], its standard deviation [A·h], and SOH = capacity / nominal [%].
    public var capacity_Ah: Scalar = 0
    public var capacityStandardDeviation_Ah: Scalar = 0
    public var capacitySOH_percent: Scalar = 100
    /// Estimated series resistance R0 [Ω] at the present temperature, and resistance SOH =
    /// R0 of the model / R0 estimated [%] (100 % new, falling as resistance grows).
    public var seriesResistance_ohm: Scalar = 0
    public var resistanceSOH_percent: Scalar = 100
    /// State of energy: energy left to the minimum voltage at the present temperature [W·h].
    public var energyRemaining_Wh: Scalar = 0
    /// Time to empty (discharging) or to full (charging) at the present current [s]; +∞ at rest.
    public var timeToEmpty_s: Scalar = .infinity
    public var timeToFull_s: Scalar = .infinity
    /// Available constant current [A] (magnitudes, ≥ 0) and power [W] over horizons of 2, 10
    /// and 30 s that keep voltage, SOC, current and temperature within limits (and, for a Li-metal
    /// anode, the plating current density below the CCD margin on charge).
    public var dischargeCurrentLimit_A: (Scalar, Scalar, Scalar) = (0, 0, 0)
    public var chargeCurrentLimit_A: (Scalar, Scalar, Scalar) = (0, 0, 0)
    public var dischargePowerLimit_W: (Scalar, Scalar, Scalar) = (0, 0, 0)
    public var chargePowerLimit_W: (Scalar, Scalar, Scalar) = (0, 0, 0)
    /// Terminal voltage the filter predicted for this update [V] and the innovation
    /// (measured − predicted) [V].
    public var predictedVoltage_V: Scalar = 0
    public var innovation_V: Scalar = 0
    /// Faults active now and latched since creation.
    public var activeFaults: FaultFlags = []
    public var latchedFaults: FaultFlags = []
    /// Total time the estimator has run [s].
    public var time_s: Scalar = 0
    /// Standard deviation the filter expected of the innovation, √S [V] (0 when no
    /// correction ran: Coulomb counting, or the voltage was skipped).
    public var innovationStandardDeviation_V: Scalar = 0
    /// How many times the filter's covariance had to be repaired (jitter added or reset because
    /// it was not symmetric positive definite) since creation; 0 in a healthy run.
    public var covarianceRepairs: UInt32 = 0
    /// Estimated current-sensor offset b [A] (measured − true current) and its standard
    /// deviation [A]; 0 and 0 unless `tuning.current_offset_estimation` is on.
    public var currentOffset_A: Scalar = 0
    public var currentOffsetStandardDeviation_A: Scalar = 0

    public init() {}

    public static func == (a: StateEstimate, b: StateEstimate) -> Bool {
        a.soc == b.soc && a.socStandardDeviation == b.socStandardDeviation && a.capacity_Ah == b.capacity_Ah
            && a.capacityStandardDeviation_Ah == b.capacityStandardDeviation_Ah && a.capacitySOH_percent == b.capacitySOH_percent
            && a.seriesResistance_ohm == b.seriesResistance_ohm && a.resistanceSOH_percent == b.resistanceSOH_percent
            && a.energyRemaining_Wh == b.energyRemaining_Wh && a.timeToEmpty_s == b.timeToEmpty_s && a.timeToFull_s == b.timeToFull_s
            && a.dischargeCurrentLimit_A == b.dischargeCurrentLimit_A && a.chargeCurrentLimit_A == b.chargeCurrentLimit_A
            && a.dischargePowerLimit_W == b.dischargePowerLimit_W && a.chargePowerLimit_W == b.chargePowerLimit_W
            && a.predictedVoltage_V == b.predictedVoltage_V && a.innovation_V == b.innovation_V
            && a.activeFaults == b.activeFaults && a.latchedFaults == b.latchedFaults && a.time_s == b.time_s
            && a.innovationStandardDeviation_V == b.innovationStandardDeviation_V && a.covarianceRepairs == b.covarianceRepairs
    }
}
