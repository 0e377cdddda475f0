import ClickstreamModel
import PipelineKafka
import PipelineRuntime

/// `generator events`: a long-running service, or with `--expect` a one-shot command that prints the counts.
enum EventsCommand {
    static let summary = """
        Sends seeded synthetic clickstream events (camelCase JSON in RawEvent, keyed by user id) to events.raw at \
        --rate per second, with --bad-fraction deliberately bad records of every kind. Stops after --total events, \
        after --duration, or on SIGTERM (flushing what is queued), and prints a summary. With --expect it prints, \
        as JSON, the exact counts the pipeline must end with for --seed and --total, and sends nothing.
        """

    static func run(arguments: [String]) async -> Never {
        let flags = arguments.prefix { $0 != "--" }
        if flags.contains("--expect") || flags.contains("--expect=true") {
            await CommandMain(
                name: "generator", command: "generator events", summary: summary,
                configuration: EventsConfiguration.init(reader:),
                body: { configuration, _ in
                    let counts = ExpectedCounts(synthesizer: configuration.synthesizer, total: UInt64(configuration.total ?? 0))
                    print(counts.jsonString())
                    return 0
                }
            ).run(arguments: arguments)
        }
        await ServiceMain(
            service: "generator", command: "generator events", summary: summary, defaultMetricsPort: 9101,
            configuration: EventsConfiguration.init(reader:),
            services: { context in
                let configuration = context.configuration
                let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
                let producer = try KafkaProducer(configuration: .init(client: client), logger: context.logger)
                let lagGate = try configuration.maxLag.map { maxLag in
                    try LagGate(
                        client: client, topic: configuration.topic, group: configuration.lagGroup, maxLag: maxLag,
                        logger: context.logger)
                }
                return [
                    EventsGenerator(
                        configuration: configuration, producer: producer, lagGate: lagGate, logger: context.logger)
                ]
            }
        ).run(arguments: arguments)
    }
}
