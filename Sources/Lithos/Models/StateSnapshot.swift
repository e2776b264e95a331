/// The byte format of a saved model state (the basis of HIL checkpointing), identical on every
/// little-endian host:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic "LITHOSST" |
/// | 8 | 4 | format version (1) |
/// | 12 | 4 | model kind code |
/// | 16 | 8 | parameter fingerprint |
/// | 24 | 8 | number of state values n |
/// | 32 | 8·n | state values (IEEE-754 binary64 bit patterns) |
/// | 32+8n | 8 | FNV-1a 64 checksum of bytes 0 ..< 32+8n |
///
/// Loading checks every field, so a truncated, corrupted, wrong-version or other-model snapshot
/// is rejected with a message instead of being half-applied.
public enum StateSnapshot {
    public static let formatVersion: UInt32 = 1
    static let magic: [UInt8] = Array("LITHOSST".utf8)
    static let headerSize = 32

    public static func byteCount(stateCount: Int) -> Int { headerSize + 8 * stateCount + 8 }

    /// Writes a snapshot of `model` into `buffer` (which holds at least `byteCount` bytes).
    /// `scratch` must hold `model.stateCount` Doubles (allocated by the caller once).
    public static func write<M: SnapshotState>(_ model: M, kindCode: UInt32, scratch: UnsafeMutableBufferPointer<Double>,
                                           to buffer: UnsafeMutableRawBufferPointer) {
        let n = model.stateCount
        model.writeState(to: scratch)
        var offset = 0
        func put(_ byte: UInt8) { buffer[offset] = byte; offset += 1 }
        func put64(_ v: UInt64) { var x = v; for _ in 0..<8 { put(UInt8(truncatingIfNeeded: x)); x >>= 8 } }
        func put32(_ v: UInt32) { var x = v; for _ in 0..<4 { put(UInt8(truncatingIfNeeded: x)); x >>= 8 } }
        for b in magic { put(b) }
        put32(formatVersion)
        put32(kindCode)
        put64(model.parameterFingerprint)
        put64(UInt64(n))
        for i in 0..<n { put64(scratch[i].bitPattern) }
        var hash = FNV1a64()
        for i in 0..<offset { hash.add(buffer[i]) }
        put64(hash.value)
    }

    /// Validates a snapshot against `model` and loads it. `scratch` as for `write`.
    public static func read<M: SnapshotState>(_ model: inout M, kindCode: UInt32, scratch: UnsafeMutableBufferPointer<Double>,
                                          from buffer: UnsafeRawBufferPointer) throws(LithosError) {
        let n = model.stateCount
        let expected = byteCount(stateCount: n)
        guard buffer.count >= headerSize + 8 else {
            throw LithosError(.invalidArgument, "state snapshot too short (\(buffer.count) bytes; this model's snapshots are \(expected) bytes)")
        }
        for k in 0..<magic.count where buffer[k] != magic[k] {
            throw LithosError(.invalidArgument, "not a Lithos state snapshot (bad magic bytes)")
        }
        var offset = 8
        func get64() -> UInt64 { var v: UInt64 = 0; for k in 0..<8 { v |= UInt64(buffer[offset + k]) << (8 * UInt64(k)) }; offset += 8; return v }
        func get32() -> UInt32 { var v: UInt32 = 0; for k in 0..<4 { v |= UInt32(buffer[offset + k]) << (8 * UInt32(k)) }; offset += 4; return v }
        let version = get32()
        guard version == formatVersion else {
            throw LithosError(.invalidArgument, "state snapshot format version \(version) is not supported (this library reads version \(formatVersion))")
        }
        let kind = get32()
        guard kind == kindCode else {
            throw LithosError(.invalidArgument, "state snapshot is of model kind \(kind), this model is kind \(kindCode)")
        }
        let fingerprint = get64()
        guard fingerprint == model.parameterFingerprint else {
            throw LithosError(.invalidArgument, "state snapshot was taken from a model with different parameters")
        }
        let count = get64()
        guard count == UInt64(n), buffer.count >= expected else {
            throw LithosError(.invalidArgument, "state snapshot holds \(count) values in \(buffer.count) bytes; this model needs \(n) values in \(expected) bytes")
        }
        for i in 0..<n { scratch[i] = Double(bitPattern: get64()) }
        var hash = FNV1a64()
        for i in 0..<offset { hash.add(buffer[i]) }
        guard get64() == hash.value else {
            throw LithosError(.invalidArgument, "state snapshot checksum mismatch: the data is corrupted")
        }
        try model.readState(from: UnsafeBufferPointer(scratch))
    }
}

/// Anything whose dynamic state can be written to and restored from a fixed number of Doubles
/// (cell models, the state estimator): the requirements `StateSnapshot` needs.
public protocol SnapshotState {
    /// Number of Doubles in the dynamic state (fixed at creation).
    var stateCount: Int { get }
    /// Writes exactly `stateCount` values.
    func writeState(to buffer: UnsafeMutableBufferPointer<Double>)
    /// Restores from exactly `stateCount` values; validates and throws without changing anything.
    mutating func readState(from buffer: UnsafeBufferPointer<Double>) throws(LithosError)
    /// Fingerprint of the parameters: snapshots are refused across different parameters.
    var parameterFingerprint: UInt64 { get }
}
