import ClickstreamModel
import ClickstreamTransform
import Foundation
import PipelineMessages
import Testing

/// The transformer against the synthesizer: every record's outcome is the one the contract prescribes.
@Suite struct ContractExactnessTests {
    /// Transforms `total` records in index order with one transformer and checks each outcome and the totals.
    private func run(seed: UInt64, badFraction: Double, total: UInt64, checkFieldsEvery stride: UInt64) throws {
        let synthesizer = EventSynthesizer(seed: seed, badFraction: badFraction)
        let transformer = Fixtures.transformer()
        var good: UInt64 = 0
        var warned: UInt64 = 0
        var reasons: [BadRecordKind: UInt64] = [:]
        var byType: [EventType: UInt64] = [:]
        for index in 0..<total {
            let record = synthesizer.record(at: index)
            let outcome = transformer.transform(
                payload: record.payload, source: "test", receivedTimeMs: record.receivedTimeMs,
                processedTimeMs: Fixtures.processedTimeMs)
            switch (record.kind, outcome) {
            case (.good, .clean(let event)):
                good += 1
                byType[record.eventType, default: 0] += 1
                if event.verdict == .warn { warned += 1 }
                #expect(event.eventTimeMs == record.eventTimeMs, "index \(index)")
                if event.verdict == .warn && !record.isMessy {
                    Issue.record("index \(index): WARN for a clean record")
                }
                if index % stride == 0 || record.isMessy {
                    try ReferenceCheck.compare(event: event.decoded(), record: record)
                }
            case (.bad(let kind), .rejected(let rejection)):
                reasons[kind, default: 0] += 1
                if rejection.reason != kind.rawValue {
                    Issue.record("index \(index) (\(record.note)): \(rejection) but expected \(kind.rawValue)")
                }
            default:
                Issue.record("index \(index) (\(record.note)): \(outcome.rejection?.description ?? "clean"), expected \(record.kind)")
            }
        }
        let expected = ExpectedCounts(synthesizer: synthesizer, total: total)
        #expect(good == expected.good)
        #expect(warned <= expected.messyGood)
        for kind in BadRecordKind.allCases { #expect(reasons[kind, default: 0] == expected.deadLetters[kind]) }
        for type in EventType.allCases { #expect(byType[type, default: 0] == expected.goodByEventType[type]) }
    }

    @Test(arguments: [(UInt64(1), 0.02), (UInt64(7), 0.3)])
    func twoHundredThousandRecords(seed: UInt64, badFraction: Double) throws {
        try run(seed: seed, badFraction: badFraction, total: 200_000, checkFieldsEvery: 97)
    }

    @Test(arguments: [UInt64(42), 0xDEAD_BEEF])
    func otherSeeds(seed: UInt64) throws {
        try run(seed: seed, badFraction: 0.1, total: 50_000, checkFieldsEvery: 13)
    }
}

/// Field-by-field comparison of a clean event with the payload read by Foundation's JSON parser.
enum ReferenceCheck {
    static func compare(event: CleanEvent, record: SyntheticRecord) throws {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(record.payload)) as? [String: Any])
        let where_ = "index \(record.index) (\(record.note))"
        #expect(event.eventID == record.eventId, "\(where_)")
        #expect(event.eventID == o["eventId"] as? String, "\(where_)")
        #expect(Array(event.userID.utf8) == record.key, "\(where_)")
        #expect(event.sessionID == o["sessionId"] as? String, "\(where_)")
        #expect(event.eventType == record.eventType.rawValue, "\(where_)")
        #expect(event.eventTimeMs == record.eventTimeMs, "\(where_)")
        #expect(event.ingestTimeMs == record.receivedTimeMs && event.processedTimeMs == Fixtures.processedTimeMs)
        // A skewed device's own times are kept beside the corrected one.
        let sentAt = o["sentAt"].flatMap(ReferenceCheck.timeMs)
        #expect(event.deviceSentTimeMs == sentAt ?? 0, "\(where_)")
        #expect(event.deviceTimeMs == (sentAt == nil ? 0 : ReferenceCheck.timeMs(o["timestamp"]!)), "\(where_)")
        #expect(event.page == o["page"] as? String, "\(where_)")
        #expect(event.level == (o["level"] as? String)?.trimmingCharacters(in: .init(charactersIn: " \t")).lowercased())
        #expect(event.userAgent == o["userAgent"] as? String, "\(where_)")
        #expect(event.sequence == Int64(record.index), "\(where_)")
        #expect(event.source == "test" && event.pipelineVersion == "test-1")
        if let song = o["song"] as? [String: Any] {
            let s = try #require(event.song, "\(where_)")
            #expect(s.songID == song["songId"] as? String && s.artist == song["artist"] as? String)
            #expect(s.title == song["title"] as? String, "\(where_)")
            #expect(s.lengthMs == Int64((decimal(song["lengthSeconds"]) * 1000).rounded()), "\(where_)")
        } else {
            #expect(event.song == nil, "\(where_)")
        }
        if o["price"] != nil {
            #expect(event.priceMicros == Int64((decimal(o["price"]) * 1_000_000).rounded()), "\(where_)")
            #expect(event.itemID == o["itemId"] as? String, "\(where_)")
        }
        let device = try #require(o["device"] as? [String: Any])
        #expect(event.device?.deviceType == device["type"] as? String && event.device?.os == device["os"] as? String)
        #expect(event.device?.browser == device["browser"] as? String)
        let location = try #require(o["location"] as? [String: Any])
        #expect(event.location?.city == location["city"] as? String, "\(where_)")
        #expect(event.location?.country == location["country"] as? String)
        #expect(event.location?.latitude == decimal(location["lat"]), "\(where_)")
        #expect(event.location?.longitude == decimal(location["lon"]), "\(where_)")
        let known: Set<String> = [
            "eventId", "userId", "sessionId", "eventType", "timestamp", "page", "song", "itemId", "price", "device",
            "location", "level", "userAgent", "sequence", "sentAt",
        ]
        let extra = Set(o.keys).subtracting(known)
        #expect(event.attributes.count == extra.count, "\(where_)")
        #expect(event.qualityVerdict == (event.warnedChecks.isEmpty && event.failedChecks.isEmpty ? .pass : .warn))
    }

    /// Epoch ms from an integral JSON number or an ISO-8601 string (the generator's two forms).
    static func timeMs(_ value: Any) -> Int64? {
        if let n = value as? NSNumber { return n.int64Value }
        guard let s = value as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: s).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    private static func decimal(_ value: Any?) -> Double {
        if let s = value as? String { return Double(s) ?? .nan }
        return (value as? NSNumber)?.doubleValue ?? .nan
    }
}
