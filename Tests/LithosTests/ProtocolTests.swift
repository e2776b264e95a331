import Foundation
import Testing
import CLithos
@testable import Lithos


// Protocol runner: the PyBaMM-style grammar and its errors, drive cycles, exact cut-offs on an
// analytic 1-RC ECM (`linearECM`: OCV = 3.0 + 1.2·z V, R0 = 10 mΩ, R1 = 20 mΩ, τ1 = 30 s,
// 2 A·h, window 2.5–4.3 V), the trace and its CSV, and the C API of section 5.

/// A fresh analytic model at `soc`.
func protocolModel(soc: Double = 0.8, thermal: Bool = false) throws -> EquivalentCircuitModel {
    try EquivalentCircuitModel(parameters: linearECM(thermal: thermal), initialSOC: soc, initialTemperature_K: 298.15)
}

/// Runs `text` on the analytic model.
func runProtocol(_ text: String, soc: Double = 0.8, dt: Double = 1) throws -> (SimulationTrace, EquivalentCircuitModel) {
    var model = try protocolModel(soc: soc)
    let trace = try ExperimentRunner(dt_s: dt).run(Experiment(protocolText: text), on: &model)
    return (trace, model)
}

/// The error a throwing expression raises.
func lithosError(_ body: () throws -> Void) -> LithosError? {
    do { try body() } catch let e as LithosError { return e } catch { return nil }
    return nil
}

@Suite struct ExperimentParserTests {
    @Test func everyStepForm() throws {
        func step(_ text: String) throws -> ExperimentStep { try ExperimentParser.parseStep(text) }
        var s = try step("Discharge at 1C until 3.0 V")
        #expect(s.drive == .cRate(1))
        #expect(s.termination == StepTermination(voltage_V: 3.0))
        s = try step("Discharge at 1 A for 10 minutes")
        #expect(s.drive == .current(1))
        #expect(s.termination == StepTermination(duration_s: 600))
        s = try step("Charge at 0.5C until 4.2 V")
        #expect(s.drive == .cRate(-0.5))
        #expect(s.direction == .charge)
        s = try step("Hold at 4.2 V until C/50")
        #expect(s.drive == .voltageHold(4.2))
        #expect(s.termination.current == .cRate(0.02))
        s = try step("Hold at 4.2 V until 50 mA")
        #expect(s.termination.current == .amps(0.05))
        #expect(try step("Rest for 30 minutes").termination.duration_s == 1800)
        #expect(try step("Rest for 1 hour").termination.duration_s == 3600)
        #expect(try step("Rest for 90 seconds").termination.duration_s == 90)
        #expect(try step("rest for 2 h").termination.duration_s == 7200)
        s = try step("Discharge at 2 W for 10 minutes")
        #expect(s.drive == .power(2))
        s = try step("Charge at 500 mW for 1 min")
        #expect(s.drive == .power(-0.5))
        s = try step("Discharge at 1C for 1 hour or until 3.0 V")
        #expect(s.termination == StepTermination(duration_s: 3600, voltage_V: 3.0))
        s = try step("Discharge at 1C until 3.0 V or 1 hour")
        #expect(s.termination == StepTermination(duration_s: 3600, voltage_V: 3.0))
        s = try step("Discharge at C/20 until 20% SOC")
        #expect(s.drive == .cRate(0.05))
        #expect(s.termination.soc == 0.2)
        #expect(try step("Charge at 1C until SOC 80%").termination.soc == 0.8)
        s = try step("Discharge at 0.5C until 3.0V (10 second period)")
        #expect(s.period_s == 10)
        #expect(s.termination.voltage_V == 3.0)
        s = try step("Run us06 until 2.5 V")
        #expect(s.drive == .driveCycle("us06"))
        #expect(s.direction == .discharge)
        s = try step("Run US06")
        #expect(s.drive == .driveCycle("us06"))
        #expect(s.termination.isEmpty)
        s = try step("Hold at 4.1 V for 2 hours or until 0.05C")
        #expect(s.termination == StepTermination(duration_s: 7200, current: .cRate(0.05)))
        s = try step("DISCHARGE AT 1.5e-3 A FOR 1 DAY.")
        #expect(s.drive == .current(1.5e-3))
        #expect(s.termination.duration_s == 86_400)
        #expect(try step("Discharge at 1 kW for 1 s").drive == .power(1000))
        #expect(try step("Discharge at 1C until 3000 mV").termination.voltage_V == 3.0)
    }

