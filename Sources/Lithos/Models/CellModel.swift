/// The interface every cell model implements (ECM, SSB-SPM, SSB-P2D). Generic code — the
/// protocol runner, packs, benchmarks — takes `some CellModel`, so calls are statically
/// dispatched; the C layer wraps the concrete kinds in an enum. No existentials in the loop.
///
/// Life cycle: create (from parameters) → `reset` → `step`… → `saveState`/`loadState` at any
/// point. Contract for `step`:
/// - it validates its input first and throws without touching the state on bad input;
/// - a numerical failure (a Newton solve that does not converge, an unreachable voltage or
///   power) throws and also leaves the state as it was;
/// - limits crossed are reported in `ModelOutput.limits`, never by throwing;
/// - it does not allocate.
public protocol CellModel: SnapshotState {
    /// Short identifier of the kind ("ecm", "ssb-spm", "ssb-p2d").
    var kind: StaticString { get }
    /// Nominal capacity used for SOC [A·h].
    var capacity_Ah: Double { get }
    /// Operating window.
    var limits: ModelLimits { get }
    /// The last step's output (or the state after creation/reset).
    var output: ModelOutput { get }

    /// Advances the model by one step.
    mutating func step(_ input: StepInput) throws(LithosError) -> ModelOutput

    /// Prepares trial evaluations of a current step of `dt_s` (`trialVoltage`): touches only
    /// scratch and caches, never the state. Throws on invalid dt/ambient or when the cell cannot
    /// conduct at its present temperature (the same errors `step` would throw).
    mutating func prepareTrial(dt_s: Double, ambient_K: Double) throws(LithosError)

    /// The terminal voltage [V] at the end of the prepared step if the constant current
    /// `current` [A] (discharge positive) flowed: exactly what `step(.current(current, …))`
    /// would report, without changing the state; NaN when it cannot be evaluated. A parallel
    /// group solves its current split with these trials (`ParallelGroupSolver`). No allocation.
    mutating func trialVoltage(current: Double) -> Double

    /// Puts the model at rest at `soc` (0…1) and uniform temperature [K]; time and throughput
    /// counters restart at 0.
    mutating func reset(soc: Double, temperature_K: Double) throws(LithosError)

    /// Names of the model-specific internal variables, with units ("rc1_voltage_V").
    var internalNames: [StaticString] { get }
    /// Value of internal variable `index` (0 ≤ index < internalNames.count) after the last step.
    func internalValue(_ index: Int) -> Double
    /// Number of internal variables (= internalNames.count, without building the array).
    var internalCount: Int { get }
    /// Writes min(internalCount, buffer.count) internal values in `internalNames` order and
    /// returns how many; does not allocate (the per-step output path uses it).
    func writeInternals(to buffer: UnsafeMutableBufferPointer<Double>) -> Int

    /// Number of Doubles in the dynamic state (fixed at creation).
    var stateCount: Int { get }
    /// Writes the dynamic state (exactly `stateCount` values) to `buffer`.
    func writeState(to buffer: UnsafeMutableBufferPointer<Double>)
    /// Restores the dynamic state from `buffer` (exactly `stateCount` values). Must validate
    /// (finite, in range) and throw without changing anything on bad data.
    mutating func readState(from buffer: UnsafeBufferPointer<Double>) throws(LithosError)
    /// A fingerprint of the parameters: a snapshot taken from one model is refused by a model
    /// with different parameters.
    var parameterFingerprint: UInt64 { get }

    /// Names (with units) of the model's spatial profiles after the last step: the SSB-P2D's
    /// through-thickness profiles, the particle profiles of SSB-SPM; none for the ECM.
    var profileNames: [StaticString] { get }
    /// Number of profiles (= profileNames.count, without building the array).
    var profileCount: Int { get }
    /// Number of values of profile `index` (0 for an unknown index).
    func profileLength(_ index: Int) -> Int
    /// Writes min(profileLength(index), buffer.count) values of profile `index` and returns how
    /// many (0 for an unknown index). Does not allocate.
    func writeProfile(_ index: Int, to buffer: UnsafeMutableBufferPointer<Double>) -> Int
}

extension CellModel {
    public var profileNames: [StaticString] { [] }
    public var profileCount: Int { 0 }
    public func profileLength(_ index: Int) -> Int { 0 }
    public func writeProfile(_ index: Int, to buffer: UnsafeMutableBufferPointer<Double>) -> Int { 0 }
}

/// FNV-1a 64-bit over bytes: the fingerprint and checksum of state snapshots (deterministic,
/// no allocation).
public struct FNV1a64: Sendable {
    public var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    @inlinable
    public mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    public mutating func add(_ x: UInt64) {
        var v = x
        for _ in 0..<8 { add(UInt8(truncatingIfNeeded: v)); v >>= 8 }
    }

    public mutating func add(_ x: Double) { add(x.bitPattern) }

    public mutating func add(_ xs: [Double]) {
        add(UInt64(xs.count))
        for x in xs { add(x) }
    }
}
