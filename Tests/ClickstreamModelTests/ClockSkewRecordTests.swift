import ClickstreamModel
import Foundation
import Testing

@Suite("Clock-skew records")
struct ClockSkewRecordTests {
    static let synthesizer = EventSynthesizer(seed: 3, badFraction: 0.7)
    static let skewed: [UInt64] = (UInt64(0)..<20_000).filter {
        synthesizer.record(at: $0).note.hasPrefix("skew:") || synthesizer.record(at: $0).note.hasPrefix("future:")
    }

    @Test("the outcome never depends on the receive time; a corrected time is always the true time")
    func anyReceiveTime() throws {
        #expect(Self.skewed.count > 500)
        // The default receive time, the wall clock of a run today, and one decades later.
        let receiveTimes: [Int64?] = [nil, 1_796_688_000_000, 2_500_000_000_000]
        for index in Self.skewed {
            for received in receiveTimes {
                let record = Self.synthesizer.record(at: index, receivedTimeMs: received)
                #expect(record.receivedTimeMs == received ?? Self.synthesizer.defaultReceivedTimeMs(at: index))
                #expect(record.kind == Self.synthesizer.kind(at: index))
                let verdict = ContractValidator.check(record.payload, receivedTimeMs: record.receivedTimeMs)
                #expect(verdict.kind == record.kind, "\(index) \(record.note) at \(record.receivedTimeMs)")
                if case .good(let clean) = verdict { #expect(clean.timestampMs == record.eventTimeMs) }
            }
        }
    }

    @Test("minutes, days and decades, ahead and behind, with and without a send time")
    func variety() {
        let notes = Set(Self.skewed.map { Self.synthesizer.record(at: $0).note })
        for magnitude in ["minutes", "days", "decades"] {
            #expect(notes.contains("skew:\(magnitude):ahead") && notes.contains("skew:\(magnitude):behind"))
            #expect(notes.contains("future:\(magnitude)_after_sent_at"))
        }
        #expect(notes.contains("future:no_sent_at"))
        let good = Self.skewed.filter { Self.synthesizer.kind(at: $0) == .good }.count
        #expect(abs(Double(good) / Double(Self.skewed.count) - 0.5) < 0.05)
    }

    @Test("a device without a send time that dates its event in 2099 is a future_timestamp dead letter")
    func brokenClockWithoutSendTime() throws {
        let index = try #require(Self.skewed.first { Self.synthesizer.record(at: $0).note == "future:no_sent_at" })
        let record = Self.synthesizer.record(at: index)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(record.payload)) as? [String: Any])
        #expect(o["sentAt"] == nil)
        let timestamp = try #require((o["timestamp"] as? NSNumber)?.int64Value)
        #expect(timestamp >= 4_070_908_800_000 && timestamp < ClickstreamContract.maxTimestampMs)
        #expect(record.kind == .bad(.futureTimestamp))
    }
}
