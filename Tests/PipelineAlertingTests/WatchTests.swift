import PipelineAlerting
import PipelineMessages
import Testing

@Suite struct WatchTests {
    @Test func lagInSecondsIsTheAgeOfTheMessageAtTheCommittedOffset() {
        let behind = PartitionLag.estimate(
            topic: "t", partition: 0, low: 0, high: 1_000, committed: 400, oldestUnprocessedTimestampMs: 50_000,
            nowMs: 125_000)
        #expect(behind.messages == 600)
        #expect(behind.seconds == 75)
        let caughtUp = PartitionLag.estimate(
            topic: "t", partition: 1, low: 0, high: 1_000, committed: 1_000, oldestUnprocessedTimestampMs: nil,
            nowMs: 125_000)
        #expect(caughtUp.messages == 0 && caughtUp.seconds == 0)
        // Committed below the log start (retention deleted it): counted from the start.
        let trimmed = PartitionLag.estimate(
            topic: "t", partition: 2, low: 500, high: 1_000, committed: 10, oldestUnprocessedTimestampMs: 120_000,
            nowMs: 125_000)
        #expect(trimmed.messages == 500 && trimmed.seconds == 5)
        let group = GroupLag(group: "g", topic: "t", partitions: [behind, caughtUp, trimmed])
        #expect(group.messages == 1_100)
        #expect(group.seconds == 75)
        #expect(group.hasOffsets)
        #expect(!GroupLag(group: "g", topic: "t", partitions: [
            PartitionLag.estimate(topic: "t", partition: 0, low: 0, high: 9, committed: nil, oldestUnprocessedTimestampMs: 1, nowMs: 2)
        ]).hasOffsets)
    }

    @Test func aLagAboveTheThresholdIsOneAlertAndOneResolve() {
        var watch = LagWatch(thresholdSeconds: 60)
        var book = AlertBook(renotifyIntervalMs: 3_600_000)
        var notifications: [AlertNotification] = []
        let series: [Double] = [0, 5, 30, 61, 90, 120, 150, 80, 70, 59, 10, 0, 0]
        for (index, seconds) in series.enumerated() {
            let nowMs = Int64(index) * 15_000
            let lag = GroupLag(group: "transformer", topic: "events.raw", partitions: [
                PartitionLag(topic: "events.raw", partition: 0, committed: 1, high: 2, messages: 1, seconds: seconds)
            ])
            if let alert = watch.check(lag, nowMs: nowMs, source: "alerting"), let sent = book.receive(alert, nowMs: nowMs) {
                notifications.append(sent)
            }
            notifications += book.tick(nowMs: nowMs)
        }
        #expect(notifications.map(\.kind) == [.firing, .resolved])
        #expect(notifications.allSatisfy { $0.alert.key == "lag#transformer" })
    }

    @Test func aSilentInstanceFiresOnceAndResolvesOnItsNextHeartbeat() {
        var tracker = HeartbeatTracker(timeoutMs: 30_000)
        let beat = Status(service: "transformer", instance: "t-1", kind: .heartbeat, state: "running")
        do {
            let result = tracker.observe(beat, nowMs: 0, source: "a")
            #expect(result == nil)
        }
        do {
            let result = tracker.check(nowMs: 30_000, source: "a")
            #expect(result.isEmpty)
        }
        let fired = tracker.check(nowMs: 30_001, source: "a")
        #expect(fired.map(\.key) == ["heartbeat#t-1"])
        #expect(fired.first?.status == .firing)
        do {
            let result = tracker.check(nowMs: 90_000, source: "a")
            #expect(result.isEmpty)
        }
        do {
            let result = tracker.observe(beat, nowMs: 95_000, source: "a")
            #expect(result?.status == .resolved)
        }
        // A graceful stop is forgotten, not an incident.
        var stopping = beat
        stopping.state = "stopping"
        _ = tracker.observe(stopping, nowMs: 96_000, source: "a")
        do {
            let result = tracker.check(nowMs: 1_000_000, source: "a")
            #expect(result.isEmpty)
        }
    }

    @Test func deadLetterRateAndRatioPerStage() {
        var watch = DeadLetterWatch(windowSeconds: 60, ratePerSecondThreshold: 10, ratioThreshold: 0.05)
        watch.consumed(stage: "transformer", count: 10_000, nowMs: 0)
        for index in 0..<400 { watch.deadLetter(stage: "transformer", reason: "invalid_json", nowMs: Int64(index) * 10) }
        do {  // 400/60 s = 6.7/s, 4 % of input
            let result = watch.check(nowMs: 5_000, source: "a")
            #expect(result.isEmpty)
        }
        for index in 0..<200 { watch.deadLetter(stage: "transformer", reason: "invalid_json", nowMs: 5_000 + Int64(index)) }
        let fired = watch.check(nowMs: 6_000, source: "a")  // 600 of 10,000 = 6 %
        #expect(fired.map(\.key) == ["dead_letters#transformer"])
        #expect(fired.first?.status == .firing)
        do {
            let result = watch.check(nowMs: 7_000, source: "a")
            #expect(result.isEmpty)
        }
        // The window moves past them.
        do {
            let result = watch.check(nowMs: 70_000, source: "a")
            #expect(result.map(\.status) == [.resolved])
        }
    }

    @Test func watchedGroupsParse() {
        #expect(WatchedGroup.parse("transformer:events.raw,writer:bigtable-writer:events.clean") == [
            WatchedGroup(service: "transformer", group: "transformer", topic: "events.raw"),
            WatchedGroup(service: "writer", group: "bigtable-writer", topic: "events.clean"),
        ])
        #expect(WatchedGroup.parse("nonsense") == nil)
    }

    @Test func slackBodyHasTextAndBlocks() throws {
        let alert = Alert(
            key: "lag#g", severity: .critical, status: .firing, source: "alerting", summary: "Group \"g\" is behind",
            detail: "line\nbreak", labels: ["group": "g"], timeMs: 1)
        let body = String(decoding: SlackMessage.body(for: AlertNotification(kind: .firing, alert: alert, route: "default", occurrences: 3)), as: UTF8.self)
        #expect(body.hasPrefix(#"{"text":":rotating_light: [FIRING] Group \"g\" is behind","blocks":["#))
        #expect(body.contains(#""type":"context""#))
        #expect(body.contains(#"line\nbreak"#))
        #expect(body.contains("3 reports"))
    }
}