    @Test func protocolWithRepeatsCommentsAndSemicolons() throws {
        let text = """
        # formation
        Discharge at 1C until 3.0 V; Rest for 1 hour   # two steps on a line
        repeat 3 times:
            Charge at 0.5C until 4.2 V
            Hold at 4.2 V until C/50
            repeat 2 times: Rest for 1 minute
            end
            Discharge at 1C until 3.0 V
        end

        Rest for 10 minutes
        """
        let e = try Experiment(protocolText: text)
        // 2 + 3 × (1 + 1 + 2 + 1) + 1 steps; cycles: 2 top-level steps, 3 passes, 1 top-level step.
        #expect(e.steps.count == 2 + 3 * 5 + 1)
        #expect(e.cycleCount == 6)
        #expect(e.steps.map(\.cycleIndex) == [0, 1] + [Int](repeating: 2, count: 5) + [Int](repeating: 3, count: 5)
                + [Int](repeating: 4, count: 5) + [5])
        #expect(e.steps[0].line == 2 && e.steps[1].line == 2)
        #expect(e.steps[1].text == "Rest for 1 hour")
        #expect(e.steps[4].line == 6 && e.steps[4].drive == .rest)
        #expect(e.steps.last?.line == 11)
        // One line, with a repeat block closed by the end of the text.
        let oneLine = try Experiment(protocolText: "Rest for 1 s; repeat 3 times: Charge at 1C until 4.1 V; Discharge at 1C until 3.5 V")
        #expect(oneLine.steps.count == 7)
        #expect(oneLine.cycleCount == 4)
        // CRLF line ends.
        #expect(try Experiment(protocolText: "Rest for 1 s\r\nRest for 2 s\r\n").steps.count == 2)
    }

    /// Every error names the line (and the step on a line with several) and says what was expected.
    @Test(arguments: [
        ("Discharge at 1X until 3 V", ["protocol line 1", "unknown unit 'X'"]),
        ("Discharge 1C until 3 V", ["protocol line 1", "expected 'at' after 'Discharge'"]),
        ("Rest for 1 hour\nDischarge at fast until 3 V", ["protocol line 2", "expected a current", "got 'fast until 3 V'"]),
        ("Discharge at 1C", ["protocol line 1", "needs an end", "until 3.0 V"]),
        ("Charge at 1C", ["needs an end", "until 4.2 V"]),
        ("Discharge at 3 V until 2 V", ["to hold a voltage write 'Hold at 3 V until C/50'"]),
        ("Hold at 1C until C/50", ["expected a voltage ('4.2 V') after 'Hold at'"]),
        ("Hold at 4.2 V until 3.0 V", ["a voltage hold cannot end at a voltage"]),
        ("Hold at 4.2 V", ["the hold needs an end"]),
        ("Rest", ["the rest needs an end", "Rest for 30 minutes"]),
        ("Rest until C/50", ["a rest ends 'for DURATION' or 'until VOLTAGE'"]),
        ("Discharge at 1C until C/50", ["a current cut-off ends a voltage hold"]),
        ("Discharge at 1C for 3 V", ["expected a duration", "after 'for'", "use 'until' for a cut-off"]),
        ("Discharge at 1C until 1 hour", ["expected a cut-off after 'until'", "use 'for'"]),
        ("Discharge at 1C until 3 V or", ["expected a condition after 'or'"]),
        ("Discharge at 1C until 3 V and 1 hour", ["unexpected 'and 1 hour' after the step"]),
        ("Discharge at 0 A for 1 s", ["0 A must be > 0"]),
        ("Discharge at 1C for 1 hour or for 2 hours", ["the duration is given twice"]),
        ("Discharge at 1C until 120% SOC", ["within 0…100 %"]),
        ("Discharge at 1C until 3 V (10 second)", ["expected 'period'"]),
        ("Discharge at 1C until 3", ["without a unit"]),
        ("Dance at 1C for 1 s", ["unknown step 'Dance at 1C for 1 s'"]),
        ("Run for 1 hour", ["expected a drive-cycle name after 'Run'"]),
        ("Rest for 1 s; Discharge at 1C until 3 Q", ["protocol line 1, step 2", "unknown unit 'Q'"]),
        ("repeat three times:\nRest for 1 s", ["protocol line 1", "expected 'repeat N times:'"]),
        ("repeat 0 times:\nRest for 1 s", ["whole number N ≥ 1"]),
        ("repeat 2 cycles:\nRest for 1 s", ["got 'cycles' after the number"]),
        ("Rest for 1 s\nend", ["protocol line 2", "'end' without a matching 'repeat N times:'"]),
        ("repeat 2 times:\nend", ["protocol line 2", "has no steps"]),
        ("Rest for 1 s\nrepeat 2 times:", ["protocol line 2", "has no steps after it"]),
        ("# only a comment\n\n", ["no steps found"]),
        ("42 for 1 s", ["protocol line 1", "a step starts with Discharge"]),
        ("Discharge at C/1e-300 for 1 s", ["is out of range"]),
        ("Discharge at 1e400 A for 1 s", ["must be > 0"]),
        (String(repeating: "repeat 2 times: ", count: 40) + "Rest for 1 s", ["nest deeper than 16"]),
        ("repeat 100000 times: Rest for 1 s; Rest for 2 s", ["more than 100000 steps"]),
    ])
    func errorsSayWhereAndWhat(text: String, fragments: [String]) {
        let error = lithosError { _ = try Experiment(protocolText: text) }
        #expect(error != nil, "no error for \(text)")
        guard let error else { return }
        #expect(error.kind == .parse || error.kind == .outOfRange)
        for f in fragments {
            #expect(error.message.contains(f), "\(text): message \"\(error.message)\" lacks \"\(f)\"")
        }
    }

    @Test func stepsAsJSON() throws {
        let e = try Experiment(protocolText: "Hold at 4.2 V for 1 hour or until C/50")
        let json = JSONWriter.write(e.toJSON())
        #expect(json.contains("\"kind\":\"voltage_hold\""))
        #expect(json.contains("\"until_c_rate\":0.02"))
        #expect(json.contains("\"duration_s\":3600"))
    }
}

