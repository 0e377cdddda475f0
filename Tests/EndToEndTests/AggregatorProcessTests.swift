import BigtableTestSupport
import Foundation
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
}
