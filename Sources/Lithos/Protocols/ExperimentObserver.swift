/// Sees every sample an experiment records, in order, as it is recorded: the place where a
/// state estimator (or a sensor model, or a logger) follows the simulated cell exactly like
/// firmware would, from current, voltage, temperature and dt. Samples rolled back while a
/// cut-off is located are never shown; the first call carries the initial state with dt 0.
public protocol ExperimentObserver {
    /// `sample` was recorded after a model step of `dt_s` seconds.
    mutating func observe(_ sample: TraceSample, dt_s: Double) throws(LithosError)
}

/// An observer that does nothing.
public struct NoObserver: ExperimentObserver {
    public init() {}
    public mutating func observe(_ sample: TraceSample, dt_s: Double) throws(LithosError) {}
}
