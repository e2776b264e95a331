import CLithos
import Lithos

// C entry points of section 6 of lithos.h: the BMS state estimator behind an opaque handle.

extension StateEstimator: SnapshotState where Scalar == Double {}

/// The object behind a `lithos_estimator *`: the estimator, a rollback copy for all-or-nothing
/// batch runs, and snapshot scratch space — allocated at creation, so updates never allocate.
final class EstimatorBox {
    var estimator: StateEstimator<Double>
    var rollback: StateEstimator<Double>
    let scratch: UnsafeMutableBufferPointer<Double>
    /// Snapshot kind code (distinct from the model kinds).
    static let kindCode: UInt32 = 100

    init(_ estimator: StateEstimator<Double>) {
        self.estimator = estimator
        self.rollback = estimator
        scratch = .allocate(capacity: max(estimator.stateCount, 1))
        scratch.initialize(repeating: 0)
    }

    deinit { scratch.deallocate() }
}

func estimatorBox(_ pointer: OpaquePointer?, in function: StaticString) throws(LithosError) -> EstimatorBox {
    let p = try require(pointer, "estimator", in: function)
    return Unmanaged<EstimatorBox>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}

func cEstimate(_ e: StateEstimate<Double>) -> lithos_estimate {
    var c = lithos_estimate()
    c.struct_size = MemoryLayout<lithos_estimate>.size
    c.time_s = e.time_s
    c.soc = e.soc
    c.soc_std = e.socStandardDeviation
    c.capacity_Ah = e.capacity_Ah
    c.capacity_std_Ah = e.capacityStandardDeviation_Ah
    c.capacity_soh_percent = e.capacitySOH_percent
    c.series_resistance_ohm = e.seriesResistance_ohm
    c.resistance_soh_percent = e.resistanceSOH_percent
    c.energy_remaining_Wh = e.energyRemaining_Wh
    c.time_to_empty_s = e.timeToEmpty_s
    c.time_to_full_s = e.timeToFull_s
    c.discharge_current_limit_A = e.dischargeCurrentLimit_A
    c.charge_current_limit_A = e.chargeCurrentLimit_A
    c.discharge_power_limit_W = e.dischargePowerLimit_W
    c.charge_power_limit_W = e.chargePowerLimit_W
    c.predicted_voltage_V = e.predictedVoltage_V
    c.innovation_V = e.innovation_V
    c.active_faults = e.activeFaults.rawValue
    c.latched_faults = e.latchedFaults.rawValue
    c.current_offset_A = e.currentOffset_A
    c.current_offset_std_A = e.currentOffsetStandardDeviation_A
    return c
}

extension StructLayout {
    static let estimate = MemoryLayout<lithos_estimate>.offset(of: \lithos_estimate.latched_faults)! + 4
}

func checkEstimateSize(_ out: UnsafeMutablePointer<lithos_estimate>?, in function: StaticString) throws(LithosError) {
    guard let out else { return }
    let declared = UnsafeRawPointer(out).load(as: UInt.self)
    if declared < UInt(StructLayout.estimate) {
        throw LithosError(.structSize, "\(function): struct_size is \(declared) but at least \(StructLayout.estimate) is needed; set struct_size = sizeof(lithos_estimate)")
    }
}

/// Rejects what the estimator must never see: infinite measurements (NaN is "absent" and fine)
/// and a dt that is not a finite number in (0, 86400].
func validateUpdate(current: Double, voltage: Double, temperature: Double, dt: Double, in function: StaticString) throws(LithosError) {
    // Checked one by one: no array literal on the update path (updates never allocate).
    if current.isInfinite { throw infiniteMeasurement("current_A", in: function) }
    if voltage.isInfinite { throw infiniteMeasurement("voltage_V", in: function) }
    if temperature.isInfinite { throw infiniteMeasurement("temperature_K", in: function) }
    try Validate.finite(dt, "dt_s")
    if !(dt > 0 && dt <= 86_400) {
        throw LithosError(.outOfRange, "dt_s must be within (0, 86400] s (got \(dt))")
    }
    if !temperature.isNaN { try Validate.temperature(temperature) }
}

