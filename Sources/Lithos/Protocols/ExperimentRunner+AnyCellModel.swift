/// Runs experiments on a model whose kind is chosen at run time (C ABI, CLI): one switch over the
/// concrete kinds, then the generic runner, so the stepping loop stays statically dispatched.
extension ExperimentRunner {
    public func run(_ experiment: Experiment, on model: inout AnyCellModel) throws(LithosError) -> SimulationTrace {
        var observer = NoObserver()
        return try run(experiment, on: &model, observer: &observer)
    }

    public func run<O: ExperimentObserver>(_ experiment: Experiment, on model: inout AnyCellModel,
                                           observer: inout O) throws(LithosError) -> SimulationTrace {
        // Moved out, not copied: an SSB model's arrays stay uniquely referenced (no copy).
        switch consume model {
        case var .ecm(m):
            defer { model = .ecm(m) }
            return try run(experiment, on: &m, observer: &observer)
        case var .ssbSPM(m):
            defer { model = .ssbSPM(m) }
            return try run(experiment, on: &m, observer: &observer)
        case var .ssbP2D(m):
            defer { model = .ssbP2D(m) }
            return try run(experiment, on: &m, observer: &observer)
        }
    }
}
