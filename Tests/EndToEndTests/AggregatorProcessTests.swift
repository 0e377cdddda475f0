import BigtableTestSupport
import Foundation
import PipelineKafka
import PipelineMessages
import PipelineTables
import Testing

/// The aggregator process against input the transformer would never send but anyone can produce to events.clean.
@Suite(.timeLimit(.minutes(3))) struct AggregatorProcessTests {
    @Test func eventTimesNoWindowCanHoldAreDeadLetteredAndTheRestAggregated() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        var events = BigtableWriterProcessTests.events(200)
        let outOfRange = BigtableWriterProcessTests.outOfRangeTimes(events)
        events.insert(outOfRange[0], at: 100)
        events.append(outOfRange[1])
        try await BigtableWriterProcessTests.produce(events, broker: broker)

        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
        let aggregator = try Spawned(
            "aggregator", ["--metrics-port", "0", "--create-tables", "--allowed-lateness", "1h"], environment: environment)
        #expect(try await broker.waitUntilConsumed("events.clean", group: "aggregator", within: .seconds(90)), "\(aggregator.stderr)")
        let letters = try await broker.deadLetters().filter { $0.stage == "aggregator" && $0.reason == "out_of_range" }
        #expect(letters.count == 2, "\(aggregator.stderr.suffix(2000))")
        // The other events were aggregated.
        let cells = try await AggregatorEndToEndTests.cells(emulator, table: EventsAggregateTable.name)
        #expect(!cells.isEmpty)
        aggregator.signal(SIGTERM)
        await aggregator.expectCleanExit(within: .seconds(30))
    }

    /// The dead-letter workflow for the aggregator: a late event, replayed after a restart with a larger
    /// `--allowed-lateness`, is counted once, even with a second letter for the same event (as a late copy would
    /// leave); a record the bigtable-writer dead-lettered, replayed to events.clean for the writer, is not counted a
    /// second time.
    @Test func aLateEventReplayedAfterRaisingTheLatenessIsCountedOnceAndWriterRepliesArePassedOver() async throws {
        let broker = try await BrokerProcess(partitions: 1)
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        var events = BigtableWriterProcessTests.events(100, users: 10)
        var late = events[5]
        late.eventID = "late-1"
        late.eventTimeMs -= 2 * 3_600_000
        events.append(late)
        try await BigtableWriterProcessTests.produce(events, broker: broker)
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
        var aggregator = try Spawned(
            "aggregator", ["--metrics-port", "0", "--create-tables", "--allowed-lateness", "1h"], environment: environment)
        #expect(try await broker.waitUntilConsumed("events.clean", group: "aggregator", within: .seconds(90)), "\(aggregator.stderr)")
        #expect(try await broker.deadLetters().filter { $0.reason == "late_event" }.count == 1)
        #expect(try await DeadLetterReplayTests.eventsCounted(environment: environment, atLeast: 100, within: .seconds(30)) == 100)

        // A second letter of the late event, and a record the writer rejected, as their letters would carry them.
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let dlq = try producer.topic("events.dlq")
        for (event, stage, reason) in [(late, "aggregator", "late_event"), (events[7], "bigtable-writer", "bigtable_rejected")] {
            let letter = DeadLetter(
                originalKey: Array(event.userID.utf8), originalValue: event.encode(), topic: "events.clean", partition: 0,
                offset: 500, originalTimestampMs: 0, stage: stage, reason: reason, detail: "test", timeMs: 1, replayCount: 0)
            try await producer.sendAndWait(to: dlq, key: letter.originalKey, value: letter.encode())
        }
        await producer.close(timeout: .seconds(5))

        aggregator.signal(SIGTERM)
        await aggregator.expectCleanExit(within: .seconds(30))
        aggregator = try Spawned("aggregator", ["--metrics-port", "0", "--allowed-lateness", "3h"], environment: environment)
        let lateReplay = try await Spawned.run("tributary", ["dlq", "replay", "--reason", "late_event"], environment: broker.environment)
        #expect(lateReplay.stdout.contains("\"replayed\":2"), "\(lateReplay.stdout) \(lateReplay.stderr)")
        let writerReplay = try await Spawned.run(
            "tributary", ["dlq", "replay", "--reason", "bigtable_rejected"], environment: broker.environment)
        #expect(writerReplay.stdout.contains("\"replayed\":1"), "\(writerReplay.stdout) \(writerReplay.stderr)")
        #expect(try await broker.waitUntilConsumed("events.clean", group: "aggregator", within: .seconds(90)), "\(aggregator.stderr)")
        #expect(try await DeadLetterReplayTests.eventsCounted(environment: environment, atLeast: 101, within: .seconds(30)) == 101)
        #expect(try await broker.deadLetters().filter { $0.reason == "late_event" }.count == 2, "the replays were not late")
        aggregator.signal(SIGTERM)
        await aggregator.expectCleanExit(within: .seconds(30))
    }
}
