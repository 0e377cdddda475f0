import PipelineBigtable
import PipelineKafka
import PipelineRuntime
import PipelineTables

/// What `bigtable-writer` is told, from flags and environment variables.
struct WriterConfiguration: Sendable {
    /// What the writer stores: each source is a topic and the table it feeds.
    enum Source: String, Sendable, CaseIterable {
        /// events.clean → `events_fact`.
        case events
        /// salesforce.records → `salesforce_records`.
        case salesforce

        var table: String {
            switch self {
            case .events: EventsFactTable.name
            case .salesforce: SalesforceRecordsTable.name
            }
        }

        var families: [String: BigtableGCRule] {
            switch self {
            case .events: EventsFactTable.families
            case .salesforce: SalesforceRecordsTable.families
            }
        }
    }

    var sources: [Source]
    var topic: String
    var salesforceTopic: String
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
        let sources = reader.string(
            "sources", env: "WRITER_SOURCES", default: "events,salesforce",
            help: "What to write, comma-separated: events (events.clean → events_fact), salesforce (salesforce.records "
                + "→ salesforce_records). One deployment can write both, or one per source with its own --group.")
        let parsed = sources.split(separator: ",").map { Source(rawValue: String($0.filter { $0 != " " })) }
        reader.require(
            !parsed.isEmpty && parsed.allSatisfy { $0 != nil },
            "--sources: \"\(sources)\" is not a list of events and salesforce")
        self.sources = Source.allCases.filter { parsed.contains($0) }
        topic = reader.string(
            "topic", env: "WRITER_TOPIC", default: PipelineTopic.eventsClean.rawValue, help: "Topic of clean events.")
        salesforceTopic = reader.string(
            "salesforce-topic", env: "WRITER_SALESFORCE_TOPIC", default: PipelineTopic.salesforceRecords.rawValue,
            help: "Topic of Salesforce record changes.")
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

    /// The topics to subscribe to.
    var topics: [String] {
        sources.map { $0 == .events ? topic : salesforceTopic }
    }

    var routes: WriteRoutes {
        WriteRoutes(
            eventsTopic: sources.contains(.events) ? topic : nil,
            salesforceTopic: sources.contains(.salesforce) ? salesforceTopic : nil)
    }
}
