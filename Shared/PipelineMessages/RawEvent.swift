internal import CPipelineProto

/// One clickstream event exactly as a producer sent it; topic `events.raw`, keyed by user id.
///
/// The payload stays bytes so that a malformed event reaches the transformer intact and can be
/// dead-lettered with its original bytes.
public struct RawEvent: PipelineMessage {
    /// Who produced the event, e.g. `"generator"`, `"web"`.
    public var source: String
    /// When the producer received or created the event, epoch milliseconds.
    public var receivedTimeMs: Int64
    /// The event as camelCase JSON, byte for byte; not necessarily valid.
    public var payload: [UInt8]
    /// Where the event sits in the generator's deterministic stream; nil for other producers.
    public var generator: GeneratorInfo?

    public init(source: String = "", receivedTimeMs: Int64 = 0, payload: [UInt8] = [], generator: GeneratorInfo? = nil)
    {
        self.source = source
        self.receivedTimeMs = receivedTimeMs
        self.payload = payload
        self.generator = generator
    }

    /// Coordinates of an event in the generator's stream, so tests can trace it back.
    public struct GeneratorInfo: Sendable, Hashable {
        /// The `--seed` the generator ran with.
        public var seed: UInt64
        /// Position in that seed's stream, from 0.
        public var index: UInt64

        public init(seed: UInt64, index: UInt64) {
            self.seed = seed
            self.index = index
        }
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension RawEvent: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__RawEvent>?) -> Void { tributary__v1__raw_event__init }

    init(cMessage c: Tributary__V1__RawEvent) throws(MessageDecodingError) {
        source = String(protobufC: c.source)
        receivedTimeMs = c.received_time_ms
        payload = [UInt8](cBinary: c.payload)
        generator = try GeneratorInfo(cPointer: c.generator)
    }

    func fill(_ c: inout Tributary__V1__RawEvent, in arena: EncodingArena) {
        c.source = arena.string(source)
        c.received_time_ms = receivedTimeMs
        c.payload = arena.bytes(payload)
        c.generator = generator.map(arena.message)
    }
}

extension RawEvent.GeneratorInfo: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__RawEvent__GeneratorInfo>?) -> Void {
        tributary__v1__raw_event__generator_info__init
    }

    init(cMessage c: Tributary__V1__RawEvent__GeneratorInfo) {
        seed = c.seed
        index = c.index
    }

    func fill(_ c: inout Tributary__V1__RawEvent__GeneratorInfo, in arena: EncodingArena) {
        c.seed = seed
        c.index = index
    }
}
