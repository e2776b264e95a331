/// The estimator's saved state is a fixed-length vector of Doubles (the payload of a
/// `StateSnapshot`). `StateVectorWriter` appends values in order; `StateVectorReader` reads
/// them back in the same order and validates each one (finite, in range, integral where it must
/// be), so a corrupted vector throws instead of reaching a filter. Float values are widened to
/// Double exactly, so a Float estimator also resumes bit for bit.
///
/// The extensions below save the state-of-health estimators and the safety monitor field by
/// field. A few of their fields are `private(set)` (settable only inside their own files);
/// those are restored at their storage offsets (`MemoryLayout.offset(of:)` of the stored
/// property), with values of their own type, validated first. Key paths do not exist in
/// Embedded Swift, so there the components' state can be written but not read back
/// (`StateEstimator.readState` throws `.notSupported`); the fix is restore methods in the
/// components' own files.
struct StateVectorWriter {
    let buffer: UnsafeMutableBufferPointer<Double>
    var index: Int

    init(_ buffer: UnsafeMutableBufferPointer<Double>, at index: Int) {
        self.buffer = buffer
        self.index = index
    }

    mutating func put<S: LithosReal>(_ x: S) { buffer[index] = Double(x); index += 1 }
    mutating func put(_ x: Int) { buffer[index] = Double(x); index += 1 }
    mutating func put(_ x: Bool) { buffer[index] = x ? 1 : 0; index += 1 }
    mutating func put(_ x: FaultFlags) { buffer[index] = Double(x.rawValue); index += 1 }
}

struct StateVectorReader {
    let buffer: UnsafeBufferPointer<Double>
    var index: Int

    init(_ buffer: UnsafeBufferPointer<Double>, at index: Int) {
        self.buffer = buffer
        self.index = index
    }

    func bad(_ what: String) -> LithosError {
        LithosError(.invalidArgument, "estimator state: value \(index - 1) (\(what)) is invalid")
    }

    /// A scalar; NaN only where `absentAllowed` (fields that use NaN for "no reading yet").
    mutating func scalar<S: LithosReal>(_ name: String, absentAllowed: Bool = false) throws(LithosError) -> S {
        let v = buffer[index]
        index += 1
        guard v.isFinite || (absentAllowed && v.isNaN) else { throw bad(name) }
        return S(v)
    }

    /// A count: a whole number within 0…2⁴⁰.
    mutating func count(_ name: String) throws(LithosError) -> Int {
        let v = buffer[index]
        index += 1
        guard v >= 0, v <= 1_099_511_627_776, v == v.rounded() else { throw bad(name) }
        return Int(v)
    }

    mutating func flag(_ name: String) throws(LithosError) -> Bool {
        let v = buffer[index]
        index += 1
        guard v == 0 || v == 1 else { throw bad(name) }
        return v == 1
    }

    mutating func faults(_ name: String) throws(LithosError) -> FaultFlags {
        let v = buffer[index]
        index += 1
        guard v >= 0, v <= 4_294_967_295, v == v.rounded() else { throw bad(name) }
        return FaultFlags(rawValue: UInt32(v))
    }
}

#if !hasFeature(Embedded)
/// Stores `value` into the stored property `key` of `object` at its storage offset (for
/// `private(set)` properties of the components; everything else is assigned normally).
@inline(__always)
func restoreStoredProperty<T, V>(_ object: inout T, _ key: KeyPath<T, V>, _ value: V) {
    guard let offset = MemoryLayout<T>.offset(of: key) else {
        preconditionFailure("restoreStoredProperty: not a stored property")
    }
    withUnsafeMutableBytes(of: &object) { $0.storeBytes(of: value, toByteOffset: offset, as: V.self) }
}
#endif

extension ResistanceEstimator {
    static var stateCount: Int { 15 }

    func writeState(_ w: inout StateVectorWriter) {
        w.put(scale); w.put(scaleVariance); w.put(modelSeriesResistance_ohm)
        w.put(acceptedSteps); w.put(rejectedSteps); w.put(consecutiveRejections)
        w.put(model.soc); w.put(model.rcVoltage1); w.put(model.rcVoltage2); w.put(model.rcVoltage3)
        w.put(model.hysteresis); w.put(model.lastCurrentSign)
        w.put(previousVoltage); w.put(previousCurrent)
        w.put(Scalar(0))
    }

