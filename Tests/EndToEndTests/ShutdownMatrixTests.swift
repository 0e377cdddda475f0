import BigtableTestSupport
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables
import Testing

/// How the services stop and fail when their environment is wrong, each case in seconds: SIGTERM ends every
/// service within `--shutdown-timeout` plus a second with its documented exit code (0: everything consumed was
/// committed; 3: work given up uncommitted, to be redelivered), and no environment fault makes a dead letter.
@Suite(.timeLimit(.minutes(4))) struct ShutdownMatrixTests {
    static let budget = 5
    /// Slack over the budget for the test's own polling on a loaded machine.
    static let slack: Duration = .seconds(2)

    static func stopWithinBudget(_ process: Spawned, expecting codes: Set<Int32>, _ what: String) async {
        let signalled = ContinuousClock.now
        process.signal(SIGTERM)
        let code = await process.exitCode(within: .seconds(Self.budget) + .seconds(1) + slack)
        let took = signalled.duration(to: .now)
        #expect(code.map(codes.contains) == true, "\(what): exit \(code.map(String.init) ?? "none") after \(took): \(process.stderr.suffix(2_000))")
    }

    /// Kafka unreachable from the start (and Bigtable too, for the sinks): nothing was consumed, so a clean 0.
    @Test(arguments: [
        ("transformer", [String]()), ("cdc-router", []), ("alerting", []), ("bigtable-writer", []),
        ("bigtable-writer", ["--create-tables"]), ("aggregator", []), ("aggregator", ["--create-tables"]),
    ])
    func sigtermWhileKafkaIsUnreachableEndsWithinTheBudget(service: String, extra: [String]) async throws {
        let process = try Spawned(
            service, ["--bootstrap", "127.0.0.1:1", "--metrics-port", "0", "--shutdown-timeout", "\(Self.budget)s"] + extra,
            environment: [
                "BIGTABLE_EMULATOR_HOST": "127.0.0.1:2", "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
                "TRIBUTARY_STATE_DIR": "/nonexistent",
            ])
        try await Task.sleep(for: .seconds(3))
        await Self.stopWithinBudget(process, expecting: [0], "\(service) \(extra)")
    }

    /// No table and no --create-tables: a start-up error naming the table and the fix, and no record touched.
    @Test func aSinkWithoutItsTablesStopsAtStartWithTheFix() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        try await BigtableWriterProcessTests.produce(BigtableWriterProcessTests.events(50), broker: broker)
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
        for service in ["bigtable-writer", "aggregator"] {
            let process = try Spawned(service, ["--metrics-port", "0"], environment: environment)
            let code = await process.exitCode(within: .seconds(30))
            #expect(code == 1, "\(service): \(process.stderr.suffix(2_000))")
            #expect(process.stderr.contains("does not exist") && process.stderr.contains("--create-tables"), "\(process.stderr.suffix(2_000))")
        }
        #expect(try await broker.written("events.dlq") == 0)
        #expect(try await broker.committed("events.clean", group: "bigtable-writer") == 0)
    }

    /// A table dropped while the writer runs: writes wait (readiness false, an error logged, a critical Alert),
    /// nothing is dead-lettered; the table back, everything is written and the Alert resolved; dropped again,
    /// SIGTERM gives the waiting work up with exit 3, to be redelivered.
    @Test func aTableDroppedMidRunPausesTheWriterAndDeadLettersNothing() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
        let writer = try Spawned(
            "bigtable-writer", ["--metrics-port", "0", "--create-tables", "--shutdown-timeout", "\(Self.budget)s"],
            environment: environment)
        let events = BigtableWriterProcessTests.events(100)
        try await BigtableWriterProcessTests.produce(Array(events.prefix(50)), broker: broker)
        #expect(try await broker.waitUntilCommitted("events.clean", group: "bigtable-writer", atLeast: 50, within: .seconds(60)))
        try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            try await client.deleteTable(EventsFactTable.name)
        }
        try await BigtableWriterProcessTests.produce(Array(events.suffix(50)), broker: broker)
        #expect(await writer.waitForLog("bigtable refuses every write", within: .seconds(60)), "\(writer.stderr.suffix(3_000))")
        #expect(try await broker.written("events.dlq") == 0, "an environment fault is no bad record")
        #expect(try await broker.committed("events.clean", group: "bigtable-writer") == 50)

        // The table back: the parked writes go through and the alert resolves.
        try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            try await client.createTableIfMissing(EventsFactTable.name, families: EventsFactTable.families)
        }
        #expect(try await broker.waitUntilCommitted("events.clean", group: "bigtable-writer", atLeast: 100, within: .seconds(60)))
        let alerts = try await broker.alerts(atLeast: 2, within: .seconds(30)).filter { $0.key == "bigtable_environment#bigtable-writer" }
        #expect(alerts.map(\.status) == [.firing, .resolved], "\(alerts)")
        #expect(try await broker.written("events.dlq") == 0)

        // Dropped again with work waiting: SIGTERM gives it up, exit 3.
        try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            try await client.deleteTable(EventsFactTable.name)
        }
        try await BigtableWriterProcessTests.produce(BigtableWriterProcessTests.events(110).suffix(10), broker: broker)
        #expect(await writer.waitForLog("bigtable refuses every write", times: 2, within: .seconds(60)))
        await Self.stopWithinBudget(writer, expecting: [3], "writer with a dropped table")
    }

    /// A command pointed at a Bigtable where nothing listens says so in seconds, naming the endpoint and the fix
    /// (its scan's deadline is minutes, and the client would reconnect in silence until then).
    @Test func aQueryAgainstNoBigtableSaysWhereItLookedInSeconds() async throws {
        let started = ContinuousClock.now
        let query = try await Spawned.run(
            "tributary", ["query", "events", "--user", "u-1"],
            environment: ["BIGTABLE_EMULATOR_HOST": "127.0.0.1:2", "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i"],
            within: .seconds(30))
        #expect(query.code == 1, "\(query.stderr)")
        #expect(query.stderr.contains("cannot reach the Bigtable emulator at 127.0.0.1:2"), "\(query.stderr)")
        #expect(started.duration(to: .now) < .seconds(25))
    }

    /// No credential is built in: the extractor names the missing variable and does not start.
    @Test func theExtractorWithoutASecretNamesTheVariable() async throws {
        let process = try Spawned(
            "extractor", ["once", "--api-base-url", "http://127.0.0.1:3", "--bootstrap", "127.0.0.1:1"],
            environment: ["SALESFORCE_CLIENT_SECRET": "", "SALESFORCE_CLIENT_ID": "x"])
        let code = await process.exitCode(within: .seconds(10))
        #expect(code == 2, "\(process.stderr)")
        #expect(process.stderr.contains("SALESFORCE_CLIENT_SECRET"), "\(process.stderr)")
    }
}

extension BrokerProcess {
    /// The Alerts on pipeline.alerts, in order, once at least `count` arrived or at the deadline.
    func alerts(atLeast count: Int, within timeout: Duration) async throws -> [Alert] {
        let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: "alerts-\(UUID().uuidString)"), logger: logger)
        try consumer.subscribe(["pipeline.alerts"])
        var alerts: [Alert] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while alerts.count < count, ContinuousClock.now < deadline {
            for message in try await consumer.nextBatch(timeout: .milliseconds(200)) {
                alerts.append(try message.withValue { try Alert(decoding: $0) })
            }
        }
        await consumer.close()
        return alerts
    }
}
