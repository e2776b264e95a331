import CLithos
import Lithos

// C entry points of section 9 of lithos.h: packs behind an opaque handle.

/// The object behind a `lithos_pack *`: the pack, a rollback snapshot for all-or-nothing batch
/// runs and snapshot scratch — allocated at creation so stepping and batch runs never allocate.
final class PackBox {
    var pack: AnyPack
    let scratch: UnsafeMutableBufferPointer<Double>
    let rollback: UnsafeMutableRawBufferPointer

    init(_ pack: AnyPack) {
        self.pack = pack
        scratch = .allocate(capacity: max(pack.snapshotScratchCount, 1))
        scratch.initialize(repeating: 0)
        rollback = .allocate(byteCount: pack.snapshotByteCount, alignment: 8)
        rollback.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        scratch.deallocate()
        rollback.deallocate()
    }
}

func packBox(_ pointer: OpaquePointer?, in function: StaticString) throws(LithosError) -> PackBox {
    let p = try require(pointer, "pack", in: function)
    return Unmanaged<PackBox>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}

extension StructLayout {
    static let packInfo = MemoryLayout<lithos_pack_info>.offset(of: \lithos_pack_info.state_size)! + MemoryLayout<Int>.size
    static let packOutput = MemoryLayout<lithos_pack_output>.offset(of: \lithos_pack_output.active_faults)! + 4
}

func cPackOutput(_ o: PackOutput) -> lithos_pack_output {
    var c = lithos_pack_output()
    c.struct_size = MemoryLayout<lithos_pack_output>.size
    c.time_s = o.time_s
    c.current_A = o.current_A
    c.measured_current_A = o.measuredCurrent_A
    c.voltage_V = o.voltage_V
    c.power_W = o.power_W
    c.soc = o.soc
    c.minimum_soc = o.minimumSOC
    c.maximum_soc = o.maximumSOC
    c.minimum_cell_voltage_V = o.minimumCellVoltage_V
    c.maximum_cell_voltage_V = o.maximumCellVoltage_V
    c.minimum_temperature_K = o.minimumTemperature_K
    c.maximum_temperature_K = o.maximumTemperature_K
    c.balancing_current_A = o.balancingCurrent_A
    c.balancing_power_W = o.balancingPower_W
    c.heat_generation_W = o.heatGeneration_W
    c.discharged_charge_Ah = o.dischargedCharge_Ah
    c.discharged_energy_Wh = o.dischargedEnergy_Wh
    c.split_current_residual_A = o.splitCurrentResidual_A
    c.split_voltage_spread_V = o.splitVoltageSpread_V
    c.split_iterations = UInt32(clamping: o.splitIterations)
    c.limit_flags = o.limits
    c.active_faults = o.activeFaults
    return c
}

func checkPackOutputSize(_ out: UnsafeMutablePointer<lithos_pack_output>?, in function: StaticString) throws(LithosError) {
    guard let out else { return }
    let declared = UnsafeRawPointer(out).load(as: UInt.self)
    if declared < UInt(StructLayout.packOutput) {
        throw LithosError(.structSize, "\(function): struct_size is \(declared) but at least \(StructLayout.packOutput) is needed; set struct_size = sizeof(lithos_pack_output)")
    }
}

func packQuantity(_ q: lithos_pack_quantity, in function: StaticString) throws(LithosError) -> PackQuantity {
    guard q.rawValue <= UInt32(Int32.max), let v = PackQuantity(rawValue: Int32(q.rawValue)) else {
        throw LithosError(.invalidArgument, "\(function): unknown lithos_pack_quantity \(q.rawValue)")
    }
    return v
}

func packFault(_ f: lithos_pack_fault, in function: StaticString) throws(LithosError) -> PackFaultKind {
    guard f.rawValue <= UInt32(Int32.max), let v = PackFaultKind(rawValue: Int32(f.rawValue)) else {
        throw LithosError(.invalidArgument, "\(function): unknown lithos_pack_fault \(f.rawValue)")
    }
    return v
}

@_cdecl("lithos_pack_create")
public func lithos_pack_create(_ json: UnsafePointer<CChar>?, _ outPack: UnsafeMutablePointer<OpaquePointer?>?) -> lithos_status {
    run("lithos_pack_create") { () throws(LithosError) in
        let out = try require(outPack, "out_pack", in: "lithos_pack_create")
        let text = try require(json, "pack_json", in: "lithos_pack_create")
        let pack = try AnyPack.make(json: string(from: text))
        out.pointee = OpaquePointer(Unmanaged.passRetained(PackBox(pack)).toOpaque())
    }
}

