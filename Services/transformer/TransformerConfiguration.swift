import ClickstreamTransform
import Glibc
import PipelineKafka
import PipelineRuntime

/// What the transformer is told, from flags and environment variables.
struct TransformerConfiguration: Sendable {
    var inputTopic: String
    var cleanTopic: String
    var deadLetterTopic: String
    var alertsTopic: String
    /// The quality rules file; the built-in copy of the repository's `config/quality-rules.json` when unset.
    var rulesPath: String?
    var batchSize: Int
    var inFlightBatches: Int
    /// Records re-read before the first record of a newly owned partition, to rebuild its recent event ids.
    var rebuildDepth: Int
    var alertInterval: Duration
    var pipelineVersion: String
    var instance: String
    /// Benchmarks only: stop after this many input records and print one JSON line with wall and CPU time.
    var exitAfter: Int?
    var kafka: KafkaOptions

    init(reader: ConfigReader) {
        reader.section = "Transformer"
        inputTopic = reader.string(
            "input-topic", env: "TRANSFORMER_INPUT_TOPIC", default: PipelineTopic.eventsRaw.rawValue, help: "Raw events.")
        cleanTopic = reader.string(
            "clean-topic", env: "TRANSFORMER_CLEAN_TOPIC", default: PipelineTopic.eventsClean.rawValue,
            help: "Where clean events go.")
        deadLetterTopic = reader.string(
            "dead-letter-topic", env: "TRANSFORMER_DEAD_LETTER_TOPIC", default: PipelineTopic.eventsDeadLetter.rawValue,
            help: "Where rejected records go, with the reason.")
        alertsTopic = reader.string(
            "alerts-topic", env: "TRANSFORMER_ALERTS_TOPIC", default: PipelineTopic.pipelineAlerts.rawValue,
            help: "Where quality alerts go.")
        rulesPath = reader.optionalString(
            "rules", env: "TRANSFORMER_RULES",
            help: "Data-quality rules file (JSON); default: the built-in copy of config/quality-rules.json.")
        batchSize = reader.int(
            "batch-size", env: "TRANSFORMER_BATCH_SIZE", default: 2_000, help: "Most records per batch.",
            range: 1...100_000)
        inFlightBatches = reader.int(
            "in-flight-batches", env: "TRANSFORMER_IN_FLIGHT_BATCHES", default: 8,
            help: "Batches awaiting delivery reports at once (backpressure bound).", range: 1...1_000)
        rebuildDepth = reader.int(
            "rebuild-depth", env: "TRANSFORMER_REBUILD_DEPTH", default: 20_000,
            help: "Records re-read per newly owned partition to rebuild its duplicate-id window.", range: 0...10_000_000)
        alertInterval = reader.duration(
            "alert-interval", env: "TRANSFORMER_ALERT_INTERVAL", default: .seconds(10),
            help: "How often quality-check failure rates are evaluated for alerts.")
        pipelineVersion = reader.string(
            "pipeline-version", env: "PIPELINE_VERSION", default: BuildInfo.version,
            help: "Written into every clean event.")
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        instance = reader.string(
            "instance", env: "TRANSFORMER_INSTANCE",
            default: "transformer@" + String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            help: "This instance's name in alerts.")
        exitAfter = reader.optionalInt(
            "exit-after", env: "TRANSFORMER_EXIT_AFTER",
            help: "Stop after this many input records and print one JSON line with the run's wall and CPU seconds "
                + "(what `tributary bench transformer` reads).",
            range: 1...Int.max)
        kafka = KafkaOptions.read(from: reader, clientID: "transformer", defaultGroup: "transformer")
    }

    func loadRules() throws -> QualityRules {
        if let rulesPath { return try QualityRules.load(path: rulesPath) }
        return try BuiltInQualityRules.load()
    }
}
