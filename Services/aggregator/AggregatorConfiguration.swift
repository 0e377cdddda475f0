import PipelineKafka
import PipelineRuntime
import PipelineTables

/// What `aggregator` is told, from flags and environment variables.
struct AggregatorConfiguration: Sendable {
    var topic: String
    var deadLetterTopic: String
    /// The aggregate table (another name lets several groups aggregate side by side, e.g. in tests).
    var table: String
    /// Records per consumed batch.
    var batchSize: Int
    /// A flush (cells, then checkpoints, then offsets) happens after this many events or this long, whichever first.
    var flushEvents: Int
    var flushInterval: Duration
    /// Events older than the partition's greatest event time minus this are late.
    var allowedLateness: Duration
    /// An event moves the watermark at most to its receive time plus this (an event dated later than it arrived
    /// comes from a wrong clock).
    var maxEventLead: Duration
    /// Cells per MutateRows request, and requests in flight per flush.
    /// Offsets before each record whose event ids are remembered, to skip copies of events already counted.
    var duplicateWindow: Int
    var rowsPerWrite: Int
    var maxInFlightWrites: Int
    /// How long to wait between attempts while Bigtable is unavailable.
    var outageRetryInterval: Duration
    /// Stop after this many records (benchmarks); `nil` runs until SIGTERM.
    var exitAfter: Int?
    var bigtable: BigtableOptions
    var kafka: KafkaOptions

    var allowedLatenessMs: Int64 { Self.milliseconds(allowedLateness) }
    var maxEventLeadMs: Int64 { Self.milliseconds(maxEventLead) }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    init(reader: ConfigReader) {
        reader.section = "Aggregator"
        topic = reader.string(
            "topic", env: "AGGREGATOR_TOPIC", default: PipelineTopic.eventsClean.rawValue, help: "Topic of clean events.")
        deadLetterTopic = reader.string(
            "dead-letter-topic", env: "AGGREGATOR_DEAD_LETTER_TOPIC", default: PipelineTopic.eventsDeadLetter.rawValue,
            help: "Where late and unreadable events go, with the reason.")
        table = reader.string(
            "table", env: "AGGREGATOR_TABLE", default: EventsAggregateTable.name, help: "The aggregate table.")
        batchSize = reader.int(
            "batch-size", env: "AGGREGATOR_BATCH_SIZE", default: 5_000, help: "Most records per consumed batch.",
            range: 1...100_000)
        flushEvents = reader.int(
            "flush-events", env: "AGGREGATOR_FLUSH_EVENTS", default: 50_000,
            help: "Write changed cells and checkpoints after this many events (a hot cell is written once per flush).",
            range: 1...1_000_000)
        flushInterval = reader.duration(
            "flush-interval", env: "AGGREGATOR_FLUSH_INTERVAL", default: .seconds(2),
            help: "…or after this long, whichever comes first: how fresh the aggregates are, and how much a crash replays.")
        allowedLateness = reader.duration(
            "allowed-lateness", env: "AGGREGATOR_ALLOWED_LATENESS", default: .seconds(3_600),
            help: "How far behind its partition's newest event time an event may be and still count.")
        maxEventLead = reader.duration(
            "max-event-lead", env: "AGGREGATOR_MAX_EVENT_LEAD", default: .zero,
            help: "How far past its receive time (ingest_time_ms) one event may move the watermark: an event dated "
                + "later than it arrived counts in its window but cannot make the events after it late.")
        duplicateWindow = reader.int(
            "duplicate-window", env: "AGGREGATOR_DUPLICATE_WINDOW", default: 100_000,
            help: "An event whose id appeared in this many offsets before it on its partition is a copy (an upstream "
                + "redelivery) and is not counted again; 0 turns the check off.",
            range: 0...10_000_000)
        rowsPerWrite = reader.int(
            "rows-per-write", env: "AGGREGATOR_ROWS_PER_WRITE", default: 1_000, help: "Rows per MutateRows request.",
            range: 1...100_000)
        maxInFlightWrites = reader.int(
            "max-inflight-writes", env: "AGGREGATOR_MAX_INFLIGHT_WRITES", default: 4,
            help: "MutateRows requests in flight at once (Bigtable load bound).", range: 1...256)
        outageRetryInterval = reader.duration(
            "outage-retry-interval", env: "AGGREGATOR_OUTAGE_RETRY_INTERVAL", default: .seconds(1),
            help: "Pause between attempts while Bigtable is unavailable.")
        exitAfter = reader.optionalInt(
            "exit-after", env: "AGGREGATOR_EXIT_AFTER",
            help: "Stop after this many records are applied and flushed, and print one JSON line with the run's wall "
                + "and CPU seconds (what `tributary bench aggregator` reads).",
            range: 1...Int.max)
        bigtable = BigtableOptions.read(from: reader)
        kafka = KafkaOptions.read(from: reader, clientID: "aggregator", defaultGroup: "aggregator")
    }
}