@_cdecl("lithos_pack_destroy")
public func lithos_pack_destroy(_ pack: OpaquePointer?) -> lithos_status {
    if let pack { Unmanaged<PackBox>.fromOpaque(UnsafeRawPointer(pack)).release() }
    return LITHOS_OK
}

@_cdecl("lithos_pack_get_info")
public func lithos_pack_get_info(_ pack: OpaquePointer?, _ outInfo: UnsafeMutablePointer<lithos_pack_info>?) -> lithos_status {
    run("lithos_pack_get_info") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_get_info")
        let out = try require(outInfo, "out_info", in: "lithos_pack_get_info")
        let p = box.pack
        var info = lithos_pack_info()
        info.struct_size = MemoryLayout<lithos_pack_info>.size
        info.kind = cString(p.kind)
        info.series = p.series
        info.parallel = p.parallel
        info.cell_count = p.cellCount
        info.voltage_channel_count = p.series
        info.sense_wire_count = p.series + 1
        info.capacity_Ah = p.capacity_Ah
        let w = p.voltageWindow
        info.minimum_voltage_V = w.minimum_V
        info.maximum_voltage_V = w.maximum_V
        info.cell_minimum_voltage_V = p.cellLimits.minimumVoltage_V
        info.cell_maximum_voltage_V = p.cellLimits.maximumVoltage_V
        info.state_size = p.snapshotByteCount
        try copyOut(info, to: out, minimumSize: StructLayout.packInfo, in: "lithos_pack_get_info")
    }
}

@_cdecl("lithos_pack_step")
public func lithos_pack_step(_ pack: OpaquePointer?, _ current: Double, _ dt: Double, _ ambient: Double,
                             _ outOutput: UnsafeMutablePointer<lithos_pack_output>?) -> lithos_status {
    var limitReached = false
    let status = run("lithos_pack_step") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_step")
        try checkPackOutputSize(outOutput, in: "lithos_pack_step")
        let o = try box.pack.step(current: current, dt_s: dt, ambient_K: ambient)
        limitReached = o.limits != 0
        if let out = outOutput {
            try copyOut(cPackOutput(o), to: out, minimumSize: StructLayout.packOutput, in: "lithos_pack_step")
        }
    }
    return status == LITHOS_OK && limitReached ? LITHOS_LIMIT_REACHED : status
}

@_cdecl("lithos_pack_get_output")
public func lithos_pack_get_output(_ pack: OpaquePointer?, _ outOutput: UnsafeMutablePointer<lithos_pack_output>?) -> lithos_status {
    run("lithos_pack_get_output") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_get_output")
        let out = try require(outOutput, "out_output", in: "lithos_pack_get_output")
        try copyOut(cPackOutput(box.pack.output), to: out, minimumSize: StructLayout.packOutput, in: "lithos_pack_get_output")
    }
}

@_cdecl("lithos_pack_get_values")
public func lithos_pack_get_values(_ pack: OpaquePointer?, _ quantity: lithos_pack_quantity, _ outValues: UnsafeMutablePointer<Double>?,
                                   _ capacity: UInt, _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_pack_get_values") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_get_values")
        if capacity > 0 { _ = try require(outValues, "out_values", in: "lithos_pack_get_values") }
        let q = try packQuantity(quantity, in: "lithos_pack_get_values")
        let length = box.pack.length(of: q)
        if outValues == nil && capacity == 0 {
            outLength?.pointee = length
            return
        }
        guard capacity >= UInt(length) else {
            outLength?.pointee = length
            throw LithosError(.bufferTooSmall, "lithos_pack_get_values: out_values holds \(capacity) values but \(q.name) has \(length)")
        }
        let values = try require(outValues, "out_values", in: "lithos_pack_get_values")
        _ = box.pack.write(q, to: UnsafeMutableBufferPointer(start: values, count: length))
        outLength?.pointee = length
    }
}

