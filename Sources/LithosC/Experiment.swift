import CLithos
import Lithos

// C entry points of section 5 of lithos.h: experiments (protocol text + drive cycles), running
// them on a model, and the resulting traces.

/// The object behind a `lithos_experiment *`.
final class ExperimentBox {
    var experiment: Experiment
    init(_ experiment: Experiment) { self.experiment = experiment }
}

/// The object behind a `lithos_trace *`.
final class TraceBox {
    let trace: SimulationTrace
    init(_ trace: SimulationTrace) { self.trace = trace }
}

func experimentBox(_ pointer: OpaquePointer?, in function: StaticString) throws(LithosError) -> ExperimentBox {
    let p = try require(pointer, "experiment", in: function)
    return Unmanaged<ExperimentBox>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}

func traceBox(_ pointer: OpaquePointer?, in function: StaticString) throws(LithosError) -> TraceBox {
    let p = try require(pointer, "trace", in: function)
    return Unmanaged<TraceBox>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}

/// Size of the first published (v0.1) layout of `lithos_trace_summary`: the end of `stop_reason`.
let traceSummaryFirstLayoutSize = MemoryLayout<lithos_trace_summary>.offset(of: \lithos_trace_summary.stop_reason)! + 4

@_cdecl("lithos_experiment_create")
public func lithos_experiment_create(_ protocolText: UnsafePointer<CChar>?,
                                     _ outExperiment: UnsafeMutablePointer<OpaquePointer?>?) -> lithos_status {
    run("lithos_experiment_create") { () throws(LithosError) in
        let text = try require(protocolText, "protocol_text", in: "lithos_experiment_create")
        let out = try require(outExperiment, "out_experiment", in: "lithos_experiment_create")
        let experiment = try Experiment(protocolText: string(from: text))
        out.pointee = OpaquePointer(Unmanaged.passRetained(ExperimentBox(experiment)).toOpaque())
    }
}

@_cdecl("lithos_experiment_destroy")
public func lithos_experiment_destroy(_ experiment: OpaquePointer?) -> lithos_status {
    if let experiment { Unmanaged<ExperimentBox>.fromOpaque(UnsafeRawPointer(experiment)).release() }
    return LITHOS_OK
}

@_cdecl("lithos_experiment_add_drive_cycle")
public func lithos_experiment_add_drive_cycle(_ experiment: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                                              _ csvText: UnsafePointer<CChar>?, _ scale: Double) -> lithos_status {
    run("lithos_experiment_add_drive_cycle") { () throws(LithosError) in
        let function: StaticString = "lithos_experiment_add_drive_cycle"
        let box = try experimentBox(experiment, in: function)
        let cycleName = string(from: try require(name, "name", in: function))
        let csv = try require(csvText, "csv_text", in: function)
        guard Experiment.isValidName(cycleName) else {
            throw LithosError(.invalidArgument, "\(function): name '\(cycleName)' must start with a letter and contain only letters, digits, '_', '-' or '.' (and not be 'for' or 'until')")
        }
        let cycle = try DriveCycle.fromCSV(string(from: csv), name: cycleName, scale: scale)
        var updated = box.experiment
        try updated.addDriveCycle(cycle)
        box.experiment = updated
    }
}

@_cdecl("lithos_experiment_step_count")
public func lithos_experiment_step_count(_ experiment: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_experiment_step_count") { () throws(LithosError) in
        let box = try experimentBox(experiment, in: "lithos_experiment_step_count")
        let out = try require(outCount, "out_count", in: "lithos_experiment_step_count")
        out.pointee = box.experiment.steps.count
    }
}

@_cdecl("lithos_experiment_cycle_count")
public func lithos_experiment_cycle_count(_ experiment: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_experiment_cycle_count") { () throws(LithosError) in
        let box = try experimentBox(experiment, in: "lithos_experiment_cycle_count")
        let out = try require(outCount, "out_count", in: "lithos_experiment_cycle_count")
        out.pointee = box.experiment.cycleCount
    }
}

@_cdecl("lithos_experiment_json")
public func lithos_experiment_json(_ experiment: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                   _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_experiment_json") { () throws(LithosError) in
        let box = try experimentBox(experiment, in: "lithos_experiment_json")
        try copyOut(JSONWriter.write(box.experiment.toJSON(), pretty: true), buffer, capacity, outLength,
                    in: "lithos_experiment_json")
    }
}

@_cdecl("lithos_simulation_run")
public func lithos_simulation_run(_ model: OpaquePointer?, _ experiment: OpaquePointer?, _ dt: Double, _ ambient: Double,
                                  _ outTrace: UnsafeMutablePointer<OpaquePointer?>?) -> lithos_status {
    run("lithos_simulation_run") { () throws(LithosError) in
        let function: StaticString = "lithos_simulation_run"
        let mbox = try modelBox(model, in: function)
        let ebox = try experimentBox(experiment, in: function)
        let out = try require(outTrace, "out_trace", in: function)
        let runner = ExperimentRunner(dt_s: dt, ambient_K: ambient)
        // The runner restores the model itself when it fails.
        let trace = try runner.run(ebox.experiment, on: &mbox.model)
        out.pointee = OpaquePointer(Unmanaged.passRetained(TraceBox(trace)).toOpaque())
    }
}