/// A measured current beyond ±100 C is not a reading of this cell (wrong scaling or sign of a
/// sensor): an error, not a state update.
@inline(__always)
func checkCurrentRange(_ current: Double, _ box: EstimatorBox) throws(LithosError) {
    let limit = 100 * box.estimator.configuration.model.capacity_Ah
    if abs(current) > limit { throw currentOutOfRange(current, limit) }
}

@inline(never)
func currentOutOfRange(_ current: Double, _ limit: Double) -> LithosError {
    LithosError(.outOfRange, "current_A = \(current) A is beyond ±100C (±\(limit) A) of the estimator's cell")
}

@inline(never)
func infiniteMeasurement(_ name: String, in function: StaticString) -> LithosError {
    LithosError(.invalidArgument, "\(function): \(name) is infinite (use NaN for an absent measurement)")
}

@_cdecl("lithos_estimator_create")
public func lithos_estimator_create(_ json: UnsafePointer<CChar>?,
                                    _ outEstimator: UnsafeMutablePointer<OpaquePointer?>?) -> lithos_status {
    run("lithos_estimator_create") { () throws(LithosError) in
        let out = try require(outEstimator, "out_estimator", in: "lithos_estimator_create")
        let text = string(from: try require(json, "config_json", in: "lithos_estimator_create"))
        let configuration = try EstimatorConfiguration.fromJSON(text)
        let estimator = try StateEstimator(configuration: configuration)
        out.pointee = OpaquePointer(Unmanaged.passRetained(EstimatorBox(estimator)).toOpaque())
    }
}

@_cdecl("lithos_estimator_destroy")
public func lithos_estimator_destroy(_ estimator: OpaquePointer?) -> lithos_status {
    if let estimator { Unmanaged<EstimatorBox>.fromOpaque(UnsafeRawPointer(estimator)).release() }
    return LITHOS_OK
}

@_cdecl("lithos_estimator_update")
public func lithos_estimator_update(_ estimator: OpaquePointer?, _ current: Double, _ voltage: Double, _ temperature: Double,
                                    _ dt: Double, _ outEstimate: UnsafeMutablePointer<lithos_estimate>?) -> lithos_status {
    run("lithos_estimator_update") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_update")
        try checkEstimateSize(outEstimate, in: "lithos_estimator_update")
        try validateUpdate(current: current, voltage: voltage, temperature: temperature, dt: dt, in: "lithos_estimator_update")
        try checkCurrentRange(current, box)
        let e = try box.estimator.update(current_A: current, voltage_V: voltage, temperature_K: temperature, dt_s: dt)
        if let out = outEstimate {
            try copyOut(cEstimate(e), to: out, minimumSize: StructLayout.estimate, in: "lithos_estimator_update")
        }
    }
}

@_cdecl("lithos_estimator_get_estimate")
public func lithos_estimator_get_estimate(_ estimator: OpaquePointer?, _ outEstimate: UnsafeMutablePointer<lithos_estimate>?) -> lithos_status {
    run("lithos_estimator_get_estimate") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_get_estimate")
        let out = try require(outEstimate, "out_estimate", in: "lithos_estimator_get_estimate")
        try copyOut(cEstimate(box.estimator.estimate), to: out, minimumSize: StructLayout.estimate, in: "lithos_estimator_get_estimate")
    }
}

