import PipelineKafka
import PipelineRuntime
import PipelineTables

/// What `bigtable-writer` is told, from flags and environment variables.
struct WriterConfiguration: Sendable {
    var topic: String
    var deadLetterTopic: String
    /// Rows per MutateRows write (also the consumer's batch size).
    var batchRows: Int
    /// Writes in flight at once: the bound on memory and on load put on Bigtable.
    var maxInFlightWrites: Int
    /// How long to wait between write attempts while Bigtable is unavailable.
    var outageRetryInterval: Duration
    /// Benchmarks only: stop after this many records are written and print one JSON line with wall and CPU time.
    var exitAfter: Int?
    var bigtable: BigtableOptions
    var kafka: KafkaOptions

    init(reader: ConfigReader) {
        reader.section = "Writer"
        topic = reader.string(
            "topic", env: "WRITER_TOPIC", default: PipelineTopic.eventsClean.rawValue, help: "Topic of clean events.")
        deadLetterTopic = reader.string(
            "dead-letter-topic", env: "WRITER_DEAD_LETTER_TOPIC", default: PipelineTopic.eventsDeadLetter.rawValue,
            help: "Where rows Bigtable rejects for good go.")
        batchRows = reader.int(
            "batch-rows", env: "WRITER_BATCH_ROWS", default: 1_000, help: "Rows per MutateRows write.",
            range: 1...50_000)
        maxInFlightWrites = reader.int(
            "max-inflight-writes", env: "WRITER_MAX_INFLIGHT_WRITES", default: 4,
            help: "Writes in flight at once (memory and Bigtable load bound).", range: 1...256)
        outageRetryInterval = reader.duration(
            "outage-retry-interval", env: "WRITER_OUTAGE_RETRY_INTERVAL", default: .seconds(1),
            help: "Pause between write attempts while Bigtable is unavailable.")
        exitAfter = reader.optionalInt(
            "exit-after", env: "WRITER_EXIT_AFTER",
            help: "Stop after this many records are written and print one JSON line with the run's wall and CPU "
                + "seconds (what `tributary bench writer` reads).",
            range: 1...Int.max)
        bigtable = BigtableOptions.read(from: reader)
        kafka = KafkaOptions.read(from: reader, clientID: "bigtable-writer", defaultGroup: "bigtable-writer")
    }
}