@Suite struct DriveCycleTests {
    @Test func csvParsingAndZeroOrderHold() throws {
        let csv = """
        # a test cycle\r
        time_s, current_A, voltage_V\r
        10, 1.5, 4.0\r

        12.5,-0.5,4.1\r
        20,0,4.0\r
        """
        let c = try DriveCycle.fromCSV(csv, name: "Test", scale: 2)
        #expect(c.name == "test")
        #expect(c.quantity == .current)
        #expect(c.times_s == [0, 2.5, 10])
        #expect(c.values == [3, -1, 0])
        #expect(c.duration_s == 17.5)   // last sample held for the spacing before it
        #expect(c.value(at: 0) == 3)
        #expect(c.value(at: 2.4999) == 3)
        #expect(c.value(at: 2.5) == -1)
        #expect(c.value(at: 9.99) == -1)
        #expect(c.value(at: 10) == 0)
        #expect(c.value(at: 1e9) == 0)
        #expect(c.endTime(ofSample: 0) == 2.5)
        #expect(c.endTime(ofSample: 2) == 17.5)
        #expect(try DriveCycle.fromCSV("time_s,power_W\n0,1\n1,2").quantity == .power)
        #expect(try DriveCycle.fromCSV("time_s,c_rate\n0,1\n1,2").quantity == .cRate)
    }

    @Test(arguments: [
        ("current_A\n0\n1", "needs a 'time_s' column"),
        ("time_s,voltage_V\n0,1\n1,2", "exactly one of 'current_A', 'power_W' or 'c_rate' (it has none)"),
        ("time_s,current_A,power_W\n0,1,1\n1,2,2", "it has current_A and power_W"),
        ("time_s,current_A\n0,1\n1,abc", "line 3: column 'current_A' must be a finite number (got 'abc')"),
        ("time_s,current_A\n0,1\n1", "line 3: has 1 fields"),
        ("time_s,current_A\n0,1\n0,2", "line 3: time_s must increase strictly"),
        ("time_s,current_A\n0,1", "needs at least 2 samples"),
        ("# nothing\n", "no header line"),
        ("time_s,current_A\n0,nan\n1,1", "must be a finite number"),
    ])
    func csvErrors(csv: String, fragment: String) {
        let error = lithosError { _ = try DriveCycle.fromCSV(csv, name: "bad") }
        #expect(error?.kind == .parse, "\(csv)")
        #expect(error?.message.contains("drive cycle 'bad'") == true)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error") lacks \(fragment)")
    }

    @Test func badScaleIsRejected() {
        #expect(lithosError { _ = try DriveCycle.fromCSV("time_s,current_A\n0,1\n1,2", scale: 0) }?.kind == .outOfRange)
        #expect(lithosError { _ = try DriveCycle.fromCSV("time_s,current_A\n0,1\n1,2", scale: .nan) }?.kind == .invalidArgument)
    }

    /// The built-in US06 is the same cycle as examples/drive-cycles/us06.csv.
    @Test func builtInUS06MatchesTheExampleFile() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let text = try String(contentsOfFile: url.appendingPathComponent("examples/drive-cycles/us06.csv").path, encoding: .utf8)
        let file = try DriveCycle.fromCSV(text, name: "us06")
        let builtIn = BuiltInDriveCycles.us06
        #expect(builtIn.sampleCount == 600)
        #expect(builtIn.duration_s == 600)
        #expect(builtIn.quantity == .cRate)
        #expect(file.times_s == builtIn.times_s)
        #expect(file.values == builtIn.values)
        // Discharge positive, mostly discharging: ≈ 0.108 A·h per A·h of capacity per pass.
        let net = try #require(builtIn.netCharge_Ah(capacity_Ah: 1))
        #expect(net > 0.10 && net < 0.12)
    }

    /// A current cycle on the analytic ECM: the model sees exactly the held values, cut at every
    /// sample time, and the delivered charge is Σ Iₖ·Δtₖ.
    @Test func runnerHoldsEachSampleUntilTheNext() throws {
        let csv = "time_s,current_A\n0,2\n0.5,-1\n3.25,0.5\n7,4\n"
        var e = try Experiment(protocolText: "Run mycycle")
        try e.addDriveCycle(try DriveCycle.fromCSV(csv, name: "mycycle"))
        var model = try protocolModel()
        let trace = try ExperimentRunner(dt_s: 1).run(e, on: &model)
        let times = trace.column(.time_s)
        for t in [0.5, 3.25, 7, 10.75] { #expect(times.contains { abs($0 - t) < 1e-12 }, "no row at \(t)") }
        #expect(abs(times.last! - 10.75) < 1e-12)   // one pass: 7 + 3.75
        let expectedCharge = (2 * 0.5 - 1 * 2.75 + 0.5 * 3.75 + 4 * 3.75) / 3600
        #expect(abs(trace.samples.last!.dischargedCharge_Ah - expectedCharge) < 1e-14)
        for (k, s) in trace.samples.enumerated().dropFirst() {
            let t0 = trace.samples[k - 1].time_s
            let expected = try DriveCycle.fromCSV(csv).value(at: t0)
            #expect(s.current_A == expected)
        }
    }

    @Test func driveCycleRepeatsUntilItsCutoff() throws {
        let (trace, model) = try runProtocol("Run us06 until 3.3 V", soc: 0.6)
        let step = try #require(trace.steps.first)
        #expect(step.endReason == .voltageCutoff)
        #expect(step.end_s > 600)   // needed more than one pass
        // The cut-off is met either inside a sample (exactly, by the search) or at a sample
        // time, where the next sample's current makes the voltage jump across it (R0·ΔI): then
        // the step ends at that instant, on the last row before the jump.
        let last = trace.samples.last!
        if abs(last.voltage_V - 3.3) > 1e-6 {
            #expect(last.voltage_V > 3.3)
            #expect(abs(last.time_s - last.time_s.rounded()) < 1e-9)
            let next = BuiltInDriveCycles.us06.value(at: last.time_s.truncatingRemainder(dividingBy: 600)) * 2.0
            var m = model
            #expect(try m.step(.current(next, dt_s: 1e-6)).voltage_V <= 3.3)
        }
        let (once, _) = try runProtocol("Run us06", soc: 0.9)
        #expect(once.samples.last!.time_s == 600)
        let (timed, _) = try runProtocol("Run us06 for 1000 s", soc: 0.9)
        #expect(abs(timed.samples.last!.time_s - 1000) < 1e-9)
    }

    @Test func unknownDriveCycleIsNotFound() throws {
        var model = try protocolModel()
        let before = model.output
        let e = try Experiment(protocolText: "Rest for 1 s\nRun nope")
        let error = lithosError { _ = try ExperimentRunner().run(e, on: &model) }
        #expect(error?.kind == .notFound)
        #expect(error?.message.contains("line 2") == true)
        #expect(error?.message.contains("unknown drive cycle 'nope'") == true)
        #expect(model.output == before)
    }
}

