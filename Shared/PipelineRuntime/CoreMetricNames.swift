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
    /// Gauges `tributary_kafka_librdkafka_<field>{role}`: librdkafka's statistics.
    public static let librdkafkaPrefix = "tributary_kafka_librdkafka_"

    /// Buckets for ``batchSize``: batch sizes run from one record to the configured maximum (thousands).
    public static let batchSizeBuckets: [Double] = [1, 10, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 50_000]
}
