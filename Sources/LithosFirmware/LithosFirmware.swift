// The firmware entry points of Include/lithos_fw.h: the ECM and state estimator of the Lithos
// core (the same generic sources as the host library, specialised for Float) behind a small C
// interface for a BMS microcontroller. Built by scripts/firmware with Embedded Swift
// (-enable-experimental-feature Embedded -wmo -Osize), not by Package.swift.
//
// Memory: everything lives in the storage the caller passes to lithos_fw_estimator_init — a
// header, the estimator value and an arena for the tables the configuration builds. The Embedded
// Swift runtime's allocator calls (posix_memalign/free) are renamed at build time to
// lithos_fw__arena_memalign/lithos_fw__arena_free below (llvm-objcopy --redefine-sym), so the
// object references no heap function. The arena is a stack: a block is reclaimed when it and
// every block allocated after it are freed; updates allocate nothing (storage_used is constant
// after init; scripts/firmware's host test checks it).

// MARK: - Status codes (lithos_fw.h)

let statusOK: Int32 = 0
let statusNullArgument: Int32 = 1
let statusInvalidArgument: Int32 = 2
let statusOutOfRange: Int32 = 3
let statusConfig: Int32 = 5
let statusStorageTooSmall: Int32 = 7

/// Marks an initialised estimator's header ("LFW1").
let handleMagic: UInt32 = 0x4C46_5731

// MARK: - Arena

/// A stack allocator over part of the caller's storage. Each block is preceded by a header
/// (the top and last block before it, and whether it was freed).
struct FirmwareArena {
    var start: UnsafeMutableRawPointer
    var top: UnsafeMutableRawPointer
    var end: UnsafeMutableRawPointer
    var last: UnsafeMutableRawPointer?
    /// Highest `top` reached [bytes from `start`] and the number of allocations served.
    var highWater: Int
    var allocations: Int
}

struct ArenaBlockHeader {
    var previousTop: UnsafeMutableRawPointer
    var previousLast: UnsafeMutableRawPointer?
    var freed: Bool
}

/// The arena that serves allocations during the current lithos_fw call (nil outside one).
/// A call sets it on entry and clears it on return: calls on different estimators must not
/// run concurrently (one BMS task owns the estimators, as lithos_fw.h says).
nonisolated(unsafe) var currentArena: UnsafeMutablePointer<FirmwareArena>? = nil

@inline(__always)
func alignUp(_ p: UnsafeMutableRawPointer, _ alignment: Int) -> UnsafeMutableRawPointer {
    let a = UInt(bitPattern: alignment)
    let v = (UInt(bitPattern: p) + a - 1) & ~(a - 1)
    return UnsafeMutableRawPointer(bitPattern: v)!
}

/// posix_memalign(3) for the Swift runtime, served from the current arena. Returns 12
/// (ENOMEM) when there is no arena or it is full.
@_cdecl("lithos_fw__arena_memalign")
public func lithos_fw__arena_memalign(_ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int) -> Int32 {
    out.pointee = nil
    guard let arena = currentArena else { return 12 }
    let headerSize = MemoryLayout<ArenaBlockHeader>.stride
    let align = max(alignment, 16)
    let top = arena.pointee.top
    let block = alignUp(top + headerSize, align)
    guard size >= 0, arena.pointee.end - block >= size else { return 12 }
    let header = (block - headerSize).bindMemory(to: ArenaBlockHeader.self, capacity: 1)
    header.initialize(to: ArenaBlockHeader(previousTop: top, previousLast: arena.pointee.last, freed: false))
    arena.pointee.top = block + size
    arena.pointee.last = block
    arena.pointee.allocations += 1
    arena.pointee.highWater = max(arena.pointee.highWater, arena.pointee.top - arena.pointee.start)
    out.pointee = block
    return 0
}

/// free(3) for the Swift runtime: marks the block freed and pops every freed block off the
/// top of the arena. Pointers outside the current arena are ignored.
@_cdecl("lithos_fw__arena_free")
public func lithos_fw__arena_free(_ p: UnsafeMutableRawPointer?) {
    guard let p, let arena = currentArena, p > arena.pointee.start, p < arena.pointee.end else { return }
    let headerSize = MemoryLayout<ArenaBlockHeader>.stride
    (p - headerSize).assumingMemoryBound(to: ArenaBlockHeader.self).pointee.freed = true
    while let last = arena.pointee.last {
        let header = (last - headerSize).assumingMemoryBound(to: ArenaBlockHeader.self)
        guard header.pointee.freed else { break }
        arena.pointee.top = header.pointee.previousTop
        arena.pointee.last = header.pointee.previousLast
    }
}

