/// One synthetic `events.raw` record: a Kafka key and a JSON payload, plus what the pipeline must make of it.
public struct SyntheticRecord: Sendable, Equatable {
    /// Position in the stream; the record is a pure function of (seed, index) and the configuration.
    public var index: UInt64
    /// The Kafka key: the user id's UTF-8 bytes (`u-` + 16 hex digits), for every kind, even `invalid_json`.
    public var key: [UInt8]
    /// The JSON payload (or, for `invalid_json`/`invalid_utf8`, the broken bytes).
    public var payload: [UInt8]
    public var kind: RecordKind
    /// The `eventId` the payload carries as a string, or `nil` when it has none (`invalid_json`, `invalid_utf8`,
    /// and `missing_field`/`wrong_type` records whose defect is the `eventId` itself).
    public var eventId: String?
    /// The event time (epoch ms) of the event this record describes, the value a clean `timestamp` holds
    /// (for a skewed device, the corrected one). For `out_of_range` and `future_timestamp` timestamps it is the
    /// time the event would have had.
    public var eventTimeMs: Int64
    /// The receive time (`RawEvent.received_time_ms`) the record must be sent with: a clock-skew record's
    /// `sentAt` is written for it, so the transformer's correction lands exactly on ``eventTimeMs``.
    public var receivedTimeMs: Int64
    /// A good record whose payload needs cleaning (numeric strings, ISO timestamp, case or whitespace,
    /// unknown extra fields).
    public var isMessy: Bool
    /// For `duplicate_event_id`: the index of the earlier good record whose `eventId` is reused.
    public var duplicateOf: UInt64?
    /// The canonical event type the payload describes.
    public var eventType: EventType
    /// A short description of the defect or the messiness, e.g. `missing:userId`; empty for clean good records.
    public var note: String
}
