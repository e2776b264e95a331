/// The numbers a cycler prints at the end of a test, computed from a `SimulationTrace`.
/// Throughputs integrate the piecewise-constant current of each row over its step:
/// charge Σ I·Δt, energy Σ I·V·Δt (V at the end of the step, as the model counts it).
public struct TraceSummary: Sendable, Equatable {
    /// Length of the run [s].
    public var duration_s: Double = 0
    /// Rows in the trace (including the initial state).
    public var sampleCount = 0
    /// Steps executed (repeats counted; a step that ended at its start counts).
    public var stepCount = 0
    /// Cycles reached.
    public var cycleCount = 0
    /// Charge delivered while discharging (I > 0) [A·h]: the "capacity delivered".
    public var dischargeCapacity_Ah: Double = 0
    /// Charge taken in while charging (I < 0), as a positive number [A·h].
    public var chargeCapacity_Ah: Double = 0
    /// Net charge delivered: discharge − charge [A·h].
    public var netDischargedCharge_Ah: Double = 0
    /// Energy delivered while discharging [W·h].
    public var dischargeEnergy_Wh: Double = 0
    /// Energy taken in while charging, as a positive number [W·h].
    public var chargeEnergy_Wh: Double = 0
    /// Net energy delivered [W·h].
    public var netDischargedEnergy_Wh: Double = 0
    /// Voltage extremes over all rows [V].
    public var minimumVoltage_V: Double = .nan
    public var maximumVoltage_V: Double = .nan
    /// Temperature extremes over all rows [K].
    public var minimumTemperature_K: Double = .nan
    public var maximumTemperature_K: Double = .nan
    /// SOC at the start and at the end [0…1].
    public var initialSOC: Double = .nan
    public var finalSOC: Double = .nan
    /// Set when a cell limit stopped the run early.
    public var stopReason: StepEndReason?

    public init() {}

    public init(_ trace: SimulationTrace) {
        let s = trace.samples
        sampleCount = s.count
        stepCount = trace.steps.count
        cycleCount = Set(trace.steps.map(\.cycleIndex)).count
        stopReason = trace.stopReason
        guard let first = s.first, let last = s.last else { return }
        duration_s = last.time_s - first.time_s
        initialSOC = first.soc
        finalSOC = last.soc
        minimumVoltage_V = first.voltage_V; maximumVoltage_V = first.voltage_V
        minimumTemperature_K = first.temperature_K; maximumTemperature_K = first.temperature_K
        for k in s.indices {
            let r = s[k]
            minimumVoltage_V = min(minimumVoltage_V, r.voltage_V)
            maximumVoltage_V = max(maximumVoltage_V, r.voltage_V)
            minimumTemperature_K = min(minimumTemperature_K, r.temperature_K)
            maximumTemperature_K = max(maximumTemperature_K, r.temperature_K)
            guard k > 0 else { continue }
            let dt = r.time_s - s[k - 1].time_s
            let q = r.current_A * dt / 3600
            let e = r.current_A * r.voltage_V * dt / 3600
            if r.current_A > 0 { dischargeCapacity_Ah += q; dischargeEnergy_Wh += e }
            if r.current_A < 0 { chargeCapacity_Ah -= q; chargeEnergy_Wh -= e }
        }
        netDischargedCharge_Ah = last.dischargedCharge_Ah
        netDischargedEnergy_Wh = last.dischargedEnergy_Wh
    }

    public func toJSON() -> JSONValue {
        .object([
            ("duration_s", .number(duration_s)),
            ("sample_count", .number(Double(sampleCount))),
            ("step_count", .number(Double(stepCount))),
            ("cycle_count", .number(Double(cycleCount))),
            ("discharge_capacity_Ah", .number(dischargeCapacity_Ah)),
            ("charge_capacity_Ah", .number(chargeCapacity_Ah)),
            ("net_discharged_charge_Ah", .number(netDischargedCharge_Ah)),
            ("discharge_energy_Wh", .number(dischargeEnergy_Wh)),
            ("charge_energy_Wh", .number(chargeEnergy_Wh)),
            ("net_discharged_energy_Wh", .number(netDischargedEnergy_Wh)),
            ("minimum_voltage_V", .number(minimumVoltage_V)),
            ("maximum_voltage_V", .number(maximumVoltage_V)),
            ("minimum_temperature_K", .number(minimumTemperature_K)),
            ("maximum_temperature_K", .number(maximumTemperature_K)),
            ("initial_soc", .number(initialSOC)),
            ("final_soc", .number(finalSOC)),
            ("stop_reason", stopReason.map { .string($0.rawValue) } ?? .null),
        ])
    }
}
