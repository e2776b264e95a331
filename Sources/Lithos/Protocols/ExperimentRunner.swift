/// Runs an `Experiment` on a cell model and records a `SimulationTrace`.
///
/// Each step is advanced in model steps of `dt_s` (or the step's own period); the last model step
/// of a timed step is shortened to land exactly on its duration, and drive-cycle steps are cut at
/// every sample time so each model step holds one constant value (zero-order hold).
///
/// Cut-offs end a step exactly, not one dt late: before every model step the runner keeps a copy
/// of the model (`var saved = model`; models are value types and the copy does not allocate).
/// When the step crosses a cut-off, the model is rolled back to that copy and the sub-step
/// length h ∈ (0, dt] at which the cut-off is met is found by the Illinois method (regula falsi
/// with bisection safeguard) on h, re-stepping the copy for each trial: at most
/// `maximumIterations` (50) trials, stopping when the margin is within 1e-9 V (voltage), 1e-9 A
/// (current), 1e-12 (SOC) or 1e-9 K (temperature). The model then continues from that exact
/// point. If a cut-off is met already at the start of a step, the step takes no time.
///
/// The cell's own window acts as a cut-off too (`stopAtCellLimits`), located just as exactly:
/// - SOC 0 on a discharge (or drive cycle) and SOC 1 on a charge (or either on a voltage hold)
///   mean the model's capacity is used up: the step ends (`StepEndReason.socLimit`) and the
///   protocol continues with the next step, as on a real cell reaching its cut-off voltage;
/// - the minimum voltage on a discharge (or drive cycle), the maximum voltage on a charge and the
///   maximum temperature on any step are safety limits: the step ends there and the experiment
///   stops (`SimulationTrace.stopReason`), like a cycler's safety limits.
/// Rests and voltage holds have no voltage limit; drive cycles have no upper voltage limit (regen
/// pulses beyond it are flagged in the model output, not stopped).
///
/// Errors (`run` throws): an unknown drive cycle, bad settings, a model step that fails (e.g. a
/// power the cell cannot deliver), or a step that runs past `maximumStepsPerStep` model steps.
/// On any error the model is restored to its state before the run.
public struct ExperimentRunner: Sendable {
    /// Model time step [s] for steps without their own period; (0, 86400].
    public var dt_s: Double
    /// Ambient temperature [K].
    public var ambient_K: Double
    /// End steps at the cell's SOC window, and stop the experiment at its voltage or
    /// temperature limits (see above).
    public var stopAtCellLimits = true
    /// Safety limit: model steps one experiment step may take before the run fails.
    public var maximumStepsPerStep = 2_000_000
    /// Safety limit: rows the whole trace may hold before the run fails (≈ 100 bytes a row).
    public var maximumSamples = 5_000_000

    /// Trials of the cut-off search per crossing.
    public static let maximumIterations = 50

    public init(dt_s: Double = 1, ambient_K: Double = Physics.referenceTemperature_K) {
        self.dt_s = dt_s
        self.ambient_K = ambient_K
    }

    /// Runs `experiment` on `model`, which ends in its final state.
    public func run<M: CellModel>(_ experiment: Experiment, on model: inout M) throws(LithosError) -> SimulationTrace {
        var observer = NoObserver()
        return try run(experiment, on: &model, observer: &observer)
    }

    /// Runs `experiment` on `model` and shows every recorded sample to `observer`.
    public func run<M: CellModel, O: ExperimentObserver>(_ experiment: Experiment, on model: inout M,
                                                         observer: inout O) throws(LithosError) -> SimulationTrace {
        try Validate.finite(dt_s, "dt_s")
        guard dt_s > 0 && dt_s <= 86_400 else {
            throw LithosError(.outOfRange, "dt_s must be within (0, 86400] s (got \(dt_s))")
        }
        try Validate.temperature(ambient_K, "ambient_K")
        try experiment.validate()
        let original = model
        do throws(LithosError) {
            return try runValidated(experiment, on: &model, observer: &observer)
        } catch {
            model = original
            throw error
        }
    }

    private func runValidated<M: CellModel, O: ExperimentObserver>(_ experiment: Experiment, on model: inout M,
                                                                   observer: inout O) throws(LithosError) -> SimulationTrace {
        let origin = model.output
        var trace = SimulationTrace(capacity_Ah: model.capacity_Ah)
        let first = TraceSample(origin, origin: origin, stepIndex: 0, cycleIndex: experiment.steps.first?.cycleIndex ?? 0)
        trace.append(first)
        try observer.observe(first, dt_s: 0)
        for (index, step) in experiment.steps.enumerated() {
            var context = StepContext(index: index, step: step, origin: origin)
            do throws(LithosError) {
                try runStep(&context, experiment, &model, &trace, &observer)
            } catch {
                let t = model.output.time_s - origin.time_s
                throw LithosError(error.kind, "step \(index) (\(step.label)) at t = \(t) s: \(error.message)")
            }
            if let stop = context.stopEvent {
                trace.stopReason = stop.reason
                trace.stopMessage = "stopped in step \(index) (\(step.label)) at t = \(trace.samples.last?.time_s ?? 0) s: \(stop.description), the cell's limit"
                break
            }
        }
        return trace
    }

