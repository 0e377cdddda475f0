import BigtableTestSupport
import ClickstreamModel
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables
import Testing

/// generator → transformer → aggregator with a real broker and emulator. Four aggregator groups run side by side,
/// each into its own table: undisturbed; SIGKILLed three times at random moments and restarted; two instances of
/// which one is killed; and afterwards a replay of events.clean from the beginning into the first table. Every table
/// must equal, cell by cell, what this test computes on its own from the clean events of the seeded run.
@Suite(.timeLimit(.minutes(8))) struct AggregatorEndToEndTests {
    static let seed = 33
    static let total = 40_000
    static let latenessMs: Int64 = 3_000

    @Test func aggregatesAreExactAfterACleanRunKillsAScaledGroupAndAReplay() async throws {
        let broker = try await BrokerProcess(partitions: 8)
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
        func aggregator(_ group: String, table: String) throws -> Spawned {
            try Spawned(
                "aggregator",
                ["--metrics-port", "0", "--create-tables", "--group", group, "--table", table,
                 "--allowed-lateness", "\(Self.latenessMs)ms", "--batch-size", "2000"],
                environment: environment)
        }
        let clean = try aggregator("agg-clean", table: "agg_clean")
        var killed = try aggregator("agg-kill", table: "agg_kill")
        let pair = [try aggregator("agg-pair", table: "agg_pair"), try aggregator("agg-pair", table: "agg_pair")]
        let transformer = try Spawned("transformer", ["--metrics-port", "0"], environment: environment)
        let generator = try Spawned(
            "generator",
            [
                "events", "--seed", "\(Self.seed)", "--total", "\(Self.total)", "--rate", "3000", "--json",
                "--metrics-port", "0", "--max-lag", "20000", "--lag-group", "transformer",
            ],
            environment: environment)
        let expected = ExpectedCounts(synthesizer: EventSynthesizer(seed: UInt64(Self.seed)), total: UInt64(Self.total))

        // Kill points: random shares of the clean stream committed by the group; one instance of the pair at 40%.
        var generatorRandom = SystemRandomNumberGenerator()
        let killPoints = (0..<3).map { _ in Double.random(in: 0.1...0.9, using: &generatorRandom) }.sorted()
        var pairKilled = false
        for point in killPoints {
            let target = Int64(point * Double(expected.good))
            if !pairKilled, point > 0.4 {
                _ = try await broker.waitUntilCommitted("events.clean", group: "agg-pair", atLeast: Int64(0.4 * Double(expected.good)), within: .seconds(120))
                pair[0].signal(SIGKILL)
                pairKilled = true
            }
            _ = try await broker.waitUntilCommitted("events.clean", group: "agg-kill", atLeast: target, within: .seconds(120))
            killed.signal(SIGKILL)
            #expect(await killed.exitCode(within: .seconds(10)) != 0)
            killed = try aggregator("agg-kill", table: "agg_kill")
        }
        if !pairKilled { pair[0].signal(SIGKILL) }
        #expect(await generator.exitCode(within: .seconds(180)) == 0, "\(generator.stderr)")
        #expect(try await broker.waitUntilConsumed("events.raw", group: "transformer", within: .seconds(180)))
        for (group, process) in [("agg-clean", clean), ("agg-kill", killed), ("agg-pair", pair[1])] {
            #expect(try await broker.waitUntilConsumed("events.clean", group: group, within: .seconds(180)), "\(process.stderr)")
        }

        // The expectation, from the clean events themselves, in each partition's order.
        let events = try await broker.cleanEvents(expected: Int(expected.good))
        #expect(events.count == Int(expected.good))
        #expect(Set(events.map(\.event.eventID)).count == events.count)
        let model = ExpectedAggregates(events: events, latenessMs: Self.latenessMs)
        #expect(model.late.count > 0, "the run should include late events")

        for table in ["agg_clean", "agg_kill", "agg_pair"] {
            let stored = try await Self.cells(emulator, table: table)
            Self.compare(stored, model.cells, table: table)
        }
        let letters = try await broker.deadLetters().filter { $0.stage == "aggregator" }
        #expect(Set(letters.map { "\($0.partition)/\($0.offset)" }) == model.late)
        #expect(letters.allSatisfy { $0.reason == "late_event" })

        // A replay from the beginning (a new group) into the undisturbed table changes nothing.
        let before = try await Self.allCells(emulator, table: "agg_clean")
        let replay = try aggregator("agg-replay", table: "agg_clean")
        #expect(try await broker.waitUntilConsumed("events.clean", group: "agg-replay", within: .seconds(180)), "\(replay.stderr)")
        #expect(try await Self.allCells(emulator, table: "agg_clean") == before)

        for process in [clean, killed, pair[1], replay, transformer] {
            process.signal(SIGTERM)
            await process.expectCleanExit(within: .seconds(30))
        }
    }

    static func compare(_ stored: [String: AggregateCell], _ expected: [String: ExpectedAggregates.Cell], table: String) {
        #expect(stored.count == expected.count, "\(table): \(stored.count) cells, expected \(expected.count)")
        let mismatches = mismatches(stored, expected)
        #expect(mismatches.isEmpty, "\(table): \(mismatches.count) cells differ, e.g. \(mismatches.prefix(5))")
    }

    /// The expected cells that are missing or differ from the stored ones (extra stored cells show in the counts).
    static func mismatches(_ stored: [String: AggregateCell], _ expected: [String: ExpectedAggregates.Cell]) -> [String] {
        var mismatches: [String] = []
        for (key, want) in expected {
            guard let got = stored[key] else {
                mismatches.append("missing \(key)")
                continue
            }
            if got.count != want.count || got.users != want.users || got.playMsSum != want.playMsSum
                || got.playMsMax != want.playMsMax || got.priceMicrosSum != want.priceMicrosSum
                || got.priceMicrosMax != want.priceMicrosMax || got.countByType != want.countByType
                || got.lastOffset != want.lastOffset
            {
                mismatches.append("\(key): stored count \(got.count) offset \(got.lastOffset), expected \(want.count) offset \(want.lastOffset)")
            }
        }
        return mismatches
    }

    /// Every stats cell of a table: "row family:qualifier" → decoded cell.
    static func cells(_ emulator: BigtableEmulator, table: String) async throws -> [String: AggregateCell] {
        var decoded: [String: AggregateCell] = [:]
        for (key, value) in try await allCells(emulator, table: table) where !key.hasPrefix("~") && !key.contains(" metadata:") {
            decoded[key] = AggregateCell(encoded: value)
        }
        return decoded
    }

    static func allCells(_ emulator: BigtableEmulator, table: String) async throws -> [String: Data] {
        try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            try await client.readRows(table: table) { rows in
                var cells: [String: Data] = [:]
                for try await row in rows {
                    let key = String(decoding: row.key, as: UTF8.self)
                    for (family, columns) in row.families {
                        for (qualifier, versions) in columns {
                            cells["\(key) \(family):\(String(decoding: qualifier, as: UTF8.self))"] = versions.first?.value
                        }
                    }
                }
                return cells
            }
        }
    }
}

