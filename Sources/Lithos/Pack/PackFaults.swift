/// Faults a HIL engineer injects into a pack. Raw values equal the C `lithos_pack_fault` codes.
///
/// Physics faults change what the cells do; sensor faults change only the measured values
/// (`PackMeasurement`), never the physics:
/// - `internalShort` (cell k, R [Ω] > 0): a resistor inside cell k across its terminals; the
///   cell discharges itself by V_k/R (the group solve includes it) and the resistor's V_k²/R
///   heats the cell.
/// - `openSenseWire` (wire w, 0…Ns; value x ∈ [0, 1]): the wire no longer connects. An
///   interior wire makes its two channels share their sum S = V_{w−1} + V_w: channel w−1 reads
///   x·S, channel w reads (1 − x)·S (x = 0.5 for equal AFE input impedances), so the channel
///   sum still equals the stack voltage. An end wire (0 or Ns) leaves its channel floating at
///   0 V. Balancing of a channel whose wire is open draws no current (its path runs through
///   the wire).
/// - `contactorOpen`: the pack current is 0 whatever is commanded (balancing and internal
///   shorts still act).
/// - `voltageSensorOffset` / `voltageSensorStuck` (channel s, V): channel s reads + offset, or
///   the stuck value.
/// - `temperatureSensorOffset` / `temperatureSensorStuck` (cell k's sensor, K).
/// - `thermalEvent` (cell k, W ≥ 0): a heat source in cell k (an exothermic side reaction
///   starting), into its thermal model.
/// - `currentSensorOffset` (index 0, A): the pack current reads + offset.
public enum PackFaultKind: Int32, Sendable, CaseIterable {
    case internalShort = 0
    case openSenseWire = 1
    case contactorOpen = 2
    case voltageSensorOffset = 3
    case voltageSensorStuck = 4
    case temperatureSensorOffset = 5
    case temperatureSensorStuck = 6
    case thermalEvent = 7
    case currentSensorOffset = 8

    /// Bit of `PackOutput.activeFaults`.
    public var bit: UInt32 { 1 << UInt32(rawValue) }
}

/// The faults in force, in fixed-size arrays allocated at creation (injecting, clearing and
/// stepping never allocate). A zero conductance, a NaN stuck value or a zero offset means "no
/// fault".
public struct PackFaults: Sendable, Equatable {
    /// Internal-short conductance of each cell [S] (0 = none).
    public internal(set) var shortConductance_S: [Double]
    /// Thermal-event heat of each cell [W].
    public internal(set) var thermalEvent_W: [Double]
    /// Fraction of the merged voltage the lower channel reads, per sense wire; NaN = intact.
    public internal(set) var openWireFraction: [Double]
    public internal(set) var voltageOffset_V: [Double]
    public internal(set) var voltageStuck_V: [Double]
    public internal(set) var temperatureOffset_K: [Double]
    public internal(set) var temperatureStuck_K: [Double]
    public internal(set) var contactorOpen = false
    public internal(set) var currentOffset_A = 0.0

    init(series: Int, cells: Int) {
        shortConductance_S = Array(repeating: 0, count: cells)
        thermalEvent_W = Array(repeating: 0, count: cells)
        openWireFraction = Array(repeating: .nan, count: series + 1)
        voltageOffset_V = Array(repeating: 0, count: series)
        voltageStuck_V = Array(repeating: .nan, count: series)
        temperatureOffset_K = Array(repeating: 0, count: cells)
        temperatureStuck_K = Array(repeating: .nan, count: cells)
    }

    /// Whether sense wire w is open.
    @inline(__always) func wireOpen(_ w: Int) -> Bool { !openWireFraction[w].isNaN }

