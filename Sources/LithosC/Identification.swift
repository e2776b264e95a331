import CLithos
import Lithos

// C entry points of section 7 of lithos.h: OCV and ECM identification from cycler logs.
// Fits are one-off computations, not hot paths: they allocate, and return documents as
// library-allocated JSON strings that the caller frees with lithos_string_free.

/// A NUL-terminated copy of `text` that the caller owns (freed by `lithos_string_free`).
func ownedCString(_ text: String) -> UnsafeMutablePointer<CChar> {
    let utf8 = Array(text.utf8)
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
    utf8.withUnsafeBufferPointer { bytes in
        UnsafeMutableRawPointer(p).copyMemory(from: bytes.baseAddress!, byteCount: utf8.count)
    }
    p[utf8.count] = 0
    return p
}

@_cdecl("lithos_string_free")
public func lithos_string_free(_ text: UnsafeMutablePointer<CChar>?) {
    text?.deallocate()
}

/// The first published layout of `lithos_cycler_log` (all its v0.1 fields).
private let cyclerLogMinimumSize = MemoryLayout<lithos_cycler_log>.offset(of: \lithos_cycler_log.discharged_Ah)!
    + MemoryLayout<UnsafePointer<Double>?>.size

/// Reads a C cycler log into a validated `CyclerData` (every sample checked; nothing skipped).
func cyclerData(_ pointer: UnsafePointer<lithos_cycler_log>?, _ name: String,
                in function: StaticString) throws(LithosError) -> CyclerData {
    guard let pointer else { throw LithosError(.nullArgument, "\(function): argument '\(name)' is NULL") }
    let log = pointer.pointee
    if log.struct_size < cyclerLogMinimumSize {
        throw LithosError(.structSize, "\(function): \(name).struct_size is \(log.struct_size) but at least \(cyclerLogMinimumSize) is needed; set it to sizeof(lithos_cycler_log)")
    }
    guard log.count >= 0, log.count <= 100_000_000 else {
        throw LithosError(.outOfRange, "\(function): \(name).count = \(log.count) is beyond 1e8 samples")
    }
    let n = log.count
    func column(_ p: UnsafePointer<Double>?, _ field: StaticString) throws(LithosError) -> [Double] {
        guard let p else { throw LithosError(.nullArgument, "\(function): \(name).\(field) is NULL") }
        return Array(UnsafeBufferPointer(start: p, count: n))
    }
    let time = try column(log.time_s, "time_s")
    let current = try column(log.current_A, "current_A")
    let voltage = try column(log.voltage_V, "voltage_V")
    let temperature = log.temperature_K.map { Array(UnsafeBufferPointer(start: $0, count: n)) }
    let counter = log.discharged_Ah.map { Array(UnsafeBufferPointer(start: $0, count: n)) }
    do throws(LithosError) {
        return try CyclerData(time_s: time, current_A: current, voltage_V: voltage, temperature_K: temperature, discharged_Ah: counter)
    } catch {
        var e = error
        e.message = "\(name): " + e.message
        throw e
    }
}

