import ClickstreamTransform
import Foundation
import PipelineMessages

/// Shared helpers: the repository's rules file and a well-formed event to vary.
enum Fixtures {
    /// `config/quality-rules.json` of this checkout.
    static let rulesPath: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("config/quality-rules.json").path
    }()

    /// The default rules, loaded once.
    static let rules: QualityRules = {
        do { return try QualityRules.load(path: rulesPath) } catch { fatalError("default rules: \(error)") }
    }()

    static let receivedTimeMs: Int64 = 1_767_225_600_500
    static let processedTimeMs: Int64 = 1_767_225_601_000

    /// A valid song_play event, written compactly in the synthesizer's field order.
    static let songPlay = """
        {"eventId":"e-1-42","userId":"u-00112233445566aa","sessionId":"s-0123456789abcdef","eventType":"song_play",\
        "timestamp":1767225600123,"page":"/song","song":{"songId":"so-1","artist":"AC\\\\DC","title":"\\"Heroes\\"",\
        "lengthSeconds":215.347},"device":{"type":"mobile","os":"iOS","browser":"Safari"},\
        "location":{"city":"Montréal","country":"CA","lat":45.5017,"lon":-73.5673},"level":"paid",\
        "userAgent":"Mozilla/5.0","sequence":42}
        """

    /// A valid purchase event.
    static let purchase = """
        {"eventId":"e-1-43","userId":"u-00112233445566aa","sessionId":"s-0123456789abcdef","eventType":"purchase",\
        "timestamp":1767225600124,"page":"/checkout","itemId":"i-1","price":9.99,\
        "device":{"type":"desktop","os":"Linux","browser":"Firefox"},\
        "location":{"city":"Lima","country":"PE","lat":-12.0464,"lon":-77.0428},"level":"free",\
        "userAgent":"Mozilla/5.0","sequence":43}
        """

    static func transformer(_ rules: QualityRules = Fixtures.rules) -> EventTransformer {
        EventTransformer(rules: rules, configuration: .init(pipelineVersion: "test-1"))
    }

    /// Transforms `json` with a fresh transformer.
    static func transform(_ json: String, rules: QualityRules = Fixtures.rules) -> TransformOutcome {
        transformer(rules).transform(
            payload: Array(json.utf8), source: "test", receivedTimeMs: receivedTimeMs, processedTimeMs: processedTimeMs)
    }

    static func transform(bytes: [UInt8]) -> TransformOutcome {
        transformer().transform(
            payload: bytes, source: "test", receivedTimeMs: receivedTimeMs, processedTimeMs: processedTimeMs)
    }

    /// The reason code, or `nil` when accepted.
    static func reason(_ json: String, rules: QualityRules = Fixtures.rules) -> String? {
        transform(json, rules: rules).rejection?.reason
    }

    /// The decoded clean event, or `nil` when rejected.
    static func clean(_ json: String) -> CleanEvent? {
        try? transform(json).encoded?.decoded()
    }

    /// `songPlay` with `member`'s value replaced (`"key":value` as raw JSON), or removed when `value` is nil.
    static func songPlay(replacing key: String, with value: String?) -> String {
        replace(songPlay, key, value)
    }

    static func purchase(replacing key: String, with value: String?) -> String {
        replace(purchase, key, value)
    }

    private static func replace(_ json: String, _ key: String, _ value: String?) -> String {
        let object = try! JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        _ = object  // validates the fixture
        // Find `"key":` at depth 1 and the end of its value by scanning with a tiny tokenizer.
        let bytes = Array(json.utf8)
        let needle = Array("\"\(key)\":".utf8)
        var depth = 0
        var i = 0
        var inString = false
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            if depth == 1, b == UInt8(ascii: "\""), Array(bytes[i..<min(bytes.count, i + needle.count)]) == needle {
                var j = i + needle.count
                var d = 0
                var s = false
                while j < bytes.count {
                    let c = bytes[j]
                    if s {
                        if c == UInt8(ascii: "\\") { j += 2; continue }
                        if c == UInt8(ascii: "\"") { s = false }
                    } else if c == UInt8(ascii: "\"") {
                        s = true
                    } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                        d += 1
                    } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                        if d == 0 { break }
                        d -= 1
                    } else if c == UInt8(ascii: ","), d == 0 {
                        break
                    }
                    j += 1
                }
                var out = Array(bytes[..<i])
                if let value {
                    out += needle + Array(value.utf8) + bytes[j...]
                } else {
                    var rest = Array(bytes[j...])
                    if rest.first == UInt8(ascii: ",") { rest.removeFirst() } else if out.last == UInt8(ascii: ",") { out.removeLast() }
                    out += rest
                }
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\"") { inString = true }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
            if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { depth -= 1 }
            i += 1
        }
        fatalError("no member \(key)")
    }
}
