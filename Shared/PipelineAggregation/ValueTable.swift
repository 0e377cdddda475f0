import PipelineTables

/// The (dimension, value) pairs one partition has seen, numbered, so cells, user sets and type counts hold small
/// integers instead of strings. User ids double as the members of the distinct-user sets.
///
/// It only grows between ``PartitionAggregator``'s compactions, which drop values no open cell refers to.
struct ValueTable {
    private var ids: [[String: UInt32]] = Array(repeating: [:], count: EventsAggregateTable.Dimension.allCases.count)
    /// Per id: the value as the event carried it.
    private(set) var names: [String] = []
    /// Per id: `{dimension}#{escaped value}#`.
    private(set) var rowPrefixes: [String] = []
    private(set) var dimensions: [EventsAggregateTable.Dimension] = []

    var count: Int { names.count }

    mutating func id(_ dimension: EventsAggregateTable.Dimension, _ value: String) -> UInt32 {
        let slot = Self.index(dimension)
        if let id = ids[slot][value] { return id }
        let id = UInt32(names.count)
        ids[slot][value] = id
        names.append(value)
        rowPrefixes.append(EventsAggregateTable.rowPrefix(dimension, value))
        dimensions.append(dimension)
        return id
    }

    private static func index(_ dimension: EventsAggregateTable.Dimension) -> Int {
        switch dimension {
        case .user: 0
        case .page: 1
        case .song: 2
        case .item: 3
        case .eventType: 4
        case .all: 5
        }
    }
}
