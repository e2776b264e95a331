import CLithos
import Lithos

// C entry points of section 4 of lithos.h: cell models behind an opaque handle.

/// The object behind a `lithos_model *`: the model, a rollback snapshot for all-or-nothing
/// batch runs, and snapshot scratch space — all allocated at creation so stepping never
/// allocates. (The rollback is a snapshot, not a copy of the model: a copy would share the
/// SSB models' arrays, and the next step would then copy them — an allocation.)
final class ModelBox {
    var model: AnyCellModel
    let scratch: UnsafeMutableBufferPointer<Double>
    let rollback: UnsafeMutableRawBufferPointer

    init(_ model: AnyCellModel) {
        self.model = model
        scratch = .allocate(capacity: max(model.stateCount, 1))
        scratch.initialize(repeating: 0)
        rollback = .allocate(byteCount: model.snapshotByteCount, alignment: 8)
        rollback.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        scratch.deallocate()
        rollback.deallocate()
    }
}

func modelBox(_ pointer: OpaquePointer?, in function: StaticString) throws(LithosError) -> ModelBox {
    let p = try require(pointer, "model", in: function)
    return Unmanaged<ModelBox>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}

func inputMode(_ mode: lithos_input_mode, in function: StaticString) throws(LithosError) -> InputMode {
    guard let m = InputMode(rawValue: Int32(truncatingIfNeeded: mode.rawValue)), mode.rawValue <= 2 else {
        throw LithosError(.invalidArgument, "\(function): unknown input mode \(mode.rawValue) (use LITHOS_INPUT_CURRENT, _POWER or _VOLTAGE)")
    }
    return m
}

/// The fields of `o` in a C output (all but the internals).
@inline(__always)
func fill(_ c: inout lithos_model_output, _ o: ModelOutput) {
    c.struct_size = MemoryLayout<lithos_model_output>.size
    c.time_s = o.time_s
    c.current_A = o.current_A
    c.voltage_V = o.voltage_V
    c.power_W = o.voltage_V * o.current_A
    c.open_circuit_voltage_V = o.openCircuitVoltage_V
    c.soc = o.soc
    c.temperature_K = o.temperature_K
    c.heat_generation_W = o.heatGeneration_W
    c.discharged_charge_Ah = o.dischargedCharge_Ah
    c.discharged_energy_Wh = o.dischargedEnergy_Wh
    c.limit_flags = o.limits.rawValue
}

func cOutput(_ o: ModelOutput, _ model: AnyCellModel) -> lithos_model_output {
    var c = lithos_model_output()
    fill(&c, o)
    let count = withUnsafeMutableBytes(of: &c.internals) { raw in
        model.writeInternals(to: raw.bindMemory(to: Double.self))
    }
    c.internal_count = UInt32(count)
    return c
}

func writeOutput(_ box: ModelBox, _ out: UnsafeMutablePointer<lithos_model_output>?, in function: StaticString) throws(LithosError) {
    guard let out else { return }
    try copyOut(cOutput(box.model.output, box.model), to: out, minimumSize: StructLayout.modelOutput, in: function)
}

/// Checks the struct size of an optional output before the step is taken (so a bad struct
/// size does not leave a stepped model behind an error).
func checkOutputSize(_ out: UnsafeMutablePointer<lithos_model_output>?, in function: StaticString) throws(LithosError) {
    guard let out else { return }
    let declared = UnsafeRawPointer(out).load(as: UInt.self)
    if declared < UInt(StructLayout.modelOutput) {
        throw LithosError(.structSize, "\(function): struct_size is \(declared) but at least \(StructLayout.modelOutput) is needed; set struct_size = sizeof(lithos_model_output)")
    }
}

@_cdecl("lithos_model_create")
public func lithos_model_create(_ designJSON: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
                                _ outModel: UnsafeMutablePointer<OpaquePointer?>?) -> lithos_status {
    run("lithos_model_create") { () throws(LithosError) in
        let out = try require(outModel, "out_model", in: "lithos_model_create")
        let model = try AnyCellModel.make(designJSON: designJSON.map(string(from:)),
                                          optionsJSON: optionsJSON.map(string(from:)))
        out.pointee = OpaquePointer(Unmanaged.passRetained(ModelBox(model)).toOpaque())
    }
}

@_cdecl("lithos_model_destroy")
public func lithos_model_destroy(_ model: OpaquePointer?) -> lithos_status {
    if let model { Unmanaged<ModelBox>.fromOpaque(UnsafeRawPointer(model)).release() }
    return LITHOS_OK
}

