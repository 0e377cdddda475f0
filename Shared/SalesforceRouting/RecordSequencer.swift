/// One partition's memory of the records it routed: per record, the newest change order emitted and the last few
/// changes' identities (transaction key, sequence number) with the log position each was read at.
///
/// - An **exact duplicate** is a change whose transaction key and sequence number were already seen for the same
///   record at a *different* position. The same position again is the record itself, redelivered after a
///   restart or rebalance: it is routed again, because its first outputs may never have been delivered.
/// - A **stale** change is older (``ChangeOrder``) than one already emitted for the record: emitting it would put
///   an older change after a newer one.
///
/// Memory is bounded: at most `capacity` records (the ones first seen longest ago are forgotten first) and
/// `recentPerRecord` identities each. Forgetting only weakens the checks (a forgotten duplicate is emitted again,
/// and the writer's timestamped cells absorb it), it never drops a change. The service rebuilds this state from
/// the log when it starts reading a partition, so the checks hold across restarts.
///
/// Not thread-safe: one sequencer per partition, owned by the task that routes it.
public final class RecordSequencer {
    public enum Verdict: Equatable, Sendable {
        /// Newer than anything emitted for the record (or the record itself, redelivered): route it.
        case fresh
        /// The same change was seen before at another position: drop it.
        case duplicate
        /// Older than the newest change emitted for the record; `newest` is that change's order.
        case stale(newest: ChangeOrder)
    }

    struct Seen {
        var transactionKey: String
        var sequenceNumber: Int32
        var position: Int64
    }

    struct Entry {
        var newest: ChangeOrder
        var recent: [Seen]
    }

    public let capacity: Int
    public let recentPerRecord: Int
    private var entries: [String: Entry] = [:]
    /// Record keys in the order they were first seen, for eviction; `head` is the oldest still held.
    private var order: [String] = []
    private var head = 0

    public init(capacity: Int = 100_000, recentPerRecord: Int = 8) {
        self.capacity = max(1, capacity)
        self.recentPerRecord = max(1, recentPerRecord)
    }

    /// Records held.
    public var count: Int { entries.count }

    /// Judges one change of one record and, unless it is a duplicate, remembers it.
    /// - Parameters:
    ///   - record: The record's key (`Object#Id`).
    ///   - position: The log offset the change was read at.
    public func admit(
        record: String, transactionKey: String, sequenceNumber: Int32, order change: ChangeOrder, position: Int64
    ) -> Verdict {
        let seen = Seen(transactionKey: transactionKey, sequenceNumber: sequenceNumber, position: position)
        guard var entry = entries[record] else {
            insert(record, Entry(newest: change, recent: [seen]))
            return .fresh
        }
        if let earlier = entry.recent.first(where: { $0.transactionKey == transactionKey && $0.sequenceNumber == sequenceNumber }) {
            return earlier.position == position ? .fresh : .duplicate
        }
        if entry.recent.count == recentPerRecord { entry.recent.removeFirst() }
        entry.recent.append(seen)
        let verdict: Verdict = change < entry.newest ? .stale(newest: entry.newest) : .fresh
        if entry.newest < change { entry.newest = change }
        entries[record] = entry
        return verdict
    }

    /// Forgets everything (before a rebuild from the log).
    public func removeAll() {
        entries.removeAll()
        order.removeAll()
        head = 0
    }

    private func insert(_ record: String, _ entry: Entry) {
        entries[record] = entry
        order.append(record)
        while entries.count > capacity, head < order.count {
            entries[order[head]] = nil
            head += 1
        }
        // Compact the eviction queue once its dead prefix dominates, so it stays O(capacity).
        if head > capacity {
            order.removeFirst(head)
            head = 0
        }
    }
}