/// What the aggregates must be, computed here from the clean events with plain dictionaries.
struct ExpectedAggregates {
    struct Cell {
        var count: UInt64 = 0
        var users: Set<String> = []
        var playMsSum: Int64 = 0
        var playMsMax: Int64 = 0
        var priceMicrosSum: Int64 = 0
        var priceMicrosMax: Int64 = 0
        var countByType: [String: UInt64] = [:]
        var lastOffset: Int64 = -1
    }

    /// "row family:qualifier" → cell.
    var cells: [String: Cell] = [:]
    /// "partition/offset" of the events later than the allowed lateness.
    var late: Set<String> = []

    /// - Parameter duplicateWindow: as the aggregator's `--duplicate-window`: an event whose id appeared in the
    ///   `duplicateWindow` offsets before it on its partition is a copy and is not counted; `nil` counts every record.
    init(events: [(partition: Int32, offset: Int64, event: CleanEvent)], latenessMs: Int64, duplicateWindow: Int64? = nil) {
        var newest: [Int32: Int64] = [:]
        var lastSeen: [Int32: [String: Int64]] = [:]
        for (partition, offset, event) in events.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            if let window = duplicateWindow {
                let previous = lastSeen[partition]?[event.eventID]
                lastSeen[partition, default: [:]][event.eventID] = offset
                if let previous, previous >= offset - window { continue }
            }
            let time = event.eventTimeMs
            if let max = newest[partition], time < max - latenessMs {
                late.insert("\(partition)/\(offset)")
                continue
            }
            // An event moves the watermark at most to its receive time (the aggregator's default max event lead 0).
            let contribution = event.ingestTimeMs > 0 ? min(time, event.ingestTimeMs) : time
            newest[partition] = max(newest[partition] ?? contribution, contribution)
            var values = [("all", "all"), ("user", event.userID)]
            if !event.eventType.isEmpty { values.append(("event_type", event.eventType)) }
            if !event.page.isEmpty { values.append(("page", event.page)) }
            if let song = event.song, !song.songID.isEmpty { values.append(("song", song.songID)) }
            if !event.itemID.isEmpty { values.append(("item", event.itemID)) }
            let hourMs: Int64 = 3_600_000
            let dayMs: Int64 = 86_400_000
            let dayStart = time / dayMs * dayMs
            let hour = (time - dayStart) / hourMs
            let weekday = (dayStart / dayMs + 3) % 7  // 1970-01-01 was a Thursday
            let weekStart = dayStart - weekday * dayMs
            let day = AggregateWindow.dateText(dayStart)
            let week = AggregateWindow(granularity: .week, startMs: weekStart).rowDate
            let tag = "p" + String(format: "%03d", partition)
            for (dimension, value) in values {
                let prefix = "\(dimension)#\(value)#"
                for column in [
                    "\(prefix)\(day) hourly_stats:\(String(format: "%02d", Int32(hour)))#\(tag)",
                    "\(prefix)\(day) daily_stats:\(tag)", "\(prefix)\(week) weekly_stats:\(tag)",
                ] {
                    var cell = cells[column] ?? Cell()
                    cell.count += 1
                    cell.users.insert(event.userID)
                    cell.countByType[event.eventType, default: 0] += 1
                    cell.lastOffset = offset
                    if let song = event.song, !song.songID.isEmpty {
                        cell.playMsSum += song.lengthMs
                        cell.playMsMax = max(cell.playMsMax, song.lengthMs)
                    }
                    if !event.itemID.isEmpty {
                        cell.priceMicrosSum += event.priceMicros
                        cell.priceMicrosMax = max(cell.priceMicrosMax, event.priceMicros)
                    }
                    cells[column] = cell
                }
            }
        }
    }
}

extension BrokerProcess {
    /// Every record of events.clean with its position.
    func cleanEvents(expected: Int, within timeout: Duration = .seconds(60)) async throws -> [(partition: Int32, offset: Int64, event: CleanEvent)] {
        let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: "clean-\(UUID().uuidString)"), logger: logger)
        try consumer.subscribe(["events.clean"])
        var events: [(partition: Int32, offset: Int64, event: CleanEvent)] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while events.count < expected, ContinuousClock.now < deadline {
            for message in try await consumer.nextBatch(timeout: .milliseconds(200)) {
                events.append((message.partition, message.offset, try message.withValue { try CleanEvent(decoding: $0) }))
            }
        }
        await consumer.close()
        return events
    }
}
