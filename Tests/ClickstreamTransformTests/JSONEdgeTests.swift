import ClickstreamTransform
import Foundation
import Testing

/// RFC 8259 edges: what is `invalid_json`, what is `invalid_utf8`, and the documented policies.
@Suite struct JSONEdgeTests {
    private let good = Fixtures.songPlay

    @Test func theFixturesAreAccepted() {
        #expect(Fixtures.reason(good) == nil)
        #expect(Fixtures.reason(Fixtures.purchase) == nil)
    }

    @Test(arguments: [
        ("", "invalid_json"),
        ("   ", "invalid_json"),
        ("[]", "invalid_json"),
        ("\"text\"", "invalid_json"),
        ("42", "invalid_json"),
        ("null", "invalid_json"),
        ("{", "invalid_json"),
        ("{}", "missing_field"),
        ("{} {}", "invalid_json"),
        ("{}x", "invalid_json"),
        ("{\"a\":1,}", "invalid_json"),
        ("{\"a\" 1}", "invalid_json"),
        ("{a:1}", "invalid_json"),
        ("{'a':1}", "invalid_json"),
        ("{\"a\":None}", "invalid_json"),
        ("{\"a\":tru}", "invalid_json"),
        ("{\"a\":01}", "invalid_json"),
        ("{\"a\":1.}", "invalid_json"),
        ("{\"a\":.5}", "invalid_json"),
        ("{\"a\":-}", "invalid_json"),
        ("{\"a\":1e}", "invalid_json"),
        ("{\"a\":+1}", "invalid_json"),
        ("{\"a\":NaN}", "invalid_json"),
        ("{\"a\":\"\\x\"}", "invalid_json"),
        ("{\"a\":\"\\u12\"}", "invalid_json"),
        ("{\"a\":\"\\ud800\"}", "invalid_json"),
        ("{\"a\":\"\\udc00\\ud800\"}", "invalid_json"),
        ("{\"a\":\"\\u0000\"}", "invalid_json"),
        ("{\"a\":\"tab\there\"}", "invalid_json"),
        ("{\"a\":[1,2,]}", "invalid_json"),
        ("{\"a\":\"unterminated}", "invalid_json"),
        ("<html>502</html>", "invalid_json"),
    ])
    func malformed(json: String, reason: String) {
        #expect(Fixtures.reason(json) == reason, "\(json)")
    }

    @Test func whitespaceAroundTheTextIsFine() {
        #expect(Fixtures.reason(" \n\t\r" + good + "\r\n ") == nil)
    }

    @Test func validNumbersOfEveryShapeParse() {
        for n in ["0", "-0", "1e3", "1E+3", "1.5e-3", "123456789012345678901234567890", "1e400", "-1e-400"] {
            let json = Fixtures.songPlay(replacing: "sequence", with: "1").dropLast() + ",\"extra\":\(n)}"
            #expect(Fixtures.reason(String(json)) == nil, "\(n)")
        }
    }

    @Test func hugeNumbersInTypedFieldsAreRejectedNotTrapped() {
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "sequence", with: "123456789012345678901234567890")) == "wrong_type")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "timestamp", with: "1e400")) == "wrong_type")
        #expect(Fixtures.reason(Fixtures.purchase(replacing: "price", with: "1e400")) == "out_of_range")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "timestamp", with: "1767225600123.0")) == nil)
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "timestamp", with: "1.767225600123e12")) == nil)
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "timestamp", with: "1767225600123.5")) == "wrong_type")
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let json = Fixtures.songPlay(replacing: "page", with: #""\/a\\b\"c\n\t\u00e9\u20ac\ud83c\udfb5""#)
        let event = try #require(Fixtures.clean(json))
        #expect(event.page == "/a\\b\"c\n\té€🎵")
        let song = try #require(Fixtures.clean(good)?.song)
        #expect(song.artist == "AC\\DC" && song.title == "\"Heroes\"")
    }

    @Test func escapedKeysMatchKnownFields() throws {
        let json = good.replacingOccurrences(of: "\"page\":", with: "\"pa\\u0067e\":")
        #expect(try #require(Fixtures.clean(json)).page == "/song")
    }

    @Test func nestingIsLimited() {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        #expect(Fixtures.transform(String(good.dropLast()) + ",\"x\":\(deep)}").rejection?.detail.contains("nesting") == true)
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(Fixtures.reason(String(good.dropLast()) + ",\"x\":\(fine)}") == nil)
        let objects = String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)
        #expect(Fixtures.reason(objects) == "invalid_json")
    }

    @Test func oversizedPayloadsAreInvalidJSON() {
        let transformer = EventTransformer(rules: Fixtures.rules, configuration: .init(maximumPayloadBytes: 100))
        let outcome = transformer.transform(
            payload: Array(good.utf8), source: "t", receivedTimeMs: 0, processedTimeMs: 0)
        #expect(outcome.rejection?.reason == "invalid_json")
        #expect(outcome.rejection?.detail.contains("larger than 100") == true)
    }

    @Test func duplicateKeysAreInvalidJSON() {
        // Policy: in the objects the transformer reads, a repeated name is ambiguous, so it is refused.
        #expect(Fixtures.reason(String(good.dropLast()) + ",\"page\":\"/x\"}") == "invalid_json")
        #expect(Fixtures.reason(String(good.dropLast()) + ",\"page\":null}") == "invalid_json")
        #expect(Fixtures.reason(String(good.dropLast()) + ",\"x\":1,\"x\":2}") == "invalid_json")
        #expect(Fixtures.reason(String(good.dropLast()) + ",\"x\":1,\"\\u0078\":2}") == "invalid_json")
        let song = good.replacingOccurrences(of: "\"songId\":\"so-1\"", with: "\"songId\":\"so-1\",\"title\":\"t\"")
        #expect(Fixtures.reason(song) == "invalid_json")
        // Inside values kept as text, they are left alone.
        #expect(Fixtures.reason(String(good.dropLast()) + ",\"x\":{\"a\":1,\"a\":2}}") == nil)
    }

    @Test func byteOrderMarkIsRefused() {
        #expect(Fixtures.transform(bytes: [0xEF, 0xBB, 0xBF] + Array(good.utf8)).rejection?.reason == "invalid_json")
    }

    @Test func invalidUTF8WinsOverInvalidJSON() {
        var bytes = Array(good.utf8)
        bytes.insert(0xFF, at: 30)  // inside the userId string
        #expect(Fixtures.transform(bytes: bytes).rejection?.reason == "invalid_utf8")
        var outside = Array("{\"a\":1, \u{0}".utf8)
        outside[outside.count - 1] = 0xC0  // outside strings, and the JSON is broken anyway
        #expect(Fixtures.transform(bytes: outside).rejection?.reason == "invalid_utf8")
        let truncated = Array(Array(good.utf8).prefix(40)) + [0xE2, 0x82]
        #expect(Fixtures.transform(bytes: truncated).rejection?.reason == "invalid_utf8")
        for sequence: [UInt8] in [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF5, 0x80, 0x80, 0x80]] {
            var b = Array(good.utf8)
            b.insert(contentsOf: sequence, at: 30)
            #expect(Fixtures.transform(bytes: b).rejection?.reason == "invalid_utf8", "\(sequence)")
        }
    }

    @Test func rejectionDetailsNameTheProblemWithoutThePayload() throws {
        let r = try #require(Fixtures.transform(String(good.prefix(50))).rejection)
        #expect(r.reason == "invalid_json" && r.detail.contains("offset 50"))
        #expect(r.detail.count < 100)
    }
}