    /// Reads into a copy and returns it (the caller commits).
    #if !hasFeature(Embedded)
    func readingState(_ r: inout StateVectorReader) throws(LithosError) -> ResistanceEstimator {
        var x = self
        let scale: Scalar = try r.scalar("R0 scale")
        let variance: Scalar = try r.scalar("R0 scale variance")
        let r0: Scalar = try r.scalar("model R0")
        guard scale > 0, variance >= 0, r0 >= 0 else { throw r.bad("R0 estimate") }
        restoreStoredProperty(&x, \.scale, scale)
        restoreStoredProperty(&x, \.scaleVariance, variance)
        restoreStoredProperty(&x, \.modelSeriesResistance_ohm, r0)
        restoreStoredProperty(&x, \.acceptedSteps, try r.count("accepted steps"))
        restoreStoredProperty(&x, \.rejectedSteps, try r.count("rejected steps"))
        x.consecutiveRejections = try r.count("consecutive rejections")
        x.model.soc = try r.scalar("open-loop SOC")
        x.model.rcVoltage1 = try r.scalar("open-loop RC voltage")
        x.model.rcVoltage2 = try r.scalar("open-loop RC voltage")
        x.model.rcVoltage3 = try r.scalar("open-loop RC voltage")
        x.model.hysteresis = try r.scalar("open-loop hysteresis")
        x.model.lastCurrentSign = try r.scalar("open-loop sign")
        guard abs(x.model.hysteresis) <= 1, abs(x.model.lastCurrentSign) <= 1 else { throw r.bad("open-loop hysteresis") }
        x.previousVoltage = try r.scalar("previous voltage", absentAllowed: true)
        x.previousCurrent = try r.scalar("previous current", absentAllowed: true)
        let _: Scalar = try r.scalar("reserved")
        return x
    }
    #endif
}

extension CapacityEstimator {
    static var stateCount: Int { 28 }

    func writeState(_ w: inout StateVectorWriter) {
        w.put(capacity_Ah); w.put(capacityStandardDeviation_Ah)
        w.put(committedPairs); w.put(rejectedPairs); w.put(consecutiveRejections)
        w.put(sums.c1); w.put(sums.c2); w.put(sums.c3); w.put(sums.c4); w.put(sums.c5); w.put(sums.c6)
        w.put(scaleK); w.put(anchorValid); w.put(anchorSOC); w.put(anchorVariance)
        w.put(charge_Ah); w.put(chargeNoise_As2); w.put(duration_s)
        w.put(furthest.soc); w.put(furthest.variance); w.put(furthest.charge_Ah); w.put(furthest.chargeNoise_As2); w.put(furthest.duration_s)
        w.put(previousSOC); w.put(committedCapacity_Ah); w.put(committedStandardDeviation_Ah); w.put(provisionalSpan)
        w.put(Scalar(0))
    }

    #if !hasFeature(Embedded)
    func readingState(_ r: inout StateVectorReader) throws(LithosError) -> CapacityEstimator {
        var x = self
        let q: Scalar = try r.scalar("capacity")
        let sq: Scalar = try r.scalar("capacity std")
        guard q > 0, sq >= 0 else { throw r.bad("capacity estimate") }
        restoreStoredProperty(&x, \.capacity_Ah, q)
        restoreStoredProperty(&x, \.capacityStandardDeviation_Ah, sq)
        restoreStoredProperty(&x, \.committedPairs, try r.count("committed pairs"))
        restoreStoredProperty(&x, \.rejectedPairs, try r.count("rejected pairs"))
        x.consecutiveRejections = try r.count("consecutive rejections")
        x.sums.c1 = try r.scalar("AWTLS sum"); x.sums.c2 = try r.scalar("AWTLS sum"); x.sums.c3 = try r.scalar("AWTLS sum")
        x.sums.c4 = try r.scalar("AWTLS sum"); x.sums.c5 = try r.scalar("AWTLS sum"); x.sums.c6 = try r.scalar("AWTLS sum")
        x.scaleK = try r.scalar("AWTLS scale")
        x.anchorValid = try r.flag("pair open")
        x.anchorSOC = try r.scalar("anchor SOC"); x.anchorVariance = try r.scalar("anchor variance")
        x.charge_Ah = try r.scalar("pair charge"); x.chargeNoise_As2 = try r.scalar("pair charge noise"); x.duration_s = try r.scalar("pair duration")
        x.furthest.soc = try r.scalar("pair end SOC"); x.furthest.variance = try r.scalar("pair end variance")
        x.furthest.charge_Ah = try r.scalar("pair end charge"); x.furthest.chargeNoise_As2 = try r.scalar("pair end noise")
        x.furthest.duration_s = try r.scalar("pair end duration")
        x.previousSOC = try r.scalar("previous SOC", absentAllowed: true)
        x.committedCapacity_Ah = try r.scalar("committed capacity")
        x.committedStandardDeviation_Ah = try r.scalar("committed capacity std")
        x.provisionalSpan = try r.scalar("provisional span")
        let _: Scalar = try r.scalar("reserved")
        guard x.committedCapacity_Ah > 0, x.committedStandardDeviation_Ah >= 0, x.scaleK >= 0 else { throw r.bad("capacity estimate") }
        return x
    }
    #endif
}

