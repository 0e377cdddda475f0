/// A deterministic, seekable source of synthetic clickstream records for `events.raw`.
///
/// Every record is a pure function of the configuration and its index: a counter-based generator
/// (SplitMix64 keyed by seed and index) replaces a sequential one, so any range, any shard and any restart
/// produce the same bytes, and ``ExpectedCounts`` can tally outcomes without building payloads.
/// See ``ClickstreamContract`` for what makes a record good or bad.
///
/// ```swift
/// let synthesizer = EventSynthesizer(seed: 42, badFraction: 0.02)
/// for index in shard.range { let record = synthesizer.record(at: index); produce(record.key, record.payload) }
/// ```
public struct EventSynthesizer: Sendable {
    /// Everything that shapes the stream; two synthesizers with equal configurations emit identical records.
    public struct Configuration: Sendable, Equatable {
        /// Selects the population and every record.
        public var seed: UInt64
        /// Share of records that are bad, split evenly among ``BadRecordKind``s. Clamped to `0...1`.
        /// Default 0.02.
        public var badFraction: Double
        /// Share of good records written messily (still good). Clamped to `0...1`. Default 0.10.
        public var messyFraction: Double
        /// Number of users (at least 1). Default 10,000.
        public var userCount: Int
        /// Number of songs in the catalogue (at least 1). Default 5,000.
        public var songCount: Int
        /// Number of shop items (at least 1). Default 250.
        public var itemCount: Int
        /// Event time of record 0, epoch ms. Default 2026-01-01T00:00:00Z so output is reproducible; the
        /// generator may pass "now". Clamped so event times stay inside the contract's window.
        public var startTimeMs: Int64
        /// Event time between consecutive records, ms (≥ 0). Default 10: 1M records span about 2.8 hours.
        /// Each record also gets up to this much jitter.
        public var eventTimeSpanPerEventMs: Double
        /// Share of records that arrive 1–5 s late in event time (out of order). Default 0.01.
        public var lateFraction: Double

        public static let defaultStartTimeMs: Int64 = 1_767_225_600_000

        public init(
            seed: UInt64, badFraction: Double = 0.02, messyFraction: Double = 0.10, userCount: Int = 10_000,
            songCount: Int = 5_000, itemCount: Int = 250, startTimeMs: Int64 = Configuration.defaultStartTimeMs,
            eventTimeSpanPerEventMs: Double = 10, lateFraction: Double = 0.01
        ) {
            self.seed = seed
            self.badFraction = badFraction
            self.messyFraction = messyFraction
            self.userCount = userCount
            self.songCount = songCount
            self.itemCount = itemCount
            self.startTimeMs = startTimeMs
            self.eventTimeSpanPerEventMs = eventTimeSpanPerEventMs
            self.lateFraction = lateFraction
        }

        /// The configuration with every value brought into its valid range.
        var normalized: Configuration {
            var c = self
            c.badFraction = Self.unit(badFraction)
            c.messyFraction = Self.unit(messyFraction)
            c.lateFraction = Self.unit(lateFraction)
            c.userCount = max(1, min(userCount, 1 << 30))
            c.songCount = max(1, min(songCount, 1 << 30))
            c.itemCount = max(1, min(itemCount, 1 << 30))
            let day: Int64 = 86_400_000
            c.startTimeMs = min(
                max(startTimeMs, ClickstreamContract.minTimestampMs + day),
                ClickstreamContract.maxTimestampMs - 3650 * day)
            let span = eventTimeSpanPerEventMs
            c.eventTimeSpanPerEventMs = span.isFinite ? min(max(span, 0), 60_000) : 0
            return c
        }

        private static func unit(_ x: Double) -> Double {
            x.isNaN ? 0 : min(max(x, 0), 1)
        }
    }

    /// The configuration in use, after clamping.
    public let configuration: Configuration
    /// Records look back at most this many indices for the event id a duplicate reuses.
    public static let duplicateWindow: UInt64 = 1000

    let population: Population
    let kindKey: UInt64
    let recordKey: UInt64
    let duplicateKey: UInt64
    let sessionKey: UInt64
    let clockSkewKey: UInt64
    /// Thresholds out of 2^53 for 53-bit uniform draws.
    let badThreshold: UInt64
    let messyThreshold: UInt64
    let lateThreshold: UInt64
    let jitterRange: Int
    /// `e-<seed hex>-`, the event-id prefix.
    let eventIdPrefix: String
    let quotedEventIdPrefix: [UInt8]

