/// The metric names every service shares, defined once: the dashboard (`deploy/grafana/`) and alert rules are
/// written against these, so a service never spells them by hand. Labels stay bounded: topic names, stage names
/// and reason codes, never keys or payloads.
public enum CoreMetricNames {
    /// Counter `{topic}`: records consumed.
    public static let consumed = "tributary_consumed_total"
    /// Counter `{topic}`: records handed to the producer.
    public static let produced = "tributary_produced_total"
    /// Counter `{stage, reason}`: records dead-lettered.
    public static let deadLetters = "tributary_dead_letters_total"
    /// Histogram: records per consumed batch.
    public static let batchSize = "tributary_batch_size"
    /// Histogram (seconds): per consumed batch, from fetch until the stage marks it done (its outputs are
    /// acknowledged): decoding, the stage's work and the sink's latency together.
    public static let processingSeconds = "tributary_processing_seconds"
    /// Histogram (seconds) `{method}`: Bigtable RPC latency; errors in `tributary_bigtable_request_errors_total`.
    public static let bigtableRequestSeconds = "tributary_bigtable_request_duration_seconds"
    /// Counter `{method, code}`: failed Bigtable RPC attempts.
    public static let bigtableRequestErrors = "tributary_bigtable_request_errors_total"
    /// Histogram (seconds) `{target, method, status_class}`: HTTP client requests (libcurl).
    public static let httpRequestSeconds = "tributary_http_client_request_duration_seconds"
    /// Counter `{target, kind}`: failed HTTP transfers.
    public static let httpErrors = "tributary_http_client_errors_total"
    /// Histogram (seconds): per event written to `events_fact`, from when it entered the pipeline (the raw
    /// record's `received_time_ms`, carried as `ingest_time_ms`) until Bigtable acknowledged its row. Event time is
    /// not used: generated and replayed events carry historical event times.
    public static let endToEndLatency = "tributary_pipeline_end_to_end_latency_seconds"
    /// Gauges `tributary_kafka_librdkafka_<field>{role}`: librdkafka's statistics.
    public static let librdkafkaPrefix = "tributary_kafka_librdkafka_"

    /// Buckets for ``batchSize``: batch sizes run from one record to the configured maximum (thousands).
    public static let batchSizeBuckets: [Double] = [1, 10, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 50_000]

    /// Buckets for ``endToEndLatency``: milliseconds when flowing, minutes when a stage is behind.
    public static let endToEndLatencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60), .seconds(300),
    ]
}
