/// The operating window of a cell model: crossing one of these sets a `LimitFlags` bit.
public struct ModelLimits: Sendable, Equatable {
    /// Minimum and maximum terminal voltage [V].
    public var minimumVoltage_V: Double
    public var maximumVoltage_V: Double
    /// Minimum and maximum cell temperature [K].
    public var minimumTemperature_K: Double
    public var maximumTemperature_K: Double

    public init(minimumVoltage_V: Double, maximumVoltage_V: Double,
                minimumTemperature_K: Double = 243.15, maximumTemperature_K: Double = 333.15) {
        self.minimumVoltage_V = minimumVoltage_V
        self.maximumVoltage_V = maximumVoltage_V
        self.minimumTemperature_K = minimumTemperature_K
        self.maximumTemperature_K = maximumTemperature_K
    }

    func flags(voltage_V: Double, soc: Double, temperature_K: Double) -> LimitFlags {
        var f: LimitFlags = []
        if voltage_V < minimumVoltage_V { f.insert(.voltageBelowMinimum) }
        if voltage_V > maximumVoltage_V { f.insert(.voltageAboveMaximum) }
        if soc < 0 { f.insert(.socBelowZero) }
        if soc > 1 { f.insert(.socAboveOne) }
        if temperature_K > maximumTemperature_K { f.insert(.temperatureAboveMaximum) }
        if temperature_K < minimumTemperature_K { f.insert(.temperatureBelowMinimum) }
        return f
    }
}
