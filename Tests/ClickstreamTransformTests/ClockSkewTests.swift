import ClickstreamTransform
import Foundation
import PipelineMessages
import Testing

/// The clock-skew correction (`received − (sentAt − timestamp)`) and the rules bounding an event time by its
/// receive time (`future_timestamp`, `stale_timestamp`).
@Suite struct ClockSkewTests {
    static let received = Fixtures.receivedTimeMs
    static let year: Int64 = 31_556_952_000

    /// `songPlay` stamped by a device clock `skew` ms off, held `heldMs` before sending, with `sentAt` in `form`.
    static func skewed(skew: Int64, heldMs: Int64, iso: Bool = false) -> String {
        let device = received - heldMs + skew
        let sent = device + heldMs
        let sentAt = iso ? "\"\(isoText(sent))\"" : String(sent)
        let json = Fixtures.songPlay(replacing: "timestamp", with: String(device))
        return String(json.dropLast()) + ",\"sentAt\":\(sentAt)}"
    }

    static func isoText(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    static func transform(_ json: String, receivedTimeMs: Int64 = received, rules: QualityRules = Fixtures.rules)
        -> TransformOutcome
    {
        Fixtures.transformer(rules).transform(
            payload: Array(json.utf8), source: "test", receivedTimeMs: receivedTimeMs,
            processedTimeMs: Fixtures.processedTimeMs)
    }

    // MARK: - Correction

    @Test(
        "a device clock minutes, days or decades off is corrected onto the receive clock",
        arguments: [Int64(0), 7 * 60_000, -3 * 86_400_000, 40 * 31_556_952_000, -45 * 31_556_952_000] as [Int64])
    func corrected(skew: Int64) throws {
        for iso in [false, true] {
            let outcome = Self.transform(Self.skewed(skew: skew, heldMs: 2_500, iso: iso))
            let encoded = try #require(outcome.encoded, "\(outcome.rejection?.description ?? "")")
            let event = try encoded.decoded()
            #expect(event.eventTimeMs == Self.received - 2_500 && encoded.eventTimeMs == event.eventTimeMs)
            #expect(event.deviceTimeMs == Self.received - 2_500 + skew)
            #expect(event.deviceSentTimeMs == Self.received + skew)
            #expect(event.ingestTimeMs == Self.received)
            // Written straight from the payload, byte for byte what protobuf-c gives for the same message.
            #expect(event.encode() == encoded.bytes)
            #expect(event.attributes["sent_at"] == nil, "sentAt is a known field, not an attribute")
        }
    }

    @Test("without a send time, or without a receive time, the event keeps the device's time")
    func uncorrected() throws {
        let plain = try #require(Fixtures.clean(Fixtures.songPlay))
        #expect(plain.eventTimeMs == 1_767_225_600_123 && plain.deviceTimeMs == 0 && plain.deviceSentTimeMs == 0)
        let json = Self.skewed(skew: 5 * 86_400_000, heldMs: 1_000)
        let unknown = try #require(try Self.transform(json, receivedTimeMs: 0).encoded?.decoded())
        #expect(unknown.eventTimeMs == Self.received - 1_000 + 5 * 86_400_000)
        #expect(unknown.deviceTimeMs == 0 && unknown.deviceSentTimeMs == Self.received + 5 * 86_400_000)
    }

    @Test("a send time of the wrong type is wrong_type; one that overflows the correction is out of range")
    func badSendTimes() {
        for value in ["\"yesterday\"", "true", "{}", "1.5"] {
            let json = String(Fixtures.songPlay.dropLast()) + ",\"sentAt\":\(value)}"
            #expect(Self.transform(json).rejection?.reason == "wrong_type", "\(value)")
        }
        #expect(ClockSkew.correctedTimeMs(deviceMs: .max, sentMs: .min, receivedMs: 1) == .max)
        #expect(ClockSkew.correctedTimeMs(deviceMs: .min, sentMs: .max, receivedMs: 1) == .min)
        #expect(ClockSkew.correctedTimeMs(deviceMs: 0, sentMs: .max, receivedMs: -2) == .min)
        #expect(ClockSkew.correctedTimeMs(deviceMs: 10, sentMs: 4, receivedMs: 100) == 106)
        let json = String(Fixtures.songPlay.dropLast()) + ",\"sentAt\":\"-9223372036854775807\"}"
        #expect(Self.transform(json).rejection?.reason == "out_of_range")
    }

    // MARK: - future_timestamp

    @Test("a device dating its event in 2099 without a send time is future_timestamp, naming the bound")
    func brokenClock() throws {
        let json = Fixtures.songPlay(replacing: "timestamp", with: "\"2099-01-01T00:00:00Z\"")
        let rejection = try #require(Self.transform(json).rejection)
        #expect(rejection.reason == "future_timestamp" && rejection.check == "future_timestamp")
        #expect(rejection.detail.contains("after its receive time \(Self.received)"))
        #expect(rejection.detail.contains("max_future 600000 ms"))
        // The same event from a device that also sent its (equally wrong) send time is corrected and kept.
        let device: Int64 = 4_070_908_800_000
        let corrected = Fixtures.songPlay(replacing: "timestamp", with: String(device))
        let withSentAt = String(corrected.dropLast()) + ",\"sentAt\":\(device + 60_000)}"
        #expect(try Self.transform(withSentAt).encoded?.decoded().eventTimeMs == Self.received - 60_000)
    }

    @Test("max_future is inclusive; the receive time unknown skips the rule")
    func boundary() {
        let at = Fixtures.songPlay(replacing: "timestamp", with: String(Self.received + 600_000))
        let past = Fixtures.songPlay(replacing: "timestamp", with: String(Self.received + 600_001))
        #expect(Self.transform(at).rejection == nil)
        #expect(Self.transform(past).rejection?.reason == "future_timestamp")
        #expect(Self.transform(past, receivedTimeMs: 0).rejection == nil)
        // A sent-at earlier than the event (the clock went back in between) puts it after its receive time.
        let json = String(Fixtures.songPlay.dropLast()) + ",\"sentAt\":\(1_767_225_600_123 - 11 * 60_000)}"
        let rejection = Self.transform(json).rejection
        #expect(rejection?.reason == "future_timestamp")
        #expect(rejection?.detail.contains("corrected from device time 1767225600123") == true)
    }

    // MARK: - stale_timestamp

    @Test("stale_timestamp is off by default and, once enabled, bounds the past")
    func stale() throws {
        let old = Fixtures.songPlay(replacing: "timestamp", with: String(Self.received - 31 * 86_400_000))
        let recent = Fixtures.songPlay(replacing: "timestamp", with: String(Self.received - 29 * 86_400_000))
        #expect(Self.transform(old).rejection == nil)
        #expect(!Fixtures.rules.rules.contains { $0.name == "stale_timestamp" })
        let text = BuiltInQualityRules.json.replacingOccurrences(of: "\"enabled\": false", with: "\"enabled\": true")
        let enabled = try QualityRules.parse(Array(text.utf8))
        #expect(Self.transform(old, rules: enabled).rejection?.reason == "stale_timestamp")
        #expect(Self.transform(old, rules: enabled).rejection?.detail.contains("max_past 2592000000 ms") == true)
        #expect(Self.transform(recent, rules: enabled).rejection == nil)
        #expect(Self.transform(old, receivedTimeMs: 0, rules: enabled).rejection == nil)
    }

    // MARK: - Rules file

    static func rules(_ expectation: String) throws(TransformError) -> QualityRules {
        try QualityRules.parse(Array("{\"version\":1,\"expectations\":[\(expectation)]}".utf8))
    }

    @Test(
        "durations are milliseconds or a whole number with a unit",
        arguments: [
            ("600000", Int64(600_000)), ("\"500ms\"", 500), ("\"90s\"", 90_000), ("\"10m\"", 600_000),
            ("\"2h\"", 7_200_000), ("\"30d\"", 2_592_000_000),
        ])
    func durations(text: String, ms: Int64) throws {
        let rules = try Self.rules(
            #"{"expect":"received_within","field":"timestamp","max_future":\#(text),"reason":"r","severity":"block"}"#)
        #expect(rules.rules.first?.expectation == .receivedWithin(maxFutureMs: ms, maxPastMs: nil))
    }

    @Test(
        "mistakes in a received_within rule are refused",
        arguments: [
            #"{"expect":"received_within","field":"timestamp","max_future":"10x","reason":"r","severity":"block"}"#,
            #"{"expect":"received_within","field":"timestamp","max_future":"m","reason":"r","severity":"block"}"#,
            #"{"expect":"received_within","field":"timestamp","max_past":-5,"reason":"r","severity":"block"}"#,
            #"{"expect":"received_within","field":"timestamp","reason":"r","severity":"block"}"#,
            #"{"expect":"received_within","field":"eventId","max_future":"1m","reason":"r","severity":"block"}"#,
            #"{"expect":"received_within","field":"timestamp","max_future":"1m","reason":"r","severity":"block","enabled":"no"}"#,
            #"{"expect":"received_within","field":"timestamp","max_future":"1m","window":3,"reason":"r","severity":"block"}"#,
        ])
    func refused(rule: String) {
        #expect(throws: TransformError.self) { try Self.rules(rule) }
    }

    @Test("a disabled rule is checked but left out")
    func disabled() throws {
        let rules = try Self.rules(
            #"{"expect":"received_within","field":"sentAt","max_past":"1d","reason":"r","severity":"block","enabled":false}"#)
        #expect(rules.rules.isEmpty)
        #expect(throws: TransformError.self) {
            try Self.rules(#"{"expect":"received_within","field":"sentAt","reason":"r","severity":"block","enabled":false}"#)
        }
    }
}
