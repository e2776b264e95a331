/// What a pack reports after a step (C `lithos_pack_output`). Per-cell and per-channel arrays
/// are read with `PackQuantity`.
public struct PackOutput: Sendable, Equatable {
    /// Time since creation or reset [s].
    public var time_s = 0.0
    /// Pack current during the step [A], discharge positive (0 with the contactor open).
    public var current_A = 0.0
    /// What the pack current sensor reads [A] (with its offset fault).
    public var measuredCurrent_A = 0.0
    /// Pack terminal voltage at the end of the step [V]: Σ group voltages − I·Ns·R_interconnect.
    public var voltage_V = 0.0
    public var power_W = 0.0
    /// Capacity-weighted mean SOC of the cells [1], and the extremes.
    public var soc = 0.0
    public var minimumSOC = 0.0
    public var maximumSOC = 0.0
    /// Extremes of the cells' terminal voltages [V] and temperatures [K].
    public var minimumCellVoltage_V = 0.0
    public var maximumCellVoltage_V = 0.0
    public var minimumTemperature_K = 0.0
    public var maximumTemperature_K = 0.0
    /// Sum of the channels' bleed currents [A] and their power [W].
    public var balancingCurrent_A = 0.0
    public var balancingPower_W = 0.0
    /// Heat generated in the step [W]: the cells' electrochemical heat plus Joule heat in tabs,
    /// interconnects, bleed resistors and internal shorts.
    public var heatGeneration_W = 0.0
    /// Net charge and energy delivered at the pack terminals since creation/reset [A·h], [W·h].
    public var dischargedCharge_Ah = 0.0
    public var dischargedEnergy_Wh = 0.0
    /// Parallel-group solve: largest |Σ cell currents − group current| [A], largest spread of
    /// the cells' node voltages in a group [V], most Newton iterations of a group.
    public var splitCurrentResidual_A = 0.0
    public var splitVoltageSpread_V = 0.0
    public var splitIterations = 0
    /// LITHOS_LIMIT_* bits crossed by any cell, plus `packVoltageLow`/`High`.
    public var limits: UInt32 = 0
    /// `PackFaultKind.bit` of every fault in force.
    public var activeFaults: UInt32 = 0

    /// Pack-level limit bits (in `limits`, above the cells' LITHOS_LIMIT_* bits).
    public static let packVoltageLow: UInt32 = 1 << 8
    public static let packVoltageHigh: UInt32 = 1 << 9

    public init() {}

    static let stateCount = 24

    func write(to b: UnsafeMutableBufferPointer<Double>, at start: Int) {
        var k = start
        func put(_ x: Double) { b[k] = x; k += 1 }
        put(time_s); put(current_A); put(measuredCurrent_A); put(voltage_V); put(power_W); put(soc); put(minimumSOC); put(maximumSOC)
        put(minimumCellVoltage_V); put(maximumCellVoltage_V); put(minimumTemperature_K); put(maximumTemperature_K)
        put(balancingCurrent_A); put(balancingPower_W); put(heatGeneration_W); put(dischargedCharge_Ah); put(dischargedEnergy_Wh)
        put(splitCurrentResidual_A); put(splitVoltageSpread_V); put(Double(splitIterations)); put(Double(limits))
        put(Double(activeFaults)); put(0); put(0)
    }

    static func read(_ b: UnsafeBufferPointer<Double>, at k: Int) -> PackOutput? {
        for i in k..<(k + stateCount) where !b[i].isFinite { return nil }
        func flag(_ x: Double) -> UInt32? { x >= 0 && x < 4_294_967_296 && x == x.rounded() ? UInt32(x) : nil }
        guard let it = flag(b[k + 19]), let lim = flag(b[k + 20]), let f = flag(b[k + 21]) else { return nil }
        var o = PackOutput()
        o.time_s = b[k]; o.current_A = b[k + 1]; o.measuredCurrent_A = b[k + 2]; o.voltage_V = b[k + 3]; o.power_W = b[k + 4]
        o.soc = b[k + 5]; o.minimumSOC = b[k + 6]; o.maximumSOC = b[k + 7]
        o.minimumCellVoltage_V = b[k + 8]; o.maximumCellVoltage_V = b[k + 9]
        o.minimumTemperature_K = b[k + 10]; o.maximumTemperature_K = b[k + 11]
        o.balancingCurrent_A = b[k + 12]; o.balancingPower_W = b[k + 13]; o.heatGeneration_W = b[k + 14]
        o.dischargedCharge_Ah = b[k + 15]; o.dischargedEnergy_Wh = b[k + 16]
        o.splitCurrentResidual_A = b[k + 17]; o.splitVoltageSpread_V = b[k + 18]; o.splitIterations = Int(it)
        o.limits = lim; o.activeFaults = f
        return o
    }
}

/// Per-cell and per-channel arrays of a pack (C `lithos_pack_quantity`). Cell arrays have
/// Ns·Np values in cell order k = s·Np + p; channel arrays have Ns values.
public enum PackQuantity: Int32, Sendable, CaseIterable {
    /// True terminal voltage of each cell [V] (before its tab resistance).
    case cellVoltage = 0
    /// Current through each cell's electrochemistry [A] (its share of the pack current plus its
    /// short current and its share of the bleed current).
    case cellCurrent = 1
    case cellSOC = 2
    case cellTemperature = 3
    /// Electrochemical heat of each cell in the last step [W].
    case cellHeat = 4
    /// Current through each cell's internal short [A] (0 without one).
    case cellShortCurrent = 5
    /// True voltage of each channel (series group node to node) [V].
    case groupVoltage = 6
    /// What each voltage channel reads [V] (open wires, offsets, stuck values applied).
    case measuredVoltage = 7
    /// Bleed current of each channel [A].
    case balancingCurrent = 8
    /// What each cell's temperature sensor reads [K].
    case measuredTemperature = 9
    /// OCV of each cell [V].
    case cellOpenCircuitVoltage = 10
    /// Current each cell delivers to its group node through its tab [A].
    case cellTerminalCurrent = 11
    /// Capacity of each cell after variation [A·h].
    case cellCapacity = 12
    /// Resistance factor of each cell from the variation [1].
    case cellResistanceFactor = 13

    public var isPerChannel: Bool { self == .groupVoltage || self == .measuredVoltage || self == .balancingCurrent }

    public var name: StaticString {
        switch self {
        case .cellVoltage: return "cell_voltage_V"
        case .cellCurrent: return "cell_current_A"
        case .cellSOC: return "cell_soc"
        case .cellTemperature: return "cell_temperature_K"
        case .cellHeat: return "cell_heat_W"
        case .cellShortCurrent: return "cell_short_current_A"
        case .groupVoltage: return "group_voltage_V"
        case .measuredVoltage: return "measured_voltage_V"
        case .balancingCurrent: return "balancing_current_A"
        case .measuredTemperature: return "measured_temperature_K"
        case .cellOpenCircuitVoltage: return "cell_open_circuit_voltage_V"
        case .cellTerminalCurrent: return "cell_terminal_current_A"
        case .cellCapacity: return "cell_capacity_Ah"
        case .cellResistanceFactor: return "cell_resistance_factor"
        }
    }
}
