import PipelineKafka
import PipelineRuntime
import PipelineStage

/// `cdc-router`: salesforce.cdc → salesforce.records (one change per record) and pipeline.batch (re-reads).
@main enum Entrypoint {
    static func main() async {
        await ServiceMain(
            service: "cdc-router",
            summary: """
                Consumes Salesforce change events (salesforce.cdc), checks them, and fans each one out into one \
                RecordChange per record id on salesforce.records (CREATE/UPDATE/UNDELETE → upsert, DELETE → delete), \
                keeping each record's changes in commit order and dropping exact duplicates (same transaction key, \
                sequence number and record). Gap events ask the extractor on pipeline.batch to re-read exactly those \
                records, GAP_OVERFLOW the object since the commit time, a wildcard id the whole object. Events it \
                cannot read go to events.dlq with the reason. Offsets are committed only after the outputs are \
                acknowledged; the ordering and duplicate state is rebuilt from the log on start.
                """,
            defaultMetricsPort: 9105,
            configuration: CdcRouterConfiguration.init(reader:),
            services: { context in
                let configuration = context.configuration
                let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
                let consumer = try KafkaConsumer(
                    configuration: .init(
                        client: client, groupID: configuration.kafka.group ?? "cdc-router",
                        maximumBatchSize: configuration.batchSize),
                    logger: context.logger)
                try consumer.subscribe([configuration.inputTopic])
                let producer = try KafkaProducer(configuration: .init(client: client), logger: context.logger)
                return [
                    try HeartbeatPublisher(service: "cdc-router", client: client, logger: context.logger),
                    CdcRouter(
                        configuration: configuration, client: client, consumer: consumer, producer: producer,
                        logger: context.logger)
                ]
            }
        ).run()
    }
}
