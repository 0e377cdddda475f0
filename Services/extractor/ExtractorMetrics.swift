import Metrics
import PipelineStage

/// The extractor's metrics, created once with bounded labels.
struct ExtractorMetrics: Sendable {
    let records = Counter(label: "tributary_extractor_records_total")
    let deletes = Counter(label: "tributary_extractor_deleted_records_total")
    let pages = Counter(label: "tributary_extractor_pages_total")
    let apiCalls = Counter(label: "tributary_extractor_api_calls_total")
    let apiUsage = Gauge(label: "tributary_extractor_api_usage")
    let retries = Counter(label: "tributary_extractor_retries_total")
    let throttled = Counter(label: "tributary_extractor_throttled_total")
    let malformedResponses = Counter(label: "tributary_extractor_malformed_responses_total")
    let tokenRefreshes = Counter(label: "tributary_extractor_token_refreshes_total")
    let passesStopped = Counter(label: "tributary_extractor_passes_stopped_total")
    let batchRequests = Counter(label: "tributary_extractor_batch_requests_total")
    let deadLetters = DeadLetterMetrics(stage: "extractor")
}
