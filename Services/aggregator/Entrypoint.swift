import PipelineBigtable
import PipelineKafka
import PipelineRuntime
import PipelineStage
import PipelineTables

/// `aggregator`: events.clean → Bigtable `events_aggregate`, exact under at-least-once delivery.
@main enum Entrypoint {
    static func main() async {
        await ServiceMain(
            service: "aggregator",
            summary: """
                Consumes events.clean and maintains, per dimension (user, page, song, item, event_type, all), value \
                and UTC window (hour, day, ISO week), event counts, exact distinct users, sum and max of play length \
                and price, and counts per event type, in the Bigtable table events_aggregate (row \
                {dimension}#{value}#{date}). Each input partition's contribution is its own cell, written whole with \
                the offset of the last event applied, so redelivery after a crash or rebalance never double counts; \
                offsets are committed only after the cells are written. Events older than the partition's watermark \
                (greatest event time seen minus --allowed-lateness) are counted as late and dead-lettered; windows the \
                watermark has passed are marked final in the metadata family. Run several instances in one group to \
                split the partitions. Set BIGTABLE_EMULATOR_HOST for the emulator.
                """,
            defaultMetricsPort: 9104,
            configuration: AggregatorConfiguration.init(reader:),
            services: { context in
                let configuration = context.configuration
                let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
                let consumer = try KafkaConsumer(
                    configuration: .init(
                        client: client, groupID: configuration.kafka.group ?? "aggregator",
                        maximumBatchSize: configuration.batchSize),
                    logger: context.logger)
                try consumer.subscribe([configuration.topic])
                let producer = try KafkaProducer(configuration: .init(client: client), logger: context.logger)
                let bigtable = try BigtableConnection.client(options: configuration.bigtable, logger: context.logger)
                return [
                    try HeartbeatPublisher(service: "aggregator", client: client, logger: context.logger),
                    bigtable,
                    Aggregator(
                        configuration: configuration, client: client, consumer: consumer, producer: producer,
                        bigtable: bigtable, health: context.health, logger: context.logger),
                ]
            }
        ).run()
    }
}
