import Testing
@testable import Lithos

@Test func parsesNestedDocument() throws {
    let v = try JSONParser.parse(#"{"a": [1, 2.5, -3e2], "b": {"c": "x\u00e9"}, "d": null, "e": true}"#)
    #expect(v["a"] == .array([.number(1), .number(2.5), .number(-300)]))
    #expect(v["b"]?["c"] == .string("xé"))
}
