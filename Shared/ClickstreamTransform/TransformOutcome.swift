public import PipelineMessages

/// What the transformer made of one payload: an encoded `CleanEvent`, or a dead letter's reason.
public enum TransformOutcome: Sendable, Equatable {
    case clean(EncodedCleanEvent)
    case rejected(Rejection)

    public var rejection: Rejection? {
        if case .rejected(let r) = self { return r }
        return nil
    }

    public var encoded: EncodedCleanEvent? {
        if case .clean(let e) = self { return e }
        return nil
    }
}

/// A `CleanEvent` already in protobuf wire form (what `CleanEvent.encode()` would produce, map entries in key
/// order), written straight from the payload's bytes without building Swift strings.
public struct EncodedCleanEvent: Sendable, Equatable {
    /// The message for `events.clean`.
    public var bytes: [UInt8]
    public var verdict: CleanEvent.QualityVerdict
    public var eventTimeMs: Int64

    /// Decodes the bytes into the Swift value (for tests and tools; the hot path forwards `bytes`).
    public func decoded() throws(MessageDecodingError) -> CleanEvent {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(MessageDecodingError) -> CleanEvent in try CleanEvent(decoding: raw) }
        }
        return try result.get()
    }
}

/// Why a payload is dead-lettered.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    /// The contract's reason code (`invalid_utf8`, `invalid_json`, `missing_field`, `wrong_type`,
    /// `out_of_range`, `duplicate_event_id`) or a custom rule's.
    public var reason: String
    /// Which field and what was wrong, for people; quotes at most a short excerpt of one value.
    public var detail: String
    /// The failing rule's name, or `utf8` / `json` for the parse checks.
    public var check: String

    public init(reason: String, detail: String, check: String) {
        self.reason = reason
        self.detail = detail
        self.check = check
    }

    public var description: String { "\(reason) (\(check)): \(detail)" }
}
