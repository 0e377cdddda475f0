import struct Foundation.Data
import PipelineTables

/// One open cell of one partition (one window of one row), as the aggregator updates it per event.
///
/// Kept in an array and updated in place through its index (no reference counting, no copy on write). The distinct
/// users are kept twice: as ids, to test membership, and as their encoded bytes in first-seen order, so writing the
/// cell costs a copy instead of sorting and re-encoding every user on every flush.
struct CellAccumulator {
    /// The packed cell key (``CellPacking``).
    var key: UInt64
    var lastOffset: Int64 = -1
    var count: UInt64 = 0
    var playMsSum: Int64 = 0
    var playMsMax: Int64 = 0
    var priceMicrosSum: Int64 = 0
    var priceMicrosMax: Int64 = 0
    /// (event type value id, events): a handful of types, so a linear scan beats hashing.
    var countByType: [(type: UInt32, count: UInt64)] = []
    var users = UserIDSet()
    /// The users' names, each as a varint length and UTF-8 bytes, in the order first seen.
    var encodedUsers: [UInt8] = []
    /// Whether the cell changed since it was last written.
    var dirty = false

    init(key: UInt64) { self.key = key }

    mutating func add(type: UInt32, user: UInt32, userName: String, playMs: Int64?, priceMicros: Int64?, offset: Int64) {
        lastOffset = offset
        count &+= 1
        if let index = countByType.firstIndex(where: { $0.type == type }) {
            countByType[index].count &+= 1
        } else {
            countByType.append((type, 1))
        }
        if users.insert(user) { AggregateCell.put(userName, &encodedUsers) }
        if let playMs {
            playMsSum &+= playMs
            playMsMax = max(playMsMax, playMs)
        }
        if let priceMicros {
            priceMicrosSum &+= priceMicros
            priceMicrosMax = max(priceMicrosMax, priceMicros)
        }
    }

    /// The ``AggregateCell`` encoding of this cell.
    func encoded(values: ValueTable) -> Data {
        AggregateCell.encode(
            lastOffset: lastOffset, count: count,
            measures: (playMsSum, playMsMax, priceMicrosSum, priceMicrosMax),
            countByType: countByType.map { (values.names[Int($0.type)], $0.count) },
            userCount: users.count, encodedUsers: encodedUsers)
    }

    /// A stored cell taken back into memory; its names are interned into `values`.
    init(key: UInt64, _ cell: AggregateCell, values: inout ValueTable) {
        self.init(key: key)
        lastOffset = cell.lastOffset
        count = cell.count
        playMsSum = cell.playMsSum
        playMsMax = cell.playMsMax
        priceMicrosSum = cell.priceMicrosSum
        priceMicrosMax = cell.priceMicrosMax
        for (type, n) in cell.countByType { countByType.append((values.id(.eventType, type), n)) }
        for user in cell.users where users.insert(values.id(.user, user)) { AggregateCell.put(user, &encodedUsers) }
    }
}

/// A set of user ids that allocates nothing while it holds one user (every cell of the user dimension).
struct UserIDSet {
    private var first: UInt32?
    private var rest: Set<UInt32>?

    var count: Int { first == nil ? 0 : 1 + (rest?.count ?? 0) }

    /// `true` when `user` was not yet a member.
    mutating func insert(_ user: UInt32) -> Bool {
        guard let first else {
            self.first = user
            return true
        }
        if user == first { return false }
        if rest == nil { rest = [] }
        return rest!.insert(user).inserted
    }

    /// Every member, through `transform` (used to renumber after the value table is compacted).
    mutating func remap(_ transform: (UInt32) -> UInt32) {
        first = first.map(transform)
        rest = rest.map { Set($0.map(transform)) }
    }

    func forEach(_ body: (UInt32) -> Void) {
        if let first { body(first) }
        rest?.forEach(body)
    }
}
