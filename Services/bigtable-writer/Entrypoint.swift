import PipelineBigtable
import PipelineKafka
import PipelineRuntime
import PipelineStage
import PipelineTables

/// `bigtable-writer`: events.clean → Bigtable `events_fact` and salesforce.records → `salesforce_records`,
/// idempotent and at-least-once.
@main enum Entrypoint {
    static func main() async {
        await ServiceMain(
            service: "bigtable-writer",
            summary: """
                Consumes events.clean and writes each event to the Bigtable table events_fact (row \
                {user}#{reversed time}#{event id}, cell timestamps = event time, so rewriting is idempotent), and \
                salesforce.records into salesforce_records (row {object}#{id}, family fields one column per field, \
                family meta; cell timestamps = the source's modification time, so the versions are the record's \
                history and an older change never overwrites a newer one); --sources picks one or both. \
                Writes are batched MutateRows with a bounded number in flight; retryable failures are retried with \
                backoff, and while Bigtable is unavailable consumption pauses instead of buffering. Rows Bigtable \
                rejects for good go to events.dlq with the reason. Offsets are committed only after the rows are \
                written. Set BIGTABLE_EMULATOR_HOST for the emulator.
                """,
            defaultMetricsPort: 9103,
            configuration: WriterConfiguration.init(reader:),
            services: { context in
                let configuration = context.configuration
                let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
                let consumer = try KafkaConsumer(
                    configuration: .init(
                        client: client, groupID: configuration.kafka.group ?? "bigtable-writer",
                        maximumBatchSize: configuration.batchRows),
                    logger: context.logger)
                try consumer.subscribe(configuration.topics)
                let producer = try KafkaProducer(configuration: .init(client: client), logger: context.logger)
                let bigtable = try BigtableConnection.client(options: configuration.bigtable, logger: context.logger)
                return [
                    try HeartbeatPublisher(service: "bigtable-writer", client: client, logger: context.logger),
                    bigtable,
                    TableWriter(
                        configuration: configuration, consumer: consumer, producer: producer, bigtable: bigtable,
                        health: context.health, logger: context.logger),
                ]
            }
        ).run()
    }
}
