import BigtableTestSupport
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import PipelineTables
import Testing

/// bigtable-writer as a process between a real broker and a real emulator.
@Suite(.timeLimit(.minutes(4))) struct BigtableWriterProcessTests {
    static func events(_ count: Int, users: Int = 50, bulky: Bool = false) -> [CleanEvent] {
        (0..<count).map { event($0, users: users, bulky: bulky) }
    }

    /// A clean event; `bulky` gives it a 1 KB user agent, so a backlog is large in bytes without taking long to write.
    static func event(_ index: Int, users: Int, bulky: Bool = false) -> CleanEvent {
        let isSong = index % 3 == 0
        var event = CleanEvent(
            eventID: "ev-\(index)", userID: "user-\(index % users)", sessionID: "s-\(index % 97)",
            eventType: isSong ? "song_play" : "page_view")
        event.eventTimeMs = 1_767_225_600_000 + Int64(index) * 10
        event.ingestTimeMs = 1_767_225_700_000
        event.processedTimeMs = 1_767_225_800_000
        event.page = "/p/\(index % 11)"
        event.level = "free"
        if isSong { event.song = CleanEvent.Song(songID: "so-\(index % 13)", title: "T", artist: "A", lengthMs: 215_347) }
        event.sequence = Int64(index)
        event.source = "test"
        event.pipelineVersion = "test"
        event.qualityVerdict = .pass
        if bulky { event.userAgent = String(repeating: "Mozilla/5.0 ", count: 85) + "\(index)" }
        return event
    }

    /// Two copies of events under new ids whose times no fact row or aggregate window can hold: one past year
    /// 9999 (its cell timestamp's microseconds would overflow Int64), one before 1970.
    static func outOfRangeTimes(_ events: [CleanEvent]) -> [CleanEvent] {
        var farFuture = events[0]
        farFuture.eventID = "far-future"
        farFuture.eventTimeMs = Int64.max / 100
        var beforeEpoch = events[1]
        beforeEpoch.eventID = "before-1970"
        beforeEpoch.eventTimeMs = -86_400_000
        return [farFuture, beforeEpoch]
    }

    static func produce(_ events: [CleanEvent], garbage: [[UInt8]] = [], broker: BrokerProcess) async throws {
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let topic = try producer.topic("events.clean")
        let tracker = DeliveryTracker()
        for event in events {
            try await producer.send(to: topic, key: Array(event.userID.utf8), value: event.encode(), tracker: tracker)
        }
        for bytes in garbage { try await producer.send(to: topic, key: Array("junk".utf8), value: bytes, tracker: tracker) }
        #expect(await tracker.report().succeeded)
        await producer.close(timeout: .seconds(5))
    }

    func writer(
        _ broker: BrokerProcess, _ emulator: BigtableEmulator, group: String = "bigtable-writer", extra: [String] = []
    ) throws -> Spawned {
        try Spawned(
            "bigtable-writer",
            ["--metrics-port", "0", "--create-tables", "--group", group, "--batch-rows", "500", "--outage-retry-interval", "200ms",
             "--bigtable-project", "p", "--bigtable-instance", "i"] + extra,
            environment: broker.environment.merging(["BIGTABLE_EMULATOR_HOST": emulator.hostPort]) { $1 })
    }

    /// Waits until `group` has committed everything on events.clean.
    func waitUntilCaughtUp(_ broker: BrokerProcess, group: String, within timeout: Duration = .seconds(90)) async throws -> Bool {
        let written = try await broker.written("events.clean")
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if try await broker.committed("events.clean", group: group) == written { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    func query(_ emulator: BigtableEmulator, _ arguments: [String]) async throws -> [[String: Any]] {
        let process = try Spawned(
            "tributary", ["query", "events", "--json", "--bigtable-project", "p", "--bigtable-instance", "i"] + arguments,
            environment: ["BIGTABLE_EMULATOR_HOST": emulator.hostPort])
        #expect(await process.exitCode(within: .seconds(30)) == 0, "\(process.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(process.stdout.utf8))
        return parsed as? [[String: Any]] ?? []
    }

    func rows(_ emulator: BigtableEmulator) async throws -> (keys: Set<String>, cells: Int) {
        try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            let rows = try await client.readRows(table: EventsFactTable.name)
            return (Set(rows.map { String(decoding: $0.key, as: UTF8.self) }), rows.reduce(0) { $0 + $1.cellCount })
        }
    }

    @Test func writesEveryEventOnceDeadLettersGarbageAndReplaysIdempotently() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let events = Self.events(3_000)
        // Garbage, and well-formed CleanEvents whose times no fact row can carry (one would overflow the cell
        // timestamp's microseconds and used to crash the writer).
        try await Self.produce(
            events,
            garbage: [[0xFF, 0x00, 0x13], Array("not protobuf at all".utf8)] + Self.outOfRangeTimes(events).map { $0.encode() },
            broker: broker)

        let first = try writer(broker, emulator)
        #expect(try await waitUntilCaughtUp(broker, group: "bigtable-writer"), "\(first.stderr)")
        let (keys, cells) = try await rows(emulator)
        let expected = Set(events.map { EventsFactTable.rowKey(userID: $0.userID, eventTimeMs: $0.eventTimeMs, eventID: $0.eventID) })
        #expect(keys == expected)
        #expect(try await broker.written("events.dlq") == 4)
        let reasons = try await broker.deadLetters().map(\.reason).sorted()
        #expect(reasons.filter { $0 == "out_of_range" }.count == 2, "\(reasons)")

        // The query command reads one user's events back, newest first, whole or by time range.
        let mine = events.filter { $0.userID == "user-7" }.sorted { $0.eventTimeMs > $1.eventTimeMs }
        let all = try await query(emulator, ["--user", "user-7", "--limit", "1000"])
        #expect(all.map { $0["event_id"] as? String } == mine.map(\.eventID))
        let from = mine[10].eventTimeMs
        let to = mine[3].eventTimeMs
        let ranged = try await query(emulator, ["--user", "user-7", "--from", "\(from)", "--to", "\(to)"])
        #expect(ranged.map { $0["event_id"] as? String } == mine[4...10].map(\.eventID))

        // Replaying the whole topic through a second group rewrites the same cells: nothing changes.
        let replay = try writer(broker, emulator, group: "replay")
        #expect(try await waitUntilCaughtUp(broker, group: "replay"), "\(replay.stderr)")
        let (keysAfter, cellsAfter) = try await rows(emulator)
        #expect(keysAfter == expected)
        #expect(cellsAfter == cells)
        for process in [first, replay] {
            process.signal(SIGTERM)
            await process.expectCleanExit(within: .seconds(30))
        }
    }

    @Test func aFrozenBigtableDelaysWritesButLosesNothing() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        // Short deadlines, so the 10 s freeze outlasts the retries and the writer must pause consumption.
        let writer = try writer(broker, emulator, extra: ["--bigtable-timeout", "1s", "--bigtable-retry-timeout", "3s"])
        #expect(await writer.waitForLog("bigtable table ready"))
        let events = Self.events(6_000)
        let producing = Task { try await Self.produce(events, broker: broker) }
        try await Task.sleep(for: .milliseconds(300))
        emulator.pause()
        try await Task.sleep(for: .seconds(10))
        #expect(await writer.waitForLog("bigtable unavailable: pausing consumption", within: .seconds(15)))
        emulator.resume()
        try await producing.value
        #expect(await writer.waitForLog("bigtable writes succeed again", within: .seconds(30)))
        #expect(try await waitUntilCaughtUp(broker, group: "bigtable-writer"), "\(writer.stderr)")
        #expect(try await rows(emulator).keys.count == events.count)
        #expect(try await broker.written("events.dlq") == 0)
        writer.signal(SIGTERM)
        #expect(await writer.exitCode(within: .seconds(30)) == 0, "\(writer.stderr.suffix(3000))")
    }

    /// A stalled sink must not make the writer buffer the backlog: it pauses consumption, so its memory stays within
    /// the prefetch and in-flight bounds however much piles up on the topic, and it catches up once Bigtable is back.
    @Test func aStalledBigtableKeepsTheWritersMemoryBounded() async throws {
        // 16 partitions: the local broker keeps only ~5 MiB of each, and the backlog must stay on the broker.
        let broker = try await BrokerProcess(partitions: 16)
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        // A small prefetch bound (the defaults allow 256 MB), so the backlog is many times what may be held.
        let writer = try writer(
            broker, emulator,
            extra: ["--bigtable-timeout", "1s", "--bigtable-retry-timeout", "3s",
                    "--kafka", "queued.max.messages.kbytes=2048", "--kafka", "fetch.max.bytes=1048576"])
        #expect(await writer.waitForLog("bigtable table ready"))
        let warmup = Self.events(2_000, bulky: true)
        try await Self.produce(warmup, broker: broker)
        #expect(try await waitUntilCaughtUp(broker, group: "bigtable-writer"), "\(writer.stderr.suffix(2000))")
        let before = try #require(ProcessMetrics.residentBytes(pid: writer.pid))

        emulator.pause()
        let backlog = (2_000..<50_000).map { Self.event($0, users: 50, bulky: true) }
        let volume = backlog.reduce(0) { $0 + $1.encode().count }
        let sampler = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, ProcessMetrics.residentBytes(pid: writer.pid) ?? 0)
                try? await Task.sleep(for: .milliseconds(100))
            }
            return peak
        }
        try await Self.produce(backlog, broker: broker)
        #expect(await writer.waitForLog("bigtable unavailable: pausing consumption", within: .seconds(30)))
        try await Task.sleep(for: .seconds(5))
        sampler.cancel()
        let growth = await sampler.value - before
        // Buffering the backlog would cost more than its encoded size; the bounds allow about 3 MB plus batches.
        #expect(volume > 45_000_000)
        #expect(growth < volume / 2, "resident memory grew \(growth) bytes for a \(volume)-byte backlog")

        emulator.resume()
        #expect(try await waitUntilCaughtUp(broker, group: "bigtable-writer", within: .seconds(120)), "\(writer.stderr.suffix(2000))")
        let stored = try await rows(emulator).keys.count
        #expect(stored == warmup.count + backlog.count)
        print("stalled sink: resident memory grew \(growth / 1_048_576) MB for a \(volume / 1_048_576) MB backlog")
        writer.signal(SIGTERM)
        #expect(await writer.exitCode(within: .seconds(30)) == 0, "\(writer.stderr.suffix(3000))")
    }

    @Test func aWriterKilledMidRunIsReplacedWithNothingLostOrDuplicated() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let events = Self.events(20_000, users: 400)
        let first = try writer(broker, emulator)
        #expect(await first.waitForLog("bigtable table ready"))
        let producing = Task { try await Self.produce(events, broker: broker) }
        #expect(await first.waitForLog("kafka partitions assigned"))
        try await Task.sleep(for: .seconds(1))
        first.signal(SIGKILL)
        try await producing.value
        let second = try writer(broker, emulator)
        #expect(try await waitUntilCaughtUp(broker, group: "bigtable-writer", within: .seconds(120)), "\(second.stderr)")
        let (keys, _) = try await rows(emulator)
        #expect(keys.count == events.count)
        second.signal(SIGTERM)
        await second.expectCleanExit(within: .seconds(30))
    }
}
