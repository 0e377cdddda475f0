import SalesforceExtraction
import Logging
import PipelineHTTP
import PipelineKafka
import PipelineRuntime

/// The clients and parts `run` and `once` share, built in one place from the configuration.
struct ExtractorRuntime: Sendable {
    let configuration: ExtractorConfiguration
    let client: KafkaClientConfiguration
    let producer: KafkaProducer
    let http: HTTPClient
    let session: SalesforceSession
    let catalog: ObjectCatalog
    let store: WatermarkStore
    let emitter: RecordEmitter
    let metrics: ExtractorMetrics
    let logger: Logger

    static func make(_ configuration: ExtractorConfiguration, logger: Logger) async throws -> ExtractorRuntime {
        let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
        // Idempotent producer: a retried send never duplicates or reorders a record on the broker.
        let producer = try KafkaProducer(configuration: .init(client: client, idempotent: true), logger: logger)
        let metrics = ExtractorMetrics()
        let http = try HTTPClient(
            configuration: configuration.http.configuration(.init(timeout: configuration.requestTimeout)), logger: logger)
        let session = SalesforceSession(
            settings: configuration.sessionSettings, client: http, logger: logger, metrics: metrics)
        let store = try await WatermarkStore.load(
            client: client, producer: producer, topicName: configuration.watermarksTopic, logger: logger)
        let emitter = RecordEmitter(
            records: try producer.topic(configuration.recordsTopic),
            deadLetters: try producer.topic(configuration.deadLetterTopic), metrics: metrics)
        return ExtractorRuntime(
            configuration: configuration, client: client, producer: producer, http: http, session: session,
            catalog: ObjectCatalog(objects: configuration.objects), store: store, emitter: emitter, metrics: metrics,
            logger: logger)
    }

    var pass: IncrementalPass {
        IncrementalPass(
            session: session, catalog: catalog, store: store, producer: producer, emitter: emitter, logger: logger)
    }

    var batchHandler: BatchRequestHandler {
        BatchRequestHandler(
            session: session, catalog: catalog, emitter: emitter, retryDelay: min(configuration.pollInterval, .seconds(30)),
            metrics: metrics, logger: logger)
    }

    /// The `pipeline.batch` consumer (group `extractor`), subscribed.
    func batchConsumer() throws -> KafkaConsumer {
        let consumer = try KafkaConsumer(
            configuration: .init(
                client: client, groupID: configuration.kafka.group ?? "extractor", maximumBatchSize: 50),
            logger: logger)
        try consumer.subscribe([configuration.batchTopic])
        return consumer
    }

    /// One line of JSON summing up a pass, for operators and tests.
    func summaryLine(_ summary: IncrementalPass.Summary, batchRequests: Int? = nil) async -> String {
        let budget = await session.budget
        var fields = [
            "\"complete\":\(summary.stopped == nil && summary.failedObjects.isEmpty)", "\"objects\":\(summary.objects)", "\"records\":\(summary.records)",
            "\"dead_letters\":\(summary.deadLetters)", "\"pages\":\(summary.pages)",
            "\"api_used\":\(budget.used.map(String.init) ?? "null")", "\"api_limit\":\(budget.limit.map(String.init) ?? "null")",
        ]
        if let stopped = summary.stopped { fields.append("\"stopped\":\(JSONText.quoted("\(stopped)"))") }
        if !summary.failedObjects.isEmpty {
            fields.append("\"failed_objects\":[" + summary.failedObjects.map(JSONText.quoted).joined(separator: ",") + "]")
        }
        if let batchRequests { fields.append("\"batch_requests_served\":\(batchRequests)") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
