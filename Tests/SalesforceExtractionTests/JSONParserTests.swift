import SalesforceExtraction
import Testing

@Suite struct JSONParserTests {
    @Test func keepsNumbersAsWrittenAndMemberOrder() throws {
        let value = try JSONParser.parse(#"{"b": 1500000.50, "a": -0.0e+5, "c": [true, false, null], "d": "x\u00e9\ud83d\ude00\n"}"#)
        let object = try #require(value.object)
        #expect(object.members.map(\.key) == ["b", "a", "c", "d"])
        #expect(object["b"] == .number("1500000.50"))
        #expect(object["a"] == .number("-0.0e+5"))
        #expect(object["c"] == .array([.bool(true), .bool(false), .null]))
        #expect(object["d"] == .string("xé😀\n"))
    }

    @Test func writesBackWhatItRead() throws {
        let text = #"{"a":[1.50,true,null],"b":"q\"\\\n\u0001é","c":{}}"#
        #expect(try JSONParser.parse(text).text == text)
    }

    @Test(arguments: [
        "", "{", #"{"a":1"#, #"{"totalSize":3,"done":true,"records":[{"Id":"001"#, "[1,]", "{\"a\" 1}", "01",
        "1.", "-", "1e", "tru", "nul", "\"\\x\"", "\"\\ud800\"", "\"a\u{01}\"", "{\"a\":1,\"a\":2}", "1 2", "[1] x",
        "\"\\u12\"", "{1:2}", "NaN",
    ])
    func rejectsMalformedAndTruncatedInput(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func survivesRandomBytes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 64) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(Array(#"{}[]",:0123456789.eE+-tfnul\ "#.utf8)[Int(state >> 33) % 27])
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            _ = try? JSONParser.parse(bytes)
        }
    }
}
