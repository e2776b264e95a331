/// The HIL datagram protocol, version 1 (docs/hil.md; C layout: examples/hil/lithos_hil_protocol.h).
///
/// Fixed-size little-endian datagrams with a 16-byte header {magic "LHIL", version u16, type u16,
/// sequence u32, payload_size u32}. Encoding and decoding go byte by byte (no host-order or
/// alignment assumptions) and never allocate, except that a snapshot request's file name
/// becomes a String. `HILProtocol.decode` is a pure function of the bytes and the pack's channel
/// count: every malformed, short, long, wrong-version or out-of-range datagram comes back as
/// `.rejected(reason)`, nothing traps.
enum HILProtocol {
    static let magic: UInt32 = 0x4C49_484C   // bytes 'L' 'H' 'I' 'L'
    static let version: UInt16 = 1
    static let headerSize = 16
    static let maxChannels = 128
    static let maxCells = 256
    static let snapshotSlots = 8
    static let nameBytes = 64

    enum MessageType: UInt16 {
        case command = 1, measurement = 2, fault = 3, snapshot = 4, stop = 5, reply = 6

        /// Size of the whole datagram [bytes].
        var size: Int {
            switch self {
            case .command: return 160
            case .measurement: return 1776
            case .fault: return 40
            case .snapshot: return 88
            case .stop: return 16
            case .reply: return 96
            }
        }
    }

    /// Byte offsets of the MEASUREMENT arrays.
    static let measurementVoltageOffset = 112
    static let measurementTemperatureOffset = 624
    static let measurementBalancingOffset = 1648
    /// Byte offset of a COMMAND's balancing flags.
    static let commandBalancingOffset = 32
    static let commandBalancingValid: UInt32 = 1

    static let statusContactorOpen: UInt32 = 1 << 0
    static let statusLimitReached: UInt32 = 1 << 1
    static let statusStepRejected: UInt32 = 1 << 2
    static let statusLate: UInt32 = 1 << 3

    /// Why a datagram was dropped (counted per reason).
    enum Rejection: Int, CaseIterable {
        case short = 0          // fewer bytes than a header
        case magic              // not "LHIL"
        case version            // another protocol version
        case type               // unknown type, or one the emulator does not accept
        case size               // datagram size or payload_size not that of its type
        case field              // a field out of range (NaN current, unknown fault kind, bad name …)

        var name: String {
            switch self {
            case .short: return "short"
            case .magic: return "magic"
            case .version: return "version"
            case .type: return "type"
            case .size: return "size"
            case .field: return "field"
            }
        }
    }

    struct Command: Equatable {
        var sequence: UInt32
        var current_A: Double
        var ackSequence: UInt32
        /// The balancing flags (bytes 32 …) are valid and to be applied.
        var balancingValid: Bool
    }

    struct Fault: Equatable {
        enum Action: UInt32 { case inject = 1, clear = 2, clearAll = 3 }
        var sequence: UInt32
        var action: Action
        var kind: PackFaultKindCode
        var index: Int
        var value: Double
    }

    /// A `lithos_pack_fault` code 0…8 (the pack validates index and value).
    typealias PackFaultKindCode = Int32

    struct Snapshot: Equatable {
        enum Action: UInt32 { case save = 1, restore = 2 }
        var sequence: UInt32
        var action: Action
        var slot: Int
        /// File name in the snapshot directory, or nil for the memory slot.
        var name: String?
    }

    enum Message: Equatable {
        case command(Command)
        case fault(Fault)
        case snapshot(Snapshot)
        case stop(sequence: UInt32)
        case rejected(Rejection)
    }

    // MARK: - Decoding (BMS → emulator)

