import Metrics
import PipelineStage

/// The aggregator's own metrics; Kafka, Bigtable and dead-letter metrics come from the shared modules.
struct AggregatorMetrics {
    let applied = Counter(label: "tributary_aggregator_events_applied_total")
    /// Events older than the watermark: dead-lettered, never silently dropped.
    let late = Counter(label: "tributary_aggregator_late_events_total")
    /// Redelivered events whose effects were already stored (skipped by offset).
    let redelivered = Counter(label: "tributary_aggregator_redelivered_events_total")
    /// Copies of events already counted (same event id within the duplicate window): skipped, not counted again.
    let duplicates = Counter(label: "tributary_aggregator_duplicate_events_total")
    let cellsWritten = Counter(label: "tributary_aggregator_cells_written_total")
    let windowsFinalised = Counter(label: "tributary_aggregator_windows_finalised_total")
    let rowsLoaded = Counter(label: "tributary_aggregator_rows_loaded_total")
    let partitionsLoaded = Counter(label: "tributary_aggregator_partitions_loaded_total")
    let openCells = Gauge(label: "tributary_aggregator_open_cells")
    let flushLatency = Timer(label: "tributary_aggregator_flush_duration_seconds")
    let deadLetters = DeadLetterMetrics(stage: "aggregator")
}
