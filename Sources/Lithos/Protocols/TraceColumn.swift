/// The columns of a `SimulationTrace`, in CSV order; `name` is the CSV header (unit-suffixed)
/// and the name `lithos_trace_column` accepts.
public enum TraceColumn: Int, CaseIterable, Sendable {
    case time_s, current_A, voltage_V, soc, temperature_K, power_W, openCircuitVoltage_V, heatGeneration_W,
         dischargedCharge_Ah, dischargedEnergy_Wh, stepIndex, cycleIndex

    public var name: String { staticName.description }

    /// `name` as a static, NUL-terminated string (for the C API).
    public var staticName: StaticString {
        switch self {
        case .time_s: return "time_s"
        case .current_A: return "current_A"
        case .voltage_V: return "voltage_V"
        case .soc: return "soc"
        case .temperature_K: return "temperature_K"
        case .power_W: return "power_W"
        case .openCircuitVoltage_V: return "open_circuit_voltage_V"
        case .heatGeneration_W: return "heat_generation_W"
        case .dischargedCharge_Ah: return "discharged_charge_Ah"
        case .dischargedEnergy_Wh: return "discharged_energy_Wh"
        case .stepIndex: return "step_index"
        case .cycleIndex: return "cycle_index"
        }
    }

    /// The column with CSV name `name`, or nil.
    public init?(name: String) {
        guard let c = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = c
    }

    /// True for the integer-valued columns (written without a decimal point).
    public var isInteger: Bool { self == .stepIndex || self == .cycleIndex }

    public func value(_ s: TraceSample) -> Double {
        switch self {
        case .time_s: return s.time_s
        case .current_A: return s.current_A
        case .voltage_V: return s.voltage_V
        case .soc: return s.soc
        case .temperature_K: return s.temperature_K
        case .power_W: return s.power_W
        case .openCircuitVoltage_V: return s.openCircuitVoltage_V
        case .heatGeneration_W: return s.heatGeneration_W
        case .dischargedCharge_Ah: return s.dischargedCharge_Ah
        case .dischargedEnergy_Wh: return s.dischargedEnergy_Wh
        case .stepIndex: return Double(s.stepIndex)
        case .cycleIndex: return Double(s.cycleIndex)
        }
    }
}
