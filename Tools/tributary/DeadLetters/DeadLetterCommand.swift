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
            for reason in summaries.keys {
                let replayed = try await log.replayed(reason: reason)
                summaries[reason]?.replayed = entries.filter {
                    $0.letter.reason == reason && $0.offset < (replayed[$0.partition] ?? Int64.min)
                }.count
            }
            let sorted = summaries.values.sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
            print(configuration.json
                ? DeadLetterSummary.json(sorted, total: entries.count, undecodable: undecodable)
                : DeadLetterSummary.table(sorted, total: entries.count, undecodable: undecodable))
            return 0
        })

    struct ReplayConfiguration: Sendable {
        var reason: String
        var limit: Int?
        var dryRun: Bool
        var topic: String
        var kafka: KafkaOptions
    }

    static let replay = CommandMain(
        name: "tributary", command: "tributary dlq replay",
        summary: """
            Sends the dead letters of one reason back to the topic they came from: the original key and value byte \
            for byte, with headers tributary-replay-count (the letter's replay_count + 1) and tributary-dead-letter \
            (where the letter was). Progress is the consumer group tributary-dlq-replay.<reason> on the dead-letter \
            topic, committed only after the replayed records are acknowledged: a letter is never replayed twice, and \
            a failed or interrupted replay resumes where it stopped.
            """,
        configuration: { reader in
            let reason = reader.requiredString("reason", help: "The reason code to replay, as `dlq list` shows it.")
            let limit = reader.optionalInt("limit", help: "Replay at most this many letters.", range: 1...Int.max)
            let dryRun = reader.bool("dry-run", help: "Count what would be replayed; send nothing.")
            let topic = reader.string("topic", default: PipelineTopic.eventsDeadLetter.rawValue, help: "Dead-letter topic.")
            let kafka = KafkaOptions.read(from: reader, clientID: "tributary-dlq")
            return ReplayConfiguration(reason: reason, limit: limit, dryRun: dryRun, topic: topic, kafka: kafka)
        },
        body: { configuration, logger in
            let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
            let admin = try KafkaAdmin(client: client, logger: logger)
            let log = DeadLetterLog(topic: configuration.topic, admin: admin, client: client, logger: logger)
            let start = try await log.replayed(reason: configuration.reason)
            var undecodable = 0
            var selected = try await log.read(from: start, undecodable: &undecodable).filter {
                $0.letter.reason == configuration.reason && $0.letter.originalValue != nil
            }
            if let limit = configuration.limit { selected = Array(selected.prefix(limit)) }
            guard !configuration.dryRun else {
                print("{\"reason\":\(JSONText.quoted(configuration.reason)),\"would_replay\":\(selected.count)}")
                return 0
            }
            let replayed = try await DeadLetterReplayer(client: client, logger: logger).replay(selected, from: configuration.topic)
            // Progress: past the last replayed letter of each partition (or the end when everything was read).
            var progress: [TopicPartition: Int64] = [:]
            for entry in selected { progress[TopicPartition(topic: configuration.topic, partition: entry.partition)] = entry.offset + 1 }
            if configuration.limit == nil || selected.count < configuration.limit! {
                for offsets in try await admin.offsets(topic: configuration.topic) { progress[offsets.partition] = offsets.high }
            }
            try await admin.commitOffsets(group: DeadLetterLog.replayGroup(reason: configuration.reason), offsets: progress)
            print("{\"reason\":\(JSONText.quoted(configuration.reason)),\"replayed\":\(replayed)}")
            return 0
        })
}
