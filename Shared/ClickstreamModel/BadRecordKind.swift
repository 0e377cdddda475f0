/// Why a record must be dead-lettered; `rawValue` is the dead-letter reason code.
///
/// The raw values are stable: dashboards, alerts and `generator events --expect` use them. See
/// ``ClickstreamContract`` for what each one means and the order checks run in.
public enum BadRecordKind: String, CaseIterable, Sendable, Hashable, Comparable {
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    case outOfRange = "out_of_range"
    case duplicateEventId = "duplicate_event_id"
    case invalidJSON = "invalid_json"
    case invalidUTF8 = "invalid_utf8"
    /// Drawn as a *clock-skew* record: a device whose clock is minutes, days or decades off. Those that carry a
    /// consistent send time are corrected by the transformer and are good events (``EventSynthesizer``
    /// decides which, from a draw of their own); the others end after their receive time and are dead letters.
    case futureTimestamp = "future_timestamp"

    public static func < (lhs: BadRecordKind, rhs: BadRecordKind) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// Whether a synthetic record is good or which defect it carries.
public enum RecordKind: Sendable, Hashable {
    case good
    case bad(BadRecordKind)

    public var isGood: Bool {
        self == .good
    }

    /// The dead-letter reason code, or `nil` for a good record.
    public var reason: String? {
        switch self {
        case .good: nil
        case .bad(let kind): kind.rawValue
        }
    }
}
