/// Settings shared by every Kafka client: where the cluster is and any librdkafka property to pass through.
///
/// `properties` are applied last, so a deployment can set anything librdkafka knows
/// (`security.protocol`, `sasl.mechanisms`, `ssl.ca.location`, …) without Tributary knowing about it.
public struct KafkaClientConfiguration: Sendable {
    /// `bootstrap.servers`: comma-separated host:port list.
    public var bootstrapServers: String
    /// `client.id`, shown in broker logs; defaults to the service name.
    public var clientID: String
    /// How often librdkafka reports statistics into metrics; `nil` turns them off.
    public var statisticsInterval: Duration?
    /// Raw librdkafka properties (the `--kafka key=value` / `KAFKA_*` escape hatch).
    public var properties: [String: String]

    public init(
        bootstrapServers: String, clientID: String = "tributary", statisticsInterval: Duration? = .seconds(15),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.statisticsInterval = statisticsInterval
        self.properties = properties
    }

    func baseProperties() -> [(String, String)] {
        var pairs: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("client.id", clientID),
        ]
        if let interval = statisticsInterval {
            pairs.append(("statistics.interval.ms", String(interval.milliseconds)))
        }
        return pairs
    }
}

/// Producer settings. Idempotent by default so a retried send never duplicates or reorders within a partition.
public struct KafkaProducerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// `enable.idempotence`.
    public var idempotent: Bool
    /// `linger.ms`: how long librdkafka waits to fill a batch. A few ms buys large batches at high rates.
    public var linger: Duration
    /// `queue.buffering.max.messages`: the local queue bound; a full queue makes `send` wait (backpressure).
    public var maximumQueuedMessages: Int
    /// `compression.codec`.
    public var compression: String

    public init(
        client: KafkaClientConfiguration, idempotent: Bool = true, linger: Duration = .milliseconds(5),
        maximumQueuedMessages: Int = 500_000, compression: String = "none"
    ) {
        self.client = client
        self.idempotent = idempotent
        self.linger = linger
        self.maximumQueuedMessages = maximumQueuedMessages
        self.compression = compression
    }

    func librdkafkaProperties() -> [(String, String)] {
        var pairs = client.baseProperties()
        pairs += [
            ("enable.idempotence", idempotent ? "true" : "false"),
            ("linger.ms", String(linger.milliseconds)),
            ("queue.buffering.max.messages", String(maximumQueuedMessages)),
            ("compression.codec", compression),
        ]
        return pairs + client.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// Consumer-group settings. Offsets are stored only for messages the caller marks done, then auto-committed.
public struct KafkaConsumerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// `group.id`.
    public var groupID: String
    /// `session.timeout.ms`. The local mock broker makes joins wait about this long, hence the short default.
    public var sessionTimeout: Duration
    /// `auto.offset.reset` for partitions without a committed offset.
    public var autoOffsetReset: String
    /// `auto.commit.interval.ms`: how often stored (done) offsets are committed.
    public var commitInterval: Duration
    /// The most messages one `nextBatch` call hands out.
    public var maximumBatchSize: Int
    /// `fetch.max.bytes`; large fetches keep the consumer from stalling between round trips.
    public var fetchMaxBytes: Int
    /// `queued.max.messages.kbytes`: the prefetch bound per consumer.
    public var queuedMaxKilobytes: Int

    public init(
        client: KafkaClientConfiguration, groupID: String, sessionTimeout: Duration = .seconds(6),
        autoOffsetReset: String = "earliest", commitInterval: Duration = .seconds(1), maximumBatchSize: Int = 2_000,
        fetchMaxBytes: Int = 16_777_216, queuedMaxKilobytes: Int = 262_144
    ) {
        self.client = client
        self.groupID = groupID
        self.sessionTimeout = sessionTimeout
        self.autoOffsetReset = autoOffsetReset
        self.commitInterval = commitInterval
        self.maximumBatchSize = maximumBatchSize
        self.fetchMaxBytes = fetchMaxBytes
        self.queuedMaxKilobytes = queuedMaxKilobytes
    }

    func librdkafkaProperties() -> [(String, String)] {
        var pairs = client.baseProperties()
        pairs += [
            ("group.id", groupID),
            ("session.timeout.ms", String(sessionTimeout.milliseconds)),
            ("heartbeat.interval.ms", String(max(100, sessionTimeout.milliseconds / 3))),
            ("auto.offset.reset", autoOffsetReset),
            ("enable.auto.offset.store", "false"),
            ("enable.auto.commit", "true"),
            ("auto.commit.interval.ms", String(commitInterval.milliseconds)),
            ("fetch.max.bytes", String(fetchMaxBytes)),
            ("queued.max.messages.kbytes", String(queuedMaxKilobytes)),
            ("enable.partition.eof", "false"),
        ]
        return pairs + client.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down; what librdkafka's `*.ms` properties take.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