    /// Bits (`PackFaultKind.bit`) of the kinds in force.
    public var activeBits: UInt32 {
        var b: UInt32 = 0
        if shortConductance_S.contains(where: { $0 != 0 }) { b |= PackFaultKind.internalShort.bit }
        if openWireFraction.contains(where: { !$0.isNaN }) { b |= PackFaultKind.openSenseWire.bit }
        if contactorOpen { b |= PackFaultKind.contactorOpen.bit }
        if voltageOffset_V.contains(where: { $0 != 0 }) { b |= PackFaultKind.voltageSensorOffset.bit }
        if voltageStuck_V.contains(where: { !$0.isNaN }) { b |= PackFaultKind.voltageSensorStuck.bit }
        if temperatureOffset_K.contains(where: { $0 != 0 }) { b |= PackFaultKind.temperatureSensorOffset.bit }
        if temperatureStuck_K.contains(where: { !$0.isNaN }) { b |= PackFaultKind.temperatureSensorStuck.bit }
        if thermalEvent_W.contains(where: { $0 != 0 }) { b |= PackFaultKind.thermalEvent.bit }
        if currentOffset_A != 0 { b |= PackFaultKind.currentSensorOffset.bit }
        return b
    }

    /// Sets fault `kind` at `index` with `value` after validating both (nothing changes on error).
    mutating func inject(_ kind: PackFaultKind, index: Int, value: Double) throws(LithosError) {
        let series = voltageOffset_V.count, cells = shortConductance_S.count
        func check(_ count: Int, _ what: String) throws(LithosError) {
            guard index >= 0 && index < count else {
                throw LithosError(.notFound, "\(kind) fault: \(what) index \(index) is out of range (0…\(count - 1))")
            }
        }
        guard value.isFinite else { throw LithosError(.invalidArgument, "\(kind) fault: value must be finite (got \(value))") }
        switch kind {
        case .internalShort:
            try check(cells, "cell")
            guard value >= 1e-6 && value <= 1e12 else {
                throw LithosError(.outOfRange, "internal short: resistance must be within [1e-6, 1e12] Ω (got \(value))")
            }
            shortConductance_S[index] = 1 / value
        case .openSenseWire:
            try check(series + 1, "sense wire")
            guard value >= 0 && value <= 1 else {
                throw LithosError(.outOfRange, "open sense wire: value (the fraction of the merged voltage the lower channel reads) must be within 0…1 (got \(value))")
            }
            openWireFraction[index] = value
        case .contactorOpen:
            try check(1, "contactor")
            contactorOpen = true
        case .voltageSensorOffset:
            try check(series, "voltage channel")
            guard abs(value) <= 100 else { throw LithosError(.outOfRange, "voltage sensor offset must be within ±100 V (got \(value))") }
            voltageOffset_V[index] = value
        case .voltageSensorStuck:
            try check(series, "voltage channel")
            guard abs(value) <= 100 else { throw LithosError(.outOfRange, "stuck voltage reading must be within ±100 V (got \(value))") }
            voltageStuck_V[index] = value
        case .temperatureSensorOffset:
            try check(cells, "temperature channel")
            guard abs(value) <= 500 else { throw LithosError(.outOfRange, "temperature sensor offset must be within ±500 K (got \(value))") }
            temperatureOffset_K[index] = value
        case .temperatureSensorStuck:
            try check(cells, "temperature channel")
            guard value >= 0 && value <= 2000 else { throw LithosError(.outOfRange, "stuck temperature reading must be within 0…2000 K (got \(value))") }
            temperatureStuck_K[index] = value
        case .thermalEvent:
            try check(cells, "cell")
            guard value >= 0 && value <= 1e6 else { throw LithosError(.outOfRange, "thermal event heat must be within 0…1e6 W (got \(value))") }
            thermalEvent_W[index] = value
        case .currentSensorOffset:
            try check(1, "current sensor")
            guard abs(value) <= 1e5 else { throw LithosError(.outOfRange, "current sensor offset must be within ±1e5 A (got \(value))") }
            currentOffset_A = value
        }
    }

