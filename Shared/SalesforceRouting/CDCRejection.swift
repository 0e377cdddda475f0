/// Why the cdc-router could not use a change event: a snake_case `reason` (a bounded set, used as a metric label
/// and a dead letter's reason) and a human-readable `detail` that never carries field values.
public struct CDCRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public var detail: String

    public init(_ reason: String, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason): \(detail)" }

    /// Every reason ``ChangeEventValidator`` gives (decoding failures add `MessageDecodingError` reasons).
    public static let reasons = [
        "unknown_change_type", "invalid_entity_name", "unknown_object", "missing_record_ids", "invalid_record_id",
        "invalid_commit_timestamp", "missing_transaction_key", "unexpected_fields", "invalid_field_name",
        "duplicate_field",
    ]
}