    /// Per-step bookkeeping.
    private struct StepContext {
        let index: Int
        let step: ExperimentStep
        let origin: ModelOutput
        var stopEvent: CutoffEvent?
    }

    private func runStep<M: CellModel, O: ExperimentObserver>(_ context: inout StepContext, _ experiment: Experiment,
                                                             _ model: inout M, _ trace: inout SimulationTrace,
                                                             _ observer: inout O) throws(LithosError) {
        let step = context.step
        let capacity = model.capacity_Ah
        let dt = step.period_s ?? dt_s
        let events = cutoffEvents(step, model)
        let startTime = model.output.time_s - context.origin.time_s
        let firstSample = trace.count

        // What is held: a constant input, or a drive cycle walked sample by sample.
        var cycle: DriveCycle? = nil
        var constantMode = InputMode.current
        var constantValue = 0.0
        switch step.drive {
        case let .current(a): constantValue = a
        case let .cRate(c): constantValue = c * capacity
        case let .power(w): constantMode = .power; constantValue = w
        case let .voltageHold(v): constantMode = .voltage; constantValue = v
        case .rest: constantValue = 0
        case let .driveCycle(name): cycle = experiment.driveCycle(named: name)
        }
        let t = step.termination
        // A drive cycle with an end condition repeats until it is met; without one it runs once.
        let repeats = t.duration_s != nil || t.hasCutoff
        let duration = t.duration_s ?? .infinity

        var elapsed = 0.0
        var sample = 0               // drive cycle: current sample
        var position = 0.0           // drive cycle: time within the pass [s]
        var count = 0
        var reason = StepEndReason.duration
        var endedAtStart = false

        stepping: while true {
            count += 1
            if count > maximumStepsPerStep {
                throw LithosError(.outOfRange, "the step did not end within \(maximumStepsPerStep) model steps of \(dt) s; add 'for DURATION', use a larger dt, or check that its cut-off can be reached")
            }
            if trace.count >= maximumSamples {
                throw LithosError(.outOfRange, "the trace would exceed \(maximumSamples) samples; use a larger dt")
            }
            // Sub-step length: dt, shortened to land on the duration and on the next sample time.
            var h = dt
            var landsOnDuration = false, landsOnSample = false
            let remaining = duration - elapsed
            if remaining <= h * (1 + 1e-9) { h = remaining; landsOnDuration = true }
            var mode = constantMode, value = constantValue
            if let c = cycle {
                let toSample = c.endTime(ofSample: sample) - position
                if toSample <= h * (1 + 1e-9) {
                    if toSample < h * (1 - 1e-9) { landsOnDuration = false }
                    h = min(h, toSample)
                    landsOnSample = true
                }
                (mode, value) = c.input(sample: sample, capacity_Ah: capacity)
            }
            let input = StepInput(mode: mode, value: value, dt_s: h, ambient_K: ambient_K)
            let saved = model
            let output = try model.step(input)
            trace.modelSteps += 1

            // Cut-offs crossed in this sub-step: locate the earliest, preferring the step's own
            // cut-offs over the cell's limits when both are met at the same instant.
            var hit: (h: Double, model: M, event: CutoffEvent)? = nil
            for event in events {
                let m = event.margin(output)
                guard m <= 0 else { continue }
                let found = try locate(event, from: saved, input: input, full: model, fullMargin: m, steps: &trace.modelSteps)
                if let best = hit, !(found.h < best.h - 1e-12 * h) { continue }
                hit = (found.h, found.model, event)
            }
            if let hit {
                model = hit.model
                reason = hit.event.reason
                if hit.h > 0 {
                    try record(model, context, &trace, &observer, dt: hit.h)
                } else if trace.count == firstSample {
                    endedAtStart = true
                }
                if hit.event.reason.stopsExperiment { context.stopEvent = hit.event }
                break stepping
            }

            try record(model, context, &trace, &observer, dt: h)
            elapsed = landsOnDuration ? duration : elapsed + h
            if let c = cycle, landsOnSample {
                sample += 1
                position = c.endTime(ofSample: sample - 1)
                if sample == c.sampleCount {
                    if !repeats { break stepping }
                    sample = 0
                    position = 0
                }
            } else if cycle != nil {
                position += h
            }
            if landsOnDuration { break stepping }
        }
        let endTime = model.output.time_s - context.origin.time_s
        trace.steps.append(StepRecord(stepIndex: context.index, cycleIndex: step.cycleIndex, line: step.line, text: step.text,
                                      start_s: startTime, end_s: endTime, firstSample: firstSample, endSample: trace.count,
                                      endReason: reason, endedAtStart: endedAtStart))
    }