@_cdecl("lithos_model_get_info")
public func lithos_model_get_info(_ model: OpaquePointer?, _ outInfo: UnsafeMutablePointer<lithos_model_info>?) -> lithos_status {
    run("lithos_model_get_info") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_get_info")
        let out = try require(outInfo, "out_info", in: "lithos_model_get_info")
        var info = lithos_model_info()
        info.struct_size = MemoryLayout<lithos_model_info>.size
        info.kind = cString(box.model.kind)
        info.capacity_Ah = box.model.capacity_Ah
        let limits = box.model.limits
        info.minimum_voltage_V = limits.minimumVoltage_V
        info.maximum_voltage_V = limits.maximumVoltage_V
        info.minimum_temperature_K = limits.minimumTemperature_K
        info.maximum_temperature_K = limits.maximumTemperature_K
        info.state_size = box.model.snapshotByteCount
        info.internal_count = UInt32(min(box.model.internalNames.count, Int(LITHOS_MODEL_MAX_INTERNALS)))
        try copyOut(info, to: out, minimumSize: StructLayout.modelInfo, in: "lithos_model_get_info")
    }
}

@_cdecl("lithos_model_internal_name")
public func lithos_model_internal_name(_ model: OpaquePointer?, _ index: UInt,
                                       _ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> lithos_status {
    run("lithos_model_internal_name") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_internal_name")
        let out = try require(outName, "out_name", in: "lithos_model_internal_name")
        let names = box.model.internalNames
        guard let i = intIndex(index), i < min(names.count, Int(LITHOS_MODEL_MAX_INTERNALS)) else {
            throw LithosError(.notFound, "lithos_model_internal_name: index \(index) is out of range (this model has \(names.count) internal variables)")
        }
        out.pointee = cString(names[i])
    }
}

@_cdecl("lithos_model_profile_count")
public func lithos_model_profile_count(_ model: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_model_profile_count") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_profile_count")
        let out = try require(outCount, "out_count", in: "lithos_model_profile_count")
        out.pointee = box.model.profileCount
    }
}

/// The profile index as an Int, or a NOT_FOUND error naming the function.
func profileIndex(_ box: ModelBox, _ index: UInt, in function: StaticString) throws(LithosError) -> Int {
    let count = box.model.profileCount
    guard let i = intIndex(index), i < count else {
        throw LithosError(.notFound, "\(function): profile index \(index) is out of range (this \(box.model.kind) model has \(count) profiles)")
    }
    return i
}

@_cdecl("lithos_model_profile_info")
public func lithos_model_profile_info(_ model: OpaquePointer?, _ index: UInt,
                                      _ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                      _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_model_profile_info") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_profile_info")
        let i = try profileIndex(box, index, in: "lithos_model_profile_info")
        outName?.pointee = cString(box.model.profileNames[i])
        outLength?.pointee = box.model.profileLength(i)
    }
}

@_cdecl("lithos_model_get_profile")
public func lithos_model_get_profile(_ model: OpaquePointer?, _ index: UInt, _ outValues: UnsafeMutablePointer<Double>?,
                                     _ capacity: UInt, _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_model_get_profile") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_get_profile")
        if capacity > 0 { _ = try require(outValues, "out_values", in: "lithos_model_get_profile") }
        let i = try profileIndex(box, index, in: "lithos_model_get_profile")
        let length = box.model.profileLength(i)
        outLength?.pointee = length
        guard capacity >= UInt(length) else {
            throw LithosError(.bufferTooSmall, "lithos_model_get_profile: out_values holds \(capacity) values but profile \(i) has \(length)")
        }
        if length == 0 { return }
        let values = try require(outValues, "out_values", in: "lithos_model_get_profile")
        _ = box.model.writeProfile(i, to: UnsafeMutableBufferPointer(start: values, count: length))
    }
}

@_cdecl("lithos_model_step")
public func lithos_model_step(_ model: OpaquePointer?, _ mode: lithos_input_mode, _ value: Double, _ dt: Double,
                              _ ambient: Double, _ outOutput: UnsafeMutablePointer<lithos_model_output>?) -> lithos_status {
    var limitReached = false
    let status = run("lithos_model_step") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_step")
        try checkOutputSize(outOutput, in: "lithos_model_step")
        let input = StepInput(mode: try inputMode(mode, in: "lithos_model_step"), value: value, dt_s: dt, ambient_K: ambient)
        if let out = outOutput {
            // Step and internals in one move of the model (AnyCellModel.step(_:internals:)).
            var c = lithos_model_output()
            let r = try withUnsafeMutableBytes(of: &c.internals) { (raw) throws(LithosError) in
                try box.model.step(input, internals: raw.bindMemory(to: Double.self))
            }
            fill(&c, r.output)
            c.internal_count = UInt32(r.internalCount)
            limitReached = !r.output.limits.isEmpty
            try copyOut(c, to: out, minimumSize: StructLayout.modelOutput, in: "lithos_model_step")
        } else {
            let o = try box.model.step(input)
            limitReached = !o.limits.isEmpty
        }
    }
    return status == LITHOS_OK && limitReached ? LITHOS_LIMIT_REACHED : status
}

