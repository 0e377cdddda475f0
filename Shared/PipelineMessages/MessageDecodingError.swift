/// Why bytes could not be decoded into a ``PipelineMessage``.
///
/// The description names the message type, the field and a byte offset, never payload content, so it is
/// safe to log and to store as a dead letter's `detail`.
public struct MessageDecodingError: Error, Hashable, CustomStringConvertible {
    /// The class of failure. `rawValue` is the snake_case dead-letter reason code.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Longer than the message type's ``PipelineMessage/maximumEncodedSize``.
        case oversized = "oversized"
        /// Not a valid protobuf encoding of the message (garbage, truncation, wrong wire types).
        case malformed = "malformed_protobuf"
        /// A string field holds bytes that are not UTF-8, or a NUL, which protobuf-c cannot carry.
        case invalidUTF8 = "invalid_utf8"
        /// An enum field holds a number this build's schema does not define.
        case unknownEnumValue = "unknown_enum_value"
    }

    public var kind: Kind
    /// The Swift message type being decoded, e.g. `"CleanEvent"`.
    public var messageType: String
    /// What was wrong and where, e.g. `"field user_id: invalid UTF-8 at byte 3 of the field"`.
    public var detail: String

    public init(kind: Kind, messageType: String = "", detail: String) {
        self.kind = kind
        self.messageType = messageType
        self.detail = detail
    }

    /// The dead-letter reason code, `kind.rawValue`.
    public var reason: String { kind.rawValue }

    public var description: String {
        "cannot decode \(messageType.isEmpty ? "message" : messageType) (\(kind.rawValue)): \(detail)"
    }
}
