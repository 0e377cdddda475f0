import BigtableTestSupport
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables
import Testing

/// cdc-router and bigtable-writer as processes between a real broker and a real emulator, on hand-made change
/// events: fan-out, deletes and undeletes, duplicates, gap and overflow requests, dead letters, the query command,
/// and a router killed mid-stream.
@Suite(.timeLimit(.minutes(4))) struct CdcRouterProcessTests {
    static let baseMs: Int64 = 1_780_000_000_000

    static func id(_ n: Int) -> String {
        let digits = String(n)
        return "001" + String(repeating: "0", count: 12 - digits.count) + digits + "AAA"
    }

    static func event(
        _ type: ChangeType, _ ids: [String], at step: Int, fields: [String: String?] = [:], object: String = "Account"
    ) -> ChangeEvent {
        ChangeEvent(
            entityName: object, changeType: type, recordIDs: ids, commitTimestampMs: baseMs + Int64(step) * 10,
            commitNumber: Int64(step), commitUser: "005000000000001AAA", transactionKey: "tx-\(step)", sequenceNumber: 1,
            fields: fields.sorted { $0.key < $1.key }.map { FieldValue(name: $0.key, value: $0.value) })
    }

    func router(_ broker: BrokerProcess, extra: [String] = []) throws -> Spawned {
        try Spawned("cdc-router", ["--metrics-port", "0", "--instance", "router-test"] + extra, environment: broker.environment)
    }

    func writer(_ broker: BrokerProcess, _ emulator: BigtableEmulator) throws -> Spawned {
        try Spawned(
            "bigtable-writer",
            ["--metrics-port", "0", "--create-tables", "--sources", "salesforce", "--bigtable-project", "p", "--bigtable-instance", "i"],
            environment: broker.environment.merging(["BIGTABLE_EMULATOR_HOST": emulator.hostPort]) { $1 })
    }

    @Test func routesFansOutDeduplicatesAsksForGapsAndDeadLettersGarbage() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let (a, b, c) = (Self.id(1), Self.id(2), Self.id(3))
        let update = Self.event(.update, [a, b], at: 4, fields: ["Rating": "Hot", "Phone": nil])
        let events: [ChangeEvent] = [
            Self.event(.create, [a], at: 1, fields: ["Name": "A", "Rating": "Cold", "Phone": "1"]),
            Self.event(.create, [b], at: 2, fields: ["Name": "B", "Rating": "Cold"]),
            Self.event(.create, [c], at: 3, fields: ["Name": "C"]),
            update,
            update,  // an exact duplicate (same transaction, sequence number and records)
            Self.event(.delete, [c], at: 5),
            Self.event(.undelete, [c], at: 6, fields: ["Name": "C again"]),
            Self.event(.delete, [b], at: 7),
            Self.event(.gapUpdate, [a], at: 8),
            ChangeEvent(entityName: "Lead", changeType: .gapOverflow, commitTimestampMs: Self.baseMs + 90, transactionKey: "big"),
            Self.event(.update, ["not-an-id"], at: 10, fields: ["Name": "x"]),
        ]
        try await broker.produceChangeEvents(events, garbage: [Array("not a change event".utf8)])
        // And a record change no row should hold, straight onto salesforce.records: the writer dead-letters it.
        var keyless = RecordChange(object: "Account", id: "", operation: .upsert, source: .batch, sourceTimestampMs: 1)
        keyless.fields = [FieldValue(name: "name", value: "x")]
        try await broker.produce(raw: [keyless.encode()], topic: "salesforce.records")

        let router = try router(broker)
        let writer = try writer(broker, emulator)
        #expect(try await broker.waitUntilConsumed("salesforce.cdc", group: "cdc-router", within: .seconds(60)), "\(router.stderr)")
        #expect(
            try await broker.waitUntilConsumed("salesforce.records", group: "bigtable-writer", within: .seconds(60)),
            "\(writer.stderr)")

        // One change per record and event; the duplicate dropped (the ninth record is the keyless one above).
        #expect(try await broker.written("salesforce.records") == 9)
        let rows = try await Self.records(emulator)
        #expect(rows[a]?.fields == ["name": "A", "rating": "Hot", "phone": String?.none])
        #expect(rows[a]?.deleted == false)
        #expect(rows[a]?.history.count == 2)
        #expect(
            rows[b]?.fields == [
                "name": "B", "rating": "Hot", "phone": String?.none, "is_deleted": "true",
                "system_modstamp": "2026-05-28T20:26:40.070+0000",
            ])
        #expect(rows[b]?.deleted == true)
        // The undelete carries the whole record: what the delete set reads as null again.
        #expect(rows[c]?.fields == ["name": "C again", "is_deleted": String?.none, "system_modstamp": String?.none])
        #expect(rows[c]?.deleted == false)
        #expect(rows[c]?.changeType == "UNDELETE")

        let requests = try await broker.messages("pipeline.batch", count: 2, as: BatchRequest.self)
        #expect(Set(requests.map(\.object)) == ["Account", "Lead"])
        #expect(requests.first { $0.object == "Account" }?.recordIDs == [a])
        #expect(requests.first { $0.object == "Account" }?.reason == .gap)
        #expect(requests.first { $0.object == "Lead" }?.sinceMs == Self.baseMs + 90 - 5_000)
        #expect(requests.first { $0.object == "Lead" }?.reason == .overflow)
        #expect(requests.allSatisfy { $0.requestedBy == "router-test" })

        let letters = try await broker.deadLetters()
        #expect(letters.filter { $0.stage == "cdc-router" }.map(\.reason).sorted() == ["invalid_record_id", "malformed_protobuf"])
        #expect(letters.filter { $0.stage == "bigtable-writer" }.map(\.reason) == ["invalid_record_key"])

        // The operator command shows the record and its history.
        let query = try Spawned(
            "tributary",
            ["query", "record", "Account", String(a.prefix(15)), "--history", "--json", "--bigtable-project", "p",
             "--bigtable-instance", "i"],
            environment: ["BIGTABLE_EMULATOR_HOST": emulator.hostPort])
        #expect(await query.exitCode(within: .seconds(30)) == 0, "\(query.stderr)")
        let shown = try JSONSerialization.jsonObject(with: Data(query.stdout.utf8)) as? [String: Any]
        #expect(shown?["id"] as? String == a)
        #expect((shown?["fields"] as? [String: Any])?["rating"] as? String == "Hot")
        #expect((shown?["fields"] as? [String: Any])?["phone"] is NSNull)
        #expect((shown?["history"] as? [Any])?.count == 2)
        let missing = try Spawned(
            "tributary", ["query", "record", "Account", Self.id(99), "--bigtable-project", "p", "--bigtable-instance", "i"],
            environment: ["BIGTABLE_EMULATOR_HOST": emulator.hostPort])
        #expect(await missing.exitCode(within: .seconds(30)) == 1)

        for process in [router, writer] {
            process.signal(SIGTERM)
            #expect(await process.exitCode(within: .seconds(30)) == 0, "\(process.stderr.suffix(2000))")
        }
    }

    @Test func aRouterKilledMidStreamLosesAndDuplicatesNothing() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let stream = SyntheticCDCStream(records: 120, steps: 3_000, seed: 5)
        var first = try router(broker, extra: ["--batch-size", "40"])
        let writer = try writer(broker, emulator)
        #expect(await first.waitForLog("kafka partitions assigned"))
        // Slow enough that the kill lands mid-stream: about five seconds of events.
        let producing = Task { try await broker.produceChangeEvents(stream.events, perSecond: 600) }
        #expect(try await broker.waitUntilCommitted("salesforce.cdc", group: "cdc-router", atLeast: 900, within: .seconds(60)))
        first.signal(SIGKILL)
        #expect(await first.exitCode(within: .seconds(10)) != 0)
        first = try router(broker, extra: ["--batch-size", "40"])
        #expect(await first.waitForLog("routing state rebuilt from the log", within: .seconds(60)), "\(first.stderr)")
        try await producing.value
        #expect(try await broker.waitUntilConsumed("salesforce.cdc", group: "cdc-router", within: .seconds(90)), "\(first.stderr)")
        #expect(
            try await broker.waitUntilConsumed("salesforce.records", group: "bigtable-writer", within: .seconds(90)),
            "\(writer.stderr)")

        let rows = try await Self.records(emulator)
        #expect(rows.count == stream.expected.count)
        for (id, expected) in stream.expected {
            let row = rows[id]
            #expect(row?.fields == expected.fields, "\(id)")
            #expect(row?.deleted == expected.deleted, "\(id)")
            // Every change is one version; a redelivered change rewrote its own cells.
            #expect(row?.history.count == expected.changes, "\(id)")
        }
        for process in [first, writer] {
            process.signal(SIGTERM)
            await process.expectCleanExit(within: .seconds(30))
        }
    }

    static func records(_ emulator: BigtableEmulator) async throws -> [String: SalesforceRecordRow] {
        try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            let rows = try await client.readRows(table: SalesforceRecordsTable.name)
            return Dictionary(rows.compactMap(SalesforceRecordRow.init).map { ($0.id, $0) }) { $1 }
        }
    }
}

