import ClickstreamModel
import Foundation
import Testing

@Suite("Population and time")
struct PopulationTests {
    @Test("user ids are distinct, hashed and spread, never sequential")
    func userIds() {
        let s = EventSynthesizer(seed: 42)
        let ids = (0..<10_000).map { s.userId(ofUser: $0) }
        #expect(Set(ids).count == 10_000)
        let hex = Set("0123456789abcdef")
        for id in ids {
            #expect(id.hasPrefix("u-") && id.count == 18 && id.dropFirst(2).allSatisfy(hex.contains))
        }
        // Leading characters spread over all 16 hex digits (so Bigtable row keys spread over tablets).
        let leading = Dictionary(grouping: ids, by: { $0.dropFirst(2).first! }).mapValues(\.count)
        #expect(leading.count == 16 && leading.values.allSatisfy { $0 > 400 })
        // Consecutive users do not get neighbouring ids.
        let ascending = zip(ids, ids.dropFirst()).filter { $0 < $1 }.count
        #expect(ascending > 4_000 && ascending < 6_000)
    }

    @Test("activity is skewed but no user dominates")
    func activity() {
        let s = EventSynthesizer(seed: 42)
        var counts = [Int: Int]()
        for i in UInt64(0)..<100_000 { counts[s.userNumber(at: i), default: 0] += 1 }
        let sorted = counts.values.sorted(by: >)
        #expect(Double(sorted[0]) < 0.02 * 100_000, "top user \(sorted[0])")
        #expect(sorted[0] >= 20 * sorted[sorted.count / 2], "top \(sorted[0]) median \(sorted[sorted.count / 2])")
        #expect(counts.count > 5_000)
    }

    @Test("event time advances by the span per record, with jitter and a few late events")
    func eventTime() {
        let start: Int64 = 1_767_225_600_000
        let s = EventSynthesizer(seed: 5, startTimeMs: start, eventTimeSpanPerEventMs: 10)
        var late = 0
        for i in UInt64(0)..<20_000 {
            let t = s.record(at: i).eventTimeMs
            let nominal = start + Int64(i) * 10
            #expect(t >= nominal - 5_000 && t < nominal + 10)
            if t < nominal { late += 1 }
        }
        #expect(late > 100 && late < 300)
        // One million records cover about 2.8 hours.
        let last = s.record(at: 999_999).eventTimeMs
        #expect(abs((last - start) - 9_999_990) <= 5_000)
    }

    @Test("a user's session id is stable within a 30-minute bucket and changes across buckets")
    func sessions() throws {
        let s = EventSynthesizer(seed: 8, badFraction: 0, userCount: 50)
        var sessions = [String: [Int64: Set<String>]]()  // user → bucket → session ids
        for i in UInt64(0)..<400_000 where i % 7 == 0 {
            let r = s.record(at: i)
            guard !r.isMessy else { continue }
            let o = try #require(try JSONSerialization.jsonObject(with: Data(r.payload)) as? [String: Any])
            let bucket = r.eventTimeMs / ClickstreamContract.sessionBucketMs
            sessions[o["userId"] as! String, default: [:]][bucket, default: []].insert(o["sessionId"] as! String)
        }
        var all = Set<String>()
        var buckets = 0
        for byBucket in sessions.values {
            for ids in byBucket.values {
                #expect(ids.count == 1)
                all.formUnion(ids)
                buckets += 1
            }
        }
        #expect(all.count == buckets)  // every (user, bucket) has its own session
        #expect(sessions.values.contains { $0.count > 1 })
    }

    @Test("song plays favour popular songs without one song taking over")
    func songPopularity() throws {
        let s = EventSynthesizer(seed: 2, badFraction: 0)
        var plays = [String: Int]()
        var total = 0
        for i in UInt64(0)..<50_000 {
            let r = s.record(at: i)
            guard r.eventType == .songPlay, !r.isMessy,
                let o = try JSONSerialization.jsonObject(with: Data(r.payload)) as? [String: Any],
                let song = o["song"] as? [String: Any]
            else { continue }
            plays[song["songId"] as! String, default: 0] += 1
            total += 1
        }
        let top = Double(plays.values.max()!) / Double(total)
        #expect(top > 0.01 && top < 0.05, "top song share \(top)")
        #expect(plays.count > 2_000)
    }
}
