import Glibc
import Logging
import PipelineKafka
import PipelineRuntime

/// `tributary topics create [--partitions N] [--replication R]`: the SPEC's topics on a real cluster.
enum TopicsCommand {
    static let table = SubcommandTable(
        program: "tributary topics",
        summary: "Manage the pipeline's topics on a Kafka cluster.",
        subcommands: [Subcommand("create", summary: "Create every SPEC topic that does not exist yet.")])

    static func run(arguments: [String]) async -> Never {
        await table.dispatch(arguments) { name, arguments in
            switch name {
            case "create": await create.run(arguments: arguments)
            default: exit(2)
            }
        }
    }

    struct Configuration: Sendable {
        var partitions: Int
        var replication: Int
        var kafka: KafkaOptions
    }

    /// The SPEC topics with their partition counts: data topics get `partitions`, the dead-letter topic half, the
    /// control topics (batch, status, alerts) one.
    static func specifications(partitions: Int, replication: Int) -> [TopicSpecification] {
        PipelineTopic.allCases.map {
            TopicSpecification(
                name: $0.rawValue, partitions: $0.localPartitions(dataPartitions: partitions),
                replicationFactor: replication)
        }
    }

    static let create = CommandMain(
        name: "tributary", command: "tributary topics create",
        summary: """
            Creates the pipeline's topics (events.raw, events.clean, events.dlq, salesforce.cdc, salesforce.records, \
            pipeline.batch, pipeline.status, pipeline.alerts) with CreateTopics; existing topics are left alone. \
            The local broker (`tributary broker`) does not answer CreateTopics: it creates these itself.
            """,
        configuration: { reader in
            let partitions = reader.int(
                "partitions", default: 16, help: "Partitions of the data topics (dead letters get half, control topics 1).",
                range: 1...10_000)
            let replication = reader.int("replication", default: 3, help: "Replication factor.", range: 1...16)
            let kafka = KafkaOptions.read(from: reader, clientID: "tributary-topics")
            return Configuration(partitions: partitions, replication: replication, kafka: kafka)
        },
        body: { configuration, logger in
            let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
            let admin = try KafkaAdmin(client: client, logger: logger)
            let topics = specifications(partitions: configuration.partitions, replication: configuration.replication)
            try await admin.createTopics(topics, timeout: .seconds(30))
            for topic in topics {
                let actual = try await admin.partitionCount(topic: topic.name) ?? 0
                print("\(topic.name)  partitions \(actual)\(actual == topic.partitions ? "" : " (asked \(topic.partitions))")")
            }
            return 0
        })
}
