import BigtableTestSupport
import Foundation
import PipelineKafka
import PipelineMessages
import Testing

/// The operator's dead-letter workflow after a rule change, through real processes: events rejected under rules A,
/// the transformer restarted with rules B that allow them, `tributary dlq replay`, and every replayed event a clean
/// row exactly once, counted once by the aggregator; a record that still fails comes back with `replay_count` 1,
/// and a second replay sends nothing. Once more with the transformer SIGKILLed while it processes the replay.
@Suite(.timeLimit(.minutes(5))) struct DeadLetterReplayTests {
    static let good = 200
    /// Rejected under rules A (`podcast_play` is not an allowed event type), accepted under rules B.
    static let fixable = 99
    /// `bogus_type` is allowed by neither.
    static let hopeless = 1

    /// With `widerClean`, events.clean has twice events.raw's partitions (as production sizes it): each raw
    /// partition's events spread over two clean partitions by key, and the window is rebuilt from both.
    @Test(arguments: [(false, false), (true, false), (false, true)])
    func aReplayAfterARuleChangeMakesEveryFixedRecordACleanRowOnce(killDuringReplay: Bool, widerClean: Bool) async throws {
        // The broker makes every standard topic with its partition count; the wider case reads a 2-partition input
        // topic of its own beside a 4-partition events.clean.
        let broker = try await BrokerProcess(partitions: widerClean ? 4 : 2)
        let input = widerClean ? "events.raw.narrow" : "events.raw"
        if widerClean { try await broker.createTopic(input, partitions: 2) }
        let inputFlags = ["--input-topic", input]
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
        ]) { $1 }
        let rulesB = try Self.rulesAllowing("podcast_play")
        defer { try? FileManager.default.removeItem(atPath: rulesB) }
        try await Self.produce(broker: broker, topic: input)
        let total = Int64(Self.good + Self.fixable + Self.hopeless)

        let writer = try Spawned("bigtable-writer", ["--metrics-port", "0", "--create-tables"], environment: environment)
        let aggregator = try Spawned(
            "aggregator", ["--metrics-port", "0", "--create-tables", "--allowed-lateness", "1h"], environment: environment)
        var transformer = try Spawned("transformer", ["--metrics-port", "0"] + inputFlags, environment: environment)
        #expect(
            try await broker.waitUntilCommitted(input, group: "transformer", atLeast: total, within: .seconds(90)),
            "\(transformer.stderr.suffix(3000))")
        let rejectedUnderA = try await broker.deadLetters().filter { $0.stage == "transformer" }
        #expect(rejectedUnderA.count == Self.fixable + Self.hopeless)
        #expect(rejectedUnderA.allSatisfy { $0.reason == "out_of_range" && $0.replayCount == 0 })

        // The operator fixes the rule and restarts the transformer with it.
        transformer.signal(SIGTERM)
        await transformer.expectCleanExit(within: .seconds(30))
        let batchSize = killDuringReplay ? ["--batch-size", "5"] : []
        transformer = try Spawned(
            "transformer", ["--metrics-port", "0", "--rules", rulesB] + inputFlags + batchSize, environment: environment)

        let replay = try await Spawned.run("tributary", ["dlq", "replay", "--reason", "out_of_range"], environment: broker.environment)
        #expect(replay.code == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("\"replayed\":\(Self.fixable + Self.hopeless)"), "\(replay.stdout)")
        if killDuringReplay {
            _ = try await broker.waitUntilCommitted(input, group: "transformer", atLeast: total + 20, within: .seconds(60))
            transformer.signal(SIGKILL)
            _ = await transformer.exitCode(within: .seconds(10))
            transformer = try Spawned("transformer", ["--metrics-port", "0", "--rules", rulesB] + inputFlags, environment: environment)
        }
        #expect(
            try await broker.waitUntilCommitted(
                input, group: "transformer", atLeast: total + Int64(Self.fixable + Self.hopeless), within: .seconds(90)),
            "\(transformer.stderr.suffix(3000))")

        // Every fixed event is a clean event now, none judged a duplicate of its own rejected original.
        let letters = try await broker.deadLetters().filter { $0.stage == "transformer" }
        #expect(letters.filter { $0.reason == "duplicate_event_id" }.isEmpty, "\(letters.map(\.detail).prefix(3))")
        // One record still failing (dead-lettered once more if the kill came between its letter and its commit).
        let again = letters.filter { $0.replayCount > 0 }
        #expect(Set(again.map { "\($0.partition)/\($0.offset)" }).count == Self.hopeless)
        #expect(!again.isEmpty && again.allSatisfy { $0.reason == "out_of_range" && $0.replayCount == 1 })
        let clean = try await broker.cleanEvents(expected: Self.good + Self.fixable, within: .seconds(60))
        #expect(Set(clean.map(\.event.eventID)).count == Self.good + Self.fixable)
        #expect(Set(clean.map(\.event.eventID).filter { $0.hasPrefix("fix-") }).count == Self.fixable)
        // Each clean partition holds one raw partition's events (the lineage the window is rebuilt from).
        #expect(clean.allSatisfy { $0.partition % 2 == $0.event.rawPartition })
        if widerClean { #expect(Set(clean.map(\.partition)) == [0, 1, 2, 3]) }

        // Each a row once, and counted once.
        #expect(try await broker.waitUntilConsumed("events.clean", group: "bigtable-writer", within: .seconds(90)))
        #expect(try await broker.waitUntilConsumed("events.clean", group: "aggregator", within: .seconds(90)))
        let rows = try await PipelineEndToEndTests.factRows(emulator, keysOnly: true)
        #expect(rows.distinctKeys == Self.good + Self.fixable)
        #expect(
            try await Self.eventsCounted(environment: environment, atLeast: Self.good + Self.fixable, within: .seconds(30))
                == Self.good + Self.fixable)

        // What a further replay would do, then one held to a single replay per letter: nothing goes out again.
        let dryRun = try await Spawned.run("tributary", ["dlq", "replay", "--dry-run"], environment: broker.environment)
        #expect(dryRun.stdout.contains(#""reason":"out_of_range","would_replay":1"#), "\(dryRun.stdout) \(dryRun.stderr)")
        let second = try await Spawned.run(
            "tributary", ["dlq", "replay", "--reason", "out_of_range", "--max-replays", "1"], environment: broker.environment)
        // Every letter of the still-failing record is held back (two when the kill made the transformer write it twice).
        #expect(
            second.stdout.contains(#""replayed":0,"#) && second.stdout.contains("\"at_max_replays\":\(again.count)"),
            "\(second.stdout) \(second.stderr)")
        #expect(try await broker.written(input) == total + Int64(Self.fixable + Self.hopeless))

        for process in [transformer, writer, aggregator] {
            process.signal(SIGTERM)
            await process.expectCleanExit(within: .seconds(30))
        }
    }

    /// Kafka tells a null key or value from an empty one: a tombstone or a keyless record is dead-lettered with its
    /// nulls kept, and a replay sends the nulls back, not empty bytes.
    @Test func nullKeysAndTombstonesKeepTheirNullsThroughTheDeadLetterTopic() async throws {
        let broker = try await BrokerProcess(partitions: 1)
        let records: [(key: [UInt8]?, value: [UInt8]?)] = [(nil, nil), (Array("k".utf8), nil), (nil, Array("{".utf8))]
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let raw = try producer.topic("events.raw")
        for record in records { try await producer.sendAndWait(to: raw, key: record.key, value: record.value) }
        await producer.close(timeout: .seconds(5))
        let transformer = try Spawned("transformer", ["--metrics-port", "0"], environment: broker.environment)
        #expect(try await broker.waitUntilCommitted("events.raw", group: "transformer", atLeast: 3, within: .seconds(60)))
        transformer.signal(SIGTERM)
        await transformer.expectCleanExit(within: .seconds(30))
        let letters = try await broker.deadLetters().sorted { $0.offset < $1.offset }
        #expect(letters.map(\.originalKey) == records.map(\.key))
        #expect(letters.map(\.originalValue) == records.map(\.value))

        for reason in Set(letters.map(\.reason)) {
            let replay = try await Spawned.run("tributary", ["dlq", "replay", "--reason", reason], environment: broker.environment)
            #expect(replay.code == 0, "\(replay.stderr)")
        }
        let consumer = try KafkaConsumer(configuration: .init(client: broker.client, groupID: "check"), logger: broker.logger)
        try consumer.subscribe(["events.raw"])
        var replayed: [(key: [UInt8]?, value: [UInt8]?)] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while replayed.count < 3, ContinuousClock.now < deadline {
            for message in try await consumer.nextBatch(timeout: .milliseconds(200)) where message.offset >= 3 {
                replayed.append((message.key, message.valueOrNull))
            }
        }
        await consumer.close()
        // One replay per reason, so in any order: compared as sets of (key, value), nulls written as "null".
        func described(_ pairs: [(key: [UInt8]?, value: [UInt8]?)]) -> [String] {
            pairs.map { "\($0.key.map { String(decoding: $0, as: UTF8.self) } ?? "null")=\($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "null")" }.sorted()
        }
        #expect(described(replayed) == described(records))
    }

    /// The repository's rules with one more allowed event type, written to a temporary file.
    static func rulesAllowing(_ eventType: String) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/quality-rules.json")
        let text = try String(contentsOf: source, encoding: .utf8)
        let changed = text.replacingOccurrences(of: #""login", "logout"]"#, with: #""login", "logout", "\#(eventType)"]"#)
        #expect(changed != text, "the rules' event-type list moved: update this test")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json").path
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Good events, then the fixable and the hopeless ones, interleaved over ten users.
    static func produce(broker: BrokerProcess, topic name: String) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var events: [(user: String, payload: String)] = []
        for index in 0..<(good + fixable + hopeless) {
            let user = String(format: "u-%016x", index % 10)
            let (id, type): (String, String) =
                switch index % 3 {
                case 0 where index / 3 < fixable: ("fix-\(index)", "podcast_play")
                case 1 where index / 3 < hopeless: ("bad-\(index)", "bogus_type")
                default: ("ok-\(index)", "page_view")
                }
            let payload = """
                {"eventId":"\(id)","userId":"\(user)","sessionId":"s-\(index % 10)","eventType":"\(type)",\
                "timestamp":\(now - 600_000 + Int64(index)),"page":"/p","level":"free","userAgent":"test",\
                "device":{"type":"mobile","os":"iOS","browser":"Safari"},\
                "location":{"city":"Oslo","country":"NO","lat":59.9,"lon":10.7},"sequence":\(index)}
                """
            events.append((user, payload))
        }
        let counts = Dictionary(grouping: events) { $0.payload.contains("podcast_play") ? "fix" : $0.payload.contains("bogus") ? "bad" : "ok" }
        #expect(counts["fix"]?.count == fixable && counts["bad"]?.count == hopeless && counts["ok"]?.count == good)
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let topic = try producer.topic(name)
        let tracker = DeliveryTracker()
        for (user, payload) in events {
            let raw = RawEvent(source: "test", receivedTimeMs: now, payload: Array(payload.utf8))
            try await producer.send(to: topic, key: Array(user.utf8), value: raw.encode(), tracker: tracker)
        }
        let report = await tracker.report()
        await producer.close(timeout: .seconds(5))
        guard report.succeeded else { throw TestFailure("events not delivered: \(String(describing: report.firstError))") }
    }

    /// Events counted in the whole stream's daily aggregates, partitions summed (as `tributary query` prints them),
    /// once at least `expected` are (the aggregator flushes every few seconds), or at the deadline.
    static func eventsCounted(environment: [String: String], atLeast expected: Int, within timeout: Duration) async throws -> Int {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var counted = 0
        repeat {
            let query = try await Spawned.run(
                "tributary", ["query", "aggregates", "--dimension", "all", "--granularity", "day", "--json"],
                environment: environment)
            let windows = (try? JSONSerialization.jsonObject(with: Data(query.stdout.utf8)) as? [[String: Any]]) ?? []
            counted = windows.reduce(0) { $0 + (($1["events"] as? NSNumber)?.intValue ?? 0) }
            if counted >= expected { return counted }
            try await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline
        return counted
    }
}
