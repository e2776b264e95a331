/// Reads protocol text in the PyBaMM experiment style into an `Experiment`.
///
/// Text: one step per line, or several on a line separated by `;`. `#` starts a comment. Case,
/// and spaces between numbers and units, do not matter. Steps:
///
/// ```
/// Discharge at 1C until 3.0 V                    C-rate: 1C, 0.5C, C/2, C/20
/// Discharge at 1 A for 10 minutes                current: A, mA
/// Discharge at 2 W for 10 minutes                power: W, mW, kW
/// Discharge at 1C for 1 hour or until 3.0 V      first condition met ends the step
/// Charge at 0.5C until 4.2 V
/// Hold at 4.2 V until C/50                       or "until 50 mA", "for 2 hours"
/// Rest for 30 minutes                            s/sec/second(s), min/minute(s), h/hr/hour(s)
/// Discharge at 1C until 20% SOC                  SOC cut-off ("SOC 20%" also works)
/// Run us06 until 2.5 V                           a drive cycle, repeated until the cut-off
/// Run us06                                       one pass of the cycle
/// Discharge at 1C until 3.0 V (10 second period) time step of this step
/// ```
///
/// Repeats: `repeat N times:` opens a block that `end` closes (or the end of the text), e.g.
/// `repeat 3 times: Charge at 1C until 4.2 V; Hold at 4.2 V until C/50; Discharge at 1C until 3.0 V`.
/// Blocks nest. Cycles (the `cycle_index` of the trace): every top-level step is one cycle, and
/// every pass through a top-level `repeat` block is one cycle.
///
/// Errors are `.parse` with the line (and the step on the line when there are several) and what
/// was expected: "protocol line 3: 'Discharge at 1X until 3 V': expected a current ('1 A',
/// '500 mA'), a C-rate ('1C', 'C/2') or a power ('2 W') after 'at', got 'X'".
public enum ExperimentParser {
    /// Largest number of steps after expanding repeats.
    public static let maximumSteps = 100_000
    /// Deepest nesting of repeat blocks.
    public static let maximumNesting = 16
    /// Largest magnitude of a current [A], C-rate, power [W] or duration [s] (beyond it a step
    /// would overflow the model's arithmetic).
    public static let maximumMagnitude = 1e9

    public static func parse(_ text: String) throws(LithosError) -> Experiment {
        var stack: [Block] = [Block(count: 1, line: 0)]
        for (i, raw) in TextLines.split(text).enumerated() {
            let lineNumber = i + 1
            let items = TextLines.withoutComment(raw).split(separator: ";", omittingEmptySubsequences: false)
                .map { TextLines.trimmed($0) }
            let nonEmpty = items.filter { !$0.isEmpty }
            for (k, item) in nonEmpty.enumerated() {
                let location = nonEmpty.count > 1 ? "protocol line \(lineNumber), step \(k + 1)" : "protocol line \(lineNumber)"
                try parseItem(item, line: lineNumber, location: location, stack: &stack)
            }
        }
        while stack.count > 1 {
            let block = stack.removeLast()
            if block.nodes.isEmpty {
                throw LithosError(.parse, "protocol line \(block.line): 'repeat \(block.count) times' has no steps after it")
            }
            stack[stack.count - 1].nodes.append(.repeated(block.count, block.nodes, line: block.line))
        }
        let top = stack[0].nodes
        if top.isEmpty {
            throw LithosError(.parse, "protocol: no steps found; write one step per line, e.g. 'Discharge at 1C until 3.0 V'")
        }
        var steps: [ExperimentStep] = []
        var cycle = 0
        for node in top {
            switch node {
            case .step:
                try expand(node, cycle: cycle, into: &steps)
                cycle += 1
            case let .repeated(count, body, _):
                for _ in 0..<count {
                    for inner in body { try expand(inner, cycle: cycle, into: &steps) }
                    cycle += 1
                }
            }
        }
        return Experiment(steps: steps, cycleCount: cycle)
    }