    /// Clears fault `kind` at `index` (validated like `inject`).
    mutating func clear(_ kind: PackFaultKind, index: Int) throws(LithosError) {
        let series = voltageOffset_V.count, cells = shortConductance_S.count
        let count: Int
        switch kind {
        case .internalShort, .thermalEvent, .temperatureSensorOffset, .temperatureSensorStuck: count = cells
        case .openSenseWire: count = series + 1
        case .voltageSensorOffset, .voltageSensorStuck: count = series
        case .contactorOpen, .currentSensorOffset: count = 1
        }
        guard index >= 0 && index < count else {
            throw LithosError(.notFound, "\(kind) fault: index \(index) is out of range (0…\(count - 1))")
        }
        switch kind {
        case .internalShort: shortConductance_S[index] = 0
        case .openSenseWire: openWireFraction[index] = .nan
        case .contactorOpen: contactorOpen = false
        case .voltageSensorOffset: voltageOffset_V[index] = 0
        case .voltageSensorStuck: voltageStuck_V[index] = .nan
        case .temperatureSensorOffset: temperatureOffset_K[index] = 0
        case .temperatureSensorStuck: temperatureStuck_K[index] = .nan
        case .thermalEvent: thermalEvent_W[index] = 0
        case .currentSensorOffset: currentOffset_A = 0
        }
    }

    /// Clears every fault (in place, no allocation).
    mutating func clearAll() {
        for k in shortConductance_S.indices {
            shortConductance_S[k] = 0; thermalEvent_W[k] = 0; temperatureOffset_K[k] = 0; temperatureStuck_K[k] = .nan
        }
        for s in voltageOffset_V.indices { voltageOffset_V[s] = 0; voltageStuck_V[s] = .nan }
        for w in openWireFraction.indices { openWireFraction[w] = .nan }
        contactorOpen = false
        currentOffset_A = 0
    }

    // MARK: snapshot (NaN "no fault" values are stored as a flag and a value)

    var stateCount: Int { 2 * shortConductance_S.count + 2 * openWireFraction.count + 3 * voltageOffset_V.count + 3 * temperatureOffset_K.count + 2 }

    func write(to b: UnsafeMutableBufferPointer<Double>, at start: Int) {
        var k = start
        func put(_ x: Double) { b[k] = x; k += 1 }
        func putOptional(_ x: Double) { put(x.isNaN ? 0 : 1); put(x.isNaN ? 0 : x) }
        for x in shortConductance_S { put(x) }
        for x in thermalEvent_W { put(x) }
        for x in openWireFraction { putOptional(x) }
        for x in voltageOffset_V { put(x) }
        for x in voltageStuck_V { putOptional(x) }
        for x in temperatureOffset_K { put(x) }
        for x in temperatureStuck_K { putOptional(x) }
        put(contactorOpen ? 1 : 0)
        put(currentOffset_A)
    }

    /// Validates then reads (nothing changes when invalid).
    mutating func read(_ b: UnsafeBufferPointer<Double>, at start: Int) -> Bool {
        let n = stateCount
        for i in start..<(start + n) where !b[i].isFinite { return false }
        var probe = self
        var k = start
        func get() -> Double { defer { k += 1 }; return b[k] }
        func getOptional() -> Double? {
            let flag = get(), x = get()
            if flag == 0 { return .nan }
            return flag == 1 ? x : nil
        }
        for i in probe.shortConductance_S.indices { let x = get(); guard x >= 0 else { return false }; probe.shortConductance_S[i] = x }
        for i in probe.thermalEvent_W.indices { let x = get(); guard x >= 0 else { return false }; probe.thermalEvent_W[i] = x }
        for i in probe.openWireFraction.indices {
            guard let x = getOptional(), x.isNaN || (x >= 0 && x <= 1) else { return false }
            probe.openWireFraction[i] = x
        }
        for i in probe.voltageOffset_V.indices { probe.voltageOffset_V[i] = get() }
        for i in probe.voltageStuck_V.indices { guard let x = getOptional() else { return false }; probe.voltageStuck_V[i] = x }
        for i in probe.temperatureOffset_K.indices { probe.temperatureOffset_K[i] = get() }
        for i in probe.temperatureStuck_K.indices { guard let x = getOptional() else { return false }; probe.temperatureStuck_K[i] = x }
        let c = get()
        guard c == 0 || c == 1 else { return false }
        probe.contactorOpen = c == 1
        probe.currentOffset_A = get()
        self = probe
        return true
    }
}