@_cdecl("lithos_model_get_output")
public func lithos_model_get_output(_ model: OpaquePointer?, _ outOutput: UnsafeMutablePointer<lithos_model_output>?) -> lithos_status {
    run("lithos_model_get_output") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_get_output")
        let out = try require(outOutput, "out_output", in: "lithos_model_get_output")
        try writeOutput(box, out, in: "lithos_model_get_output")
    }
}

@_cdecl("lithos_model_run")
public func lithos_model_run(_ model: OpaquePointer?, _ mode: lithos_input_mode, _ values: UnsafePointer<Double>?,
                             _ dts: UnsafePointer<Double>?, _ fixedDt: Double, _ n: UInt, _ ambient: Double,
                             _ outVoltage: UnsafeMutablePointer<Double>?, _ outCurrent: UnsafeMutablePointer<Double>?,
                             _ outSOC: UnsafeMutablePointer<Double>?, _ outTemperature: UnsafeMutablePointer<Double>?,
                             _ outSteps: UnsafeMutablePointer<Int>?) -> lithos_status {
    var limitReached = false
    let status = run("lithos_model_run") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_run")
        let inputMode = try inputMode(mode, in: "lithos_model_run")
        if n == 0 { outSteps?.pointee = 0; return }
        let v = try require(values, "values", in: "lithos_model_run")
        guard let count = intIndex(n) else {
            throw LithosError(.outOfRange, "lithos_model_run: n = \(n) is not a valid array length")
        }
        if dts == nil {
            try Validate.finite(fixedDt, "fixed_dt_s")
            if !(fixedDt > 0 && fixedDt <= 86_400) {
                throw LithosError(.outOfRange, "lithos_model_run: dt_s is NULL, so fixed_dt_s must be within (0, 86400] s (got \(fixedDt))")
            }
        }
        box.model.saveState(scratch: box.scratch, to: box.rollback)
        var batch = BatchRun(mode: inputMode, values: v, dts: dts, fixedDt: fixedDt, count: count, ambient: ambient,
                             outVoltage: outVoltage, outCurrent: outCurrent, outSOC: outSOC, outTemperature: outTemperature)
        do throws(LithosError) {
            try box.model.accept(&batch)
            limitReached = batch.limitReached
        } catch {
            // Restoring our own snapshot of this model cannot fail.
            try? box.model.loadState(scratch: box.scratch, from: UnsafeRawBufferPointer(box.rollback))
            outSteps?.pointee = batch.completed
            throw LithosError(error.kind, "lithos_model_run: step \(batch.completed): \(error.message)")
        }
        outSteps?.pointee = count
    }
    return status == LITHOS_OK && limitReached ? LITHOS_LIMIT_REACHED : status
}

@_cdecl("lithos_model_reset")
public func lithos_model_reset(_ model: OpaquePointer?, _ soc: Double, _ temperature: Double) -> lithos_status {
    run("lithos_model_reset") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_reset")
        try box.model.reset(soc: soc, temperature_K: temperature)
    }
}

@_cdecl("lithos_model_state_size")
public func lithos_model_state_size(_ model: OpaquePointer?, _ outSize: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_model_state_size") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_state_size")
        let out = try require(outSize, "out_size", in: "lithos_model_state_size")
        out.pointee = box.model.snapshotByteCount
    }
}

@_cdecl("lithos_model_save_state")
public func lithos_model_save_state(_ model: OpaquePointer?, _ buffer: UnsafeMutableRawPointer?, _ capacity: UInt,
                                    _ outSize: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_model_save_state") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_save_state")
        let needed = box.model.snapshotByteCount
        let b = try require(buffer, "buffer", in: "lithos_model_save_state")
        outSize?.pointee = needed
        guard capacity >= UInt(needed) else {
            throw LithosError(.bufferTooSmall, "lithos_model_save_state: buffer holds \(capacity) bytes but the snapshot needs \(needed)")
        }
        box.model.saveState(scratch: box.scratch, to: UnsafeMutableRawBufferPointer(start: b, count: needed))
    }
}

