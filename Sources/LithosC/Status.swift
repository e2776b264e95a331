import CLithos
import Lithos

// Every @_cdecl entry point funnels its work through `run` so that no Swift error escapes to C:
// a thrown LithosError becomes a status code plus a thread-local message, and the out-pointers
// are written only after all validation has passed.

/// Records `message` as the calling thread's last error and returns `status`.
@inline(never)
func fail(_ status: lithos_status, _ message: String) -> lithos_status {
    var text = message
    text.withUTF8 { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
            lithos_internal_set_error(chars.baseAddress, chars.count)
        }
    }
    return status
}

func fail(_ error: LithosError) -> lithos_status {
    fail(lithos_status(rawValue: UInt32(error.kind.rawValue)), error.message)
}

/// Runs the body of C entry point `function`; maps a thrown LithosError to its status, with
/// the function's name in front of the message so a log line says where it came from.
@inline(__always)
func run(_ function: StaticString, _ body: () throws(LithosError) -> Void) -> lithos_status {
    do {
        try body()
        return LITHOS_OK
    } catch {
        var e = error
        let name = function.description
        if !e.message.hasPrefix(name) { e.message = name + ": " + e.message }
        return fail(e)
    }
}

/// Throws `.nullArgument` naming the argument when `pointer` is nil.
@inline(__always)
func require<T>(_ pointer: T?, _ name: StaticString, in function: StaticString) throws(LithosError) -> T {
    guard let p = pointer else {
        throw LithosError(.nullArgument, "\(function): argument '\(name)' is NULL")
    }
    return p
}

/// A Swift string from a NUL-terminated C string (invalid UTF-8 is repaired, never trapped on).
func string(from pointer: UnsafePointer<CChar>) -> String {
    String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlenBounded(pointer)), as: UTF8.self)
}

/// strlen without importing the C library module; callers pass NUL-terminated strings.
func strlenBounded(_ p: UnsafePointer<CChar>) -> Int {
    var n = 0
    while p[n] != 0 { n += 1 }
    return n
}

/// snprintf-style copy of `text` into a caller buffer: writes the needed length (excluding the
/// NUL) to `outLength`, copies and NUL-terminates when it fits, else fails with BUFFER_TOO_SMALL.
func copyOut(_ text: String, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
             _ outLength: UnsafeMutablePointer<Int>?, in function: StaticString) throws(LithosError) {
    if capacity > 0 && buffer == nil {
        throw LithosError(.nullArgument, "\(function): argument 'buffer' is NULL but capacity is \(capacity)")
    }
    var utf8 = Array(text.utf8)
    let needed = utf8.count
    outLength?.pointee = needed
    if capacity == 0 && buffer == nil && outLength != nil {
        // Size query: pass (NULL, 0, &length) to learn the length first.
        return
    }
    guard let buffer, needed < capacity else {
        throw LithosError(.bufferTooSmall,
            "\(function): buffer holds \(capacity) bytes but \(needed + 1) are needed (the length is in *out_length)")
    }
    utf8.append(0)
    utf8.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    }
}

/// Writes a versioned struct whose first field is `size_t struct_size`: copies the first
/// min(struct_size, sizeof(T)) bytes of `value` (keeping the caller's struct_size).
/// `minimumSize` is the size of the struct's first published layout (`StructLayout`), so a
/// program built against an older header keeps working after fields are appended.
func copyOut<T>(_ value: T, to pointer: UnsafeMutablePointer<T>, minimumSize: Int,
                in function: StaticString) throws(LithosError) {
    let declaredSize = UnsafeRawPointer(pointer).load(as: UInt.self)
    let declared = declaredSize > UInt(Int.max) ? Int.max : Int(declaredSize)
    if declared < minimumSize {
        throw LithosError(.structSize,
            "\(function): struct_size is \(declared) but at least \(minimumSize) is needed; set struct_size = sizeof(the struct) before the call")
    }
    var copy = value
    withUnsafeBytes(of: &copy) { bytes in
        let count = min(declared, bytes.count)
        // Skip struct_size itself so the caller's value stays as it was.
        let offset = MemoryLayout<Int>.size
        if count > offset {
            UnsafeMutableRawPointer(pointer).advanced(by: offset)
                .copyMemory(from: bytes.baseAddress!.advanced(by: offset), byteCount: count - offset)
        }
    }
}

/// A static C string from a Swift StaticString literal (literals are NUL-terminated).
@inline(__always)
func cString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Sizes of the first published (v0.1) layout of each versioned struct: the end of its last
/// v0.1 field. Appending fields in a later version leaves these unchanged.
enum StructLayout {
    static let materialProperty = MemoryLayout<lithos_material_property>.offset(of: \lithos_material_property.description)!
        + MemoryLayout<UnsafePointer<CChar>?>.size
    static let cellMetrics = MemoryLayout<lithos_cell_metrics>.offset(of: \lithos_cell_metrics.stack_pressure_Pa)! + 8
    static let modelOutput = MemoryLayout<lithos_model_output>.offset(of: \lithos_model_output.internals)!
        + 8 * Int(LITHOS_MODEL_MAX_INTERNALS)
    static let modelInfo = MemoryLayout<lithos_model_info>.offset(of: \lithos_model_info.internal_count)! + 4
}

/// An index or count from C (size_t) as an Int, or nil when it cannot be one.
@inline(__always)
func intIndex(_ value: UInt) -> Int? { value <= UInt(Int.max) ? Int(value) : nil }