    public init(configuration: Configuration) {
        let c = configuration.normalized
        self.configuration = c
        population = Population(seed: c.seed, userCount: c.userCount, songCount: c.songCount, itemCount: c.itemCount)
        kindKey = Stream.kind.key(seed: c.seed)
        recordKey = Stream.record.key(seed: c.seed)
        duplicateKey = Stream.duplicate.key(seed: c.seed)
        sessionKey = Stream.sessions.key(seed: c.seed)
        clockSkewKey = Stream.clockSkew.key(seed: c.seed)
        badThreshold = Self.threshold(c.badFraction)
        messyThreshold = Self.threshold(c.messyFraction)
        lateThreshold = Self.threshold(c.lateFraction)
        jitterRange = max(1, Int(c.eventTimeSpanPerEventMs))
        eventIdPrefix = "e-" + String(c.seed, radix: 16) + "-"
        quotedEventIdPrefix = [UInt8(ascii: "\"")] + Array(eventIdPrefix.utf8)
    }

    /// - Parameters:
    ///   - seed: selects the population and every record.
    ///   - badFraction: share of bad records, split evenly among ``BadRecordKind``s.
    ///   - userCount: number of users.
    ///   - startTimeMs: event time of record 0, epoch ms.
    ///   - eventTimeSpanPerEventMs: event time between consecutive records, ms.
    public init(
        seed: UInt64, badFraction: Double = 0.02, userCount: Int = 10_000,
        startTimeMs: Int64 = Configuration.defaultStartTimeMs, eventTimeSpanPerEventMs: Double = 10
    ) {
        self.init(
            configuration: Configuration(
                seed: seed, badFraction: badFraction, userCount: userCount, startTimeMs: startTimeMs,
                eventTimeSpanPerEventMs: eventTimeSpanPerEventMs))
    }

    private static func threshold(_ fraction: Double) -> UInt64 {
        UInt64(fraction * 0x1p53)  // truncation is floor here: the product is ≥ 0
    }

    // MARK: - Kinds (cheap: no payload)

    static let badKinds: [BadRecordKind] = BadRecordKind.allCases

    /// The kind drawn for `index` before the duplicate fallback.
    @inline(__always)
    func baseKind(at index: UInt64) -> RecordKind {
        let bits = mix64(kindKey &+ index &* goldenGamma) >> 11  // uniform in 0..<2^53
        guard bits < badThreshold else { return .good }
        // bits / badThreshold is uniform in [0, 1): split it evenly among the kinds.
        let k = Int(truncatingIfNeeded: (bits &* UInt64(Self.badKinds.count)) / badThreshold)
        return .bad(Self.badKinds[k])
    }

    /// What the pipeline must make of record `index`, without building it.
    public func kind(at index: UInt64) -> RecordKind {
        let base = baseKind(at: index)
        if base == .bad(.duplicateEventId), duplicateTarget(of: index) == nil { return .good }
        if base == .bad(.futureTimestamp), isCorrectableSkew(at: index) { return .good }
        return base
    }

    /// The earlier good record whose event id a `duplicate_event_id` record at `index` reuses.
    ///
    /// The rule (exact, so expected counts need no payloads): let `lo = max(0, index − 1000)`. A start
    /// `j₀` in `lo..<index` is drawn from (seed, index). Candidates are tried in the order `j₀, j₀−1, …, lo`, then
    /// `index−1, index−2, …, j₀+1`; the first whose *base* kind is good (drawn good, not a duplicate that fell
    /// back) wins. If none is good — only possible near index 0 or with a very high bad fraction — there is
    /// nothing to duplicate and the record is generated and counted as a good event instead.
    public func duplicateTarget(of index: UInt64) -> UInt64? {
        guard index > 0 else { return nil }
        let window = min(index, Self.duplicateWindow)
        let lo = index - window
        let start = index - 1 - mix64(duplicateKey &+ index &* goldenGamma) % window
        var j = start
        while true {
            if baseKind(at: j) == .good { return j }
            if j == lo { break }
            j -= 1
        }
        j = index - 1
        while j > start {
            if baseKind(at: j) == .good { return j }
            j -= 1
        }
        return nil
    }

    // MARK: - Draws shared by every kind