@_cdecl("lithos_model_load_state")
public func lithos_model_load_state(_ model: OpaquePointer?, _ buffer: UnsafeRawPointer?, _ size: UInt) -> lithos_status {
    run("lithos_model_load_state") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_load_state")
        let b = try require(buffer, "buffer", in: "lithos_model_load_state")
        guard let count = intIndex(size) else {
            throw LithosError(.invalidArgument, "lithos_model_load_state: size \(size) is not a valid buffer size")
        }
        try box.model.loadState(scratch: box.scratch, from: UnsafeRawBufferPointer(start: b, count: count))
    }
}

@_cdecl("lithos_model_parameters_json")
public func lithos_model_parameters_json(_ model: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                         _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_model_parameters_json") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_parameters_json")
        try copyOut(JSONWriter.write(box.model.parametersJSON(), pretty: true), buffer, capacity, outLength,
                    in: "lithos_model_parameters_json")
    }
}

/// The loop of `lithos_model_run`, run on the concrete model (`AnyCellModel.accept`).
struct BatchRun: CellModelVisitor {
    let mode: InputMode
    let values: UnsafePointer<Double>
    let dts: UnsafePointer<Double>?
    let fixedDt: Double
    let count: Int
    let ambient: Double
    let outVoltage: UnsafeMutablePointer<Double>?
    let outCurrent: UnsafeMutablePointer<Double>?
    let outSOC: UnsafeMutablePointer<Double>?
    let outTemperature: UnsafeMutablePointer<Double>?
    /// Steps completed (the failing step's index after an error).
    var completed = 0
    var limitReached = false

    init(mode: InputMode, values: UnsafePointer<Double>, dts: UnsafePointer<Double>?, fixedDt: Double, count: Int, ambient: Double,
         outVoltage: UnsafeMutablePointer<Double>?, outCurrent: UnsafeMutablePointer<Double>?,
         outSOC: UnsafeMutablePointer<Double>?, outTemperature: UnsafeMutablePointer<Double>?) {
        self.mode = mode; self.values = values; self.dts = dts; self.fixedDt = fixedDt; self.count = count
        self.ambient = ambient; self.outVoltage = outVoltage; self.outCurrent = outCurrent
        self.outSOC = outSOC; self.outTemperature = outTemperature
    }

    mutating func visit<M: CellModel>(_ model: inout M) throws(LithosError) {
        for k in 0..<count {
            completed = k
            let o = try model.step(StepInput(mode: mode, value: values[k], dt_s: dts?[k] ?? fixedDt, ambient_K: ambient))
            if !o.limits.isEmpty { limitReached = true }
            outVoltage?[k] = o.voltage_V
            outCurrent?[k] = o.current_A
            outSOC?[k] = o.soc
            outTemperature?[k] = o.temperature_K
        }
        completed = count
    }
}

@_cdecl("lithos_model_impedance")
public func lithos_model_impedance(_ model: OpaquePointer?, _ soc: Double, _ temperature: Double, _ frequencies: UnsafePointer<Double>?,
                                   _ n: UInt, _ outRe: UnsafeMutablePointer<Double>?, _ outIm: UnsafeMutablePointer<Double>?) -> lithos_status {
    run("lithos_model_impedance") { () throws(LithosError) in
        let box = try modelBox(model, in: "lithos_model_impedance")
        if n == 0 { return }
        guard let count = intIndex(n) else {
            throw LithosError(.outOfRange, "lithos_model_impedance: n = \(n) is not a valid array length")
        }
        let f = try require(frequencies, "frequencies_Hz", in: "lithos_model_impedance")
        let re = try require(outRe, "out_re", in: "lithos_model_impedance")
        let im = try require(outIm, "out_im", in: "lithos_model_impedance")
        // Validate every frequency before writing anything (all or nothing).
        for k in 0..<count where !(f[k].isFinite && f[k] > 0 && f[k] <= 1e9) {
            throw LithosError(.outOfRange, "lithos_model_impedance: frequencies_Hz[\(k)] = \(f[k]) is not within (0, 1e9] Hz")
        }
        // The frequencies are valid, so only the kind, soc or temperature can make a call fail,
        // and then the first one does, before anything is written.
        for k in 0..<count {
            let z = try box.model.impedance(soc: soc, temperature_K: temperature, frequency_Hz: f[k])
            re[k] = z.real
            im[k] = z.imaginary
        }
    }
}
