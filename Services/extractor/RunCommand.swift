import PipelineRuntime
import PipelineStage

/// `extractor run`: the long-running service.
enum RunCommand {
    static func run(arguments: [String]) async -> Never {
        await ServiceMain(
            service: "extractor", command: "extractor run",
            summary: """
                Extracts Salesforce records over the REST API (libcurl): an incremental pass over --objects every \
                --poll-interval, each object from its durable watermark (salesforce.watermarks, advanced only after \
                Kafka acknowledged the records below it), and the pipeline.batch requests (records by id, or an \
                object since a time) as they arrive, committed only once their records are acknowledged. Records \
                go to salesforce.records as RecordChange keyed Object#Id. OAuth2 with token refresh, retries with \
                backoff honouring Retry-After, and an API budget from Sforce-Limit-Info (--budget-share).
                """,
            defaultMetricsPort: 9106,
            configuration: { ExtractorConfiguration(reader: $0, once: false) },
            services: { context in
                let runtime = try await ExtractorRuntime.make(context.configuration, logger: context.logger)
                return [
                    try HeartbeatPublisher(service: "extractor", client: runtime.client, logger: context.logger),
                    ExtractorService(runtime: runtime),
                ]
            }
        ).run(arguments: arguments)
    }
}