@Suite struct ExperimentRunnerTests {
    /// V(t) of the analytic ECM under a constant current I from rest at SOC z0.
    static func voltage(_ t: Double, current: Double, z0: Double) -> Double {
        3.0 + 1.2 * (z0 - current * t / 3600 / 2.0) - 0.01 * current - 0.02 * current * (1 - Physics.exp(-t / 30))
    }

    /// The time at which V(t) = target (Newton).
    static func crossing(_ target: Double, current: Double, z0: Double, guess: Double) -> Double {
        var t = guess
        for _ in 0..<100 {
            let f = voltage(t, current: current, z0: z0) - target
            let dfdt = -1.2 * current / 7200 - 0.02 * current * Physics.exp(-t / 30) / 30
            t -= f / dfdt
        }
        return t
    }

    @Test(arguments: [1.0, 0.1, 7.3, 60.0])
    func constantCurrentEndsExactlyAtTheCutoff(dt: Double) throws {
        let (trace, model) = try runProtocol("Discharge at 1C until 3.5 V", soc: 0.8, dt: dt)
        let last = trace.samples.last!
        let tStar = Self.crossing(3.5, current: 2, z0: 0.8, guess: 1000)
        #expect(abs(last.voltage_V - 3.5) <= 1e-6)
        #expect(abs(last.voltage_V - 3.5) <= 1e-9)
        #expect(abs(last.time_s - tStar) < 1e-6, "ended at \(last.time_s) s, analytic \(tStar) s")
        #expect(abs(last.dischargedCharge_Ah - 2 * tStar / 3600) < 1e-9)
        #expect(abs(model.output.dischargedCharge_Ah - 2 * tStar / 3600) < 1e-9)
        // Every earlier row is above the cut-off; rows are dt apart except the last.
        for s in trace.samples.dropLast() { #expect(s.voltage_V > 3.5) }
        #expect(trace.steps[0].endReason == .voltageCutoff)
        #expect(trace.stopReason == nil)
    }

    @Test func chargeThenHoldEndsAtTheCurrentThreshold() throws {
        let (trace, _) = try runProtocol("Charge at 1C until 4.1 V\nHold at 4.1 V until C/50", soc: 0.5)
        #expect(trace.steps.map(\.endReason) == [.voltageCutoff, .currentCutoff])
        let hold = trace.steps[1]
        let rows = trace.samples[hold.firstSample..<hold.endSample]
        for s in rows { #expect(abs(s.voltage_V - 4.1) < 1e-9) }
        let last = rows.last!
        #expect(abs(abs(last.current_A) - 0.04) <= 1e-9, "|I| = \(abs(last.current_A))")
        #expect(last.current_A < 0)
        // The CC phase ends at 4.1 V exactly.
        #expect(abs(trace.samples[trace.steps[0].endSample - 1].voltage_V - 4.1) <= 1e-9)
    }

    @Test(arguments: [1.0, 7.0, 0.3])
    func durationStepsEndExactlyOnTime(dt: Double) throws {
        let (trace, _) = try runProtocol("Rest for 90 seconds\nDischarge at 0.5 A for 10 minutes\nRest for 1 hour", dt: dt)
        #expect(trace.steps.map(\.endReason) == [.duration, .duration, .duration])
        let ends = trace.steps.map(\.end_s)
        for (end, expected) in zip(ends, [90.0, 690, 4290]) { #expect(abs(end - expected) < 1e-9 * expected) }
        // The step's own period overrides dt.
        let (periodic, _) = try runProtocol("Rest for 95 s (10 second period)", dt: dt)
        #expect(periodic.count == 1 + 10)
        #expect(abs(periodic.samples[1].time_s - 10) < 1e-12)
    }

    @Test func restKeepsSOCAndRelaxes() throws {
        let (trace, _) = try runProtocol("Discharge at 1C for 5 minutes\nRest for 30 minutes", soc: 0.8)
        let rest = trace.steps[1]
        let z = trace.samples[rest.firstSample - 1].soc
        var previous = trace.samples[rest.firstSample - 1].voltage_V
        for s in trace.samples[rest.firstSample..<rest.endSample] {
            #expect(s.soc == z)
            #expect(s.current_A == 0)
            #expect(s.voltage_V >= previous)   // relaxes upwards towards the OCV
            previous = s.voltage_V
        }
        #expect(abs(previous - (3.0 + 1.2 * z)) < 1e-9)   // 60 τ later: at the OCV
    }

    @Test func restUntilAVoltageApproachesFromEitherSide() throws {
        // After 10 min at 1C from 0.8: OCV = 3.76 V, RC voltage v1 ≈ 40 mV decaying with τ = 30 s,
        // so V = 3.76 − v1·e^{−t/30} reaches 3.75 V after 30·ln(v1/0.01) s.
        let (trace, _) = try runProtocol("Discharge at 1C for 10 minutes\nRest until 3.75 V", soc: 0.8)
        #expect(trace.steps[1].endReason == .voltageCutoff)
        #expect(abs(trace.samples.last!.voltage_V - 3.75) < 1e-9)
        let v1 = 0.04 * (1 - Physics.exp(-20.0))
        #expect(abs(trace.steps[1].duration_s - 30 * Physics.log(v1 / 0.01)) < 1e-6)
        // From above: a charge pushes V over the OCV; the rest relaxes down to the cut-off.
        let (down, _) = try runProtocol("Charge at 1C for 10 minutes\nRest until 3.81 V", soc: 0.5)
        #expect(down.steps[1].endReason == .voltageCutoff)
        #expect(abs(down.samples.last!.voltage_V - 3.81) < 1e-9)
    }

    @Test func threeCycleProtocolGivesThreeCycles() throws {
        let text = """
        repeat 3 times:
          Charge at 1C until 4.1 V
          Hold at 4.1 V until C/20
          Rest for 10 minutes
          Discharge at 1C until 3.3 V
        end
        """
        let (trace, _) = try runProtocol(text, soc: 0.3)
        #expect(trace.summary.cycleCount == 3)
        #expect(trace.steps.count == 12)
        #expect(Set(trace.column(.cycleIndex)) == [0, 1, 2])
        #expect(trace.steps.map(\.cycleIndex) == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        let perCycle: [StepEndReason] = [.voltageCutoff, .currentCutoff, .duration, .voltageCutoff]
        #expect(trace.steps.map(\.endReason) == Array(repeating: perCycle, count: 3).flatMap { $0 })
        // Identical cycles after the first: each discharge delivers the same charge.
        let discharges = trace.steps.filter { $0.text.hasPrefix("Discharge") }
        let q = discharges.map { trace.samples[$0.endSample - 1].dischargedCharge_Ah - trace.samples[$0.firstSample - 1].dischargedCharge_Ah }
        #expect(abs(q[1] - q[2]) < 1e-6)
    }

    @Test func chargeColumnEqualsSOCChangeTimesCapacity() throws {
        let (trace, _) = try runProtocol("Discharge at 1C for 20 minutes\nCharge at 2 W for 5 minutes\nRun us06 for 700 s\nHold at 3.9 V for 10 minutes", soc: 0.8)
        let z0 = trace.samples[0].soc
        for s in trace.samples {
            #expect(abs(s.dischargedCharge_Ah - (z0 - s.soc) * 2.0) < 1e-12)
        }
        let summary = trace.summary
        #expect(abs(summary.netDischargedCharge_Ah - (summary.dischargeCapacity_Ah - summary.chargeCapacity_Ah)) < 1e-12)
        #expect(abs(summary.netDischargedEnergy_Wh - (summary.dischargeEnergy_Wh - summary.chargeEnergy_Wh)) < 1e-9)
    }

    @Test func powerStepHoldsThePower() throws {
        let (trace, _) = try runProtocol("Discharge at 2 W for 10 minutes\nCharge at 3 W until 4.0 V", soc: 0.7)
        let cp = trace.steps[0]
        for s in trace.samples[cp.firstSample..<cp.endSample] { #expect(abs(s.power_W - 2) < 1e-8) }
        let charge = trace.steps[1]
        for s in trace.samples[charge.firstSample..<charge.endSample] { #expect(abs(s.power_W + 3) < 1e-8) }
        #expect(abs(trace.samples.last!.voltage_V - 4.0) < 1e-9)
    }

    @Test func socCutoff() throws {
        let (trace, _) = try runProtocol("Discharge at 2C until 50% SOC", soc: 0.8)
        #expect(abs(trace.samples.last!.soc - 0.5) < 1e-12)
        #expect(abs(trace.samples.last!.time_s - 0.3 * 1800) < 1e-6)
    }

    @Test func cutoffAlreadyMetEndsTheStepAtOnce() throws {
        let (trace, _) = try runProtocol("Discharge at 1C until 4.0 V\nRest for 1 minute", soc: 0.5)
        #expect(trace.steps[0].endedAtStart)
        #expect(trace.steps[0].duration_s == 0)
        #expect(trace.steps[0].firstSample == trace.steps[0].endSample)
        #expect(abs(trace.samples.last!.time_s - 60) < 1e-12)
    }

    /// The cell's window is a cut-off: SOC 0/1 ends the step (empty/full) and the protocol goes
    /// on; the voltage limits stop the experiment. Both are located exactly.
    @Test func cellLimitsEndStepsOrStopTheExperiment() throws {
        let (trace, _) = try runProtocol("Discharge at 1C for 10 hours\nRest for 1 hour", soc: 0.5)
        #expect(trace.steps.map(\.endReason) == [.socLimit, .duration])   // SOC 0 (V = 2.94 V) before 2.5 V
        #expect(trace.stopReason == nil)
        let empty = trace.samples[trace.steps[0].endSample - 1]
        #expect(abs(empty.soc) < 1e-12)
        #expect(abs(empty.time_s - 1800) < 1e-6)
        #expect(abs(trace.samples.last!.time_s - 5400) < 1e-6)
        // Voltage limit on charge (4.3 V) before SOC 1: the experiment stops.
        let (charge, _) = try runProtocol("Charge at 5C for 1 hour\nRest for 1 hour", soc: 0.5)
        #expect(charge.stopReason == .voltageLimit)
        #expect(charge.steps.count == 1)
        #expect(abs(charge.samples.last!.voltage_V - 4.3) < 1e-9)
        #expect(charge.stopMessage.contains("line 1"))
        #expect(charge.summary.stopReason == .voltageLimit)
        // Minimum voltage on a discharge: a 2.5 V limit reached at 20C before SOC 0.
        let (fast, _) = try runProtocol("Discharge at 20C for 1 hour", soc: 0.3)
        #expect(fast.stopReason == .voltageLimit)
        #expect(abs(fast.samples.last!.voltage_V - 2.5) < 1e-9)
        // Without the safety stop the step runs its hour.
        var model = try protocolModel(soc: 0.5)
        var runner = ExperimentRunner()
        runner.stopAtCellLimits = false
        let free = try runner.run(Experiment(protocolText: "Discharge at 0.1C for 1 hour"), on: &model)
        #expect(free.stopReason == nil)
    }

    @Test func errorsRestoreTheModel() throws {
        var model = try protocolModel(soc: 0.6)
        _ = try model.step(.current(1, dt_s: 5))
        let before = model.output
        let e = try Experiment(protocolText: "Discharge at 1C for 10 minutes\nDischarge at 1000 W for 1 minute")
        let error = lithosError { _ = try ExperimentRunner().run(e, on: &model) }
        #expect(error?.kind == .outOfRange)
        #expect(error?.message.contains("step 1 (line 2: 'Discharge at 1000 W for 1 minute') at t = 600") == true)
        #expect(model.output == before)
        // Bad settings.
        #expect(lithosError { _ = try ExperimentRunner(dt_s: 0).run(e, on: &model) }?.kind == .outOfRange)
        #expect(lithosError { _ = try ExperimentRunner(dt_s: .nan).run(e, on: &model) }?.kind == .invalidArgument)
        #expect(lithosError { _ = try ExperimentRunner(ambient_K: 25).run(e, on: &model) }?.kind == .outOfRange)
        // A step that never ends hits the safety limit.
        var runner = ExperimentRunner()
        runner.maximumStepsPerStep = 1000
        let never = try Experiment(protocolText: "Discharge at 0.001C until 2.0 V")
        #expect(lithosError { _ = try runner.run(never, on: &model) }?.message.contains("did not end within 1000 model steps") == true)
        #expect(model.output == before)
    }

    @Test func observerSeesEveryRecordedSample() throws {
        struct Counter: ExperimentObserver {
            var samples: [TraceSample] = []
            var dts: [Double] = []
            mutating func observe(_ sample: TraceSample, dt_s: Double) throws(LithosError) {
                samples.append(sample)
                dts.append(dt_s)
            }
        }
        var model = try protocolModel()
        var counter = Counter()
        let trace = try ExperimentRunner().run(Experiment(protocolText: "Discharge at 1C until 3.5 V"), on: &model, observer: &counter)
        #expect(counter.samples == trace.samples)
        #expect(counter.dts[0] == 0)
        for k in 1..<trace.count {
            #expect(abs(counter.dts[k] - (trace.samples[k].time_s - trace.samples[k - 1].time_s)) < 1e-9)
        }
    }

    @Test func csvHasTheDocumentedHeaderAndParsesBack() throws {
        let (trace, _) = try runProtocol("Discharge at 1C for 100 s\nRest for 10 s", soc: 0.8, dt: 3)
        let csv = trace.csv()
        let lines = csv.split(separator: "\n")
        #expect(lines[0] == "time_s,current_A,voltage_V,soc,temperature_K,power_W,open_circuit_voltage_V,heat_generation_W,discharged_charge_Ah,discharged_energy_Wh,step_index,cycle_index")
        #expect(String(lines[0]) == SimulationTrace.csvHeader)
        #expect(lines.count == 1 + trace.count)
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",").map { Double(String($0))! }
            #expect(fields.count == TraceColumn.allCases.count)
            for c in TraceColumn.allCases { #expect(fields[c.rawValue] == c.value(trace.samples[k])) }
        }
        #expect(lines[1].hasSuffix(",0,0"))
        #expect(lines.last!.hasSuffix(",1,1"))
    }

    @Test func anyCellModelFromTheDefaultDesignRunsUS06() throws {
        var model = try AnyCellModel.make(design: BuiltInCells.defaultDesign(), options: ModelOptions())
        let vmin = model.limits.minimumVoltage_V
        let trace = try ExperimentRunner().run(Experiment(protocolText: "Run us06 until \(vmin) V"), on: &model)
        #expect(trace.steps[0].endReason == .voltageCutoff)
        #expect(abs(trace.samples.last!.voltage_V - vmin) < 1e-6)
        #expect(trace.summary.dischargeCapacity_Ah > 0.2 * model.capacity_Ah)
    }
}

/// Section 5 of lithos.h, called the way C calls it.
@Suite struct ExperimentCAPITests {
    static let design = BuiltInCells.defaultDesignJSON

    func lastError() -> String { String(cString: lithos_last_error_message()) }

    @Test func runAndReadTheTrace() throws {
        var model: OpaquePointer? = nil
        #expect(lithos_model_create(Self.design, nil, &model) == LITHOS_OK)
        defer { lithos_model_destroy(model) }
        var experiment: OpaquePointer? = nil
        #expect(lithos_experiment_create("Discharge at 1C until 3.5 V\nRest for 10 minutes", &experiment) == LITHOS_OK)
        defer { lithos_experiment_destroy(experiment) }
        var steps = 0, cycles = 0
        #expect(lithos_experiment_step_count(experiment, &steps) == LITHOS_OK && steps == 2)
        #expect(lithos_experiment_cycle_count(experiment, &cycles) == LITHOS_OK && cycles == 2)

        var trace: OpaquePointer? = nil
        #expect(lithos_simulation_run(model, experiment, 1, 298.15, &trace) == LITHOS_OK)
        defer { lithos_trace_destroy(trace) }
        var length = 0
        #expect(lithos_trace_length(trace, &length) == LITHOS_OK)
        #expect(length > 100)
        // Column: size query, then fill.
        var needed = 0
        #expect(lithos_trace_column(trace, "voltage_V", nil, 0, &needed) == LITHOS_OK)
        #expect(needed == length)
        var voltage = [Double](repeating: 0, count: length)
        var written = 0
        #expect(lithos_trace_column(trace, "voltage_V", &voltage, length, &written) == LITHOS_OK)
        #expect(written == length)
        var small = [Double](repeating: 0, count: 3)
        #expect(lithos_trace_column(trace, "voltage_V", &small, 3, &written) == LITHOS_ERROR_BUFFER_TOO_SMALL)
        #expect(written == length)
        #expect(lithos_trace_column(trace, "volts", &voltage, length, &written) == LITHOS_ERROR_NOT_FOUND)
        #expect(lastError().contains("voltage_V"))
        var columnCount = 0
        #expect(lithos_trace_column_count(trace, &columnCount) == LITHOS_OK && columnCount == TraceColumn.allCases.count)
        var name: UnsafePointer<CChar>? = nil
        #expect(lithos_trace_column_name(trace, 2, &name) == LITHOS_OK)
        #expect(String(cString: name!) == "voltage_V")
        #expect(lithos_trace_column_name(trace, 99, &name) == LITHOS_ERROR_NOT_FOUND)

        // Summary, versioned.
        var summary = lithos_trace_summary()
        summary.struct_size = MemoryLayout<lithos_trace_summary>.size
        #expect(lithos_trace_get_summary(trace, &summary) == LITHOS_OK)
        #expect(abs(summary.minimum_voltage_V - 3.5) < 1e-6)
        #expect(summary.discharge_capacity_Ah > 0)
        #expect(summary.step_count == 2)
        #expect(summary.stop_reason == 0)
        var tooSmall = lithos_trace_summary()
        tooSmall.struct_size = 8
        #expect(lithos_trace_get_summary(trace, &tooSmall) == LITHOS_ERROR_STRUCT_SIZE)

        // CSV.
        var csvLength = 0
        #expect(lithos_trace_csv(trace, nil, 0, &csvLength) == LITHOS_OK)
        var buffer = [CChar](repeating: 0, count: csvLength + 1)
        #expect(lithos_trace_csv(trace, &buffer, buffer.count, &csvLength) == LITHOS_OK)
        let csv = String(cString: buffer)
        #expect(csv.hasPrefix(SimulationTrace.csvHeader + "\n"))
        // Steps JSON.
        var jsonLength = 0
        #expect(lithos_trace_steps_json(trace, nil, 0, &jsonLength) == LITHOS_OK)
        var json = [CChar](repeating: 0, count: jsonLength + 1)
        #expect(lithos_trace_steps_json(trace, &json, json.count, &jsonLength) == LITHOS_OK)
        #expect(String(cString: json).contains("\"end_reason\": \"voltage_cutoff\""))

        // The model ends in the final state.
        var output = lithos_model_output()
        output.struct_size = MemoryLayout<lithos_model_output>.size
        #expect(lithos_model_get_output(model, &output) == LITHOS_OK)
        #expect(abs(output.time_s - summary.duration_s) < 1e-9)
    }

    @Test func driveCyclesAndErrors() throws {
        var model: OpaquePointer? = nil
        #expect(lithos_model_create(Self.design, nil, &model) == LITHOS_OK)
        defer { lithos_model_destroy(model) }
        var experiment: OpaquePointer? = nil
        #expect(lithos_experiment_create("Rest for 1 s\nDischarge at 1C until 3 V or", &experiment) == LITHOS_ERROR_PARSE)
        #expect(lastError().contains("protocol line 2"))
        #expect(experiment == nil)
        #expect(lithos_experiment_create(nil, &experiment) == LITHOS_ERROR_NULL_ARGUMENT)
        #expect(lithos_experiment_create("Rest for 1 s", nil) == LITHOS_ERROR_NULL_ARGUMENT)

        #expect(lithos_experiment_create("Run mine for 20 s", &experiment) == LITHOS_OK)
        defer { lithos_experiment_destroy(experiment) }
        var trace: OpaquePointer? = nil
        var before = lithos_model_output()
        before.struct_size = MemoryLayout<lithos_model_output>.size
        #expect(lithos_model_get_output(model, &before) == LITHOS_OK)
        #expect(lithos_simulation_run(model, experiment, 1, 298.15, &trace) == LITHOS_ERROR_NOT_FOUND)
        #expect(lastError().contains("unknown drive cycle 'mine'"))
        #expect(trace == nil)
        #expect(lithos_experiment_add_drive_cycle(experiment, "mine", "time_s,current_A\n0,1\nx,2", 1) == LITHOS_ERROR_PARSE)
        #expect(lastError().contains("line 3"))
        #expect(lithos_experiment_add_drive_cycle(experiment, "for", "time_s,current_A\n0,1\n1,2", 1) == LITHOS_ERROR_INVALID_ARGUMENT)
        #expect(lithos_experiment_add_drive_cycle(experiment, "mine", "time_s,c_rate\n0,1\n10,-0.5", 0.5) == LITHOS_OK)
        #expect(lithos_simulation_run(model, experiment, 0, 298.15, &trace) == LITHOS_ERROR_OUT_OF_RANGE)
        #expect(lithos_simulation_run(model, experiment, 1, 25, &trace) == LITHOS_ERROR_OUT_OF_RANGE)
        #expect(lithos_simulation_run(nil, experiment, 1, 298.15, &trace) == LITHOS_ERROR_NULL_ARGUMENT)
        #expect(lithos_simulation_run(model, nil, 1, 298.15, &trace) == LITHOS_ERROR_NULL_ARGUMENT)
        #expect(lithos_simulation_run(model, experiment, 1, 298.15, nil) == LITHOS_ERROR_NULL_ARGUMENT)
        var after = lithos_model_output()
        after.struct_size = MemoryLayout<lithos_model_output>.size
        #expect(lithos_model_get_output(model, &after) == LITHOS_OK)
        #expect(after.time_s == before.time_s && after.soc == before.soc)

        #expect(lithos_simulation_run(model, experiment, 1, 298.15, &trace) == LITHOS_OK)
        defer { lithos_trace_destroy(trace) }
        var info = lithos_model_info()
        info.struct_size = MemoryLayout<lithos_model_info>.size
        #expect(lithos_model_get_info(model, &info) == LITHOS_OK)
        var n = 0
        #expect(lithos_trace_column(trace, "current_A", nil, 0, &n) == LITHOS_OK)
        var current = [Double](repeating: 0, count: n)
        #expect(lithos_trace_column(trace, "current_A", &current, n, &n) == LITHOS_OK)
        #expect(abs(current[1] - 0.5 * info.capacity_Ah) < 1e-12)           // 1C × scale 0.5
        #expect(abs(current[n - 1] + 0.25 * info.capacity_Ah) < 1e-12)      // −0.5C × 0.5
        // Experiment JSON.
        var length = 0
        #expect(lithos_experiment_json(experiment, nil, 0, &length) == LITHOS_OK)
        var json = [CChar](repeating: 0, count: length + 1)
        #expect(lithos_experiment_json(experiment, &json, json.count, &length) == LITHOS_OK)
        #expect(String(cString: json).contains("\"drive_cycle\": \"mine\""))
        // NULL handles are accepted by destroy and rejected elsewhere.
        #expect(lithos_experiment_destroy(nil) == LITHOS_OK)
        #expect(lithos_trace_destroy(nil) == LITHOS_OK)
        #expect(lithos_trace_length(nil, &n) == LITHOS_ERROR_NULL_ARGUMENT)
    }
}

@Suite struct CutoffSearchTests {
    /// Model steps per located cut-off (counted by the trace, rolled-back trials included): each
    /// crossing costs the full step, one probe at h → 0 and the Illinois trials, far below 50.
    @Test(arguments: [
        "Discharge at 1C until 3.5 V",
        "Charge at 1C until 4.1 V\nHold at 4.1 V until C/50",
        "Run us06 until 3.4 V",
        "Discharge at 2 W until 3.4 V",
        "Discharge at 2C until 30% SOC",
    ])
    func fewTrialsPerCutoff(text: String) throws {
        var model = try protocolModel(soc: 0.7)
        let trace = try ExperimentRunner(dt_s: 10).run(Experiment(protocolText: text), on: &model)
        let located = trace.steps.filter { $0.endReason != .duration }.count
        let extra = trace.modelSteps - (trace.count - 1)
        #expect(located >= 1)
        #expect(extra <= located * 12, "\(extra) extra model steps for \(located) cut-offs")
        #expect(extra <= located * (ExperimentRunner.maximumIterations + 2))
    }
}
