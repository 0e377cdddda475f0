import ClickstreamModel
import Foundation
import Testing

@Suite("ExpectedCounts")
struct ExpectedCountsTests {
    @Test(
        "equal a brute-force tally over the records",
        arguments: [(UInt64(1), UInt64(5_000), 0.02), (7, 20_000, 0.3), (99, 3_000, 1.0), (5, 2_000, 0.0)])
    func bruteForce(seed: UInt64, total: UInt64, badFraction: Double) {
        let s = EventSynthesizer(seed: seed, badFraction: badFraction, userCount: 2_000)
        let expected = ExpectedCounts(synthesizer: s, total: total)
        var good: UInt64 = 0
        var messy: UInt64 = 0
        var dead = [BadRecordKind: UInt64]()
        var users = Set<[UInt8]>()
        var byType = [EventType: UInt64]()
        for i in 0..<total {
            let r = s.record(at: i)
            switch r.kind {
            case .good:
                good += 1
                if r.isMessy { messy += 1 }
                users.insert(r.key)
                byType[r.eventType, default: 0] += 1
            case .bad(let kind):
                dead[kind, default: 0] += 1
            }
        }
        #expect(expected.good == good)
        #expect(expected.messyGood == messy)
        #expect(expected.distinctGoodUsers == users.count)
        for kind in BadRecordKind.allCases { #expect(expected.deadLetters[kind] == dead[kind, default: 0]) }
        for type in EventType.allCases { #expect(expected.goodByEventType[type] == byType[type, default: 0]) }
        #expect(expected.good + expected.deadLettersTotal == total)
    }

    @Test("each bad kind takes about badFraction / kinds of a large run")
    func shares() {
        let total: UInt64 = 600_000
        let expected = ExpectedCounts(synthesizer: EventSynthesizer(seed: 11, badFraction: 0.06), total: total)
        let perKind = 0.06 / Double(BadRecordKind.allCases.count) * Double(total)  // ≈ 5,143
        for kind in BadRecordKind.allCases {
            let count = Double(expected.deadLetters[kind]!)
            // Half the clock-skew draws carry a consistent sentAt, are corrected and stay good.
            let share = kind == .futureTimestamp ? perKind / 2 : perKind
            #expect(abs(count - share) < share * 0.06, "\(kind): \(count)")
        }
        #expect(expected.good + expected.deadLettersTotal == total)
    }

    @Test("jsonString has a stable key order and parses")
    func json() throws {
        let expected = ExpectedCounts(synthesizer: EventSynthesizer(seed: 42), total: 10_000)
        let text = expected.jsonString()
        #expect(text.hasPrefix("{\"seed\":42,\"total\":10000,\"good\":\(expected.good),\"dead_letters\":{"))
        #expect(text.contains("\"dead_letters\":{\"duplicate_event_id\":"))
        #expect(text == ExpectedCounts(synthesizer: EventSynthesizer(seed: 42), total: 10_000).jsonString())
        let o = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let dead = try #require(o["dead_letters"] as? [String: Any])
        #expect(Set(dead.keys) == Set(BadRecordKind.allCases.map(\.rawValue)))
        #expect((o["dead_letters_total"] as? NSNumber)?.uint64Value == expected.deadLettersTotal)
        #expect((o["good"] as? NSNumber)?.uint64Value == expected.good)
        let keys = [
            "\"seed\"", "\"total\"", "\"good\"", "\"dead_letters\"", "\"dead_letters_total\"",
            "\"distinct_good_users\"", "\"good_messy\"", "\"good_by_event_type\"",
        ]
        let positions = keys.map { text.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }
}