/// A seeded stream of creates, updates (some merged over two records, some nulling a field), deletes and undeletes
/// over Accounts, one per 10 ms of commit time, and the state it must end in.
struct SyntheticCDCStream {
    struct Expected {
        var fields: [String: String?] = [:]
        var deleted = false
        var changes = 0
    }

    var events: [ChangeEvent] = []
    var expected: [String: Expected] = [:]

    init(records: Int, steps: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let ids = (1...records).map(CdcRouterProcessTests.id)
        for (step, id) in ids.enumerated() {
            append(CdcRouterProcessTests.event(.create, [id], at: step, fields: ["Name": "n\(step)", "Rating": "Cold"]))
        }
        for step in records..<steps {
            let id = ids[Int(random.next() % UInt64(records))]
            if expected[id]!.deleted {
                append(CdcRouterProcessTests.event(.undelete, [id], at: step, fields: ["Name": "back\(step)"]))
                continue
            }
            switch random.next() % 10 {
            case 0:
                append(CdcRouterProcessTests.event(.delete, [id], at: step))
            case 1, 2:
                let other = ids[Int(random.next() % UInt64(records))]
                let merged = other == id || expected[other]!.deleted ? [id] : [id, other]
                append(CdcRouterProcessTests.event(.update, merged, at: step, fields: ["Rating": "r\(step)"]))
            default:
                let phone: String? = random.next() % 4 == 0 ? nil : "p\(step)"
                append(CdcRouterProcessTests.event(.update, [id], at: step, fields: ["Phone": phone, "Name": "n\(step)"]))
            }
        }
    }

