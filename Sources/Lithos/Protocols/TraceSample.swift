/// One row of a `SimulationTrace`: the cell at the end of a model step. Every value is at that
/// instant except `current_A`, `power_W` and `heatGeneration_W`, which hold over the step that
/// ended there (piecewise constant, as the cycler applied them).
public struct TraceSample: Sendable, Equatable {
    /// Time since the start of the experiment [s].
    public var time_s: Double
    /// Current [A], positive = discharge.
    public var current_A: Double
    /// Terminal voltage [V].
    public var voltage_V: Double
    /// State of charge [0…1].
    public var soc: Double
    /// Cell temperature [K].
    public var temperature_K: Double
    /// V·I [W], positive = discharge.
    public var power_W: Double
    /// Open-circuit voltage [V].
    public var openCircuitVoltage_V: Double
    /// Heat generated in the cell [W].
    public var heatGeneration_W: Double
    /// Net charge delivered since the start of the experiment [A·h] (charging counts negative).
    public var dischargedCharge_Ah: Double
    /// Net energy delivered since the start of the experiment [W·h] (charging counts negative).
    public var dischargedEnergy_Wh: Double
    /// 0-based index of the experiment step (into `Experiment.steps`).
    public var stepIndex: Int
    /// 0-based cycle.
    public var cycleIndex: Int

    public init(time_s: Double, current_A: Double, voltage_V: Double, soc: Double, temperature_K: Double,
                power_W: Double, openCircuitVoltage_V: Double, heatGeneration_W: Double,
                dischargedCharge_Ah: Double, dischargedEnergy_Wh: Double, stepIndex: Int, cycleIndex: Int) {
        self.time_s = time_s
        self.current_A = current_A
        self.voltage_V = voltage_V
        self.soc = soc
        self.temperature_K = temperature_K
        self.power_W = power_W
        self.openCircuitVoltage_V = openCircuitVoltage_V
        self.heatGeneration_W = heatGeneration_W
        self.dischargedCharge_Ah = dischargedCharge_Ah
        self.dischargedEnergy_Wh = dischargedEnergy_Wh
        self.stepIndex = stepIndex
        self.cycleIndex = cycleIndex
    }

    /// A sample from a model output, with time and throughput counted from `origin`.
    init(_ o: ModelOutput, origin: ModelOutput, stepIndex: Int, cycleIndex: Int) {
        self.init(time_s: o.time_s - origin.time_s, current_A: o.current_A, voltage_V: o.voltage_V, soc: o.soc,
                  temperature_K: o.temperature_K, power_W: o.voltage_V * o.current_A,
                  openCircuitVoltage_V: o.openCircuitVoltage_V, heatGeneration_W: o.heatGeneration_W,
                  dischargedCharge_Ah: o.dischargedCharge_Ah - origin.dischargedCharge_Ah,
                  dischargedEnergy_Wh: o.dischargedEnergy_Wh - origin.dischargedEnergy_Wh,
                  stepIndex: stepIndex, cycleIndex: cycleIndex)
    }
}
