/// The exact outcome the pipeline must reach for a synthetic run: `generator events --expect`.
///
/// Computed from the kind draws alone (plus the user and event-type draws of good records), never from
/// payloads: tens of millions of indices per second on one core.
public struct ExpectedCounts: Sendable, Equatable {
    public let seed: UInt64
    public let total: UInt64
    /// Records the transformer must accept (including messy ones and duplicates that fell back to good).
    public private(set) var good: UInt64 = 0
    /// Good records that need cleaning.
    public private(set) var messyGood: UInt64 = 0
    /// Dead letters by reason; every ``BadRecordKind`` is present, possibly with 0.
    public private(set) var deadLetters: [BadRecordKind: UInt64] = Dictionary(
        uniqueKeysWithValues: BadRecordKind.allCases.map { ($0, 0) })
    /// Distinct `userId`s among good records.
    public private(set) var distinctGoodUsers: Int = 0
    /// Good records by (clean) event type; every ``EventType`` is present, possibly with 0.
    public private(set) var goodByEventType: [EventType: UInt64] = Dictionary(
        uniqueKeysWithValues: EventType.allCases.map { ($0, 0) })

    public var deadLettersTotal: UInt64 {
        deadLetters.values.reduce(0, +)
    }

    /// Tallies records `0..<total` of `synthesizer`.
    public init(synthesizer: EventSynthesizer, total: UInt64) {
        seed = synthesizer.configuration.seed
        self.total = total
        var seen = [Bool](repeating: false, count: synthesizer.configuration.userCount)
        var byType = [UInt64](repeating: 0, count: EventType.allCases.count)
        let typeOrdinal = Dictionary(uniqueKeysWithValues: EventType.allCases.enumerated().map { ($1, $0) })
        var bad = [BadRecordKind: UInt64]()
        var index: UInt64 = 0
        while index < total {
            if case .bad(let kind) = synthesizer.kind(at: index) {
                bad[kind, default: 0] += 1
            } else {
                let headline = synthesizer.headline(at: index)
                good += 1
                // A corrected clock-skew record is written clean (its skew is not "mess" the verdict notes).
                if headline.isMessy, synthesizer.baseKind(at: index) != .bad(.futureTimestamp) { messyGood += 1 }
                if !seen[headline.user] {
                    seen[headline.user] = true
                    distinctGoodUsers += 1
                }
                byType[typeOrdinal[headline.eventType]!] += 1
            }
            index += 1
        }
        for (kind, count) in bad { deadLetters[kind] = count }
        for (i, type) in EventType.allCases.enumerated() { goodByEventType[type] = byType[i] }
    }

    /// The counts as one line of JSON with a stable key order (maps sorted by key):
    /// `{"seed":S,"total":N,"good":G,"dead_letters":{"duplicate_event_id":…,…},"dead_letters_total":D,
    /// "distinct_good_users":U,"good_messy":M,"good_by_event_type":{"ad_impression":…,…}}`.
    public func jsonString() -> String {
        var s = "{\"seed\":\(seed),\"total\":\(total),\"good\":\(good),\"dead_letters\":{"
        s += deadLetters.sorted { $0.key < $1.key }.map { "\"\($0.key.rawValue)\":\($0.value)" }
            .joined(separator: ",")
        s += "},\"dead_letters_total\":\(deadLettersTotal),\"distinct_good_users\":\(distinctGoodUsers)"
        s += ",\"good_messy\":\(messyGood),\"good_by_event_type\":{"
        s += goodByEventType.sorted { $0.key < $1.key }.map { "\"\($0.key.rawValue)\":\($0.value)" }
            .joined(separator: ",")
        s += "}}"
        return s
    }
}
