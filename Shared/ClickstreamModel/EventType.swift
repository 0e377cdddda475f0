/// The kinds of clickstream event the synthesizer emits; `rawValue` is the canonical (clean) `eventType`.
public enum EventType: String, CaseIterable, Sendable, Hashable, Comparable {
    case pageView = "page_view"
    case songPlay = "song_play"
    case click = "click"
    case search = "search"
    case adImpression = "ad_impression"
    case thumbsUp = "thumbs_up"
    case thumbsDown = "thumbs_down"
    case addToPlaylist = "add_to_playlist"
    case addToCart = "add_to_cart"
    case removeFromCart = "remove_from_cart"
    case purchase = "purchase"
    case login = "login"
    case logout = "logout"

    /// Song events carry a `song` object (required for them by the contract).
    public var isSongEvent: Bool {
        switch self {
        case .songPlay, .thumbsUp, .thumbsDown, .addToPlaylist: true
        default: false
        }
    }

    /// Cart events carry `itemId` and `price` (required for them by the contract).
    public var isCartEvent: Bool {
        switch self {
        case .addToCart, .removeFromCart, .purchase: true
        default: false
        }
    }

    public static func < (lhs: EventType, rhs: EventType) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Per-mille weights of each type in the stream (sum 1000).
    static let perMille: [(EventType, Int)] = [
        (.pageView, 300), (.songPlay, 320), (.click, 90), (.search, 50), (.adImpression, 60),
        (.thumbsUp, 40), (.thumbsDown, 10), (.addToPlaylist, 20), (.addToCart, 30),
        (.removeFromCart, 5), (.purchase, 15), (.login, 30), (.logout, 30),
    ]

    /// 1000 entries, one per mille, for O(1) sampling.
    static let byMille: [EventType] = perMille.flatMap { Array(repeating: $0.0, count: $0.1) }

    /// Position in `allCases`, for table lookups.
    var ordinal: Int {
        switch self {
        case .pageView: 0
        case .songPlay: 1
        case .click: 2
        case .search: 3
        case .adImpression: 4
        case .thumbsUp: 5
        case .thumbsDown: 6
        case .addToPlaylist: 7
        case .addToCart: 8
        case .removeFromCart: 9
        case .purchase: 10
        case .login: 11
        case .logout: 12
        }
    }

    /// The quoted JSON value, by ordinal, built once.
    static let quotedBytes: [[UInt8]] = allCases.map { JSONBytes.quoted($0.rawValue) }
}
