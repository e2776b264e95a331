/// The byte format of a saved pack state (little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic "LITHOSPK" |
/// | 8 | 4 | format version (1) |
/// | 12 | 4 | cell kind code (1 ecm, 2 ssb-spm, 3 ssb-p2d) |
/// | 16 | 8 | fingerprint of the configuration and every cell's parameters |
/// | 24 | 8 | Ns |
/// | 32 | 8 | Np |
/// | 40 | 8 | number of pack state values m |
/// | 48 | 8·m | pack state: last output, balancing, warm-start currents, faults |
/// | … | | each cell's model snapshot (`StateSnapshot`), in cell order |
/// | end − 8 | 8 | FNV-1a 64 checksum of every byte before it |
///
/// Loading checks the checksum and header before touching anything, so a truncated,
/// corrupted or other-pack snapshot is rejected and the pack stays as it was.
public enum PackSnapshot {
    public static let formatVersion: UInt32 = 1
    static let magic: [UInt8] = Array("LITHOSPK".utf8)
    static let headerSize = 48

    static func scratchCount<M: CellModel>(_ p: PackSimulation<M>) -> Int {
        var m = p.packStateCount
        for c in p.cells { m = max(m, c.stateCount) }
        return m
    }

    static func byteCount<M: CellModel>(_ p: PackSimulation<M>) -> Int {
        var n = headerSize + 8 * p.packStateCount + 8
        for c in p.cells { n += StateSnapshot.byteCount(stateCount: c.stateCount) }
        return n
    }

    static func fingerprint<M: CellModel>(_ p: PackSimulation<M>) -> UInt64 {
        var h = FNV1a64()
        let c = p.configuration
        h.add(UInt64(c.series)); h.add(UInt64(c.parallel))
        h.add(c.interconnectResistance_ohm); h.add(c.tabResistance_ohm); h.add(c.bleedResistance_ohm)
        h.add(c.thermalCoupling_W_per_K); h.add(c.bleedHeatToCells ? UInt64(1) : 0)
        h.add(p.minimumVoltage_V); h.add(p.maximumVoltage_V)
        for cell in p.cells { h.add(cell.parameterFingerprint) }
        return h.value
    }

    static func write<M: CellModel>(_ p: PackSimulation<M>, kindCode: UInt32, scratch: UnsafeMutableBufferPointer<Double>,
                                    to buffer: UnsafeMutableRawBufferPointer) {
        var offset = 0
        func put(_ byte: UInt8) { buffer[offset] = byte; offset += 1 }
        func put64(_ v: UInt64) { var x = v; for _ in 0..<8 { put(UInt8(truncatingIfNeeded: x)); x >>= 8 } }
        func put32(_ v: UInt32) { var x = v; for _ in 0..<4 { put(UInt8(truncatingIfNeeded: x)); x >>= 8 } }
        for b in magic { put(b) }
        put32(formatVersion)
        put32(kindCode)
        put64(fingerprint(p))
        put64(UInt64(p.series)); put64(UInt64(p.parallel))
        let m = p.packStateCount
        put64(UInt64(m))
        p.writePackState(to: scratch)
        for i in 0..<m { put64(scratch[i].bitPattern) }
        for cell in p.cells {
            let n = StateSnapshot.byteCount(stateCount: cell.stateCount)
            StateSnapshot.write(cell, kindCode: kindCode, scratch: scratch,
                                to: UnsafeMutableRawBufferPointer(rebasing: buffer[offset ..< offset + n]))
            offset += n
        }
        var hash = FNV1a64()
        for i in 0..<offset { hash.add(buffer[i]) }
        put64(hash.value)
    }

    static func read<M: CellModel>(_ p: inout PackSimulation<M>, kindCode: UInt32, scratch: UnsafeMutableBufferPointer<Double>,
                                   from buffer: UnsafeRawBufferPointer) throws(LithosError) {
        let expected = byteCount(p)
        guard buffer.count >= expected else {
            throw LithosError(.invalidArgument, "pack state snapshot is \(buffer.count) bytes; this pack's snapshots are \(expected) bytes")
        }
        for k in 0..<magic.count where buffer[k] != magic[k] {
            throw LithosError(.invalidArgument, "not a Lithos pack state snapshot (bad magic bytes)")
        }
        var offset = 8
        func get64() -> UInt64 { var v: UInt64 = 0; for k in 0..<8 { v |= UInt64(buffer[offset + k]) << (8 * UInt64(k)) }; offset += 8; return v }
        func get32() -> UInt32 { var v: UInt32 = 0; for k in 0..<4 { v |= UInt32(buffer[offset + k]) << (8 * UInt32(k)) }; offset += 4; return v }
        var hash = FNV1a64()
        for i in 0..<(expected - 8) { hash.add(buffer[i]) }
        var tail: UInt64 = 0
        for k in 0..<8 { tail |= UInt64(buffer[expected - 8 + k]) << (8 * UInt64(k)) }
        guard tail == hash.value else {
            throw LithosError(.invalidArgument, "pack state snapshot checksum mismatch: the data is corrupted or truncated")
        }
        let version = get32()
        guard version == formatVersion else {
            throw LithosError(.invalidArgument, "pack state snapshot format version \(version) is not supported (this library reads version \(formatVersion))")
        }
        let kind = get32()
        guard kind == kindCode else {
            throw LithosError(.invalidArgument, "pack state snapshot holds cells of kind \(kind); this pack's cells are kind \(kindCode)")
        }
        guard get64() == fingerprint(p), get64() == UInt64(p.series), get64() == UInt64(p.parallel) else {
            throw LithosError(.invalidArgument, "pack state snapshot was taken from a pack with a different configuration or cells")
        }
        let m = p.packStateCount
        guard get64() == UInt64(m) else {
            throw LithosError(.invalidArgument, "pack state snapshot holds a different number of pack values")
        }
        for i in 0..<m { scratch[i] = Double(bitPattern: get64()) }
        guard p.checkPackState(UnsafeBufferPointer(scratch)) else {
            throw LithosError(.invalidArgument, "pack state snapshot values are out of range")
        }
        let packStart = 48
        // Keep every cell's present state, so a cell snapshot that fails validation restores all.
        for k in 0..<p.cellCount {
            let o = p.cellStateOffsets[k]
            let count = p.cells[k].stateCount
            p.rollback.withUnsafeMutableBufferPointer { b in
                p.cells[k].writeState(to: UnsafeMutableBufferPointer(rebasing: b[o ..< o + count]))
            }
        }
        for k in 0..<p.cellCount {
            let n = StateSnapshot.byteCount(stateCount: p.cells[k].stateCount)
            do {
                try StateSnapshot.read(&p.cells[k], kindCode: kindCode, scratch: scratch,
                                       from: UnsafeRawBufferPointer(rebasing: buffer[offset ..< offset + n]))
            } catch {
                for j in 0..<k {
                    let o = p.cellStateOffsets[j], count = p.cells[j].stateCount
                    p.rollback.withUnsafeBufferPointer { b in
                        try? p.cells[j].readState(from: UnsafeBufferPointer(rebasing: b[o ..< o + count]))
                    }
                }
                throw LithosError(.invalidArgument, "pack state snapshot, cell \(k): \(error.message)")
            }
            offset += n
        }
        // The pack values last (the scratch was reused by the cells): read them again.
        offset = packStart
        for i in 0..<m { scratch[i] = Double(bitPattern: get64()) }
        p.readPackState(UnsafeBufferPointer(scratch))
    }
}
