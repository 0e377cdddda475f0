/// The event ids of one partition's records in the `depth` offsets before the next one: how the aggregator tells an
/// event it already counted from a copy of it that arrived at a later offset.
///
/// Copies come from upstream at-least-once delivery: a transformer that dies after its outputs were delivered but
/// before its input offsets were committed processes those inputs again and sends the same clean events at new
/// offsets, a few thousand records after the originals. `events_fact` absorbs them (same row key); the aggregates
/// would count them twice.
///
/// Whether a record is a copy depends only on the log (the ids at offsets `[o − depth, o)`), never on which
/// instance reads it or when, so every run, restart and replay makes the same decisions — the same argument that
/// keeps lateness exact (``PartitionAggregator``). After a load the window is rebuilt by re-reading those offsets.
/// Ids are kept as 64-bit FNV-1a hashes: stable across processes, and a collision among 100,000 ids has a
/// probability near 10⁻¹⁰.
public struct RecentEventIDs: Sendable {
    public let depth: Int64
    private var entries: [(offset: Int64, id: UInt64)] = []
    private var head = 0
    private var counts: [UInt64: Int32] = [:]

    public init(depth: Int64) {
        self.depth = max(1, depth)
    }

    /// Ids currently remembered.
    public var count: Int { entries.count - head }

    /// Whether `id` was seen within `depth` offsets before `offset`. Call before ``record(_:at:)`` of that offset.
    public mutating func contains(_ id: UInt64, before offset: Int64) -> Bool {
        evict(before: offset - depth)
        return counts[id] != nil
    }

    /// Remembers the record at `offset` (offsets increase).
    public mutating func record(_ id: UInt64, at offset: Int64) {
        evict(before: offset - depth)
        entries.append((offset, id))
        counts[id, default: 0] += 1
    }

    private mutating func evict(before limit: Int64) {
        while head < entries.count, entries[head].offset < limit {
            let id = entries[head].id
            if let remaining = counts[id], remaining > 1 { counts[id] = remaining - 1 } else { counts[id] = nil }
            head += 1
        }
        // Compact now and then, so the array does not grow without bound.
        if head > 4_096, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    /// A stable 64-bit hash of an event id (FNV-1a over its UTF-8 bytes).
    public static func hash(_ eventID: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in eventID.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