@_cdecl("lithos_pack_quantity_name")
public func lithos_pack_quantity_name(_ quantity: lithos_pack_quantity, _ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> lithos_status {
    run("lithos_pack_quantity_name") { () throws(LithosError) in
        let out = try require(outName, "out_name", in: "lithos_pack_quantity_name")
        out.pointee = cString(try packQuantity(quantity, in: "lithos_pack_quantity_name").name)
    }
}

@_cdecl("lithos_pack_set_balancing")
public func lithos_pack_set_balancing(_ pack: OpaquePointer?, _ on: UnsafePointer<UInt8>?, _ count: UInt) -> lithos_status {
    run("lithos_pack_set_balancing") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_set_balancing")
        let values = try require(on, "on", in: "lithos_pack_set_balancing")
        guard let n = intIndex(count), n == box.pack.series else {
            throw LithosError(.outOfRange, "lithos_pack_set_balancing: count is \(count) but the pack has \(box.pack.series) voltage channels")
        }
        try box.pack.setBalancing(UnsafeBufferPointer(start: values, count: n))
    }
}

@_cdecl("lithos_pack_inject_fault")
public func lithos_pack_inject_fault(_ pack: OpaquePointer?, _ fault: lithos_pack_fault, _ index: UInt, _ value: Double) -> lithos_status {
    run("lithos_pack_inject_fault") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_inject_fault")
        let kind = try packFault(fault, in: "lithos_pack_inject_fault")
        try box.pack.injectFault(kind, index: intIndex(index) ?? Int.max, value: value)
    }
}

@_cdecl("lithos_pack_clear_fault")
public func lithos_pack_clear_fault(_ pack: OpaquePointer?, _ fault: lithos_pack_fault, _ index: UInt) -> lithos_status {
    run("lithos_pack_clear_fault") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_clear_fault")
        let kind = try packFault(fault, in: "lithos_pack_clear_fault")
        try box.pack.clearFault(kind, index: intIndex(index) ?? Int.max)
    }
}

@_cdecl("lithos_pack_clear_faults")
public func lithos_pack_clear_faults(_ pack: OpaquePointer?) -> lithos_status {
    run("lithos_pack_clear_faults") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_clear_faults")
        box.pack.clearFaults()
    }
}

/// The loop of `lithos_pack_run`, on the concrete pack (`AnyPack.accept`).
struct PackBatchRun: PackVisitor {
    let currents: UnsafePointer<Double>
    let dts: UnsafePointer<Double>?
    let fixedDt: Double
    let count: Int
    let ambient: Double
    let outVoltage: UnsafeMutablePointer<Double>?
    let outCurrent: UnsafeMutablePointer<Double>?
    let outSOC: UnsafeMutablePointer<Double>?
    let outMinimum: UnsafeMutablePointer<Double>?
    let outMaximum: UnsafeMutablePointer<Double>?
    let record: PackQuantity
    let outRecord: UnsafeMutablePointer<Double>?
    var completed = 0
    var limitReached = false

    mutating func visit<M: CellModel>(_ pack: inout PackSimulation<M>) throws(LithosError) {
        let length = pack.length(of: record)
        for k in 0..<count {
            completed = k
            let o = try pack.step(current: currents[k], dt_s: dts?[k] ?? fixedDt, ambient_K: ambient)
            if o.limits != 0 { limitReached = true }
            outVoltage?[k] = o.voltage_V
            outCurrent?[k] = o.current_A
            outSOC?[k] = o.soc
            outMinimum?[k] = o.minimumCellVoltage_V
            outMaximum?[k] = o.maximumCellVoltage_V
            if let r = outRecord {
                _ = pack.write(record, to: UnsafeMutableBufferPointer(start: r + k * length, count: length))
            }
        }
        completed = count
    }
}

