/// The top-level fields, in the order they are written.
enum Field: Int, Sendable {
    case eventId, userId, sessionId, eventType, timestamp, page, song, itemId, price, device, location, level
    case userAgent, sequence

    var name: StaticString {
        switch self {
        case .eventId: "eventId"
        case .userId: "userId"
        case .sessionId: "sessionId"
        case .eventType: "eventType"
        case .timestamp: "timestamp"
        case .page: "page"
        case .song: "song"
        case .itemId: "itemId"
        case .price: "price"
        case .device: "device"
        case .location: "location"
        case .level: "level"
        case .userAgent: "userAgent"
        case .sequence: "sequence"
        }
    }

    static let plain: [Field] = [
        .eventId, .userId, .sessionId, .eventType, .timestamp, .page, .device, .location, .level, .userAgent, .sequence,
    ]
    static let withSong: [Field] = [
        .eventId, .userId, .sessionId, .eventType, .timestamp, .page, .song, .device, .location, .level, .userAgent,
        .sequence,
    ]
    static let withItem: [Field] = [
        .eventId, .userId, .sessionId, .eventType, .timestamp, .page, .itemId, .price, .device, .location, .level,
        .userAgent, .sequence,
    ]

    static func layout(for eventType: EventType) -> [Field] {
        eventType.isSongEvent ? withSong : eventType.isCartEvent ? withItem : plain
    }
}

/// How a payload departs from the clean form: the messy and bad variants are all expressed as a `Shape`.
struct Shape {
    var omit: Field?
    /// Raw JSON values that replace a field's clean value.
    var overrides: [(Field, [UInt8])] = []
    /// A raw `"key":value` member appended after the last field.
    var extraMember: [UInt8]?
    /// Pretty-printed: newlines, indentation and spaces around colons.
    var spaced = false
    var unquotedKey: Field?
    var missingColon: Field?

    mutating func set(_ field: Field, _ raw: [UInt8]) {
        overrides.removeAll { $0.0 == field }
        overrides.append((field, raw))
    }

    mutating func set(_ field: Field, _ raw: String) {
        set(field, Array(raw.utf8))
    }

    @inline(__always)
    func override(_ field: Field) -> [UInt8]? {
        if overrides.isEmpty { return nil }
        for (f, raw) in overrides where f == field { return raw }
        return nil
    }
}
