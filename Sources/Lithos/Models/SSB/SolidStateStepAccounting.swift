/// The bookkeeping every SSB model does at the end of a step, after the electrochemistry:
/// heat, the lumped thermal model, throughput counters and limit flags.
enum SolidStateStepAccounting {
    /// Updates `output` for a committed step and returns the new cell temperature [K].
    /// `openCircuitVoltage_V` and `entropic_V_per_K` are at the end-of-step mean stoichiometries
    /// (the rest voltage the cell would relax to), evaluated at the start-of-step temperature.
    static func finish(_ output: inout ModelOutput, input: StepInput, current_A: Double, voltage_V: Double,
                       openCircuitVoltage_V: Double, entropic_V_per_K: Double, soc: Double,
                       temperature_K t0: Double, thermal: LumpedThermalModel<Double>, limits: ModelLimits) -> Double {
        let heat = LumpedThermalModel.heat(current_A: current_A, openCircuitVoltage_V: openCircuitVoltage_V, voltage_V: voltage_V,
                                           temperature_K: t0, entropicCoefficient_V_per_K: entropic_V_per_K)
        let t1 = thermal.advance(temperature_K: t0, heat_W: heat + input.heatSource_W, ambient_K: input.ambient_K, dt_s: input.dt_s)
        output.time_s += input.dt_s
        output.current_A = current_A
        output.voltage_V = voltage_V
        output.openCircuitVoltage_V = openCircuitVoltage_V + (t1 - t0) * entropic_V_per_K
        output.soc = soc
        output.temperature_K = t1
        output.heatGeneration_W = heat
        output.dischargedCharge_Ah += current_A * input.dt_s / 3600
        output.dischargedEnergy_Wh += current_A * voltage_V * input.dt_s / 3600
        output.limits = limits.flags(voltage_V: voltage_V, soc: soc, temperature_K: t1)
        return t1
    }

    /// Output fields as state values (10 Doubles), for snapshots.
    static let outputStateCount = 10

    static func write(_ o: ModelOutput, to b: UnsafeMutableBufferPointer<Double>, at k: Int) {
        b[k] = o.time_s; b[k + 1] = o.current_A; b[k + 2] = o.voltage_V; b[k + 3] = o.openCircuitVoltage_V
        b[k + 4] = o.soc; b[k + 5] = o.temperature_K; b[k + 6] = o.heatGeneration_W
        b[k + 7] = o.dischargedCharge_Ah; b[k + 8] = o.dischargedEnergy_Wh; b[k + 9] = Double(o.limits.rawValue)
    }

    /// Reads output fields written by `write`; nil when they are out of range.
    static func read(_ b: UnsafeBufferPointer<Double>, at k: Int) -> ModelOutput? {
        for i in k..<(k + outputStateCount) where !b[i].isFinite { return nil }
        let flags = b[k + 9]
        guard b[k + 5] > 0, flags >= 0, flags < 65536, flags == flags.rounded() else { return nil }
        var o = ModelOutput()
        o.time_s = b[k]; o.current_A = b[k + 1]; o.voltage_V = b[k + 2]; o.openCircuitVoltage_V = b[k + 3]
        o.soc = b[k + 4]; o.temperature_K = b[k + 5]; o.heatGeneration_W = b[k + 6]
        o.dischargedCharge_Ah = b[k + 7]; o.dischargedEnergy_Wh = b[k + 8]; o.limits = LimitFlags(rawValue: UInt32(flags))
        return o
    }
}