    /// Decodes one datagram received by the emulator. `channelCount` is the pack's Ns: a
    /// COMMAND's balancing flags must be 0 or 1, and 0 beyond Ns.
    static func decode(_ b: UnsafeRawBufferPointer, channelCount: Int) -> Message {
        guard b.count >= headerSize else { return .rejected(.short) }
        guard u32(b, 0) == magic else { return .rejected(.magic) }
        guard u16(b, 4) == version else { return .rejected(.version) }
        guard let type = MessageType(rawValue: u16(b, 6)) else { return .rejected(.type) }
        guard b.count == type.size, Int(u32(b, 12)) == type.size - headerSize else { return .rejected(.size) }
        let sequence = u32(b, 8)
        switch type {
        case .command:
            let current = f64(b, 16)
            guard current.isFinite, abs(current) <= 1e6 else { return .rejected(.field) }
            let flags = u32(b, 28)
            guard flags & ~commandBalancingValid == 0 else { return .rejected(.field) }
            for s in 0..<maxChannels {
                let on = b[commandBalancingOffset + s]
                guard on <= 1, on == 0 || s < channelCount else { return .rejected(.field) }
            }
            return .command(Command(sequence: sequence, current_A: current, ackSequence: u32(b, 24),
                                    balancingValid: flags & commandBalancingValid != 0))
        case .fault:
            guard let action = Fault.Action(rawValue: u32(b, 16)) else { return .rejected(.field) }
            let kind = u32(b, 20), index = u32(b, 24), value = f64(b, 32)
            guard u32(b, 28) == 0, kind <= 8, index <= 1_000_000 else { return .rejected(.field) }
            guard action != .inject || value.isFinite else { return .rejected(.field) }
            return .fault(Fault(sequence: sequence, action: action, kind: Int32(kind), index: Int(index),
                                value: action == .inject ? value : 0))
        case .snapshot:
            guard let action = Snapshot.Action(rawValue: u32(b, 16)) else { return .rejected(.field) }
            let slot = u32(b, 20)
            // The name: allowed characters up to the first NUL, NUL padding after it.
            var length = 0
            while length < nameBytes && b[24 + length] != 0 { length += 1 }
            for i in length..<nameBytes where b[24 + i] != 0 { return .rejected(.field) }
            if length == 0 {
                guard slot < snapshotSlots else { return .rejected(.field) }
                return .snapshot(Snapshot(sequence: sequence, action: action, slot: Int(slot), name: nil))
            }
            guard b[24] != UInt8(ascii: ".") else { return .rejected(.field) }
            for i in 0..<length {
                let c = b[24 + i]
                let ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                guard ok else { return .rejected(.field) }
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: b[24..<(24 + length)]), as: UTF8.self)
            return .snapshot(Snapshot(sequence: sequence, action: action, slot: Int(slot), name: name))
        case .stop:
            return .stop(sequence: sequence)
        case .measurement, .reply:
            return .rejected(.type)   // emulator → BMS only
        }
    }

    // MARK: - Encoding (emulator → BMS)

    /// Writes a header for `type` at the start of `b` (b.count ≥ type.size).
    static func writeHeader(_ b: UnsafeMutableRawBufferPointer, type: MessageType, sequence: UInt32) {
        put32(b, 0, magic)
        put16(b, 4, version)
        put16(b, 6, type.rawValue)
        put32(b, 8, sequence)
        put32(b, 12, UInt32(type.size - headerSize))
    }

    /// The scalar fields of a MEASUREMENT (the arrays are written with `putFloat`/`b[…]`).
    struct MeasurementFields {
        var time_s = 0.0
        var step: UInt64 = 0
        var packVoltage_V = 0.0
        var packCurrent_A = 0.0
        var measuredCurrent_A = 0.0
        var balancingCurrent_A = 0.0
        var limitFlags: UInt32 = 0
        var activeFaults: UInt32 = 0
        var status: UInt32 = 0
        var commandSequence: UInt32 = 0
        var channelCount: UInt32 = 0
        var cellCount: UInt32 = 0
        var missedDeadlines: UInt64 = 0
        var jitterP50_us: UInt32 = 0
        var jitterP99_us: UInt32 = 0
        var jitterMax_us: UInt32 = 0
        var rejectedDatagrams: UInt32 = 0
    }

    /// Encodes a MEASUREMENT into `b` (≥ 1776 bytes): the header, the fields, channel voltages
    /// and cell temperatures as f32 (entries past the counts 0), balancing flags.
    static func encodeMeasurement(_ b: UnsafeMutableRawBufferPointer, sequence: UInt32, _ m: MeasurementFields,
                                  voltages: UnsafeMutableBufferPointer<Double>, temperatures: UnsafeMutableBufferPointer<Double>,
                                  balancing: UnsafeMutableBufferPointer<UInt8>) {
        writeHeader(b, type: .measurement, sequence: sequence)
        putF64(b, 16, m.time_s)
        put64(b, 24, m.step)
        putF64(b, 32, m.packVoltage_V)
        putF64(b, 40, m.packCurrent_A)
        putF64(b, 48, m.measuredCurrent_A)
        putF64(b, 56, m.balancingCurrent_A)
        put32(b, 64, m.limitFlags)
        put32(b, 68, m.activeFaults)
        put32(b, 72, m.status)
        put32(b, 76, m.commandSequence)
        put32(b, 80, m.channelCount)
        put32(b, 84, m.cellCount)
        put64(b, 88, m.missedDeadlines)
        put32(b, 96, m.jitterP50_us)
        put32(b, 100, m.jitterP99_us)
        put32(b, 104, m.jitterMax_us)
        put32(b, 108, m.rejectedDatagrams)
        let ns = min(Int(m.channelCount), maxChannels, voltages.count), nc = min(Int(m.cellCount), maxCells, temperatures.count)
        for s in 0..<maxChannels {
            put32(b, measurementVoltageOffset + 4 * s, s < ns ? Float(voltages[s]).bitPattern : 0)
            b[measurementBalancingOffset + s] = s < ns && s < balancing.count ? balancing[s] : 0
        }
        for k in 0..<maxCells {
            put32(b, measurementTemperatureOffset + 4 * k, k < nc ? Float(temperatures[k]).bitPattern : 0)
        }
    }

    /// Encodes a REPLY into `b` (≥ 96 bytes); the message is cut to 63 bytes (at a UTF-8
    /// boundary) and NUL-padded.
    static func encodeReply(_ b: UnsafeMutableRawBufferPointer, sequence: UInt32, requestType: UInt16, requestSequence: UInt32,
                            status: Int32, step: UInt64, message: String) {
        writeHeader(b, type: .reply, sequence: sequence)
        put32(b, 16, UInt32(requestType))
        put32(b, 20, requestSequence)
        put32(b, 24, UInt32(bitPattern: status))
        put32(b, 28, UInt32(truncatingIfNeeded: step))
        for i in 0..<nameBytes { b[32 + i] = 0 }
        var n = 0
        for scalar in message.unicodeScalars {
            let utf8 = Array(String(scalar).utf8)
            if n + utf8.count > nameBytes - 1 { break }
            for byte in utf8 { b[32 + n] = byte; n += 1 }
        }
    }

    // MARK: - Little-endian field access

    static func u16(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    static func u32(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
    static func u64(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt64 { UInt64(u32(b, o)) | UInt64(u32(b, o + 4)) << 32 }
    static func f64(_ b: UnsafeRawBufferPointer, _ o: Int) -> Double { Double(bitPattern: u64(b, o)) }

    static func put16(_ b: UnsafeMutableRawBufferPointer, _ o: Int, _ v: UInt16) {
        b[o] = UInt8(truncatingIfNeeded: v); b[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
    }
    static func put32(_ b: UnsafeMutableRawBufferPointer, _ o: Int, _ v: UInt32) {
        for i in 0..<4 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }
    static func put64(_ b: UnsafeMutableRawBufferPointer, _ o: Int, _ v: UInt64) {
        for i in 0..<8 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
    static func putF64(_ b: UnsafeMutableRawBufferPointer, _ o: Int, _ v: Double) { put64(b, o, v.bitPattern) }
}