    private mutating func append(_ event: ChangeEvent) {
        events.append(event)
        for id in event.recordIDs {
            var record = expected[id] ?? Expected()
            if event.changeType == .create || event.changeType == .undelete {
                // A whole record: columns it does not list read as null.
                for name in record.fields.keys { record.fields[name] = .some(nil) }
            }
            for field in event.fields { record.fields[field.name.lowercased()] = .some(field.value) }
            if event.changeType == .delete {
                record.fields["is_deleted"] = "true"
                record.fields["system_modstamp"] = .some(Self.restTime(event.commitTimestampMs))
            }
            record.deleted = event.changeType == .delete
            record.changes += 1
            expected[id] = record
        }
    }
}

extension SyntheticCDCStream {
    /// The REST rendering of a UTC time, `2026-05-28T20:26:40.070+0000`.
    static func restTime(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let millis = String(ms % 1_000)
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms / 1_000))) + "."
            + String(repeating: "0", count: 3 - millis.count) + millis + "+0000"
    }
}

/// splitmix64: a small seeded generator, so the stream is the same on every run.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension BrokerProcess {
    /// Produces change events to salesforce.cdc keyed as Salesforce's stream is (first record id, or the object
    /// for an overflow), then any garbage values; at most `perSecond` events a second when given.
    func produceChangeEvents(_ events: [ChangeEvent], garbage: [[UInt8]] = [], perSecond: Double? = nil) async throws {
        let producer = try KafkaProducer(configuration: .init(client: client, linger: .milliseconds(1)), logger: logger)
        let topic = try producer.topic("salesforce.cdc")
        let tracker = DeliveryTracker()
        let started = ContinuousClock.now
        for (index, event) in events.enumerated() {
            if let perSecond, index % 50 == 0 {
                let due = started.advanced(by: .seconds(Double(index) / perSecond))
                if due > .now { try await Task.sleep(until: due) }
            }
            let key = event.recordIDs.first ?? event.entityName
            try await producer.send(to: topic, key: Array(key.utf8), value: event.encode(), tracker: tracker)
        }
        for bytes in garbage { try await producer.send(to: topic, key: Array("junk".utf8), value: bytes, tracker: tracker) }
        let report = await tracker.report()
        await producer.close(timeout: .seconds(5))
        guard report.succeeded else { throw TestFailure("producing change events failed") }
    }

    /// Reads `count` messages of a topic from the beginning (fresh group), decoded.
    func messages<M: PipelineMessage>(_ topic: String, count: Int, as: M.Type, within timeout: Duration = .seconds(30)) async throws -> [M] {
        let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: "read-\(UUID().uuidString)"), logger: logger)
        try consumer.subscribe([topic])
        var messages: [M] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while messages.count < count, ContinuousClock.now < deadline {
            for message in try await consumer.nextBatch(timeout: .milliseconds(200)) {
                messages.append(try message.withValue { try M(decoding: $0) })
            }
        }
        await consumer.close()
        return messages
    }
}
