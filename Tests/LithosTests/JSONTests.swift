import Testing
@testable import Lithos

@Suite struct JSONParserTests {
    @Test func parsesNestedDocument() throws {
        let v = try JSONParser.parse(#"{"a": [1, 2.5, -3e2], "b": {"c": "x\u00e9\n"}, "d": null, "e": true, "f": false}"#)
        #expect(v["a"] == .array([.number(1), .number(2.5), .number(-300)]))
        #expect(v["b"]?["c"] == .string("xé\n"))
        #expect(v["d"] == .null)
        #expect(v["e"] == .bool(true))
        #expect(v["f"] == .bool(false))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\udd0b""#) == .string("🔋"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "nul",
        "\"abc", "\"\\x\"", "\"\\ud800\"", "[1] 2", "{\"a\":1,\"a\":2}", "\"\u{01}\"", "{1:2}", "1e999",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(throws: LithosError.self) { try JSONParser.parse(text) }
        do { _ = try JSONParser.parse(text) } catch {
            #expect(error.kind == .parse)
            #expect(error.message.contains("line"))
        }
    }

    @Test func reportsLineAndColumn() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": ]\n}")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.message.contains("line 3"))
        }
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: LithosError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect((try? JSONParser.parse(ok)) != nil)
    }

    /// Random and mutated documents must either parse or throw; never trap (a cheap in-process
    /// fuzz pass; deterministic seed).
    @Test func neverTrapsOnRandomInput() {
        var rng = SplitMix64(seed: 0x5eed)
        let seed = Array(#"{"a": [1, 2.5e-3, "x\u00e9", {"b": null}], "c": true}"#.utf8)
        let alphabet = Array(#"{}[],:"\ -+.eE0123456789abtrufnlsu"#.utf8)
        for _ in 0..<20_000 {
            var bytes = seed
            let edits = Int(rng.next() % 6) + 1
            for _ in 0..<edits {
                let i = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                }
                if bytes.isEmpty { bytes = [UInt8(ascii: "0")] }
            }
            _ = try? JSONParser.parse(bytes: bytes)
        }
    }

    @Test func writerRoundTrips() throws {
        let values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-300, 6.02214076e23, 1.0 / 3.0, 123456789012345678]
        for x in values {
            let text = JSONWriter.write(.array([.number(x)]))
            #expect(try JSONParser.parse(text) == .array([.number(x)]))
        }
        let doc: JSONValue = .object([("k", .string("quote \" backslash \\ tab \t ctl \u{01}")), ("n", .null)])
        #expect(try JSONParser.parse(JSONWriter.write(doc, pretty: true)) == doc)
        #expect(JSONWriter.write(.number(.nan)) == "null")
    }
}

@Suite struct JSONObjectReaderTests {
    @Test func rejectsUnknownKeysAndNamesThePath() throws {
        var reader = try JSONObjectReader(try JSONParser.parse(#"{"thickness_um": 5, "thicknes_um": 3}"#), path: "cathode", context: "cell design")
        _ = try reader.positiveNumber("thickness_um")
        do {
            try reader.finish()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .config)
            #expect(error.message.contains("cathode.thicknes_um"))
        }
    }

    @Test func checksTypesAndRanges() throws {
        var reader = try JSONObjectReader(try JSONParser.parse(#"{"a": "x", "b": -1, "c": 2}"#), path: "", context: "test")
        #expect(throws: LithosError.self) { try reader.number("a") }
        #expect(throws: LithosError.self) { try reader.positiveNumber("b") }
        #expect(throws: LithosError.self) { try reader.number("c", in: 0...1) }
        #expect(try reader.number("missing", default: 7) == 7)
        #expect(throws: LithosError.self) { try reader.number("missing2") }
    }
}

/// Deterministic pseudo-random numbers for tests (SplitMix64, Steele et al. 2014).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