@_cdecl("lithos_estimator_run")
public func lithos_estimator_run(_ estimator: OpaquePointer?, _ currents: UnsafePointer<Double>?, _ voltages: UnsafePointer<Double>?,
                                 _ temperatures: UnsafePointer<Double>?, _ dts: UnsafePointer<Double>?, _ fixedDt: Double,
                                 _ n: UInt, _ outSOC: UnsafeMutablePointer<Double>?, _ outSOCStd: UnsafeMutablePointer<Double>?,
                                 _ outPredicted: UnsafeMutablePointer<Double>?, _ outUpdates: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_estimator_run") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_run")
        if n == 0 { outUpdates?.pointee = 0; return }
        let i = try require(currents, "current_A", in: "lithos_estimator_run")
        let v = try require(voltages, "voltage_V", in: "lithos_estimator_run")
        let t = try require(temperatures, "temperature_K", in: "lithos_estimator_run")
        guard let count = intIndex(n) else {
            throw LithosError(.outOfRange, "n = \(n) is not a valid array length")
        }
        if dts == nil {
            try Validate.finite(fixedDt, "fixed_dt_s")
            if !(fixedDt > 0 && fixedDt <= 86_400) {
                throw LithosError(.outOfRange, "dt_s is NULL, so fixed_dt_s must be within (0, 86400] s (got \(fixedDt))")
            }
        }
        box.rollback = box.estimator
        for k in 0..<count {
            let dt = dts?[k] ?? fixedDt
            do throws(LithosError) {
                try validateUpdate(current: i[k], voltage: v[k], temperature: t[k], dt: dt, in: "lithos_estimator_run")
                try checkCurrentRange(i[k], box)
                let e = try box.estimator.update(current_A: i[k], voltage_V: v[k], temperature_K: t[k], dt_s: dt)
                outSOC?[k] = e.soc
                outSOCStd?[k] = e.socStandardDeviation
                outPredicted?[k] = e.predictedVoltage_V
            } catch {
                box.estimator = box.rollback
                outUpdates?.pointee = k
                throw LithosError(error.kind, "update \(k): \(error.message)")
            }
        }
        outUpdates?.pointee = count
    }
}

@_cdecl("lithos_estimator_reset")
public func lithos_estimator_reset(_ estimator: OpaquePointer?, _ soc: Double, _ socStd: Double) -> lithos_status {
    run("lithos_estimator_reset") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_reset")
        try Validate.finite(soc, "soc")
        try Validate.finite(socStd, "soc_std")
        try box.estimator.reset(soc: soc, socStandardDeviation: socStd)
    }
}

@_cdecl("lithos_estimator_clear_latched_faults")
public func lithos_estimator_clear_latched_faults(_ estimator: OpaquePointer?) -> lithos_status {
    run("lithos_estimator_clear_latched_faults") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_clear_latched_faults")
        box.estimator.clearLatchedFaults()
    }
}

@_cdecl("lithos_estimator_state_size")
public func lithos_estimator_state_size(_ estimator: OpaquePointer?, _ outSize: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_estimator_state_size") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_state_size")
        let out = try require(outSize, "out_size", in: "lithos_estimator_state_size")
        out.pointee = StateSnapshot.byteCount(stateCount: box.estimator.stateCount)
    }
}

@_cdecl("lithos_estimator_save_state")
public func lithos_estimator_save_state(_ estimator: OpaquePointer?, _ buffer: UnsafeMutableRawPointer?, _ capacity: UInt,
                                        _ outSize: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_estimator_save_state") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_save_state")
        let needed = StateSnapshot.byteCount(stateCount: box.estimator.stateCount)
        let b = try require(buffer, "buffer", in: "lithos_estimator_save_state")
        outSize?.pointee = needed
        guard capacity >= UInt(needed) else {
            throw LithosError(.bufferTooSmall, "buffer holds \(capacity) bytes but the snapshot needs \(needed)")
        }
        StateSnapshot.write(box.estimator, kindCode: EstimatorBox.kindCode, scratch: box.scratch,
                            to: UnsafeMutableRawBufferPointer(start: b, count: needed))
    }
}

@_cdecl("lithos_estimator_load_state")
public func lithos_estimator_load_state(_ estimator: OpaquePointer?, _ buffer: UnsafeRawPointer?, _ size: UInt) -> lithos_status {
    run("lithos_estimator_load_state") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_load_state")
        let b = try require(buffer, "buffer", in: "lithos_estimator_load_state")
        guard let count = intIndex(size) else {
            throw LithosError(.invalidArgument, "size \(size) is not a valid buffer size")
        }
        var copy = box.estimator
        try StateSnapshot.read(&copy, kindCode: EstimatorBox.kindCode, scratch: box.scratch,
                               from: UnsafeRawBufferPointer(start: b, count: count))
        box.estimator = copy
    }
}

@_cdecl("lithos_estimator_config_json")
public func lithos_estimator_config_json(_ estimator: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                         _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_estimator_config_json") { () throws(LithosError) in
        let box = try estimatorBox(estimator, in: "lithos_estimator_config_json")
        try copyOut(JSONWriter.write(box.estimator.configuration.toJSON(), pretty: true), buffer, capacity, outLength,
                    in: "lithos_estimator_config_json")
    }
}