@_cdecl("lithos_fit_ocv")
public func lithos_fit_ocv(_ discharge: UnsafePointer<lithos_cycler_log>?, _ charge: UnsafePointer<lithos_cycler_log>?,
                           _ capacity: Double, _ socStep: Double,
                           _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> lithos_status {
    run("lithos_fit_ocv") { () throws(LithosError) in
        let out = try require(outJSON, "out_ocv_json", in: "lithos_fit_ocv")
        guard capacity.isFinite, socStep.isFinite else {
            throw LithosError(.invalidArgument, "capacity_Ah (\(capacity)) and soc_step (\(socStep)) must be finite")
        }
        guard capacity >= 0, capacity <= 1e6 else { throw LithosError(.outOfRange, "capacity_Ah must be 0 (from the data) or within (0, 1e6] (got \(capacity))") }
        guard socStep > 0, socStep <= 0.5 else { throw LithosError(.outOfRange, "soc_step must be within (0, 0.5] (got \(socStep))") }
        let d = try cyclerData(discharge, "discharge", in: "lithos_fit_ocv")
        let c = try charge.map { p throws(LithosError) in try cyclerData(p, "charge", in: "lithos_fit_ocv") }
        let table = try OCVIdentification.fromLowRateTest(d, charge: c, capacity_Ah: capacity > 0 ? capacity : nil,
                                                          grid: OCVIdentification.uniformGrid(step: socStep))
        out.pointee = ownedCString(JSONWriter.write(table.toJSON(), pretty: false))
    }
}

@_cdecl("lithos_fit_ecm")
public func lithos_fit_ecm(_ logs: UnsafePointer<lithos_cycler_log>?, _ logCount: UInt, _ ocvJSON: UnsafePointer<CChar>?,
                           _ capacity: Double, _ optionsJSON: UnsafePointer<CChar>?,
                           _ outECM: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ outReport: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> lithos_status {
    run("lithos_fit_ecm") { () throws(LithosError) in
        let base = try require(logs, "hppc_logs", in: "lithos_fit_ecm")
        let ocvText = try require(ocvJSON, "ocv_json", in: "lithos_fit_ecm")
        let outParameters = try require(outECM, "out_ecm_json", in: "lithos_fit_ecm")
        guard logCount >= 1, logCount <= 64 else { throw LithosError(.outOfRange, "log_count must be within 1…64 (got \(logCount))") }
        guard capacity.isFinite else { throw LithosError(.invalidArgument, "capacity_Ah is not finite (\(capacity))") }
        var data: [CyclerData] = []
        for k in 0..<Int(logCount) {
            data.append(try cyclerData(base + k, "hppc_logs[\(k)]", in: "lithos_fit_ecm"))
        }
        let ocv = try OCVTable.fromJSON(string(from: ocvText))
        let options = try optionsJSON.map { p throws(LithosError) in try ECMIdentificationOptions.fromJSON(string(from: p)) }
            ?? ECMIdentificationOptions()
        let result = try ECMIdentification.identify(hppc: data, ocv: ocv, capacity_Ah: capacity, options: options)
        let parameters = ownedCString(JSONWriter.write(result.parameters.toJSON(), pretty: false))
        outParameters.pointee = parameters
        outReport?.pointee = ownedCString(JSONWriter.write(result.reportJSON(), pretty: false))
    }
}

@_cdecl("lithos_fit_capacity")
public func lithos_fit_capacity(_ log: UnsafePointer<lithos_cycler_log>?, _ vMin: Double, _ vMax: Double, _ threshold: Double,
                                _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> lithos_status {
    run("lithos_fit_capacity") { () throws(LithosError) in
        let out = try require(outJSON, "out_json", in: "lithos_fit_capacity")
        guard vMin.isFinite, vMax.isFinite, threshold.isFinite else {
            throw LithosError(.invalidArgument, "minimum_voltage_V (\(vMin)), maximum_voltage_V (\(vMax)) and current_threshold_A (\(threshold)) must be finite")
        }
        guard threshold > 0, threshold <= 100 else { throw LithosError(.outOfRange, "current_threshold_A must be within (0, 100] A (got \(threshold))") }
        guard (0...10).contains(vMin), (0...10).contains(vMax) else {
            throw LithosError(.outOfRange, "the voltage limits must be within 0…10 V (0: from the log; got \(vMin), \(vMax))")
        }
        let d = try cyclerData(log, "log", in: "lithos_fit_capacity")
        let result = try CapacityIdentification.identify(d, currentThreshold_A: threshold,
                                                         minimumVoltage_V: vMin > 0 ? vMin : nil, maximumVoltage_V: vMax > 0 ? vMax : nil)
        out.pointee = ownedCString(JSONWriter.write(result.toJSON(), pretty: false))
    }
}

@_cdecl("lithos_ecm_voltage_error")
public func lithos_ecm_voltage_error(_ ecmJSON: UnsafePointer<CChar>?, _ log: UnsafePointer<lithos_cycler_log>?,
                                     _ resetAfterGap: Double, _ outRMS: UnsafeMutablePointer<Double>?,
                                     _ outMax: UnsafeMutablePointer<Double>?,
                                     _ outSimulated: UnsafeMutablePointer<Double>?) -> lithos_status {
    run("lithos_ecm_voltage_error") { () throws(LithosError) in
        let text = try require(ecmJSON, "ecm_json", in: "lithos_ecm_voltage_error")
        let rms = try require(outRMS, "out_rms_V", in: "lithos_ecm_voltage_error")
        let worst = try require(outMax, "out_max_V", in: "lithos_ecm_voltage_error")
        guard resetAfterGap.isFinite else { throw LithosError(.invalidArgument, "reset_after_gap_s is not finite (\(resetAfterGap))") }
        guard resetAfterGap >= 0 else { throw LithosError(.outOfRange, "reset_after_gap_s must be ≥ 0 (got \(resetAfterGap))") }
        let d = try cyclerData(log, "log", in: "lithos_ecm_voltage_error")
        let parameters = try ECMParameters<Double>.fromJSON(string(from: text))
        let result = try ECMIdentification.simulate(d, parameters: parameters, resetAfterGap_s: resetAfterGap > 0 ? resetAfterGap : nil)
        rms.pointee = result.rms_V
        worst.pointee = result.maximumError_V
        if let outSimulated {
            for k in 0..<d.count { outSimulated[k] = result.voltage_V[k] }
        }
    }
}
