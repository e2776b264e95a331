/// Runs experiments on a model whose kind is chosen at run time (C ABI, CLI): one switch over the
/// concrete kinds, then the generic runner, so the stepping loop stays statically dispatched.
extension ExperimentRunner {
    public func run(_ experiment: Experiment, on model: inout AnyCellModel) throws(LithosError) -> SimulationTrace {
        var observer = NoObserver()
        return try run(experiment, on: &model, observer: &observer)
    }

    public func run<O: ExperimentObserver>(_ experiment: Experiment, on model: inout AnyCellModel,
                                           observer: inout O) throws(LithosError) -> SimulationTrace {
        // Moved out once, not copied: an SSB model's arrays stay uniquely referenced.
        var visit = RunOnModel(runner: self, experiment: experiment, observer: observer)
        defer { observer = visit.observer }
        return try model.accept(&visit)
    }
}

/// `ExperimentRunner.run` on the concrete model inside an `AnyCellModel`.
private struct RunOnModel<O: ExperimentObserver>: CellModelVisitor {
    let runner: ExperimentRunner
    let experiment: Experiment
    var observer: O

    mutating func visit<M: CellModel>(_ model: inout M) throws(LithosError) -> SimulationTrace {
        try runner.run(experiment, on: &model, observer: &observer)
    }
}
