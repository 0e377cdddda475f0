import Glibc
import Logging
import PipelineKafka
import PipelineMessages
import PipelineRuntime

/// `tributary dlq list|replay`: what was dead-lettered, by reason, and sending selected letters back to their
/// source topic once the cause is fixed.
enum DeadLetterCommand {
    static let table = SubcommandTable(
        program: "tributary dlq",
        summary: "Inspect and replay dead letters.",
        subcommands: [
            Subcommand("list", summary: "Count dead letters by reason (stage, source topic, replayed)."),
            Subcommand("replay", summary: "Send one reason's dead letters back to their source topic."),
        ])

    static func run(arguments: [String]) async -> Never {
        await table.dispatch(arguments) { name, arguments in
            switch name {
            case "list": await list.run(arguments: arguments)
            case "replay": await replay.run(arguments: arguments)
            default: exit(2)
            }
        }
    }

    struct ListConfiguration: Sendable {
        var json: Bool
        var topic: String
        var kafka: KafkaOptions
    }

    static let list = CommandMain(
        name: "tributary", command: "tributary dlq list",
        summary: "Reads the whole dead-letter topic and counts its letters by reason, with their stages and source topics, and how many of each reason were replayed.",
        configuration: { reader in
            let json = reader.bool("json", help: "Print JSON.")
            let topic = reader.string("topic", default: PipelineTopic.eventsDeadLetter.rawValue, help: "Dead-letter topic.")
            let kafka = KafkaOptions.read(from: reader, clientID: "tributary-dlq")
            return ListConfiguration(json: json, topic: topic, kafka: kafka)
        },
        body: { configuration, logger in
            let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
            let log = DeadLetterLog(
                topic: configuration.topic, admin: try KafkaAdmin(client: client, logger: logger), client: client,
                logger: logger)
            var undecodable = 0
            let entries = try await log.read(undecodable: &undecodable)
            var summaries: [String: DeadLetterSummary] = [:]
            for entry in entries { summaries[entry.letter.reason, default: DeadLetterSummary(reason: entry.letter.reason)].add(entry) }
            var progress: [String: [Int32: Int64]] = [:]
            for entry in entries {
                if try await log.wasReplayed(entry, progress: &progress) { summaries[entry.letter.reason]?.replayed += 1 }
            }
            let sorted = summaries.values.sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
            print(configuration.json
                ? DeadLetterSummary.json(sorted, total: entries.count, undecodable: undecodable)
                : DeadLetterSummary.table(sorted, total: entries.count, undecodable: undecodable))
            return 0
        })

    struct ReplayConfiguration: Sendable {
        var filter: DeadLetterSelection.Filter
        var dryRun: Bool
        var topic: String
        var kafka: KafkaOptions
    }

    static let replay = CommandMain(
        name: "tributary", command: "tributary dlq replay",
        summary: """
            Sends dead letters back to the topic they came from: the original key and value byte for byte, with \
            headers tributary-replay-count (the letter's replay_count + 1: a record that fails again is dead-lettered \
            with it), tributary-replay-stage (the stage that dead-lettered it: the only stage that processes the \
            replay, so a record the bigtable-writer rejected is not counted again by the aggregator) and \
            tributary-dead-letter (where the letter was). Select by --reason, and narrow with --stage, --since, \
            --until and --limit; letters replayed --max-replays times already are passed over. Progress is the \
            consumer group tributary-dlq-replay.<reason>.<stage> on the dead-letter topic, committed only after the \
            replayed records are acknowledged: a letter is never replayed twice, and a failed or interrupted replay \
            resumes where it stopped. Letters before --since are passed over for good; letters from --until on, or \
            past --limit, wait for a later run. --dry-run prints what would happen per reason and stage (every \
            reason when --reason is not given) and sends nothing.
            """,
        configuration: { reader in
            let reason = reader.optionalString("reason", help: "The reason code to replay, as `dlq list` shows it.")
            let stage = reader.optionalString("stage", help: "Only letters of this stage (transformer, cdc-router, bigtable-writer, aggregator, extractor).")
            let since = reader.optionalString("since", help: "Pass over letters dead-lettered before this time (epoch ms, ISO-8601 or a date).")
            let until = reader.optionalString("until", help: "Leave letters dead-lettered at or after this time for a later run.")
            let maxReplays = reader.int(
                "max-replays", default: 3, help: "Pass over letters already replayed this many times.", range: 1...1_000)
            let limit = reader.optionalInt("limit", help: "Replay at most this many letters.", range: 1...Int.max)
            let dryRun = reader.bool("dry-run", help: "Count what would be replayed, per reason and stage; send nothing.")
            let topic = reader.string("topic", default: PipelineTopic.eventsDeadLetter.rawValue, help: "Dead-letter topic.")
            let kafka = KafkaOptions.read(from: reader, clientID: "tributary-dlq")
            let sinceMs = since.flatMap(TimeText.parse)
            let untilMs = until.flatMap(TimeText.parse)
            reader.require(reason != nil || dryRun, "--reason is required (without it only --dry-run, which shows every reason)")
            reader.require(since == nil || sinceMs != nil, "--since: \"\(since ?? "")\" is not a time (epoch ms, ISO-8601 or a date)")
            reader.require(until == nil || untilMs != nil, "--until: \"\(until ?? "")\" is not a time (epoch ms, ISO-8601 or a date)")
            let filter = DeadLetterSelection.Filter(
                reason: reason, stage: stage, sinceMs: sinceMs, untilMs: untilMs, maxReplays: UInt32(maxReplays),
                limit: limit)
            return ReplayConfiguration(filter: filter, dryRun: dryRun, topic: topic, kafka: kafka)
        },
        body: { configuration, logger in
            let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
            let admin = try KafkaAdmin(client: client, logger: logger)
            let log = DeadLetterLog(topic: configuration.topic, admin: admin, client: client, logger: logger)
            var selection = DeadLetterSelection(filter: configuration.filter)
            var undecodable = 0
            var progress: [String: [Int32: Int64]] = [:]
            // Where the read ends, taken before it: progress never moves past a letter that was not read (a replayed
            // record failing again while this runs is dead-lettered after it).
            var end: [Int32: Int64] = [:]
            for offsets in try await admin.offsets(topic: configuration.topic) { end[offsets.partition.partition] = offsets.high }
            // The whole topic, as `dlq list` reads it: each reason and stage has its own progress.
            for entry in try await log.read(until: end, undecodable: &undecodable) where selection.selects(entry.letter) {
                if try await !log.wasReplayed(entry, progress: &progress) { selection.add(entry) }
            }
            guard !configuration.dryRun else {
                print(DeadLetterReplayReport.json(selection.tallies, dryRun: true))
                return 0
            }
            _ = try await DeadLetterReplayer(client: client, logger: logger).replay(selection.toReplay, from: configuration.topic)
            var byGroup: [String: [TopicPartition: Int64]] = [:]
            for (group, offset) in selection.progress(end: end) {
                byGroup[DeadLetterLog.replayGroup(reason: group.reason, stage: group.stage), default: [:]][
                    TopicPartition(topic: configuration.topic, partition: group.partition)] = offset
            }
            for (group, offsets) in byGroup.sorted(by: { $0.key < $1.key }) {
                try await admin.commitOffsets(group: group, offsets: offsets)
            }
            print(DeadLetterReplayReport.json(selection.tallies, dryRun: false))
            return 0
        })
}
