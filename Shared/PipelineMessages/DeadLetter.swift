internal import CPipelineProto

/// A record some stage could not process, with its original bytes; topic `events.dlq`, keyed by the
/// original key.
///
/// Alerting counts these by ``reason``; `tributary dlq replay` sends ``originalValue`` back to ``topic``.
public struct DeadLetter: PipelineMessage {
    /// 8 MiB: a dead letter wraps a whole original record, which may itself be oversized.
    public static var maximumEncodedSize: Int { 8 << 20 }

    /// The original Kafka key; nil for a null key, which Kafka partitions differently from an empty one.
    public var originalKey: [UInt8]?
    /// The original Kafka value, byte for byte; nil for a null value (tombstone).
    public var originalValue: [UInt8]?
    /// Where the original record was read from.
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The original record's Kafka timestamp, epoch milliseconds.
    public var originalTimestampMs: Int64
    /// The service that gave up, e.g. `"transformer"`.
    public var stage: String
    /// Machine-readable snake_case code with bounded cardinality, e.g. `"invalid_json"`, or
    /// ``MessageDecodingError/reason``. Used as a metric label.
    public var reason: String
    /// Human-readable explanation; never a label, never payload content.
    public var detail: String
    /// When the record was dead-lettered, epoch milliseconds.
    public var timeMs: Int64
    /// How many times the record has already been replayed, so one that keeps failing stops.
    public var replayCount: UInt32

    public init(
        originalKey: [UInt8]? = nil, originalValue: [UInt8]? = nil, topic: String = "", partition: Int32 = 0,
        offset: Int64 = 0, originalTimestampMs: Int64 = 0, stage: String = "", reason: String = "",
        detail: String = "", timeMs: Int64 = 0, replayCount: UInt32 = 0
    ) {
        self.originalKey = originalKey
        self.originalValue = originalValue
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.originalTimestampMs = originalTimestampMs
        self.stage = stage
        self.reason = reason
        self.detail = detail
        self.timeMs = timeMs
        self.replayCount = replayCount
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension DeadLetter: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__DeadLetter>?) -> Void {
        tributary__v1__dead_letter__init
    }

    init(cMessage c: Tributary__V1__DeadLetter) {
        originalKey = c.original_key_null != 0 ? nil : [UInt8](cBinary: c.original_key)
        originalValue = c.original_value_null != 0 ? nil : [UInt8](cBinary: c.original_value)
        topic = String(protobufC: c.topic)
        partition = c.partition
        offset = c.offset
        originalTimestampMs = c.original_timestamp_ms
        stage = String(protobufC: c.stage)
        reason = String(protobufC: c.reason)
        detail = String(protobufC: c.detail)
        timeMs = c.time_ms
        replayCount = c.replay_count
    }

    func fill(_ c: inout Tributary__V1__DeadLetter, in arena: EncodingArena) {
        c.original_key = arena.bytes(originalKey ?? [])
        c.original_value = arena.bytes(originalValue ?? [])
        c.original_key_null = originalKey == nil ? 1 : 0
        c.original_value_null = originalValue == nil ? 1 : 0
        c.topic = arena.string(topic)
        c.partition = partition
        c.offset = offset
        c.original_timestamp_ms = originalTimestampMs
        c.stage = arena.string(stage)
        c.reason = arena.string(reason)
        c.detail = arena.string(detail)
        c.time_ms = timeMs
        c.replay_count = replayCount
    }
}
