import ClickstreamTransform
import Testing

/// The rules file: the default one, each expectation type, severities, and load errors.
@Suite struct QualityRulesTests {
    private func rules(_ expectations: String) throws(TransformError) -> QualityRules {
        try QualityRules.parse(Array("{\"version\":1,\"expectations\":[\(expectations)]}".utf8), source: "test.json")
    }

    private func loadError(_ expectations: String) -> TransformError? {
        do {
            _ = try rules(expectations)
            return nil
        } catch {
            return error
        }
    }

    @Test func theDefaultFileCompilesInContractOrder() {
        let r = Fixtures.rules
        #expect(r.uniqueWindow == 100_000)
        let reasons = r.rules.filter { $0.severity == .block }.map(\.reason)
        let order = ["missing_field", "wrong_type", "out_of_range", "future_timestamp", "duplicate_event_id"]
        #expect(reasons == reasons.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! })
        #expect(r.rules.contains { $0.name == "not_null:song.title" })
        #expect(r.rules.contains { $0.name == "user_id_format" && $0.severity == .warn && $0.mostly == 0.999 })
    }

    @Test func warnRulesKeepTheEventAndNameTheCheck() throws {
        let r = try rules(#"""
            {"expect":"not_null","fields":["eventId"],"reason":"missing_field","severity":"block"},
            {"name":"page_known","expect":"in_set","field":"page","values":["/home"],"reason":"odd_page","severity":"warn"},
            {"expect":"regex","field":"sessionId","pattern":"^s-[0-9a-f]+$","reason":"bad_session","severity":"warn"}
            """#)
        let e = try #require(try Fixtures.transform(Fixtures.songPlay, rules: r).encoded?.decoded())
        #expect(e.qualityVerdict == .warn && e.failedChecks == ["page_known"])
        let s = try #require(try Fixtures.transform(Fixtures.songPlay(replacing: "sessionId", with: "\"S-1\""), rules: r).encoded?.decoded())
        #expect(s.failedChecks == ["page_known", "regex:sessionId"])
    }

    @Test func customBlockingRulesUseTheirReason() throws {
        let r = try rules(#"""
            {"expect":"regex","field":"userId","pattern":"^u-[0-9a-f]{16}$","reason":"bad_user","severity":"block"},
            {"expect":"between","field":"sequence","min":0,"max":10,"max_exclusive":true,"reason":"seq","severity":"block"},
            {"expect":"in_set","field":"level","values":["free"],"reason":"paid_only","severity":"block"}
            """#)
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "userId", with: "\"u-XYZ\""), rules: r) == "bad_user")
        let rejection = try #require(Fixtures.transform(Fixtures.songPlay, rules: r).rejection)
        #expect(rejection.reason == "seq" && rejection.check == "between:sequence")
        #expect(rejection.detail == "sequence 42 is outside [0, 10)")
        #expect(Fixtures.reason(Fixtures.songPlay(replacing: "sequence", with: "9"), rules: r) == "paid_only")
        // Values of the wrong type are skipped by rules without a type rule, and left out of the output.
        let e = try #require(Fixtures.transform(Fixtures.songPlay(replacing: "sequence", with: "\"x\""), rules: r).rejection)
        #expect(e.reason == "paid_only")
    }

    @Test(arguments: [
        (#"{"expect":"not_null","field":"nope","reason":"r","severity":"block"}"#, "unknown field \"nope\""),
        (#"{"expect":"maybe","field":"page","reason":"r","severity":"block"}"#, "unknown expectation"),
        (#"{"expect":"type","field":"timestamp","type":"string","reason":"r","severity":"block"}"#, "has type timestamp"),
        (#"{"expect":"between","field":"page","min":1,"reason":"r","severity":"block"}"#, "numeric field"),
        (#"{"expect":"between","field":"price","min":5,"max":1,"reason":"r","severity":"block"}"#, "above max"),
        (#"{"expect":"between","field":"price","reason":"r","severity":"block"}"#, "min or max"),
        (#"{"expect":"between","field":"price","mn":1,"reason":"r","severity":"block"}"#, "unknown keys [\"mn\"]"),
        (#"{"expect":"regex","field":"page","pattern":"^(a|b)$","reason":"r","severity":"block"}"#, "groups"),
        (#"{"expect":"regex","field":"page","pattern":"abc","reason":"r","severity":"block"}"#, "anchored"),
        (#"{"expect":"regex","field":"price","pattern":"^1$","reason":"r","severity":"block"}"#, "string field"),
        (#"{"expect":"in_set","field":"page","values":[],"reason":"r","severity":"block"}"#, "at least one"),
        (#"{"expect":"unique","field":"eventId","window":0,"reason":"r","severity":"block"}"#, "window"),
        (#"{"expect":"not_null","field":"page","reason":"r","severity":"fatal"}"#, "severity"),
        (#"{"expect":"not_null","field":"page","reason":"r","severity":"warn","mostly":2}"#, "mostly"),
        (#"{"expect":"not_null","field":"page","severity":"warn"}"#, "reason"),
        (#"{"expect":"not_null","field":"page","when":{"field":"price","in":["1"]},"reason":"r","severity":"warn"}"#, "string field"),
        (#"{"name":"a","expect":"not_null","field":"page","reason":"r","severity":"warn"},{"name":"a","expect":"not_null","field":"level","reason":"r","severity":"warn"}"#, "used twice"),
    ])
    func invalidRulesAreRefusedWithTheirName(expectation: String, message: String) throws {
        let error = try #require(loadError(expectation))
        #expect(error.kind == .invalidRule, "\(error)")
        #expect(error.detail.contains(message), "\(error.detail)")
        #expect(error.detail.contains("test.json"))
    }

    @Test func malformedAndMissingFilesAreTypedErrors() {
        #expect(throws: TransformError.self) { try QualityRules.load(path: "/nonexistent/rules.json") }
        do {
            _ = try QualityRules.parse(Array("{\"version\":2,\"expectations\":[]}".utf8))
            Issue.record("accepted version 2")
        } catch {
            #expect(error.kind == .malformedRules)
        }
        do {
            _ = try QualityRules.parse(Array("[".utf8))
            Issue.record("accepted garbage")
        } catch {
            #expect(error.kind == .malformedRules)
        }
        do {
            _ = try QualityRules.load(path: "/nonexistent/rules.json")
        } catch {
            #expect(error.kind == .unreadableRules)
        }
    }

    @Test func patternsMatchTheSupportedSubset() throws {
        let cases: [(String, [String], [String])] = [
            ("^u-[0-9a-f]{16}$", ["u-00112233445566aa"], ["u-00112233445566a", "u-00112233445566aag", "U-00112233445566aa"]),
            ("^[A-Z]{2}$", ["CA", "US"], ["C", "CAN", "ca"]),
            ("^a*b+c?$", ["b", "aabbb", "abc"], ["", "ac", "abcc"]),
            ("^\\d{1,3}\\.\\d+$", ["1.5", "123.0"], ["1234.5", ".5", "1."]),
            ("^[^/]+/.*$", ["a/", "ab/cd"], ["/a", "ab"]),
            ("^\\w+\\s\\w+$", ["a b", "x_1 y"], ["a  b", "a-b c"]),
            ("^x{2,}$", ["xx", "xxxx"], ["x"]),
            ("^[a\\-z]$", ["-", "a", "z"], ["b"]),
        ]
        for (source, yes, no) in cases {
            let pattern = try BytePattern(source)
            for text in yes { #expect(pattern.matches(text), "\(source) ~ \(text)") }
            for text in no { #expect(!pattern.matches(text), "\(source) !~ \(text)") }
        }
        for unsupported in ["^(ab)+$", "^a|b$", "^a*?$", "^\\bword$", "^[a-$", "^a{3,1}$", "^a{1000}$", "a$"] {
            #expect(throws: BytePattern.Unsupported.self, "\(unsupported)") { try BytePattern(unsupported) }
        }
        let evil = try BytePattern("^a*a*a*a*a*a*a*b$")
        #expect(!evil.matches(String(repeating: "a", count: 10_000)))
    }
}
