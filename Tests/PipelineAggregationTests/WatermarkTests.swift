import PipelineAggregation
import Testing

/// The robust watermark: an event contributes at most its receive time (plus the max event lead), so one event
/// from a broken clock that passed every rule cannot make the events after it late.
@Suite struct WatermarkTests {
    static let now: Int64 = 1_796_688_000_000  // 2026-12-08T00:00:00Z
    static let year2099: Int64 = 4_070_908_800_000
    static let hour: Int64 = 3_600_000

    /// A page view that happened `minutesAgo` before it was received at `received`.
    static func view(_ user: String, received: Int64, minutesAgo: Int64 = 3, eventTimeMs: Int64? = nil) -> AggregateInput {
        AggregateInput(
            userID: user, eventType: "page_view", eventTimeMs: eventTimeMs ?? received - minutesAgo * 60_000,
            page: "/home", ingestTimeMs: received)
    }

    static func fresh(lead: Int64 = 0) -> PartitionAggregator {
        PartitionAggregator(
            topic: "events.clean", partition: 0, allowedLatenessMs: hour, maxEventLeadMs: lead, checkpoint: nil)
    }

    /// The scenario with the transformer's future rule off: 100 events, one dated 2099, 100 more.
    static func scenario(ingest: Bool) -> (aggregator: PartitionAggregator, outcomes: [PartitionAggregator.Outcome]) {
        var aggregator = fresh()
        var outcomes: [PartitionAggregator.Outcome] = []
        var offset: Int64 = 0
        for i in 0..<201 {
            let received = now + Int64(i) * 100
            var input = i == 100 ? view("u-broken", received: received, eventTimeMs: year2099) : view("u-\(i % 7)", received: received)
            if !ingest { input.ingestTimeMs = 0 }
            outcomes.append(aggregator.apply(input, offset: offset))
            offset += 1
        }
        return (aggregator, outcomes)
    }

    @Test("an event dated 2099 that passed the rules makes no later event late")
    func outlierPassingTheRules() {
        let (aggregator, outcomes) = Self.scenario(ingest: true)
        #expect(outcomes.allSatisfy { $0 == .applied })
        // Held to its receive time: the watermark is where the arrivals are, minus the allowed lateness.
        #expect(aggregator.maxEventTimeMs == Self.now + 100 * 100)
        #expect(aggregator.watermarkMs == Self.now + 100 * 100 - Self.hour)
        #expect(aggregator.watermarkBound == .receiveTime)
    }

    @Test("without receive times one outlier still declares everything after it late (why the bound needs them)")
    func withoutReceiveTimes() {
        let (aggregator, outcomes) = Self.scenario(ingest: false)
        #expect(outcomes.prefix(101).allSatisfy { $0 == .applied })
        #expect(outcomes.suffix(100).allSatisfy { $0 == .late(watermarkMs: Self.year2099 - Self.hour) })
        #expect(aggregator.watermarkBound == .eventTime)
        let detail = aggregator.lateDetail(eventTimeMs: Self.now, watermarkMs: aggregator.watermarkMs)
        #expect(detail.contains("greatest event time \(Self.year2099)") && detail.hasSuffix("(bound: event_time)"))
    }

    @Test("events really behind the receive-time bound are late, and the detail says which bound fired")
    func lateBehindTheReceiveTimeBound() {
        var aggregator = Self.fresh()
        #expect(aggregator.apply(Self.view("u-1", received: Self.now, eventTimeMs: Self.year2099), offset: 0) == .applied)
        let old = Self.view("u-2", received: Self.now + 10, minutesAgo: 61)
        let outcome = aggregator.apply(old, offset: 1)
        #expect(outcome == .late(watermarkMs: Self.now - Self.hour))
        let detail = aggregator.lateDetail(eventTimeMs: old.eventTimeMs, watermarkMs: Self.now - Self.hour)
        #expect(detail.contains("receive time + max event lead (0 ms) \(Self.now)"))
        #expect(detail.contains("is 59990 ms behind") && detail.hasSuffix("(bound: receive_time)"))
    }

    @Test("the max event lead lets an event move the watermark that far past its receive time")
    func lead() {
        var aggregator = Self.fresh(lead: 5 * 60_000)
        _ = aggregator.apply(Self.view("u-1", received: Self.now, eventTimeMs: Self.now + 2 * 60_000), offset: 0)
        #expect(aggregator.maxEventTimeMs == Self.now + 2 * 60_000 && aggregator.watermarkBound == .eventTime)
        _ = aggregator.apply(Self.view("u-1", received: Self.now, eventTimeMs: Self.year2099), offset: 1)
        #expect(aggregator.maxEventTimeMs == Self.now + 5 * 60_000 && aggregator.watermarkBound == .receiveTime)
        // An earlier contribution never lowers it.
        _ = aggregator.apply(Self.view("u-1", received: Self.now + 1), offset: 2)
        #expect(aggregator.maxEventTimeMs == Self.now + 5 * 60_000)
    }

    @Test("a replay from the checkpoint decides lateness exactly as the first run")
    func replayFromCheckpoint() {
        let (first, firstOutcomes) = Self.scenario(ingest: true)
        // Restart after offset 150 with the checkpointed maximum; replay the rest.
        let (upTo150, _) = {
            var a = Self.fresh()
            var outcomes: [PartitionAggregator.Outcome] = []
            for i in 0...150 {
                let received = Self.now + Int64(i) * 100
                let input = i == 100 ? Self.view("u-broken", received: received, eventTimeMs: Self.year2099) : Self.view("u-\(i % 7)", received: received)
                outcomes.append(a.apply(input, offset: Int64(i)))
            }
            return (a, outcomes)
        }()
        var restored = PartitionAggregator(
            topic: "events.clean", partition: 0, allowedLatenessMs: Self.hour,
            checkpoint: (offset: 150, maxEventTimeMs: upTo150.maxEventTimeMs))
        #expect(restored.watermarkBound == .checkpoint)
        var replayed: [PartitionAggregator.Outcome] = []
        for i in 151..<201 {
            replayed.append(restored.apply(Self.view("u-\(i % 7)", received: Self.now + Int64(i) * 100), offset: Int64(i)))
        }
        #expect(replayed == Array(firstOutcomes.suffix(50)))
        #expect(restored.maxEventTimeMs == first.maxEventTimeMs)
    }
}
