/// A Tributary Kafka message: a Swift value type mirroring one `tributary.v1` protobuf message.
///
/// Encoding and decoding go through protobuf-c, so every language that reads `proto/` agrees on the bytes.
///
/// Invariants every conforming type keeps:
/// - Decoding never crashes: garbage, truncated, oversized or hostile input throws ``MessageDecodingError``.
/// - Strings are valid UTF-8 without U+0000. protobuf-c stores strings NUL-terminated, so a decoded NUL
///   throws, and ``encode()`` would cut a string at its first NUL: producers must reject such text first.
/// - Unknown fields (from a newer writer) are skipped; an unknown enum value throws, because guessing its
///   meaning is worse than dead-lettering the record. Forward the original bytes, not a re-encoding, when a
///   service only relays a message.
/// - ``encode()`` is deterministic: map entries are written in key order.
public protocol PipelineMessage: Sendable, Hashable {
    /// Inputs longer than this many bytes throw ``MessageDecodingError/Kind-swift.enum/oversized`` before
    /// protobuf-c allocates anything for them.
    static var maximumEncodedSize: Int { get }

    /// Decodes a message from bytes borrowed for the duration of the call, such as a Kafka record's value.
    ///
    /// - Parameter bytes: The protobuf wire encoding.
    /// - Throws: ``MessageDecodingError`` when the bytes are oversized, not valid protobuf for this message,
    ///   hold invalid UTF-8 (or a NUL) in a string field, or an enum value this build does not know.
    init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError)

    /// The protobuf wire encoding of this message.
    func encode() -> [UInt8]
}

extension PipelineMessage {
    /// 1 MiB, Kafka's default `message.max.bytes`.
    public static var maximumEncodedSize: Int { 1 << 20 }

    /// Decodes a message from an array of bytes.
    ///
    /// - Parameter bytes: The protobuf wire encoding.
    /// - Throws: ``MessageDecodingError``, as ``init(decoding:)-(UnsafeRawBufferPointer)``.
    public init(decoding bytes: [UInt8]) throws(MessageDecodingError) {
        // withUnsafeBytes only rethrows untyped errors, so carry the typed one out in a Result.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(MessageDecodingError) -> Self in try Self(decoding: raw) }
        }
        self = try result.get()
    }
}