    /// Parses a single step ("Rest for 1 hour"); `line` is used in messages and in the step.
    public static func parseStep(_ text: String, line: Int = 1) throws(LithosError) -> ExperimentStep {
        let item = TextLines.trimmed(Substring(text))
        var parser = StepParser(tokens: ProtocolTokenizer.tokens(item), text: item, location: "protocol line \(line)")
        var step = try parser.parse()
        step.line = line
        return step
    }

    // MARK: - blocks

    private indirect enum Node {
        case step(ExperimentStep)
        case repeated(Int, [Node], line: Int)
    }

    private struct Block {
        var count: Int
        var line: Int
        var nodes: [Node] = []
    }

    private static func expand(_ node: Node, cycle: Int, into steps: inout [ExperimentStep]) throws(LithosError) {
        switch node {
        case var .step(s):
            if steps.count >= maximumSteps {
                throw LithosError(.outOfRange, "protocol: more than \(maximumSteps) steps after expanding the repeats (line \(s.line)); use fewer repeats")
            }
            s.cycleIndex = cycle
            steps.append(s)
        case let .repeated(count, body, _):
            for _ in 0..<count {
                for inner in body { try expand(inner, cycle: cycle, into: &steps) }
            }
        }
    }

    private static func parseItem(_ item: Substring, line: Int, location: String, stack: inout [Block]) throws(LithosError) {
        let tokens = ProtocolTokenizer.tokens(item)
        guard let first = tokens.first?.word else {
            throw LithosError(.parse, "\(location): \(TextLines.quote(item)): a step starts with Discharge, Charge, Hold, Rest, Run, 'repeat N times:' or 'end'")
        }
        switch first {
        case "end":
            guard tokens.count == 1 || (tokens.count == 2 && tokens[1].word == "repeat") else {
                throw LithosError(.parse, "\(location): \(TextLines.quote(item)): 'end' closes a repeat block and stands alone")
            }
            guard stack.count > 1 else {
                throw LithosError(.parse, "\(location): 'end' without a matching 'repeat N times:'")
            }
            let block = stack.removeLast()
            if block.nodes.isEmpty {
                throw LithosError(.parse, "\(location): the repeat block opened on line \(block.line) has no steps")
            }
            stack[stack.count - 1].nodes.append(.repeated(block.count, block.nodes, line: block.line))
        case "repeat":
            // repeat N times[:] [step on the same line]
            let expected = "expected 'repeat N times:' with a whole number N ≥ 1"
            guard tokens.count >= 3, let n = tokens[1].number, n == n.rounded(), n >= 1 else {
                throw LithosError(.parse, "\(location): \(TextLines.quote(item)): \(expected)")
            }
            guard n <= Double(maximumSteps) else {
                throw LithosError(.outOfRange, "\(location): repeat count \(Int(n)) is larger than \(maximumSteps)")
            }
            guard let w = tokens[2].word, w == "times" || w == "time" || w == "x" else {
                throw LithosError(.parse, "\(location): \(TextLines.quote(item)): \(expected) (got \(TextLines.quote(tokens[2].text)) after the number)")
            }
            guard stack.count <= maximumNesting else {
                throw LithosError(.parse, "\(location): repeat blocks nest deeper than \(maximumNesting) levels")
            }
            stack.append(Block(count: Int(n), line: line))
            var rest = tokens.dropFirst(3)
            if let colon = rest.first, colon.isSymbol(":") {
                rest = rest.dropFirst()
            } else if let extra = rest.first {
                throw LithosError(.parse, "\(location): \(TextLines.quote(item)): expected ':' after 'repeat \(Int(n)) times', got \(TextLines.quote(extra.text))")
            }
            if let start = rest.first {
                let stepText = item[start.text.startIndex...]
                try parseItem(TextLines.trimmed(stepText), line: line, location: location, stack: &stack)
            }
        default:
            var parser = StepParser(tokens: tokens, text: item, location: location)
            var step = try parser.parse()
            step.line = line
            stack[stack.count - 1].nodes.append(.step(step))
        }
    }
}

/// A physical quantity as written in a step, already in SI (C-rates in 1/h, SOC as a fraction).
enum ProtocolQuantity: Equatable {
    case current(Double)
    case cRate(Double)
    case power(Double)
    case voltage(Double)
    case duration(Double)
    case soc(Double)
}