@_cdecl("lithos_trace_destroy")
public func lithos_trace_destroy(_ trace: OpaquePointer?) -> lithos_status {
    if let trace { Unmanaged<TraceBox>.fromOpaque(UnsafeRawPointer(trace)).release() }
    return LITHOS_OK
}

@_cdecl("lithos_trace_length")
public func lithos_trace_length(_ trace: OpaquePointer?, _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_trace_length") { () throws(LithosError) in
        let box = try traceBox(trace, in: "lithos_trace_length")
        let out = try require(outLength, "out_length", in: "lithos_trace_length")
        out.pointee = box.trace.count
    }
}

@_cdecl("lithos_trace_column_count")
public func lithos_trace_column_count(_ trace: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_trace_column_count") { () throws(LithosError) in
        _ = try traceBox(trace, in: "lithos_trace_column_count")
        let out = try require(outCount, "out_count", in: "lithos_trace_column_count")
        out.pointee = TraceColumn.allCases.count
    }
}

@_cdecl("lithos_trace_column_name")
public func lithos_trace_column_name(_ trace: OpaquePointer?, _ index: UInt,
                                     _ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> lithos_status {
    run("lithos_trace_column_name") { () throws(LithosError) in
        _ = try traceBox(trace, in: "lithos_trace_column_name")
        let out = try require(outName, "out_name", in: "lithos_trace_column_name")
        let columns = TraceColumn.allCases
        guard let i = intIndex(index), i < columns.count else {
            throw LithosError(.notFound, "lithos_trace_column_name: index \(index) is out of range (a trace has \(columns.count) columns)")
        }
        out.pointee = cString(columns[i].staticName)
    }
}

@_cdecl("lithos_trace_column")
public func lithos_trace_column(_ trace: OpaquePointer?, _ columnName: UnsafePointer<CChar>?, _ outValues: UnsafeMutablePointer<Double>?,
                                _ capacity: UInt, _ outCount: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_trace_column") { () throws(LithosError) in
        let function: StaticString = "lithos_trace_column"
        let box = try traceBox(trace, in: function)
        let name = string(from: try require(columnName, "column_name", in: function))
        guard let column = TraceColumn(name: name) else {
            throw LithosError(.notFound, "\(function): no column '\(name)'; columns are \(TraceColumn.allCases.map(\.name).joined(separator: ", "))")
        }
        if capacity > 0 && outValues == nil {
            throw LithosError(.nullArgument, "\(function): argument 'out_values' is NULL but capacity is \(capacity)")
        }
        let count = box.trace.count
        outCount?.pointee = count
        if outValues == nil && capacity == 0 && outCount != nil { return }   // size query
        guard let out = outValues, capacity >= UInt(count) else {
            throw LithosError(.bufferTooSmall, "\(function): out_values holds \(capacity) values but the trace has \(count) rows (the count is in *out_count)")
        }
        for (k, sample) in box.trace.samples.enumerated() { out[k] = column.value(sample) }
    }
}

@_cdecl("lithos_trace_csv")
public func lithos_trace_csv(_ trace: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                             _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_trace_csv") { () throws(LithosError) in
        let box = try traceBox(trace, in: "lithos_trace_csv")
        try copyOut(box.trace.csv(), buffer, capacity, outLength, in: "lithos_trace_csv")
    }
}

@_cdecl("lithos_trace_get_summary")
public func lithos_trace_get_summary(_ trace: OpaquePointer?, _ outSummary: UnsafeMutablePointer<lithos_trace_summary>?) -> lithos_status {
    run("lithos_trace_get_summary") { () throws(LithosError) in
        let function: StaticString = "lithos_trace_get_summary"
        let box = try traceBox(trace, in: function)
        let out = try require(outSummary, "out_summary", in: function)
        let s = box.trace.summary
        var c = lithos_trace_summary()
        c.struct_size = MemoryLayout<lithos_trace_summary>.size
        c.duration_s = s.duration_s
        c.sample_count = s.sampleCount
        c.step_count = s.stepCount
        c.cycle_count = s.cycleCount
        c.discharge_capacity_Ah = s.dischargeCapacity_Ah
        c.charge_capacity_Ah = s.chargeCapacity_Ah
        c.net_discharged_charge_Ah = s.netDischargedCharge_Ah
        c.discharge_energy_Wh = s.dischargeEnergy_Wh
        c.charge_energy_Wh = s.chargeEnergy_Wh
        c.net_discharged_energy_Wh = s.netDischargedEnergy_Wh
        c.minimum_voltage_V = s.minimumVoltage_V
        c.maximum_voltage_V = s.maximumVoltage_V
        c.minimum_temperature_K = s.minimumTemperature_K
        c.maximum_temperature_K = s.maximumTemperature_K
        c.initial_soc = s.initialSOC
        c.final_soc = s.finalSOC
        c.completed = s.stopReason == nil ? 1 : 0
        c.stop_reason = s.stopReason?.code ?? 0
        try copyOut(c, to: out, minimumSize: traceSummaryFirstLayoutSize, in: function)
    }
}

@_cdecl("lithos_trace_steps_json")
public func lithos_trace_steps_json(_ trace: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                    _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_trace_steps_json") { () throws(LithosError) in
        let box = try traceBox(trace, in: "lithos_trace_steps_json")
        try copyOut(JSONWriter.write(box.trace.stepsJSON(), pretty: true), buffer, capacity, outLength,
                    in: "lithos_trace_steps_json")
    }
}