@_cdecl("lithos_pack_run")
public func lithos_pack_run(_ pack: OpaquePointer?, _ currents: UnsafePointer<Double>?, _ dts: UnsafePointer<Double>?,
                            _ fixedDt: Double, _ n: UInt, _ ambient: Double,
                            _ outVoltage: UnsafeMutablePointer<Double>?, _ outCurrent: UnsafeMutablePointer<Double>?,
                            _ outSOC: UnsafeMutablePointer<Double>?, _ outMinimum: UnsafeMutablePointer<Double>?,
                            _ outMaximum: UnsafeMutablePointer<Double>?, _ record: lithos_pack_quantity,
                            _ outRecord: UnsafeMutablePointer<Double>?, _ outSteps: UnsafeMutablePointer<Int>?) -> lithos_status {
    var limitReached = false
    let status = run("lithos_pack_run") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_run")
        let quantity: PackQuantity = outRecord == nil ? .cellVoltage : try packQuantity(record, in: "lithos_pack_run")
        if n == 0 { outSteps?.pointee = 0; return }
        let c = try require(currents, "current_A", in: "lithos_pack_run")
        guard let count = intIndex(n), count < Int.max / max(1, box.pack.cellCount) else {
            throw LithosError(.outOfRange, "lithos_pack_run: n = \(n) is not a valid array length")
        }
        if dts == nil {
            try Validate.finite(fixedDt, "fixed_dt_s")
            if !(fixedDt > 0 && fixedDt <= 86_400) {
                throw LithosError(.outOfRange, "lithos_pack_run: dt_s is NULL, so fixed_dt_s must be within (0, 86400] s (got \(fixedDt))")
            }
        }
        box.pack.saveState(scratch: box.scratch, to: box.rollback)
        var batch = PackBatchRun(currents: c, dts: dts, fixedDt: fixedDt, count: count, ambient: ambient,
                                 outVoltage: outVoltage, outCurrent: outCurrent, outSOC: outSOC, outMinimum: outMinimum,
                                 outMaximum: outMaximum, record: quantity, outRecord: outRecord)
        do throws(LithosError) {
            try box.pack.accept(&batch)
            limitReached = batch.limitReached
        } catch {
            try? box.pack.loadState(scratch: box.scratch, from: UnsafeRawBufferPointer(box.rollback))
            outSteps?.pointee = batch.completed
            throw LithosError(error.kind, "lithos_pack_run: step \(batch.completed): \(error.message)")
        }
        outSteps?.pointee = count
    }
    return status == LITHOS_OK && limitReached ? LITHOS_LIMIT_REACHED : status
}

@_cdecl("lithos_pack_reset")
public func lithos_pack_reset(_ pack: OpaquePointer?, _ soc: Double, _ temperature: Double) -> lithos_status {
    run("lithos_pack_reset") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_reset")
        try box.pack.reset(soc: soc, temperature_K: temperature)
    }
}

@_cdecl("lithos_pack_state_size")
public func lithos_pack_state_size(_ pack: OpaquePointer?, _ outSize: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_pack_state_size") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_state_size")
        let out = try require(outSize, "out_size", in: "lithos_pack_state_size")
        out.pointee = box.pack.snapshotByteCount
    }
}

@_cdecl("lithos_pack_save_state")
public func lithos_pack_save_state(_ pack: OpaquePointer?, _ buffer: UnsafeMutableRawPointer?, _ capacity: UInt,
                                   _ outSize: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_pack_save_state") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_save_state")
        let needed = box.pack.snapshotByteCount
        let b = try require(buffer, "buffer", in: "lithos_pack_save_state")
        outSize?.pointee = needed
        guard capacity >= UInt(needed) else {
            throw LithosError(.bufferTooSmall, "lithos_pack_save_state: buffer holds \(capacity) bytes but the snapshot needs \(needed)")
        }
        box.pack.saveState(scratch: box.scratch, to: UnsafeMutableRawBufferPointer(start: b, count: needed))
    }
}

@_cdecl("lithos_pack_load_state")
public func lithos_pack_load_state(_ pack: OpaquePointer?, _ buffer: UnsafeRawPointer?, _ size: UInt) -> lithos_status {
    run("lithos_pack_load_state") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_load_state")
        let b = try require(buffer, "buffer", in: "lithos_pack_load_state")
        guard let count = intIndex(size) else {
            throw LithosError(.invalidArgument, "lithos_pack_load_state: size \(size) is not a valid buffer size")
        }
        try box.pack.loadState(scratch: box.scratch, from: UnsafeRawBufferPointer(start: b, count: count))
    }
}

@_cdecl("lithos_pack_config_json")
public func lithos_pack_config_json(_ pack: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                    _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_pack_config_json") { () throws(LithosError) in
        let box = try packBox(pack, in: "lithos_pack_config_json")
        try copyOut(JSONWriter.write(box.pack.configurationJSON(), pretty: true), buffer, capacity, outLength,
                    in: "lithos_pack_config_json")
    }
}
