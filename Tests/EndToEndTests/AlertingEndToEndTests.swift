import Foundation
import HTTPTestSupport
import Logging
import PipelineKafka
import PipelineMessages
import Synchronization
import Testing

/// alerting and the operator commands against a real broker, real processes and a loopback webhook.
/// Serialized: each test runs a broker and several processes; one at a time keeps the parallel test run lighter.
@Suite(.serialized, .timeLimit(.minutes(4))) struct AlertingEndToEndTests {
    static let secretPath = "/services/T0SECRET/B0SECRET/e2eSECRETtoken"

    /// A group stuck behind the threshold, then caught up: exactly one FIRING and one RESOLVED reach the webhook.
    @Test func aLagAboveTheThresholdIsExactlyOneAlertAndOneResolve() async throws {
        let broker = try await BrokerProcess(partitions: 2)
        try await broker.createTopic("lagtest", partitions: 2)
        let webhook = try LoopbackServer { _ in .text("ok") }
        let alerting = try Spawned(
            "alerting",
            [
                "--metrics-port", "0", "--groups", "lagger:lagtest", "--lag-threshold", "3s", "--lag-interval", "500ms",
                "--webhook-spacing", "100ms", "--heartbeat-timeout", "1h",
            ],
            environment: broker.environment.merging(["ALERTING_WEBHOOK_URL": webhook.baseURL + Self.secretPath]) { $1 })
        #expect(await alerting.operationsAddress() != nil, "\(alerting.stderr)")

        // 40 messages; the group commits offset 0 on each partition: it is behind, and its oldest message ages.
        try await broker.produce("lagtest", values: (0..<40).map { "m\($0)" })
        let admin = try KafkaAdmin(client: broker.client, logger: broker.logger)
        try await admin.commitOffsets(
            group: "lagger", offsets: [TopicPartition(topic: "lagtest", partition: 0): 0, TopicPartition(topic: "lagtest", partition: 1): 0])
        #expect(await Self.waitFor(webhook, "lag#lagger", count: 1, within: .seconds(30)), "\(alerting.stderr)")

        // Catch up: commit the high watermarks.
        let offsets = try await admin.offsets(topic: "lagtest")
        try await admin.commitOffsets(group: "lagger", offsets: Dictionary(uniqueKeysWithValues: offsets.map { ($0.partition, $0.high) }))
        #expect(await Self.waitFor(webhook, "lag#lagger", count: 2, within: .seconds(30)), "\(alerting.stderr)")
        // Several more measurements: nothing else arrives.
        try await Task.sleep(for: .seconds(3))
        let bodies = webhook.requests.map(\.bodyText).filter { $0.contains("lag#lagger") }
        #expect(bodies.count == 2)
        #expect(bodies.first?.contains("[FIRING]") == true)
        #expect(bodies.last?.contains("[RESOLVED]") == true)
        #expect(bodies.allSatisfy { $0.hasPrefix(#"{"text":"#) && $0.contains(#""blocks":["#) })

        // Alerting published its alert for everyone (tributary status shows open alerts from there).
        let status = try await Spawned.run(
            "tributary", ["status", "--json", "--groups", "lagger:lagtest"], environment: broker.environment)
        #expect(status.code == 0, "\(status.stderr)")

        alerting.signal(SIGTERM)
        await alerting.expectCleanExit(within: .seconds(30))
        #expect(!alerting.stderr.contains("SECRET"), "the webhook URL leaked into the log")
        #expect(!alerting.stdout.contains("SECRET"))
    }

    /// A SIGKILLed transformer stops its heartbeats: alerting reports that instance, once.
    @Test func aKilledServiceIsReportedWhenItsHeartbeatsStop() async throws {
        let broker = try await BrokerProcess(partitions: 2)
        let webhook = try LoopbackServer { _ in .text("ok") }
        let environment = broker.environment.merging(["HEARTBEAT_INTERVAL": "0.5"]) { $1 }
        let alerting = try Spawned(
            "alerting",
            ["--metrics-port", "0", "--heartbeat-timeout", "3s", "--webhook-spacing", "100ms", "--groups", "transformer:events.raw"],
            environment: environment.merging(["ALERTING_WEBHOOK_URL": webhook.baseURL + "/hook"]) { $1 })
        let address = try #require(await alerting.operationsAddress(), "\(alerting.stderr)")
        let transformer = try Spawned("transformer", ["--metrics-port", "0"], environment: environment)
        // Alerting has seen the transformer's heartbeats (its group joined: it reads from the latest offset).
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        var tracking = false
        while !tracking, ContinuousClock.now < deadline {
            let (_, metrics) = try await httpGet("http://\(address)/metrics")
            tracking = metrics.contains("tributary_alerting_tracked_instances 1")
            if !tracking { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(tracking, "\(alerting.stderr)")
        transformer.signal(SIGKILL)
        _ = await transformer.exitCode(within: .seconds(10))
        #expect(await Self.waitFor(webhook, "heartbeat#transformer@", count: 1, within: .seconds(30)), "\(alerting.stderr)")
        try await Task.sleep(for: .seconds(2))
        let bodies = webhook.requests.map(\.bodyText).filter { $0.contains("heartbeat#transformer@") }
        #expect(bodies.count == 1)
        #expect(bodies.first?.contains("[FIRING]") == true && bodies.first?.contains("CRITICAL") == true)
    }

    /// `tributary status --json` on a group stopped while the generator keeps producing.
    @Test func statusReportsTheLagOfAStoppedGroupInMessagesAndSeconds() async throws {
        let broker = try await BrokerProcess(partitions: 4)
        try await broker.createTopic("relay.out", partitions: 4)
        let generatorStartMs = Int64(Date().timeIntervalSince1970 * 1000)
        let generator = try Spawned(
            "generator", ["events", "--seed", "3", "--total", "10000000", "--rate", "1000", "--metrics-port", "0"],
            environment: broker.environment)
        defer { generator.signal(SIGTERM) }
        let relay = try Spawned(
            "tributary", ["relay", "--from", "events.raw", "--to", "relay.out", "--group", "stopped", "--metrics-port", "0"],
            environment: broker.environment)
        #expect(try await broker.waitUntilCommitted("events.raw", group: "stopped", atLeast: 1_000, within: .seconds(60)), "\(relay.stderr)")
        relay.signal(SIGTERM)
        #expect(await relay.exitCode(within: .seconds(30)) == 0, "\(relay.stderr)")
        let stoppedAtMs = Int64(Date().timeIntervalSince1970 * 1000)
        let committed = try await broker.committed("events.raw", group: "stopped")
        try await Task.sleep(for: .seconds(5))

        let before = try await broker.written("events.raw")
        let beforeMs = Int64(Date().timeIntervalSince1970 * 1000)
        let status = try await Spawned.run(
            "tributary", ["status", "--json", "--groups", "relay:stopped:events.raw"], environment: broker.environment)
        let afterMs = Int64(Date().timeIntervalSince1970 * 1000)
        let after = try await broker.written("events.raw")
        #expect(status.code == 0, "\(status.stderr)")
        #expect(try await broker.committed("events.raw", group: "stopped") == committed, "the group stayed stopped")

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], "\(status.stdout)")
        let group = try #require((json["groups"] as? [[String: Any]])?.first { $0["group"] as? String == "stopped" })
        let messages = try #require((group["lag_messages"] as? NSNumber)?.int64Value)
        let seconds = try #require((group["lag_seconds"] as? NSNumber)?.doubleValue)
        #expect(messages >= before - committed && messages <= after - committed, "lag \(messages), \(before - committed)…\(after - committed)")
        #expect(messages > 1_000, "the generator kept producing")
        // The oldest unprocessed message was produced about when the group stopped, or earlier if the relay had
        // fallen behind (a loaded machine): never before the generator started.
        let lowest = Double(beforeMs - stoppedAtMs) / 1000 - 2
        let highest = Double(afterMs - generatorStartMs) / 1000 + 3
        #expect(seconds >= lowest && seconds <= highest, "lag \(seconds) s, expected \(lowest)…\(highest)")
        let stage = try #require((json["stages"] as? [[String: Any]])?.first { $0["stage"] as? String == "relay" })
        #expect((stage["lag_messages"] as? NSNumber)?.int64Value == messages)
    }

    /// `tributary dlq list` counts by reason; `dlq replay` sends the originals back once, never twice.
    @Test func deadLettersAreListedByReasonAndReplayedOnce() async throws {
        let broker = try await BrokerProcess(partitions: 2)
        try await broker.createTopic("replay.source", partitions: 1)
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let topic = try producer.topic("events.dlq")
        for index in 0..<12 {
            let reason = index % 3 == 0 ? "bigtable_rejected" : "invalid_json"
            let letter = DeadLetter(
                originalKey: Array("k\(index)".utf8), originalValue: Array("v\(index)".utf8), topic: "replay.source",
                partition: 0, offset: Int64(index), originalTimestampMs: 1, stage: index % 3 == 0 ? "bigtable-writer" : "transformer",
                reason: reason, detail: "test", timeMs: 2, replayCount: 0)
            try await producer.sendAndWait(to: topic, key: letter.originalKey, value: letter.encode())
        }
        await producer.close(timeout: .seconds(5))

        let list = try await Spawned.run("tributary", ["dlq", "list", "--json"], environment: broker.environment)
        #expect(list.code == 0, "\(list.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        #expect((listed["total"] as? NSNumber)?.intValue == 12)
        let reasons = try #require(listed["reasons"] as? [[String: Any]])
        #expect(reasons.map { $0["reason"] as? String } == ["invalid_json", "bigtable_rejected"])
        #expect(reasons.map { ($0["count"] as? NSNumber)?.intValue } == [8, 4])

        let first = try await Spawned.run(
            "tributary", ["dlq", "replay", "--reason", "bigtable_rejected", "--limit", "3"], environment: broker.environment)
        #expect(first.code == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\"replayed\":3"))
        let second = try await Spawned.run(
            "tributary", ["dlq", "replay", "--reason", "bigtable_rejected"], environment: broker.environment)
        #expect(second.stdout.contains("\"replayed\":1"), "\(second.stdout) \(second.stderr)")
        let third = try await Spawned.run(
            "tributary", ["dlq", "replay", "--reason", "bigtable_rejected"], environment: broker.environment)
        #expect(third.stdout.contains("\"replayed\":0"), "\(third.stdout) \(third.stderr)")

        let replayed = try await broker.readDistinct("replay.source", expected: 4, within: .seconds(30))
        #expect(replayed.distinct == ["v0", "v3", "v6", "v9"])
        #expect(replayed.total == 4, "nothing replayed twice")
        let relisted = try await Spawned.run("tributary", ["dlq", "list", "--json"], environment: broker.environment)
        #expect(relisted.stdout.contains(#""reason":"bigtable_rejected","count":4,"replayed":4"#), "\(relisted.stdout)")
    }

    static func waitFor(_ server: LoopbackServer, _ text: String, count: Int, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if server.requests.filter({ $0.bodyText.contains(text) }).count >= count { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
