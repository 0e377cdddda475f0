import Foundation
import PipelineKafka
import Testing

/// The consume → produce loop in real processes: takeover after SIGKILL, graceful shutdown, failed outputs.
@Suite(.timeLimit(.minutes(3))) struct RelayProcessTests {
    private func relay(_ broker: BrokerProcess, from: String, to: String, group: String, extra: [String] = []) throws -> Spawned {
        try Spawned(
            "tributary",
            ["relay", "--from", from, "--to", to, "--group", group, "--metrics-port", "0", "--batch-size", "200"] + extra,
            environment: broker.environment)
    }

    @Test func survivorTakesOverAKilledMembersPartitionsWithNothingLost() async throws {
        let broker = try await BrokerProcess()
        try await broker.createTopic("kill.in", partitions: 4)
        try await broker.createTopic("kill.out", partitions: 4)
        let first = try relay(broker, from: "kill.in", to: "kill.out", group: "takeover")
        let second = try relay(broker, from: "kill.in", to: "kill.out", group: "takeover")
        #expect(await first.waitForLog("kafka partitions assigned"))
        #expect(await second.waitForLog("kafka partitions assigned"))

        let values = (0..<12_000).map { "id-\($0)" }
        let producing = Task { try await broker.produce("kill.in", values: values, rate: 2_000) }
        try await Task.sleep(for: .seconds(2))
        first.signal(SIGKILL)
        try await producing.value

        let (distinct, total) = try await broker.readDistinct("kill.out", expected: values.count, within: .seconds(90))
        #expect(distinct == Set(values), "missing \(values.count - distinct.count) ids")
        #expect(total >= values.count)  // at-least-once: redeliveries may duplicate, never lose
        #expect(second.process.isRunning)
        second.signal(SIGTERM)
        await second.expectCleanExit(within: .seconds(30))
        // The survivor committed everything it (and the killed member before it) finished.
        #expect(try await broker.committed("kill.in", group: "takeover") == Int64(values.count))
    }

    @Test func sigtermMidStreamCommitsExactlyWhatWasForwarded() async throws {
        let broker = try await BrokerProcess()
        try await broker.createTopic("stop.in", partitions: 4)
        try await broker.createTopic("stop.out", partitions: 4)
        let relay = try relay(broker, from: "stop.in", to: "stop.out", group: "stopper")
        #expect(await relay.waitForLog("kafka partitions assigned"))
        let producing = Task { try await broker.produce("stop.in", values: (0..<20_000).map { "v\($0)" }, rate: 5_000) }
        try await Task.sleep(for: .seconds(2))
        relay.signal(SIGTERM)
        #expect(await relay.exitCode(within: .seconds(30)) == 0, "\(relay.stderr)")
        try await producing.value

        let forwarded = try await broker.written("stop.out")
        let committed = try await broker.committed("stop.in", group: "stopper")
        #expect(forwarded > 0)
        #expect(forwarded < 20_000)
        // Flushed before committing, and committed everything flushed: a restart neither loses nor repeats.
        #expect(committed == forwarded)
    }

    @Test func failedOutputsAreNeverCommittedAndArriveAfterRecovery() async throws {
        let broker = try await BrokerProcess()
        try await broker.createTopic("fail.in", partitions: 2)
        try await broker.createTopic("fail.out", partitions: 2)
        let values = (0..<500).map { "f\($0)" }
        try await broker.produce("fail.in", values: values)
        // TOPIC_AUTHORIZATION_FAILED (29) on every request for the output topic.
        try await broker.control("POST", "/faults/topic-error?topic=fail.out&code=29")

        let failing = try relay(broker, from: "fail.in", to: "fail.out", group: "failing", extra: ["--kafka", "message.timeout.ms=2000"])
        let code = await failing.exitCode(within: .seconds(60))
        #expect(code == 1, "\(failing.stderr)")
        #expect(failing.stderr.contains("kafka delivery failed"))
        #expect(try await broker.committed("fail.in", group: "failing") == 0)

        try await broker.control("POST", "/faults/topic-error?topic=fail.out&code=0")
        let recovered = try relay(broker, from: "fail.in", to: "fail.out", group: "failing")
        let (distinct, _) = try await broker.readDistinct("fail.out", expected: values.count)
        #expect(distinct == Set(values))
        recovered.signal(SIGTERM)
        await recovered.expectCleanExit(within: .seconds(30))
        #expect(try await broker.committed("fail.in", group: "failing") == Int64(values.count))
    }
}