/// Recursive-descent parser of one step.
struct StepParser {
    let tokens: [ProtocolToken]
    let text: Substring
    let location: String
    var position = 0

    init(tokens: [ProtocolToken], text: Substring, location: String) {
        // A sentence-ending "." is allowed.
        var t = tokens
        if let last = t.last, last.isSymbol(".") { t.removeLast() }
        self.tokens = t
        self.text = text
        self.location = location
    }

    // MARK: token helpers

    var atEnd: Bool { position >= tokens.count }

    func peekWord(_ offset: Int = 0) -> String? {
        position + offset < tokens.count ? tokens[position + offset].word : nil
    }

    /// What the next token is, for "got …" in messages.
    var got: String {
        guard position < tokens.count else { return "the end of the step" }
        let rest = text[tokens[position].text.startIndex...]
        return TextLines.quote(rest, limit: 24)
    }

    func error(_ what: String) -> LithosError {
        LithosError(.parse, "\(location): \(TextLines.quote(text)): \(what)")
    }

    mutating func accept(_ word: String) -> Bool {
        if peekWord() == word { position += 1; return true }
        return false
    }

    mutating func expect(_ word: String, _ context: String) throws(LithosError) {
        guard accept(word) else { throw error("expected '\(word)' \(context), got \(got)") }
    }

