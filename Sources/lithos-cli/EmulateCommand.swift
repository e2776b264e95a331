#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lithos

/// Set by SIGINT/SIGTERM: the loop finishes its tick and prints the summary.
nonisolated(unsafe) private var emulatorStopSignal: Int32 = 0

/// `lithos emulate --pack PACK.json`: a real-time HIL cell emulator (docs/hil.md).
///
///     lithos emulate --pack PACK.json [--rate-hz 1000] [--listen 127.0.0.1:PORT] [--allow-remote]
///                    [--duration-s T] [--report-every-s S] [--snapshot-dir DIR] [--ambient-K T]
///                    [--summary-json FILE]
///
/// A fixed-rate loop on absolute deadlines (clock_nanosleep, TIMER_ABSTIME, CLOCK_MONOTONIC).
/// Each tick: wake at the deadline and record the lateness; drain the non-blocking UDP socket
/// (the newest COMMAND sets the pack current and balancing, FAULT and SNAPSHOT act at once,
/// STOP ends the run, anything malformed is counted and dropped); step the pack by exactly one
/// period; send a MEASUREMENT to the last COMMAND's sender. A tick that starts more than one
/// period late skips the deadlines it overran (counted as missed): the model still takes one
/// step per tick, so its time is ticks × period and falls behind the wall clock by the missed
/// periods. Nothing in the tick allocates except snapshot files, REPLY texts and the optional
/// periodic report line.
enum EmulateCommand {
    static func run(_ options: inout Options) throws {
        guard let packPath = try options.value("--pack") else { throw UsageError(message: "emulate needs --pack PACK.json") }
        let rate = try options.number("--rate-hz") ?? 1000
        let listen = try options.value("--listen") ?? "127.0.0.1:0"
        let allowRemote = options.flag("--allow-remote")
        let duration = try options.number("--duration-s")
        let reportEvery = try options.number("--report-every-s") ?? 0
        let snapshotDir = try options.value("--snapshot-dir")
        let ambient = try options.number("--ambient-K") ?? Physics.referenceTemperature_K
        let summaryPath = try options.value("--summary-json")
        try options.finish()

        guard rate >= 1 && rate <= 20_000 else { throw UsageError(message: "--rate-hz must be within [1, 20000] (got \(rate))") }
        if let d = duration, !(d > 0 && d <= 1e9) { throw UsageError(message: "--duration-s must be within (0, 1e9] (got \(d))") }
        guard reportEvery >= 0 && reportEvery <= 1e9 else { throw UsageError(message: "--report-every-s must be within [0, 1e9]") }
        try Validate.temperature(ambient, "--ambient-K")
        let (address, port) = try parseListen(listen)
        if !allowRemote && address >> 24 != 127 {
            throw UsageError(message: "--listen \(listen) is not a loopback address (127.x.x.x); add --allow-remote to serve a network (the protocol has no authentication)")
        }

        let pack = try AnyPack.make(json: try readTextFile(packPath))
        let ns = pack.series, nc = pack.cellCount
        guard ns <= HILProtocol.maxChannels && nc <= HILProtocol.maxCells else {
            throw UsageError(message: "protocol version 1 carries at most \(HILProtocol.maxChannels) channels and \(HILProtocol.maxCells) cells (pack: \(ns) and \(nc))")
        }
        var loop = try EmulatorLoop(pack: pack, rate_Hz: rate, ambient_K: ambient, snapshotDir: snapshotDir)
        try loop.open(address: address, port: port)
        defer { loop.close() }

        let c = loop.pack.configuration
        emit("lithos emulate: \(c.series)s\(c.parallel)p \(loop.pack.kind) pack from \(packPath), \(formatNumber(rate)) Hz "
             + "(period \(formatNumber(1e6 / rate)) µs), protocol LHIL v\(HILProtocol.version)")
        emit("listening on \(ipv4Text(address)):\(loop.boundPort)")

        signal(SIGINT) { _ in emulatorStopSignal = 1 }
        signal(SIGTERM) { _ in emulatorStopSignal = 1 }
        loop.run(duration_s: duration, reportEvery_s: reportEvery)
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)