    private func record<M: CellModel, O: ExperimentObserver>(_ model: M, _ context: StepContext, _ trace: inout SimulationTrace,
                                                            _ observer: inout O, dt: Double) throws(LithosError) {
        let s = TraceSample(model.output, origin: context.origin, stepIndex: context.index, cycleIndex: context.step.cycleIndex)
        trace.append(s)
        try observer.observe(s, dt_s: dt)
    }

    /// The step's own cut-offs, then the cell's limits that apply to its direction.
    func cutoffEvents<M: CellModel>(_ step: ExperimentStep, _ model: M) -> [CutoffEvent] {
        var events: [CutoffEvent] = []
        let t = step.termination
        let now = model.output
        let direction = step.direction
        if let v = t.voltage_V {
            switch direction {
            case .discharge: events.append(CutoffEvent(test: .voltageBelow(v), reason: .voltageCutoff))
            case .charge: events.append(CutoffEvent(test: .voltageAbove(v), reason: .voltageCutoff))
            case .none:
                // A rest approaches the cut-off from the side it starts on.
                events.append(CutoffEvent(test: now.voltage_V >= v ? .voltageBelow(v) : .voltageAbove(v), reason: .voltageCutoff))
            }
        }
        if let c = t.current {
            events.append(CutoffEvent(test: .currentMagnitudeBelow(c.amps(capacity_Ah: model.capacity_Ah)), reason: .currentCutoff))
        }
        if let z = t.soc {
            switch direction {
            case .discharge: events.append(CutoffEvent(test: .socBelow(z), reason: .socCutoff))
            case .charge: events.append(CutoffEvent(test: .socAbove(z), reason: .socCutoff))
            case .none: events.append(CutoffEvent(test: now.soc >= z ? .socBelow(z) : .socAbove(z), reason: .socCutoff))
            }
        }
        guard stopAtCellLimits else { return events }
        let limits = model.limits
        switch (step.drive, direction) {
        case (.rest, _): break
        case (.voltageHold, _):
            events.append(CutoffEvent(test: .socBelow(0), reason: .socLimit))
            events.append(CutoffEvent(test: .socAbove(1), reason: .socLimit))
        case (_, .discharge):
            events.append(CutoffEvent(test: .voltageBelow(limits.minimumVoltage_V), reason: .voltageLimit))
            events.append(CutoffEvent(test: .socBelow(0), reason: .socLimit))
        case (_, .charge):
            events.append(CutoffEvent(test: .voltageAbove(limits.maximumVoltage_V), reason: .voltageLimit))
            events.append(CutoffEvent(test: .socAbove(1), reason: .socLimit))
        case (_, .none): break
        }
        events.append(CutoffEvent(test: .temperatureAbove(limits.maximumTemperature_K), reason: .temperatureLimit))
        return events
    }

    /// Finds the sub-step length h ∈ (0, input.dt_s] at which `event`'s margin reaches zero,
    /// stepping copies of `saved` (the model before the sub-step); `full` is the model after the
    /// whole sub-step, where the margin is `fullMargin` ≤ 0. Returns h = 0 and `saved` when the
    /// event is met at once (within 1e-9 of the sub-step). Illinois method: regula falsi whose
    /// stale end has its margin halved, with a bisection fallback; ≤ `maximumIterations` trials.
    func locate<M: CellModel>(_ event: CutoffEvent, from saved: M, input: StepInput, full: M,
                              fullMargin: Double, steps: inout Int) throws(LithosError) -> (h: Double, model: M) {
        let hFull = input.dt_s
        var trialInput = input
        var lo = hFull * 1e-9
        trialInput.dt_s = lo
        var probe = saved
        var gLo = event.margin(try probe.step(trialInput))
        steps += 1
        if gLo <= 0 { return (0, saved) }
        var hi = hFull, gHi = fullMargin
        var best = (h: hFull, model: full)
        var lastSide = 0
        for _ in 0..<Self.maximumIterations {
            var h = (lo * gHi - hi * gLo) / (gHi - gLo)
            if !(h > lo && h < hi) { h = 0.5 * (lo + hi) }
            var trial = saved
            trialInput.dt_s = h
            let g = event.margin(try trial.step(trialInput))
            steps += 1
            if abs(g) <= event.tolerance { return (h, trial) }
            if g > 0 {
                lo = h; gLo = g
                if lastSide == 1 { gHi *= 0.5 }
                lastSide = 1
            } else {
                hi = h; gHi = g
                best = (h, trial)
                if lastSide == -1 { gLo *= 0.5 }
                lastSide = -1
            }
            if hi - lo <= 4 * hi.ulp { break }
        }
        return best
    }
}