// MARK: - Handle

/// What lithos_fw_estimator points to: the header at the start of the caller's storage,
/// followed by the estimator value and the arena.
struct FirmwareHandle {
    var magic: UInt32
    var arena: UnsafeMutablePointer<FirmwareArena>
    var estimator: UnsafeMutablePointer<StateEstimator<Float>>
}

/// The handle behind a C pointer, or nil when it is NULL or not initialised.
@inline(__always)
func handle(_ p: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<FirmwareHandle>? {
    guard let p else { return nil }
    let h = p.assumingMemoryBound(to: FirmwareHandle.self)
    return h.pointee.magic == handleMagic ? h : nil
}

/// Runs `body` with the handle's arena serving allocations.
@inline(__always)
func withArena<R>(_ h: UnsafeMutablePointer<FirmwareHandle>, _ body: () -> R) -> R {
    currentArena = h.pointee.arena
    defer { currentArena = nil }
    return body()
}

// MARK: - Entry points

/// lithos_fw_estimator_storage_size: an upper bound [bytes] on the storage a blob needs.
@_cdecl("lithos_fw_estimator_storage_size")
public func lithos_fw_estimator_storage_size(_ config: UnsafePointer<Float>?, _ count: Int, _ out: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let config, let out else { return statusNullArgument }
    do throws(LithosError) {
        let bound = try EstimatorConfiguration<Float>.firmwareStorageBound(UnsafeBufferPointer(start: config, count: count))
        out.pointee = bound + MemoryLayout<FirmwareHandle>.stride + MemoryLayout<FirmwareArena>.stride
            + MemoryLayout<StateEstimator<Float>>.stride + 64
        return statusOK
    } catch {
        return statusConfig
    }
}

/// lithos_fw_estimator_init: builds an estimator from a configuration blob inside `storage`.
@_cdecl("lithos_fw_estimator_init")
public func lithos_fw_estimator_init(_ storage: UnsafeMutableRawPointer?, _ storageBytes: Int, _ config: UnsafePointer<Float>?, _ count: Int,
                                     _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    guard let storage, let config, let out else { return statusNullArgument }
    var needed = 0
    let sized = lithos_fw_estimator_storage_size(config, count, &needed)
    guard sized == statusOK else { return sized }
    guard storageBytes >= needed else { return statusStorageTooSmall }
    let start = alignUp(storage, 16)
    let end = storage + storageBytes
    let h = start.bindMemory(to: FirmwareHandle.self, capacity: 1)
    let arenaAddress = alignUp(start + MemoryLayout<FirmwareHandle>.stride, MemoryLayout<FirmwareArena>.alignment)
    let estimatorAddress = alignUp(arenaAddress + MemoryLayout<FirmwareArena>.stride, MemoryLayout<StateEstimator<Float>>.alignment)
    let arenaStart = alignUp(estimatorAddress + MemoryLayout<StateEstimator<Float>>.stride, 16)
    let estimator = estimatorAddress.bindMemory(to: StateEstimator<Float>.self, capacity: 1)
    let arena = arenaAddress.bindMemory(to: FirmwareArena.self, capacity: 1)
    arena.initialize(to: FirmwareArena(start: arenaStart, top: arenaStart, end: end, last: nil, highWater: 0, allocations: 0))
    h.initialize(to: FirmwareHandle(magic: 0, arena: arena, estimator: estimator))
    let status: Int32 = withArena(h) {
        do throws(LithosError) {
            let c = try EstimatorConfiguration<Float>(firmwareConfiguration: UnsafeBufferPointer(start: config, count: count))
            estimator.initialize(to: try StateEstimator<Float>(configuration: c))
            return statusOK
        } catch {
            return error.kind == .outOfRange ? statusOutOfRange : statusConfig
        }
    }
    guard status == statusOK else { return status }
    h.pointee.magic = handleMagic
    out.pointee = UnsafeMutableRawPointer(h)
    return statusOK
}

/// lithos_fw_estimator_update: one BMS cycle.
@_cdecl("lithos_fw_estimator_update")
public func lithos_fw_estimator_update(_ e: UnsafeMutableRawPointer?, _ current_A: Float, _ voltage_V: Float, _ temperature_K: Float,
                                       _ dt_s: Float) -> Int32 {
    guard let h = handle(e) else { return e == nil ? statusNullArgument : statusInvalidArgument }
    // Checked here so that update's throwing path (an error message) is never taken.
    guard dt_s > 0, dt_s.isFinite else { return statusInvalidArgument }
    return withArena(h) {
        do throws(LithosError) {
            _ = try h.pointee.estimator.pointee.update(Measurement(current_A: current_A, voltage_V: voltage_V,
                                                                   temperature_K: temperature_K, dt_s: dt_s))
            return statusOK
        } catch {
            return statusInvalidArgument
        }
    }
}

/// lithos_fw_estimator_get_estimate: writes the latest estimate (struct lithos_fw_estimate,
/// 29 four-byte words in the order below).
@_cdecl("lithos_fw_estimator_get_estimate")
public func lithos_fw_estimator_get_estimate(_ e: UnsafeRawPointer?, _ out: UnsafeMutableRawPointer?) -> Int32 {
    guard let out else { return statusNullArgument }
    guard let h = handle(UnsafeMutableRawPointer(mutating: e)) else { return e == nil ? statusNullArgument : statusInvalidArgument }
    let s = h.pointee.estimator.pointee.estimate
    let f = out.bindMemory(to: Float.self, capacity: 26)
    f[0] = s.soc; f[1] = s.socStandardDeviation
    f[2] = s.capacity_Ah; f[3] = s.capacityStandardDeviation_Ah; f[4] = s.capacitySOH_percent
    f[5] = s.seriesResistance_ohm; f[6] = s.resistanceSOH_percent
    f[7] = s.energyRemaining_Wh; f[8] = s.timeToEmpty_s; f[9] = s.timeToFull_s
    f[10] = s.dischargeCurrentLimit_A.0; f[11] = s.dischargeCurrentLimit_A.1; f[12] = s.dischargeCurrentLimit_A.2
    f[13] = s.chargeCurrentLimit_A.0; f[14] = s.chargeCurrentLimit_A.1; f[15] = s.chargeCurrentLimit_A.2
    f[16] = s.dischargePowerLimit_W.0; f[17] = s.dischargePowerLimit_W.1; f[18] = s.dischargePowerLimit_W.2
    f[19] = s.chargePowerLimit_W.0; f[20] = s.chargePowerLimit_W.1; f[21] = s.chargePowerLimit_W.2
    f[22] = s.predictedVoltage_V; f[23] = s.innovation_V; f[24] = s.innovationStandardDeviation_V; f[25] = s.time_s
    out.storeBytes(of: s.activeFaults.rawValue, toByteOffset: 26 * 4, as: UInt32.self)
    out.storeBytes(of: s.latchedFaults.rawValue, toByteOffset: 27 * 4, as: UInt32.self)
    out.storeBytes(of: s.covarianceRepairs, toByteOffset: 28 * 4, as: UInt32.self)
    return statusOK
}

/// lithos_fw_estimator_reset: restarts SOC at `soc` with standard deviation `soc_std`.
@_cdecl("lithos_fw_estimator_reset")
public func lithos_fw_estimator_reset(_ e: UnsafeMutableRawPointer?, _ soc: Float, _ socStandardDeviation: Float) -> Int32 {
    guard let h = handle(e) else { return e == nil ? statusNullArgument : statusInvalidArgument }
    let t = h.pointee.estimator.pointee.configuration.tuning
    // Checked here so that reset's throwing path (an error message) is never taken.
    guard soc.isFinite, soc >= t.minimumSOC, soc <= t.maximumSOC, socStandardDeviation > 0, socStandardDeviation <= 1 else {
        return statusOutOfRange
    }
    return withArena(h) {
        do throws(LithosError) {
            try h.pointee.estimator.pointee.reset(soc: soc, socStandardDeviation: socStandardDeviation)
            return statusOK
        } catch {
            return statusOutOfRange
        }
    }
}

/// lithos_fw_estimator_clear_latched_faults.
@_cdecl("lithos_fw_estimator_clear_latched_faults")
public func lithos_fw_estimator_clear_latched_faults(_ e: UnsafeMutableRawPointer?) -> Int32 {
    guard let h = handle(e) else { return e == nil ? statusNullArgument : statusInvalidArgument }
    withArena(h) { h.pointee.estimator.pointee.clearLatchedFaults() }
    return statusOK
}

/// lithos_fw_estimator_storage_used: bytes of the storage in use (header, estimator and the
/// arena's high-water mark) and allocations served since init.
@_cdecl("lithos_fw_estimator_storage_used")
public func lithos_fw_estimator_storage_used(_ e: UnsafeRawPointer?, _ outBytes: UnsafeMutablePointer<Int>?,
                                             _ outAllocations: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let h = handle(UnsafeMutableRawPointer(mutating: e)) else { return e == nil ? statusNullArgument : statusInvalidArgument }
    let a = h.pointee.arena.pointee
    outBytes?.pointee = (a.start - UnsafeMutableRawPointer(h)) + a.highWater
    outAllocations?.pointee = a.allocations
    return statusOK
}