        let summary = loop.summary()
        emit(summary.text)
        if let summaryPath { try writeTextFile(summaryPath, summary.json) }
    }

    /// "A.B.C.D:PORT" (or "localhost:PORT") → host-order IPv4 address and port.
    static func parseListen(_ text: String) throws -> (UInt32, UInt16) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else {
            throw UsageError(message: "--listen takes IPv4:PORT, e.g. 127.0.0.1:47000 (got '\(text)')")
        }
        if parts[0] == "localhost" { return (0x7F00_0001, port) }
        let bytes = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard bytes.count == 4, parts[0].split(separator: ".", omittingEmptySubsequences: false).count == 4 else {
            throw UsageError(message: "--listen takes IPv4:PORT, e.g. 127.0.0.1:47000 (got '\(text)')")
        }
        return (bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, port)
    }

    static func ipv4Text(_ a: UInt32) -> String { "\(a >> 24).\(a >> 16 & 255).\(a >> 8 & 255).\(a & 255)" }
}

/// Writes a line to stdout at once (unbuffered: a test reads the port line while we run).
func emit(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    var bytes = Array(line.utf8)
    _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
}

/// Monotonic clock [ns].
private func monotonicNow() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Wake-up lateness histogram: 1 µs bins to 2 ms, 100 µs bins to 100 ms, one overflow bin.
/// Fixed storage; recording and percentiles do not allocate.
struct LatenessHistogram {
    static let fineBins = 2000, coarseBins = 980
    private(set) var counts = [UInt64](repeating: 0, count: fineBins + coarseBins + 1)
    private(set) var total: UInt64 = 0
    private(set) var maximum_us: Int64 = 0

    mutating func record(_ us: Int64) {
        let x = max(0, us)
        let bin = x < Int64(Self.fineBins) ? Int(x) : min(Self.fineBins + Int((x - Int64(Self.fineBins)) / 100), counts.count - 1)
        counts[bin] += 1
        total += 1
        maximum_us = max(maximum_us, x)
    }

    /// The q-quantile [µs] (upper edge of its bin; the maximum for the overflow bin).
    func quantile(_ q: Double) -> Int64 {
        guard total > 0 else { return 0 }
        let target = UInt64((q * Double(total)).rounded(.up))
        var sum: UInt64 = 0
        for (bin, n) in counts.enumerated() {
            sum += n
            if sum >= max(target, 1) {
                if bin < Self.fineBins { return min(Int64(bin), maximum_us) }
                if bin == counts.count - 1 { return maximum_us }
                return min(Int64(Self.fineBins) + Int64(bin - Self.fineBins + 1) * 100, maximum_us)
            }
        }
        return maximum_us
    }
}

/// The emulator's state: the pack, the socket, the command in force, statistics and the
/// buffers the tick uses (allocated once).
struct EmulatorLoop {
    var pack: AnyPack
    let period_ns: Int64
    let dt_s: Double
    let ambient_K: Double
    let snapshotDir: String?
    var socketFD: Int32 = -1
    var boundPort: UInt16 = 0

    // Command in force.
    var current_A = 0.0
    var commandSequence: UInt32 = 0
    var haveCommand = false
    var client = sockaddr_in()
    var haveClient = false
    var balancing: UnsafeMutableBufferPointer<UInt8>

    // Buffers.
    let rx = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    let tx = UnsafeMutableRawBufferPointer.allocate(byteCount: 2048, alignment: 8)
    let voltages: UnsafeMutableBufferPointer<Double>
    let temperatures: UnsafeMutableBufferPointer<Double>
    let snapshotScratch: UnsafeMutableBufferPointer<Double>
    var slots: [UnsafeMutableRawBufferPointer?] = Array(repeating: nil, count: HILProtocol.snapshotSlots)

    // Statistics.
    var ticks: UInt64 = 0
    var missedDeadlines: UInt64 = 0
    var lateTicks: UInt64 = 0
    var lateness = LatenessHistogram()
    var work = LatenessHistogram()
    var received: UInt64 = 0
    var commands: UInt64 = 0
    var staleCommands: UInt64 = 0
    var faultCommands: UInt64 = 0
    var snapshotCommands: UInt64 = 0
    var failedRequests: UInt64 = 0
    var rejected = [UInt64](repeating: 0, count: HILProtocol.Rejection.allCases.count)
    var rejectedTotal: UInt64 = 0
    var sent: UInt64 = 0
    var sendErrors: UInt64 = 0
    var stepRejected: UInt64 = 0
    var limitTicks: UInt64 = 0
    var maximumBalancing_A = 0.0
    var txSequence: UInt32 = 0
    var stopRequested = false
    var stopReason = "duration"
    var quantiles: (p50: UInt32, p99: UInt32) = (0, 0)
    var wallStart: Int64 = 0
    var wallEnd: Int64 = 0