    /// "discharge" → "Discharge".
    static func capitalized(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    // MARK: grammar

    mutating func parse() throws(LithosError) -> ExperimentStep {
        guard let verb = peekWord() else {
            throw error("a step starts with Discharge, Charge, Hold, Rest or Run")
        }
        position += 1
        let drive: ExperimentStep.Drive
        switch verb {
        case "discharge", "charge":
            let sign: Double = verb == "discharge" ? 1 : -1
            try expect("at", "after '\(Self.capitalized(verb))' (e.g. '\(Self.capitalized(verb)) at 1C until \(sign > 0 ? "3.0" : "4.2") V')")
            let what = "a current ('1 A', '500 mA'), a C-rate ('1C', 'C/2') or a power ('2 W') after 'at'"
            let start = position
            guard let q = try quantity(what) else { throw error("expected \(what), got \(got)") }
            switch q {
            case let .current(a): drive = .current(sign * (try positive(a, start)))
            case let .cRate(c): drive = .cRate(sign * (try positive(c, start)))
            case let .power(w): drive = .power(sign * (try positive(w, start)))
            case .voltage:
                let written = quantityText(start)
                position = start
                throw error("expected \(what), got \(got); to hold a voltage write 'Hold at \(written) until C/50'")
            default:
                position = start
                throw error("expected \(what), got \(got)")
            }
        case "hold":
            try expect("at", "after 'Hold' (e.g. 'Hold at 4.2 V until C/50')")
            let start = position
            guard case let .voltage(v)? = try quantity("a voltage") else {
                position = start
                throw error("expected a voltage ('4.2 V') after 'Hold at', got \(got)")
            }
            guard v > 0 && v < 10 else { throw error("a hold voltage must be within 0…10 V (got \(v) V)") }
            drive = .voltageHold(v)
        case "rest":
            drive = .rest
        case "run":
            guard position < tokens.count, let name = tokens[position].word,
                  name != "for", name != "until" else {
                throw error("expected a drive-cycle name after 'Run' (e.g. 'Run us06 until 2.5 V'), got \(got)")
            }
            position += 1
            drive = .driveCycle(name)
        default:
            position -= 1
            throw error("unknown step \(got); a step starts with Discharge, Charge, Hold, Rest, Run, 'repeat N times:' or 'end'")
        }
        let termination = try terminations()
        let period = try periodClause()
        if !atEnd {
            throw error("unexpected \(got) after the step; expected 'for DURATION', 'until CONDITION', 'or …' or '(N second period)'")
        }
        var step = ExperimentStep(drive: drive, termination: termination, period_s: period, text: String(text))
        try check(&step)
        return step
    }

    /// "for DURATION", "until CONDITION", joined by "or"; after "or" the keyword may be left out.
    mutating func terminations() throws(LithosError) -> StepTermination {
        var t = StepTermination()
        var afterOr = false
        while !atEnd {
            let keyword: String?
            if accept("for") { keyword = "for" } else if accept("until") { keyword = "until" } else { keyword = nil }
            if keyword == nil && !afterOr { break }
            let start = position
            let what = keyword == "for" ? "a duration ('30 minutes', '1 hour', '90 s')"
                : "a duration, voltage ('3.0 V'), current ('C/50', '50 mA') or SOC ('20% SOC')"
            guard let q = try quantity(what) else {
                throw error("expected \(what) after '\(keyword ?? "or")', got \(got)")
            }
            switch (keyword, q) {
            case (_, let .duration(s)) where keyword != "until":
                if t.duration_s != nil { throw error("the duration is given twice") }
                t.duration_s = try positive(s, start)
            case ("for", _):
                position = start
                throw error("expected a duration ('30 minutes', '1 hour') after 'for', got \(got); use 'until' for a cut-off")
            case (_, let .voltage(v)):
                guard v > 0 && v < 10 else { throw error("a voltage cut-off must be within 0…10 V (got \(v) V)") }
                if t.voltage_V != nil { throw error("the voltage cut-off is given twice") }
                t.voltage_V = v
            case (_, let .current(a)):
                if t.current != nil { throw error("the current cut-off is given twice") }
                t.current = .amps(try positive(a, start))
            case (_, let .cRate(c)):
                if t.current != nil { throw error("the current cut-off is given twice") }
                t.current = .cRate(try positive(c, start))
            case (_, let .soc(z)):
                guard z >= 0 && z <= 1 else { throw error("an SOC cut-off must be within 0…100 % (got \(z * 100) %)") }
                if t.soc != nil { throw error("the SOC cut-off is given twice") }
                t.soc = z
            case (_, .duration):
                position = start
                throw error("expected a cut-off after 'until', got \(got); use 'for' with a duration ('for 1 hour')")
            case (_, .power):
                position = start
                throw error("a power cannot end a step (got \(got)); cut-offs are voltages, currents or SOC")
            }
            if accept("or") { afterOr = true; continue }
            afterOr = false
        }
        if afterOr { throw error("expected a condition after 'or', got \(got)") }
        return t
    }

    /// "(10 second period)" → 10 s.
    mutating func periodClause() throws(LithosError) -> Double? {
        guard position < tokens.count, tokens[position].isSymbol("(") else { return nil }
        position += 1
        let start = position
        guard case let .duration(s)? = try quantity("a period") else {
            position = start
            throw error("expected '(N second period)', got \(got)")
        }
        guard accept("period") else { throw error("expected 'period' in '(\(quantityText(start)) period)', got \(got)") }
        guard position < tokens.count, tokens[position].isSymbol(")") else { throw error("expected ')' after 'period', got \(got)") }
        position += 1
        guard s > 0 && s <= 86_400 else { throw error("the period must be within (0, 86400] s (got \(s) s)") }
        return s
    }

    /// Reads a quantity, or returns nil (position unchanged) when the next tokens are not one.
    /// Throws for a number with an unknown unit.
    mutating func quantity(_ what: String) throws(LithosError) -> ProtocolQuantity? {
        guard position < tokens.count else { return nil }
        let token = tokens[position]
        // C/x
        if token.word == "c", position + 2 < tokens.count, tokens[position + 1].isSymbol("/"), let d = tokens[position + 2].number {
            guard d > 0 else { throw error("C/\(tokens[position + 2].text): the divisor must be > 0") }
            position += 3
            return .cRate(1 / d)
        }
        // SOC 80% / SOC = 80 % / SOC 0.8
        if token.word == "soc" {
            var p = position + 1
            if p < tokens.count, tokens[p].isSymbol("=") { p += 1 }
            guard p < tokens.count, let x = tokens[p].number else { return nil }
            p += 1
            if p < tokens.count, tokens[p].isSymbol("%") {
                position = p + 1
                return .soc(x / 100)
            }
            guard x <= 1 else { throw error("write the SOC as a percentage ('SOC \(tokens[p - 1].text)%') or a fraction 0…1") }
            position = p
            return .soc(x)
        }
        guard let x = token.number else { return nil }
        guard position + 1 < tokens.count else {
            throw error("expected \(what), got \(TextLines.quote(token.text)) without a unit")
        }
        let unitToken = tokens[position + 1]
        if unitToken.isSymbol("%") {
            guard position + 2 < tokens.count, tokens[position + 2].word == "soc" else {
                throw error("expected 'SOC' after '\(token.text)%', got \(position + 2 < tokens.count ? TextLines.quote(tokens[position + 2].text) : "the end of the step")")
            }
            position += 3
            return .soc(x / 100)
        }
        guard let unit = unitToken.word else {
            throw error("expected \(what), got \(TextLines.quote(token.text)) followed by \(TextLines.quote(unitToken.text))")
        }
        let q: ProtocolQuantity
        switch unit {
        case "a", "amp", "amps", "ampere", "amperes": q = .current(x)
        case "ma", "milliamp", "milliamps": q = .current(x * 1e-3)
        case "c": q = .cRate(x)
        case "w", "watt", "watts": q = .power(x)
        case "mw": q = .power(x * 1e-3)
        case "kw": q = .power(x * 1e3)
        case "v", "volt", "volts": q = .voltage(x)
        case "mv": q = .voltage(x * 1e-3)
        case "s", "sec", "secs", "second", "seconds": q = .duration(x)
        case "min", "mins", "minute", "minutes": q = .duration(x * 60)
        case "h", "hr", "hrs", "hour", "hours": q = .duration(x * 3600)
        case "day", "days": q = .duration(x * 86_400)
        default:
            throw error("unknown unit \(TextLines.quote(unitToken.text)) after \(token.text); expected \(what) (units: A, mA, C, W, mW, kW, V, mV, s, min, h, % SOC)")
        }
        position += 2
        return q
    }

    func positive(_ x: Double, _ start: Int) throws(LithosError) -> Double {
        guard x > 0 && x.isFinite else { throw error("\(quantityText(start)) must be > 0") }
        guard x <= ExperimentParser.maximumMagnitude else {
            throw error("\(quantityText(start)) is out of range (at most \(ExperimentParser.maximumMagnitude) in SI units)")
        }
        return x
    }

    func quantityText(_ start: Int) -> String {
        guard start < tokens.count else { return "" }
        let end = min(position, tokens.count) > start ? tokens[min(position, tokens.count) - 1].text.endIndex : tokens[start].text.endIndex
        return String(text[tokens[start].text.startIndex..<end])
    }

    /// Which end conditions make sense for which step.
    func check(_ step: inout ExperimentStep) throws(LithosError) {
        let t = step.termination
        switch step.drive {
        case .current, .cRate, .power:
            if t.current != nil {
                throw error("a current cut-off ends a voltage hold ('Hold at 4.2 V until C/50'); a constant-current or -power step ends 'for DURATION' or 'until VOLTAGE'/'SOC'")
            }
            if t.isEmpty {
                let example = step.direction == .charge ? "until 4.2 V" : "until 3.0 V"
                throw error("the step needs an end: add 'for DURATION' or '\(example)'")
            }
        case .voltageHold:
            if t.voltage_V != nil { throw error("a voltage hold cannot end at a voltage; end it 'until C/50' (current) or 'for DURATION'") }
            if t.isEmpty { throw error("the hold needs an end: add 'until C/50' (or 'until 50 mA') or 'for DURATION'") }
        case .rest:
            if t.current != nil || t.soc != nil { throw error("a rest ends 'for DURATION' or 'until VOLTAGE'") }
            if t.isEmpty { throw error("the rest needs an end: add 'for DURATION' (e.g. 'Rest for 30 minutes')") }
        case .driveCycle:
            if t.current != nil { throw error("a drive cycle ends 'for DURATION', 'until VOLTAGE' or 'until SOC', not at a current") }
        }
    }
}
