import ClickstreamModel
import Foundation
import PipelineKafka
import PipelineMessages
import Testing

/// The generator as users run it: a separate process writing to the local broker, found through its address file.
@Suite(.timeLimit(.minutes(3))) struct GeneratorProcessTests {
    @Test func generatorSendsTheSeededStreamToAnotherProcessesBroker() async throws {
        let broker = try await BrokerProcess()
        let total = 20_000
        let generator = try Spawned(
            "generator", ["events", "--seed", "11", "--total", "\(total)", "--rate", "0", "--json", "--metrics-port", "0"],
            environment: broker.environment)
        #expect(await generator.exitCode(within: .seconds(60)) == 0, "\(generator.stderr)")
        let summary = try #require(generator.lastJSON)
        #expect(summary["sent"] as? Int == total)
        #expect(summary["acknowledged"] as? Int == total)
        #expect(summary["failed"] as? Int == 0)

        // Read it back in this process: every index exactly once, each payload the synthesizer's record.
        let synthesizer = EventSynthesizer(seed: 11)
        let consumer = try KafkaConsumer(configuration: .init(client: broker.client, groupID: "check"), logger: broker.logger)
        try consumer.subscribe(["events.raw"])
        var seen = [Bool](repeating: false, count: total)
        var received = 0
        var mismatches = 0
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while received < total, ContinuousClock.now < deadline {
            let batch = try await consumer.nextBatch(timeout: .milliseconds(200))
            for message in batch {
                let event = try message.withValue { try RawEvent(decoding: $0) }
                let index = Int(try #require(event.generator).index)
                if seen[index] { mismatches += 1 }
                seen[index] = true
                // A skewed device's `sentAt` is written for the receive time the generator stamped.
                let record = synthesizer.record(at: UInt64(index), receivedTimeMs: event.receivedTimeMs)
                if record.payload != event.payload || record.key != message.key { mismatches += 1 }
                received += 1
            }
        }
        await consumer.close()
        #expect(received == total)
        #expect(seen.allSatisfy { $0 })
        #expect(mismatches == 0)
    }

    @Test func expectPrintsTheCountsOfTheSeedWithoutABroker() async throws {
        let generator = try Spawned(
            "generator", ["events", "--expect", "--seed", "5", "--total", "3000", "--bad-fraction", "0.1"],
            environment: ["TRIBUTARY_STATE_DIR": "/nonexistent"])
        #expect(await generator.exitCode(within: .seconds(30)) == 0, "\(generator.stderr)")
        let expected = ExpectedCounts(
            synthesizer: EventSynthesizer(seed: 5, badFraction: 0.1), total: 3000)
        #expect(generator.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected.jsonString())
    }

    @Test func expectWithoutTotalIsAUsageError() async throws {
        let generator = try Spawned("generator", ["events", "--expect", "--seed", "5"])
        #expect(await generator.exitCode(within: .seconds(30)) == 2)
        #expect(generator.stderr.contains("--expect needs --total"))
    }

    @Test func sigtermFlushesEverySentEventAndExitsZero() async throws {
        let broker = try await BrokerProcess()
        let generator = try Spawned(
            "generator", ["events", "--seed", "3", "--total", "10000000", "--rate", "5000", "--json", "--metrics-port", "0"],
            environment: broker.environment)
        #expect(await generator.waitForLog("kafka producer started"))
        try await Task.sleep(for: .seconds(2))
        generator.signal(SIGTERM)
        #expect(await generator.exitCode(within: .seconds(30)) == 0, "\(generator.stderr)")
        let summary = try #require(generator.lastJSON)
        let sent = try #require(summary["sent"] as? Int)
        #expect(sent > 0 && sent < 10_000_000)
        #expect(summary["acknowledged"] as? Int == sent)
        #expect(summary["pending"] as? Int == 0)
        #expect(summary["stop_reason"] as? String == "shutdown requested")
        #expect(try await broker.written("events.raw") == Int64(sent))
    }
}

@Suite(.timeLimit(.minutes(2))) struct GeneratorClosedLoopTests {
    @Test func maxLagHoldsTheGeneratorBackWhileNobodyConsumes() async throws {
        let broker = try await BrokerProcess()
        let generator = try Spawned(
            "generator",
            [
                "events", "--total", "1000000", "--rate", "0", "--max-lag", "3000", "--lag-group", "nobody", "--json",
                "--metrics-port", "0",
            ],
            environment: broker.environment)
        #expect(await generator.waitForLog("holding back"))
        try await Task.sleep(for: .seconds(2))
        generator.signal(SIGTERM)
        #expect(await generator.exitCode(within: .seconds(30)) == 0, "\(generator.stderr)")
        let sent = try #require(generator.lastJSON?["sent"] as? Int)
        #expect(sent > 0)
        #expect(sent <= 3000)
        #expect(try await broker.written("events.raw") == Int64(sent))
    }
}