    init(pack: AnyPack, rate_Hz: Double, ambient_K: Double, snapshotDir: String?) throws {
        self.pack = pack
        self.period_ns = Int64((1e9 / rate_Hz).rounded())
        self.dt_s = Double(period_ns) * 1e-9
        self.ambient_K = ambient_K
        self.snapshotDir = snapshotDir
        balancing = .allocate(capacity: pack.series)
        balancing.initialize(repeating: 0)
        for (s, on) in pack.balancing.enumerated() { balancing[s] = on ? 1 : 0 }
        voltages = .allocate(capacity: pack.series)
        voltages.initialize(repeating: 0)
        temperatures = .allocate(capacity: pack.cellCount)
        temperatures.initialize(repeating: 0)
        snapshotScratch = .allocate(capacity: max(1, pack.snapshotScratchCount))
        snapshotScratch.initialize(repeating: 0)
    }

    mutating func open(address: UInt32, port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw LithosError(.internal, "socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr = in_addr(s_addr: address.bigEndian)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw LithosError(.invalidArgument, "cannot bind \(EmulateCommand.ipv4Text(address)):\(port): \(message)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        boundPort = UInt16(bigEndian: addr.sin_port)
        socketFD = fd
    }

    func close() {
        if socketFD >= 0 { Glibc.close(socketFD) }
    }

    // MARK: - The loop

    mutating func run(duration_s: Double?, reportEvery_s: Double) {
        let totalTicks: UInt64 = duration_s.map { UInt64(($0 / dt_s).rounded()) } ?? .max
        let reportTicks: UInt64 = reportEvery_s > 0 ? max(1, UInt64((reportEvery_s / dt_s).rounded())) : 0
        let statisticsTicks = max(1, UInt64((0.1 / dt_s).rounded()))   // percentiles refreshed at 10 Hz
        // Warm-up outside the timed loop: touch the code paths and buffers of a tick (sleep,
        // receive, read values, encode) so the first tick does not pay page faults and lazy binding.
        var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
        _ = clock_nanosleep(CLOCK_MONOTONIC, 0, &pause, nil)
        _ = recv(socketFD, rx.baseAddress, rx.count, Int32(MSG_PEEK))   // peek: leaves a waiting datagram for tick 1
        _ = pack.write(.measuredVoltage, to: voltages)
        _ = pack.write(.measuredTemperature, to: temperatures)
        HILProtocol.encodeMeasurement(tx, sequence: 0, HILProtocol.MeasurementFields(), voltages: voltages,
                                      temperatures: temperatures, balancing: balancing)
        _ = lateness.quantile(0.5)
        wallStart = monotonicNow()
        var deadline = wallStart + period_ns
        while ticks < totalTicks && !stopRequested {
            if emulatorStopSignal != 0 { stopReason = "signal"; break }
            var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {
                if emulatorStopSignal != 0 { break }
            }
            let woke = monotonicNow()
            let late_ns = woke - deadline
            lateness.record(late_ns / 1000)
            var late = false
            if late_ns > period_ns {
                // Overran one or more deadlines: skip them (counted), keep one step per tick.
                let skipped = late_ns / period_ns
                missedDeadlines += UInt64(skipped)
                lateTicks += 1
                deadline += skipped * period_ns
                late = true
            }
            tick(late: late)
            deadline += period_ns
            work.record((monotonicNow() - woke) / 1000)
            if ticks % statisticsTicks == 0 {
                quantiles = (UInt32(clamping: lateness.quantile(0.5)), UInt32(clamping: lateness.quantile(0.99)))
            }
            if reportTicks > 0 && ticks % reportTicks == 0 { report() }
        }
        if stopRequested { stopReason = "STOP datagram" }
        wallEnd = monotonicNow()
    }

    /// One tick: drain the socket, step, measure, send.
    mutating func tick(late: Bool) {
        for _ in 0..<256 {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let n = withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(socketFD, rx.baseAddress, rx.count, 0, $0, &length) }
            }
            if n < 0 { break }   // EAGAIN (nothing more) or an error: try again next tick
            received += 1
            let datagram = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(rx)[0..<n])
            handle(HILProtocol.decode(datagram, channelCount: pack.series), from: from)
        }

        var status: UInt32 = late ? HILProtocol.statusLate : 0
        var output: PackOutput
        do {
            output = try pack.step(current: current_A, dt_s: dt_s, ambient_K: ambient_K)
        } catch {
            stepRejected += 1
            status |= HILProtocol.statusStepRejected
            output = (try? pack.step(current: 0, dt_s: dt_s, ambient_K: ambient_K)) ?? pack.output
        }
        ticks += 1
        if output.limits != 0 { status |= HILProtocol.statusLimitReached; limitTicks += 1 }
        if output.activeFaults & PackFaultKind.contactorOpen.bit != 0 { status |= HILProtocol.statusContactorOpen }
        maximumBalancing_A = max(maximumBalancing_A, output.balancingCurrent_A)
        guard haveClient else { return }

        _ = pack.write(.measuredVoltage, to: voltages)
        _ = pack.write(.measuredTemperature, to: temperatures)
        var m = HILProtocol.MeasurementFields()
        m.time_s = output.time_s
        m.step = ticks
        m.packVoltage_V = output.voltage_V
        m.packCurrent_A = output.current_A
        m.measuredCurrent_A = output.measuredCurrent_A
        m.balancingCurrent_A = output.balancingCurrent_A
        m.limitFlags = output.limits
        m.activeFaults = output.activeFaults
        m.status = status
        m.commandSequence = haveCommand ? commandSequence : 0
        m.channelCount = UInt32(pack.series)
        m.cellCount = UInt32(pack.cellCount)
        m.missedDeadlines = missedDeadlines
        m.jitterP50_us = quantiles.p50
        m.jitterP99_us = quantiles.p99
        m.jitterMax_us = UInt32(clamping: lateness.maximum_us)
        m.rejectedDatagrams = UInt32(clamping: rejectedTotal)
        txSequence &+= 1
        HILProtocol.encodeMeasurement(tx, sequence: txSequence, m, voltages: voltages, temperatures: temperatures, balancing: balancing)
        send(HILProtocol.MessageType.measurement.size, to: client)
    }

    mutating func send(_ size: Int, to address: sockaddr_in) {
        var to = address
        let n = withUnsafePointer(to: &to) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(socketFD, tx.baseAddress, size, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if n == size { sent += 1 } else { sendErrors += 1 }
    }

    static func sameAddress(_ a: sockaddr_in, _ b: sockaddr_in) -> Bool {
        a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port
    }

    mutating func handle(_ message: HILProtocol.Message, from: sockaddr_in) {
        switch message {
        case .rejected(let reason):
            rejected[reason.rawValue] += 1
            rejectedTotal += 1
        case .command(let c):
            let newClient = !haveClient || !Self.sameAddress(client, from)
            // Newest wins: an older sequence from the same client (reordered) is ignored.
            if !newClient && haveCommand && Int32(bitPattern: c.sequence &- commandSequence) <= 0 {
                staleCommands += 1
                return
            }
            commands += 1
            client = from
            haveClient = true
            haveCommand = true
            commandSequence = c.sequence
            current_A = c.current_A
            if c.balancingValid {
                var changed = false
                for s in 0..<pack.series {
                    let on = rx[HILProtocol.commandBalancingOffset + s]
                    if balancing[s] != on { balancing[s] = on; changed = true }
                }
                if changed {
                    do { try pack.setBalancing(UnsafeBufferPointer(balancing)) } catch { failedRequests += 1 }
                }
            }
        case .fault(let f):
            faultCommands += 1
            var status: Int32 = 0, text = "ok"
            do {
                if f.action == .clearAll {
                    pack.clearFaults()
                } else if let kind = PackFaultKind(rawValue: f.kind) {
                    if f.action == .inject { try pack.injectFault(kind, index: f.index, value: f.value) }
                    else { try pack.clearFault(kind, index: f.index) }
                }
            } catch {
                status = error.kind.rawValue; text = error.message; failedRequests += 1
            }
            reply(to: from, type: .fault, sequence: f.sequence, status: status, message: text)
        case .snapshot(let s):
            snapshotCommands += 1
            var status: Int32 = 0, text = "ok"
            do { text = try snapshot(s) } catch { status = error.kind.rawValue; text = error.message; failedRequests += 1 }
            reply(to: from, type: .snapshot, sequence: s.sequence, status: status, message: text)
        case .stop(let sequence):
            stopRequested = true
            reply(to: from, type: .stop, sequence: sequence, status: 0, message: "stopping")
        }
    }

    mutating func reply(to address: sockaddr_in, type: HILProtocol.MessageType, sequence: UInt32, status: Int32, message: String) {
        txSequence &+= 1
        HILProtocol.encodeReply(tx, sequence: txSequence, requestType: type.rawValue, requestSequence: sequence,
                                status: status, step: ticks, message: message)
        send(HILProtocol.MessageType.reply.size, to: address)
    }

    /// Saves or restores the pack's state (memory slot or a file in --snapshot-dir).
    mutating func snapshot(_ s: HILProtocol.Snapshot) throws(LithosError) -> String {
        let size = pack.snapshotByteCount
        if let name = s.name {
            guard let dir = snapshotDir else { throw LithosError(.invalidArgument, "no --snapshot-dir for file snapshots") }
            let path = dir + "/" + name
            switch s.action {
            case .save:
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
                defer { buffer.deallocate() }
                pack.saveState(scratch: snapshotScratch, to: buffer)
                guard let file = fopen(path, "wb") else { throw LithosError(.invalidArgument, "cannot write \(path)") }
                let written = fwrite(buffer.baseAddress, 1, size, file)
                fclose(file)
                guard written == size else { throw LithosError(.invalidArgument, "short write to \(path)") }
                return "saved \(size) B to \(name)"
            case .restore:
                guard let file = fopen(path, "rb") else { throw LithosError(.notFound, "cannot read \(path)") }
                defer { fclose(file) }
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 1, alignment: 8)
                defer { buffer.deallocate() }
                let n = fread(buffer.baseAddress, 1, size + 1, file)
                try pack.loadState(scratch: snapshotScratch, from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<n]))
                syncBalancing()
                return "restored \(name)"
            }
        }
        switch s.action {
        case .save:
            let buffer = slots[s.slot] ?? UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
            slots[s.slot] = buffer
            pack.saveState(scratch: snapshotScratch, to: buffer)
            return "saved \(size) B to slot \(s.slot)"
        case .restore:
            guard let buffer = slots[s.slot] else { throw LithosError(.notFound, "snapshot slot \(s.slot) is empty") }
            try pack.loadState(scratch: snapshotScratch, from: UnsafeRawBufferPointer(buffer))
            syncBalancing()
            return "restored slot \(s.slot)"
        }
    }

    /// After a restore the pack's balancing is the snapshot's: mirror it.
    mutating func syncBalancing() {
        for (s, on) in pack.balancing.enumerated() { balancing[s] = on ? 1 : 0 }
    }

    func report() {
        let o = pack.output
        emit("t \(formatNumber(o.time_s, significant: 6)) s: ticks \(ticks), missed \(missedDeadlines), lateness p50/p99/max "
             + "\(lateness.quantile(0.5))/\(lateness.quantile(0.99))/\(lateness.maximum_us) µs, work max \(work.maximum_us) µs, "
             + "I \(formatNumber(current_A)) A, V \(formatNumber(o.voltage_V, significant: 6)) V, SOC \(formatNumber(o.soc)), "
             + "commands \(commands), rejected \(rejectedTotal)")
    }

    // MARK: - Summary

    func summary() -> (text: String, json: String) {
        let o = pack.output
        let z = pack.values(.cellSOC), q = pack.values(.cellCapacity), t = pack.values(.cellTemperature)
        let np = pack.parallel
        var channelSOC: [Double] = []
        for s in 0..<pack.series {
            var charge = 0.0, capacity = 0.0
            for p in 0..<np { charge += z[s * np + p] * q[s * np + p]; capacity += q[s * np + p] }
            channelSOC.append(charge / capacity)
        }
        let wall = Double(wallEnd - wallStart) * 1e-9
        let p = (p50: lateness.quantile(0.5), p90: lateness.quantile(0.9), p99: lateness.quantile(0.99), p999: lateness.quantile(0.999))
        var table = TextTable(["result", "value", "unit"])
        table.add(["stopped by", stopReason, ""])
        table.add(["ticks (steps of \(formatNumber(dt_s * 1e6)) µs)", "\(ticks)", ""])
        table.add(["model time / wall time", "\(formatNumber(o.time_s, significant: 6)) / \(formatNumber(wall, significant: 6))", "s"])
        table.add(["missed deadlines (periods skipped)", "\(missedDeadlines) in \(lateTicks) late ticks", ""])
        table.add(["wake-up lateness p50 / p90 / p99 / p99.9 / max", "\(p.p50) / \(p.p90) / \(p.p99) / \(p.p999) / \(lateness.maximum_us)", "µs"])
        table.add(["tick work p50 / p99 / max", "\(work.quantile(0.5)) / \(work.quantile(0.99)) / \(work.maximum_us)", "µs"])
        table.add(["datagrams in / commands / faults / snapshots", "\(received) / \(commands) / \(faultCommands) / \(snapshotCommands)", ""])
        table.add(["rejected datagrams", "\(rejectedTotal) (" + HILProtocol.Rejection.allCases.map { "\($0.name) \(rejected[$0.rawValue])" }.joined(separator: ", ") + ")", ""])
        table.add(["measurements sent (send errors)", "\(sent) (\(sendErrors))", ""])
        table.add(["steps at 0 A after a refused current", "\(stepRejected)", ""])
        table.add(["pack SOC (cells min–max)", "\(formatNumber(o.soc)) (\(formatNumber(o.minimumSOC))–\(formatNumber(o.maximumSOC)))", ""])
        table.add(["channel SOC", channelSOC.map { formatNumber($0, significant: 5) }.joined(separator: " "), ""])
        table.add(["largest balancing current", formatNumber(maximumBalancing_A, significant: 4), "A"])
        let text = "\n" + table.render()

        func list(_ x: [Double]) -> String { "[" + x.map { JSONWriter.number($0) }.joined(separator: ", ") + "]" }
        var json = "{\n"
        json += "  \"protocol_version\": \(HILProtocol.version),\n"
        json += "  \"rate_Hz\": \(JSONWriter.number(1 / dt_s)),\n"
        json += "  \"stopped_by\": \"\(stopReason)\",\n"
        json += "  \"ticks\": \(ticks),\n"
        json += "  \"model_time_s\": \(JSONWriter.number(o.time_s)),\n"
        json += "  \"wall_time_s\": \(JSONWriter.number(wall)),\n"
        json += "  \"missed_deadlines\": \(missedDeadlines),\n"
        json += "  \"late_ticks\": \(lateTicks),\n"
        json += "  \"lateness_us\": {\"p50\": \(p.p50), \"p90\": \(p.p90), \"p99\": \(p.p99), \"p999\": \(p.p999), \"max\": \(lateness.maximum_us)},\n"
        json += "  \"work_us\": {\"p50\": \(work.quantile(0.5)), \"p99\": \(work.quantile(0.99)), \"max\": \(work.maximum_us)},\n"
        json += "  \"datagrams_received\": \(received),\n"
        json += "  \"commands\": \(commands),\n"
        json += "  \"stale_commands\": \(staleCommands),\n"
        json += "  \"fault_commands\": \(faultCommands),\n"
        json += "  \"snapshot_commands\": \(snapshotCommands),\n"
        json += "  \"failed_requests\": \(failedRequests),\n"
        json += "  \"rejected_datagrams\": \(rejectedTotal),\n"
        json += "  \"rejected_by_reason\": {" + HILProtocol.Rejection.allCases.map { "\"\($0.name)\": \(rejected[$0.rawValue])" }.joined(separator: ", ") + "},\n"
        json += "  \"measurements_sent\": \(sent),\n"
        json += "  \"send_errors\": \(sendErrors),\n"
        json += "  \"steps_rejected\": \(stepRejected),\n"
        json += "  \"maximum_balancing_current_A\": \(JSONWriter.number(maximumBalancing_A)),\n"
        json += "  \"pack_soc\": \(JSONWriter.number(o.soc)),\n"
        json += "  \"channel_soc\": \(list(channelSOC)),\n"
        json += "  \"cell_soc\": \(list(z)),\n"
        json += "  \"cell_temperature_K\": \(list(t)),\n"
        json += "  \"active_faults\": \(o.activeFaults)\n"
        json += "}\n"
        return (text, json)
    }
}
