import ClickstreamModel
import PipelineKafka
import PipelineRuntime

/// Everything `generator events` is told: what to synthesise, how fast, for how long, and where to send it.
struct EventsConfiguration: Sendable {
    /// Selects every record; the same seed gives the same stream and the same expected counts.
    var seed: UInt64
    /// Events to send; `nil` means until `duration` passes or SIGTERM.
    var total: Int?
    /// How long to send; `nil` means until `total` or SIGTERM.
    var duration: Duration?
    /// Events per second; `nil` sends as fast as the broker takes them.
    var rate: Double?
    /// Share of deliberately bad records, split evenly among the bad kinds.
    var badFraction: Double
    var users: Int
    /// Event time of the first record, epoch ms (fixed by default so runs are reproducible).
    var startTimeMs: Int64
    var topic: String
    var batchSize: Int
    /// Closed loop: hold back while this group's lag on `topic` is above `maxLag` messages.
    var maxLag: Int?
    var lagGroup: String
    var progressInterval: Duration
    /// Print the final summary as one JSON line instead of text.
    var json: Bool
    /// Print the expected counts for `--seed`/`--total` and exit, sending nothing.
    var expect: Bool
    var kafka: KafkaOptions

    init(reader: ConfigReader) {
        reader.section = "Events"
        seed = UInt64(
            reader.int(
                "seed", env: "GENERATOR_SEED", default: 1, help: "Seed of the synthetic stream.",
                range: 0...Int.max))
        total = reader.optionalInt(
            "total", env: "GENERATOR_TOTAL", help: "Events to send (default: until --duration or SIGTERM).",
            range: 1...Int.max)
        duration = reader.optionalDuration(
            "duration", env: "GENERATOR_DURATION", help: "How long to send (default: until --total or SIGTERM).")
        let rate = reader.double(
            "rate", env: "GENERATOR_RATE", default: 10_000, help: "Events per second; 0 sends as fast as possible.",
            range: 0...100_000_000)
        self.rate = rate > 0 ? rate : nil
        badFraction = reader.double(
            "bad-fraction", env: "GENERATOR_BAD_FRACTION", default: 0.02,
            help: "Share of bad-record draws (missing field, wrong type, out of range, duplicate id, bad JSON, bad UTF-8, "
                + "clock skew: half of those are corrected by their sentAt and stay good).",
            range: 0...1)
        users = reader.int(
            "users", env: "GENERATOR_USERS", default: 10_000, help: "Distinct users in the population.",
            range: 1...100_000_000)
        startTimeMs = Int64(
            reader.int(
                "start-time-ms", env: "GENERATOR_START_TIME_MS",
                default: Int(EventSynthesizer.Configuration.defaultStartTimeMs),
                help: "Event time of the first record, epoch milliseconds (fixed so runs are reproducible).",
                range: 0...Int.max))
        topic = reader.string(
            "topic", env: "GENERATOR_TOPIC", default: PipelineTopic.eventsRaw.rawValue, help: "Topic to write to.")
        batchSize = reader.int(
            "batch-size", env: "GENERATOR_BATCH_SIZE", default: 1_000,
            help: "Most events per send burst (smaller at low rates, to spread them).", range: 1...100_000)
        maxLag = reader.optionalInt(
            "max-lag", env: "GENERATOR_MAX_LAG",
            help: "Closed loop: pause while --lag-group is more than this many messages behind on --topic.",
            range: 1...Int.max)
        lagGroup = reader.string(
            "lag-group", env: "GENERATOR_LAG_GROUP", default: "transformer",
            help: "The consumer group whose lag --max-lag watches.")
        progressInterval = reader.duration(
            "progress-interval", env: "GENERATOR_PROGRESS_INTERVAL", default: .seconds(5),
            help: "How often progress is logged when stderr is not a terminal.")
        json = reader.bool("json", help: "Print the final summary as one JSON line.")
        expect = reader.bool(
            "expect", help: "Print the exact counts the pipeline must end with for --seed and --total, then exit.")
        kafka = KafkaOptions.read(from: reader, clientID: "generator")
        reader.require(!expect || total != nil, "--expect needs --total")
    }

    var synthesizer: EventSynthesizer {
        EventSynthesizer(
            configuration: .init(seed: seed, badFraction: badFraction, userCount: users, startTimeMs: startTimeMs))
    }
}
