/// The payload fields the transformer knows: every one maps to a `CleanEvent` field.
///
/// Top-level fields come first, then the members of the three known objects (`song`, `device`, `location`),
/// so a field's raw value doubles as the index of its slot in ``EventIndex``. Rules name fields by their
/// JSON path (`timestamp`, `song.lengthSeconds`).
public enum EventField: Int, CaseIterable, Sendable {
    case eventId, userId, sessionId, eventType, timestamp, page, song, itemId, price, device, location, level
    case userAgent, sequence
    /// The device's send time, in the device's clock: with the receive time it corrects `timestamp` for the
    /// device clock's skew (``ClockSkew``).
    case sentAt
    case songId, songArtist, songTitle, songLengthSeconds
    case deviceType, deviceOS, deviceBrowser
    case locationCity, locationCountry, locationLat, locationLon

    /// What a field's value must be, and how it is cleaned; fixed by the `CleanEvent` schema.
    public enum ValueType: String, Sendable, CaseIterable {
        /// A JSON string, kept byte for byte.
        case string
        /// A JSON string, trimmed of ASCII spaces and tabs and lowercased (`eventType`, `level`).
        case label
        /// Epoch ms: an integral number, a decimal-integer string, or `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
        case timestamp
        /// A JSON number or a string holding one.
        case number
        /// An integral JSON number.
        case integer
        /// A JSON object (one of the known nested objects).
        case object
    }

    /// The JSON path rules use: `eventId`, `song.title`.
    public var path: String {
        switch parent {
        case nil: key
        case let parent?: parent.key + "." + key
        }
    }

    /// The member name inside its object.
    public var key: String {
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
        case .sentAt: "sentAt"
        case .songId: "songId"
        case .songArtist: "artist"
        case .songTitle: "title"
        case .songLengthSeconds: "lengthSeconds"
        case .deviceType: "type"
        case .deviceOS: "os"
        case .deviceBrowser: "browser"
        case .locationCity: "city"
        case .locationCountry: "country"
        case .locationLat: "lat"
        case .locationLon: "lon"
        }
    }

    /// The object a nested field lives in, `nil` for top-level fields.
    public var parent: EventField? {
        switch self {
        case .songId, .songArtist, .songTitle, .songLengthSeconds: .song
        case .deviceType, .deviceOS, .deviceBrowser: .device
        case .locationCity, .locationCountry, .locationLat, .locationLon: .location
        default: nil
        }
    }

    public var valueType: ValueType {
        switch self {
        case .eventType, .level: .label
        case .timestamp, .sentAt: .timestamp
        case .price, .songLengthSeconds, .locationLat, .locationLon: .number
        case .sequence: .integer
        case .song, .device, .location: .object
        default: .string
        }
    }

    /// The field with JSON path `path`, if the transformer knows it.
    public init?(path: String) {
        guard let field = Self.byPath[path] else { return nil }
        self = field
    }

    private static let byPath: [String: EventField] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.path, $0) })

    static let count = allCases.count
}