extension Debouncer {
    func writeState(_ w: inout StateVectorWriter) { w.put(active); w.put(elapsed_s) }

    #if !hasFeature(Embedded)
    func readingState(_ r: inout StateVectorReader) throws(LithosError) -> Debouncer {
        var x = self
        restoreStoredProperty(&x, \.active, try r.flag("debouncer"))
        let elapsed: Scalar = try r.scalar("debounce time")
        guard elapsed >= 0 else { throw r.bad("debounce time") }
        restoreStoredProperty(&x, \.elapsed_s, elapsed)
        return x
    }
    #endif
}

extension SafetyMonitor {
    static var stateCount: Int { 42 }

    func writeState(_ w: inout StateVectorWriter) {
        w.put(active); w.put(latched)
        overVoltage.writeState(&w); underVoltage.writeState(&w); overCurrent.writeState(&w)
        overTemperature.writeState(&w); underTemperature.writeState(&w); dendrite.writeState(&w)
        w.put(lastVoltage); w.put(stuckTime); w.put(lastTemperature); w.put(timeSinceTemperature); w.put(stepHoldRemaining)
        w.put(filteredCurrent); w.put(steadyAnchor); w.put(steadyTime)
        let o = offsetWindow
        w.put(o.time); w.put(o.firstTime); w.put(o.firstCharge); w.put(o.firstVoltage); w.put(o.firstSOC)
        w.put(o.secondTime); w.put(o.secondCharge); w.put(o.secondVoltage); w.put(o.secondSOC)
        w.put(offsetActive); w.put(restTime)
        let s = shortWindow
        w.put(s.time); w.put(s.s1); w.put(s.st); w.put(s.stt); w.put(s.sz); w.put(s.stz); w.put(s.charge); w.put(s.firstSOC)
        w.put(shortActive)
    }

    #if !hasFeature(Embedded)
    func readingState(_ r: inout StateVectorReader) throws(LithosError) -> SafetyMonitor {
        var x = self
        restoreStoredProperty(&x, \.active, try r.faults("active faults"))
        restoreStoredProperty(&x, \.latched, try r.faults("latched faults"))
        x.overVoltage = try x.overVoltage.readingState(&r)
        x.underVoltage = try x.underVoltage.readingState(&r)
        x.overCurrent = try x.overCurrent.readingState(&r)
        x.overTemperature = try x.overTemperature.readingState(&r)
        x.underTemperature = try x.underTemperature.readingState(&r)
        x.dendrite = try x.dendrite.readingState(&r)
        x.lastVoltage = try r.scalar("last voltage", absentAllowed: true)
        x.stuckTime = try r.scalar("stuck time")
        x.lastTemperature = try r.scalar("last temperature", absentAllowed: true)
        x.timeSinceTemperature = try r.scalar("time since temperature")
        x.stepHoldRemaining = try r.scalar("temperature step hold")
        x.filteredCurrent = try r.scalar("filtered current", absentAllowed: true)
        x.steadyAnchor = try r.scalar("steady current", absentAllowed: true)
        x.steadyTime = try r.scalar("steady time")
        x.offsetWindow.time = try r.scalar("offset window")
        x.offsetWindow.firstTime = try r.scalar("offset window"); x.offsetWindow.firstCharge = try r.scalar("offset window")
        x.offsetWindow.firstVoltage = try r.scalar("offset window"); x.offsetWindow.firstSOC = try r.scalar("offset window")
        x.offsetWindow.secondTime = try r.scalar("offset window"); x.offsetWindow.secondCharge = try r.scalar("offset window")
        x.offsetWindow.secondVoltage = try r.scalar("offset window"); x.offsetWindow.secondSOC = try r.scalar("offset window")
        x.offsetActive = try r.flag("offset active")
        x.restTime = try r.scalar("rest time")
        x.shortWindow.time = try r.scalar("short window")
        x.shortWindow.s1 = try r.scalar("short window"); x.shortWindow.st = try r.scalar("short window")
        x.shortWindow.stt = try r.scalar("short window"); x.shortWindow.sz = try r.scalar("short window")
        x.shortWindow.stz = try r.scalar("short window"); x.shortWindow.charge = try r.scalar("short window")
        x.shortWindow.firstSOC = try r.scalar("short window", absentAllowed: true)
        x.shortActive = try r.flag("short active")
        return x
    }
    #endif
}
