import BigtableTestSupport
import ClickstreamModel
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables
import Testing

/// The clickstream path as users run it: generator → transformer → bigtable-writer, real broker, real emulator.
@Suite(.timeLimit(.minutes(6))) struct PipelineEndToEndTests {
    static let seed = 21
    static let total = 100_000

    @Test func aSeededRunEndsWithExactlyTheExpectedRowsAndDeadLettersDespiteAKilledTransformer() async throws {
        let broker = try await BrokerProcess(partitions: 16)
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
        let writer = try Spawned("bigtable-writer", ["--metrics-port", "0", "--create-tables"], environment: environment)
        var transformer = try Spawned("transformer", ["--metrics-port", "0"], environment: environment)

        // Garbage on events.raw: not protobuf, truncated protobuf, and a RawEvent whose payload is not JSON.
        let garbage: [[UInt8]] = [
            Array("definitely not protobuf".utf8),
            Array(RawEvent(source: "test", receivedTimeMs: 1, payload: Array("{\"eventId\":\"x\"}".utf8)).encode().dropLast(3)),
            RawEvent(source: "test", receivedTimeMs: 1, payload: Array("<html>502 Bad Gateway</html>".utf8)).encode(),
        ]
        try await broker.produce(raw: garbage, topic: "events.raw")

        let generator = try Spawned(
            "generator",
            [
                "events", "--seed", "\(Self.seed)", "--total", "\(Self.total)", "--rate", "0", "--json",
                "--metrics-port", "0", "--max-lag", "40000", "--lag-group", "transformer",
            ],
            environment: environment)
        // Kill the transformer mid-run, then start a new one: redelivered records must not turn into duplicates.
        #expect(try await broker.waitUntilCommitted("events.raw", group: "transformer", atLeast: 20_000, within: .seconds(120)))
        transformer.signal(SIGKILL)
        #expect(await transformer.exitCode(within: .seconds(10)) != 0)
        transformer = try Spawned("transformer", ["--metrics-port", "0"], environment: environment)
        #expect(await transformer.waitForLog("duplicate-id window rebuilt", within: .seconds(60)))
        #expect(await generator.exitCode(within: .seconds(180)) == 0, "\(generator.stderr)")

        #expect(try await broker.waitUntilConsumed("events.raw", group: "transformer", within: .seconds(180)), "\(transformer.stderr)")
        #expect(try await broker.waitUntilConsumed("events.clean", group: "bigtable-writer", within: .seconds(180)), "\(writer.stderr)")

        let expected = ExpectedCounts(synthesizer: EventSynthesizer(seed: UInt64(Self.seed)), total: UInt64(Self.total))
        let rows = try await Self.factRows(emulator)
        #expect(rows.keys == Int(expected.good))
        #expect(rows.distinctKeys == rows.keys)

        // Dead letters: at-least-once may repeat one after the kill, so count distinct originals by position.
        let letters = try await broker.deadLetters()
        var byReason: [String: Set<String>] = [:]
        for letter in letters where letter.stage == "transformer" {
            byReason[letter.reason, default: []].insert("\(letter.topic)/\(letter.partition)/\(letter.offset)")
        }
        var expectedByReason = Dictionary(uniqueKeysWithValues: expected.deadLetters.map { ($0.key.rawValue, Int($0.value)) })
        expectedByReason["malformed_protobuf", default: 0] += 2
        expectedByReason["invalid_json", default: 0] += 1
        #expect(byReason.mapValues(\.count) == expectedByReason.filter { $0.value > 0 })
        for letter in letters where letter.stage == "transformer" {
            #expect(!letter.detail.isEmpty && letter.originalValue != nil)
        }

        // Replaying events.clean from the beginning through a second writer group changes nothing.
        let replay = try Spawned(
            "bigtable-writer", ["--metrics-port", "0", "--group", "replay"], environment: environment)
        #expect(try await broker.waitUntilConsumed("events.clean", group: "replay", within: .seconds(180)), "\(replay.stderr)")
        let after = try await Self.factRows(emulator)
        #expect(after.keys == rows.keys)
        #expect(after.cells == rows.cells)

        for process in [transformer, writer, replay] {
            process.signal(SIGTERM)
            await process.expectCleanExit(within: .seconds(30))
        }
    }

    /// The fact table's rows; `keysOnly` reads one stripped cell per row (a long run's million rows of ~23 cells
    /// each would take the debug-built reader many minutes), so `cells` is then the row count.
    static func factRows(_ emulator: BigtableEmulator, keysOnly: Bool = false) async throws -> (keys: Int, distinctKeys: Int, cells: Int) {
        let filter: BigtableRowFilter? = keysOnly ? .chain([.cellsPerRowLimit(1), .stripValue]) : nil
        return try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            try await client.readRows(table: EventsFactTable.name, filter: filter) { rows in
                var keys = Set<Data>()
                var count = 0
                var cells = 0
                for try await row in rows {
                    keys.insert(row.key)
                    count += 1
                    cells += row.cellCount
                }
                return (count, keys.count, cells)
            }
        }
    }
}

extension BrokerProcess {
    /// Produces raw values (no key) and waits for delivery.
    func produce(raw values: [[UInt8]], topic: String) async throws {
        let producer = try KafkaProducer(configuration: .init(client: client), logger: logger)
        let handle = try producer.topic(topic)
        let tracker = DeliveryTracker()
        for value in values { try await producer.send(to: handle, key: Array("garbage".utf8), value: value, tracker: tracker) }
        let report = await tracker.report()
        await producer.close(timeout: .seconds(5))
        guard report.succeeded else { throw TestFailure("garbage not delivered") }
    }

    /// Waits until `group` has committed everything written to `topic`.
    func waitUntilConsumed(_ topic: String, group: String, within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let written = try await self.written(topic)
            if written > 0, try await committed(topic, group: group) == written { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// Waits until `group` has committed at least `count` records of `topic`.
    func waitUntilCommitted(_ topic: String, group: String, atLeast count: Int64, within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if try await committed(topic, group: group) >= count { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Every dead letter on events.dlq.
    func deadLetters(within timeout: Duration = .seconds(60)) async throws -> [DeadLetter] {
        let expected = try await written("events.dlq")
        let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: "dlq-\(UUID().uuidString)"), logger: logger)
        try consumer.subscribe(["events.dlq"])
        var letters: [DeadLetter] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while letters.count < expected, ContinuousClock.now < deadline {
            for message in try await consumer.nextBatch(timeout: .milliseconds(200)) {
                letters.append(try message.withValue { try DeadLetter(decoding: $0) })
            }
        }
        await consumer.close()
        return letters
    }
}