    /// The draws every record makes, in a fixed order: user, event type and messiness first, so that
    /// ``ExpectedCounts`` can read them cheaply.
    struct Draft {
        var index: UInt64
        var user: Int
        var eventType: EventType
        var isMessy: Bool
        var timeMs: Int64
        var page: Int
        var song: Int
        var item: Int
        /// The index whose event id the payload carries (another one for duplicates).
        var eventIdIndex: UInt64
        /// The receive time the record is built for (``SyntheticRecord/receivedTimeMs``).
        var receivedTimeMs: Int64
        /// Continues the record's stream for variant draws.
        var rng: SplitMix64
    }

    /// User, event type and messiness of record `index`: the first three draws of its stream.
    @inline(__always)
    func headline(at index: UInt64) -> (user: Int, eventType: EventType, isMessy: Bool, rng: SplitMix64) {
        var rng = SplitMix64(state: mix64(recordKey &+ index &* goldenGamma))
        let user = population.userActivity.sample(rng.next())
        let eventType = EventType.byMille[rng.below(1000)]
        let isMessy = (rng.next() >> 11) < messyThreshold
        return (user, eventType, isMessy, rng)
    }

    func draft(at index: UInt64) -> Draft {
        var (user, eventType, isMessy, rng) = headline(at: index)
        let nominal = nominalTimeMs(at: index)
        var timeMs = nominal + Int64(rng.below(jitterRange))
        let lateBy = Int64(1000 + rng.below(4000))
        if (rng.next() >> 11) < lateThreshold { timeMs -= lateBy }
        let pageBits = rng.next()
        let song = population.songPopularity.sample(rng.next())
        let item = population.itemPopularity.sample(rng.next())
        return Draft(
            index: index, user: user, eventType: eventType, isMessy: isMessy, timeMs: timeMs,
            page: Self.page(for: eventType, bits: pageBits), song: song, item: item, eventIdIndex: index,
            receivedTimeMs: defaultReceivedTimeMs(at: index), rng: rng)
    }

    /// Record `index`'s place on the event-time axis before jitter: start + ⌊index × span⌋.
    @inline(__always)
    func nominalTimeMs(at index: UInt64) -> Int64 {
        // The product is ≥ 0, so truncation is floor (and needs no libm).
        configuration.startTimeMs + Int64(Double(index) * configuration.eventTimeSpanPerEventMs)
    }

    static let songPage = Catalog.pageIndex("/song")
    static let playlistPage = Catalog.pageIndex("/playlist")
    static let searchPage = Catalog.pageIndex("/search")
    static let browsePage = Catalog.pageIndex("/browse")
    static let cartPage = Catalog.pageIndex("/cart")
    static let checkoutPage = Catalog.pageIndex("/checkout")
    static let loginPage = Catalog.pageIndex("/login")
    static let logoutPage = Catalog.pageIndex("/logout")

    static func page(for eventType: EventType, bits: UInt64) -> Int {
        func pick(_ table: [Int]) -> Int {
            table[Int(truncatingIfNeeded: UInt64(table.count).multipliedFullWidth(by: bits).high)]
        }
        switch eventType {
        case .pageView, .click: return pick(Catalog.browsingPages)
        case .songPlay, .thumbsUp, .thumbsDown: return songPage
        case .addToPlaylist: return playlistPage
        case .search: return searchPage
        case .adImpression: return pick(Catalog.adPages)
        case .addToCart: return browsePage
        case .removeFromCart: return cartPage
        case .purchase: return checkoutPage
        case .login: return loginPage
        case .logout: return logoutPage
        }
    }

    // MARK: - Identities

    /// The event id record `index` would carry: `e-<seed hex>-<index>`; unique per (seed, index).
    public func eventId(at index: UInt64) -> String {
        eventIdPrefix + String(index)
    }

    /// The user id (`u-` + 16 hex digits) of user number `user` (`0..<userCount`, most active first).
    public func userId(ofUser user: Int) -> String {
        String(decoding: population.users[user].id, as: UTF8.self)
    }

    /// The session id of a user at an event time: stable within a 30-minute event-time bucket.
    func sessionIdBits(user: Int, timeMs: Int64) -> UInt64 {
        let bucket = UInt64(bitPattern: timeMs / ClickstreamContract.sessionBucketMs) & 0xFFFF_FFFF
        return mix64(sessionKey ^ (UInt64(user) << 32 | bucket))  // a bijection of (user, bucket)
    }

    /// The user number (`0..<userCount`) record `index` is about, before any duplicate substitution.
    public func userNumber(at index: UInt64) -> Int {
        headline(at: index).user
    }
}
