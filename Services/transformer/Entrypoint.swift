import ClickstreamTransform
import PipelineKafka
import PipelineRuntime
import PipelineStage

/// `transformer`: events.raw → events.clean (typed, snake_case, enriched, checked) and events.dlq.
@main enum Entrypoint {
    static func main() async {
        await ServiceMain(
            service: "transformer",
            summary: """
                Consumes events.raw, parses each event's JSON, renames camelCase to snake_case, cleans types \
                (numbers and booleans in strings, epoch and ISO-8601 timestamps), enriches it (ingest and processing \
                time, pipeline version, source) and runs the data-quality rules of --rules. Good events go to \
                events.clean as CleanEvent; every failing record goes to events.dlq with its original bytes and the \
                reason; a check failing more often than its `mostly` allows raises an Alert on pipeline.alerts. \
                Offsets are committed only after the outputs are acknowledged.
                """,
            defaultMetricsPort: 9102,
            configuration: TransformerConfiguration.init(reader:),
            services: { context in
                let configuration = context.configuration
                let rules = try configuration.loadRules()
                let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
                let consumer = try KafkaConsumer(
                    configuration: .init(
                        client: client, groupID: configuration.kafka.group ?? "transformer",
                        maximumBatchSize: configuration.batchSize),
                    logger: context.logger)
                try consumer.subscribe([configuration.inputTopic])
                let producer = try KafkaProducer(configuration: .init(client: client), logger: context.logger)
                return [
                    try HeartbeatPublisher(service: "transformer", client: client, logger: context.logger),
                    Transformer(
                        configuration: configuration, rules: rules, client: client, consumer: consumer,
                        producer: producer, logger: context.logger)
                ]
            }
        ).run()
    }
}
