import BigtableTestSupport
import ClickstreamModel
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables
import Testing

/// Issue 22 through the real processes: transformer → bigtable-writer and aggregator, real broker and emulator.
@Suite(.timeLimit(.minutes(6))) struct ClockSkewEndToEndTests {
    static let normalUser = "u-00000000000000c1"
    static let skewedUser = "u-00000000000000c2"
    static let year: Int64 = 31_556_952_000

    /// A complete page view as a device sends it.
    static func payload(id: String, user: String, timestamp: Int64, sentAt: Int64? = nil) -> [UInt8] {
        var json = #"{"eventId":"\#(id)","userId":"\#(user)","sessionId":"s-1","eventType":"page_view","timestamp":\#(timestamp),"#
        json += #""page":"/home","device":{"type":"mobile","os":"iOS","browser":"Safari"},"#
        json += #""location":{"city":"Lima","country":"PE","lat":-12.0464,"lon":-77.0428},"level":"free","#
        json += #""userAgent":"Mozilla/5.0","sequence":1"#
        if let sentAt { json += ",\"sentAt\":\(sentAt)" }
        return Array((json + "}").utf8)
    }

    static func produce(_ records: [(key: String, event: RawEvent)], broker: BrokerProcess) async throws {
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let topic = try producer.topic("events.raw")
        let tracker = DeliveryTracker()
        for (key, event) in records {
            try await producer.send(to: topic, key: Array(key.utf8), value: event.encode(), tracker: tracker)
        }
        #expect(await tracker.report().succeeded)
        await producer.close(timeout: .seconds(5))
    }

    static func environment(_ broker: BrokerProcess, _ emulator: BigtableEmulator) -> [String: String] {
        broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
    }

    /// Every row key of events_fact.
    static func factKeys(_ emulator: BigtableEmulator) async throws -> Set<String> {
        try await withBigtableClient(configuration: emulator.configuration(), logger: Logger(label: "check")) { client in
            try await client.readRows(table: EventsFactTable.name, filter: .chain([.cellsPerRowLimit(1), .stripValue])) {
                rows in
                var keys = Set<String>()
                for try await row in rows { keys.insert(String(decoding: row.key, as: UTF8.self)) }
                return keys
            }
        }
    }

    @Test func oneBrokenClockIsDeadLetteredAndSkewedDevicesLandAtTheirCorrectedTimes() async throws {
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let environment = Self.environment(broker, emulator)
        let writer = try Spawned("bigtable-writer", ["--metrics-port", "0", "--create-tables"], environment: environment)
        let aggregator = try Spawned(
            "aggregator", ["--metrics-port", "0", "--create-tables", "--allowed-lateness", "1h"], environment: environment)
        let transformer = try Spawned("transformer", ["--metrics-port", "0"], environment: environment)

        // The issue's scenario on one partition (one key): 100 events from a few minutes ago, one dated 2099 by a
        // broken clock, 100 more.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var records: [(key: String, event: RawEvent)] = []
        for i in 0..<201 {
            let id = i == 100 ? "e-broken" : "e-normal-\(i)"
            let time = i == 100 ? 4_070_908_800_000 : now - 180_000 + Int64(i)
            let payload = Self.payload(id: id, user: Self.normalUser, timestamp: time)
            records.append((Self.normalUser, RawEvent(source: "test", receivedTimeMs: now, payload: payload)))
        }
        // Devices minutes, days and decades off, each sending its send time: held 10 minutes and then some.
        let skews: [Int64] = [7 * 60_000, -7 * 60_000, 3 * 86_400_000, -3 * 86_400_000, 20 * Self.year, -20 * Self.year]
        var corrected: [(id: String, timeMs: Int64)] = []
        for (k, skew) in skews.enumerated() {
            let trueTime = now - 600_000 - Int64(k) * 1_000
            let id = "e-skewed-\(k)"
            let payload = Self.payload(id: id, user: Self.skewedUser, timestamp: trueTime + skew, sentAt: now + skew)
            records.append((Self.skewedUser, RawEvent(source: "test", receivedTimeMs: now, payload: payload)))
            corrected.append((id, trueTime))
        }
        try await Self.produce(records, broker: broker)

        #expect(try await broker.waitUntilConsumed("events.raw", group: "transformer", within: .seconds(90)), "\(transformer.stderr)")
        #expect(try await broker.waitUntilConsumed("events.clean", group: "bigtable-writer", within: .seconds(90)), "\(writer.stderr)")
        #expect(try await broker.waitUntilConsumed("events.clean", group: "aggregator", within: .seconds(90)), "\(aggregator.stderr)")

        // The 2099 event is the only dead letter: future_timestamp, at the transformer; nothing is late.
        let letters = try await broker.deadLetters()
        #expect(letters.count == 1, "\(letters.map { "\($0.stage) \($0.reason) \($0.detail)" })")
        #expect(letters.first?.stage == "transformer" && letters.first?.reason == "future_timestamp")
        #expect(letters.first?.detail.contains("max_future 600000 ms") == true)

        // events_fact: all 200 normal events, and each skewed one under its corrected time.
        let keys = try await Self.factKeys(emulator)
        #expect(keys.filter { $0.hasPrefix(Self.normalUser + "#") }.count == 200)
        for (id, time) in corrected {
            let key = EventsFactTable.rowKey(userID: Self.skewedUser, eventTimeMs: time, eventID: id)
            #expect(keys.contains(key), "\(id) not at its corrected time \(time)")
        }

        // events_aggregate: the day counts all 200; the skewed user's hours hold its events at corrected times.
        let cells = try await AggregatorEndToEndTests.cells(emulator, table: EventsAggregateTable.name)
        let daily = cells.filter { $0.key.hasPrefix("user#\(Self.normalUser)#") && $0.key.contains(" daily_stats:") }
        #expect(daily.values.reduce(0) { $0 + $1.count } == 200)
        var expectedHours: [String: UInt64] = [:]
        for (_, time) in corrected {
            let dayStart = time / 86_400_000 * 86_400_000
            let hour = String(format: "%02d", Int32((time - dayStart) / 3_600_000))
            expectedHours["user#\(Self.skewedUser)#\(AggregateWindow.dateText(dayStart)) hourly_stats:\(hour)", default: 0] += 1
        }
        var storedHours: [String: UInt64] = [:]
        for (key, cell) in cells where key.hasPrefix("user#\(Self.skewedUser)#") && key.contains(" hourly_stats:") {
            // "row hourly_stats:HH#pNNN": partitions summed.
            storedHours[String(key.split(separator: "#p").dropLast().joined(separator: "#p")), default: 0] += cell.count
        }
        #expect(storedHours == expectedHours)

        for process in [transformer, writer, aggregator] {
            process.signal(SIGTERM)
            await process.expectCleanExit(within: .seconds(30))
        }
    }

    @Test func aSeededRunWithClockSkewEndsExactlyAtExpect() async throws {
        let (seed, total, badFraction) = (UInt64(5), 20_000, "0.3")
        let expectation = try Spawned(
            "generator", ["events", "--expect", "--seed", "\(seed)", "--total", "\(total)", "--bad-fraction", badFraction])
        #expect(await expectation.exitCode(within: .seconds(30)) == 0, "\(expectation.stderr)")
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(expectation.stdout.utf8)) as? [String: Any])
        let expectedLetters = try #require(expected["dead_letters"] as? [String: Int])
        #expect(expectedLetters["future_timestamp", default: 0] > 300)  // 0.3 / 7 kinds / 2 of 20,000 ≈ 430

        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let environment = Self.environment(broker, emulator)
        let writer = try Spawned("bigtable-writer", ["--metrics-port", "0", "--create-tables"], environment: environment)
        let transformer = try Spawned("transformer", ["--metrics-port", "0"], environment: environment)
        let generator = try Spawned(
            "generator",
            ["events", "--seed", "\(seed)", "--total", "\(total)", "--bad-fraction", badFraction, "--rate", "0",
             "--json", "--metrics-port", "0"],
            environment: environment)
        #expect(await generator.exitCode(within: .seconds(120)) == 0, "\(generator.stderr)")
        #expect(try await broker.waitUntilConsumed("events.raw", group: "transformer", within: .seconds(120)), "\(transformer.stderr)")
        #expect(try await broker.waitUntilConsumed("events.clean", group: "bigtable-writer", within: .seconds(120)), "\(writer.stderr)")

        var byReason: [String: Int] = [:]
        for letter in try await broker.deadLetters() where letter.stage == "transformer" { byReason[letter.reason, default: 0] += 1 }
        #expect(byReason == expectedLetters.filter { $0.value > 0 })
        let keys = try await Self.factKeys(emulator)
        #expect(keys.count == expected["good"] as? Int)

        // The skewed devices the transformer corrected are stored at their true times, whatever the wall clock
        // the generator stamped as their receive time.
        let synthesizer = EventSynthesizer(configuration: .init(seed: seed, badFraction: 0.3))
        var corrected = 0
        for index in UInt64(0)..<UInt64(total) where synthesizer.kind(at: index) == .good {
            let record = synthesizer.record(at: index)
            guard record.note.hasPrefix("skew:"), let id = record.eventId else { continue }
            let user = String(decoding: record.key, as: UTF8.self)
            #expect(keys.contains(EventsFactTable.rowKey(userID: user, eventTimeMs: record.eventTimeMs, eventID: id)), "\(index)")
            corrected += 1
        }
        #expect(corrected > 300)

        for process in [transformer, writer] {
            process.signal(SIGTERM)
            await process.expectCleanExit(within: .seconds(30))
        }
    }
}
