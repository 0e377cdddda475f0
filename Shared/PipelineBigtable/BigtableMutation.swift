public import struct Foundation.Data

/// One change to one row, as MutateRows applies it.
///
/// SetCell takes an explicit timestamp on purpose: a server-assigned timestamp would make a
/// retried write add a second version, so every write here stays idempotent.
public enum BigtableMutation: Sendable, Hashable {
    /// Writes `value` at `family:qualifier` with `timestampMicros` (microseconds, millisecond
    /// precision: must be a multiple of 1,000).
    case setCell(family: String, qualifier: Data, timestampMicros: Int64, value: Data)
    /// Deletes the cells of one column, optionally only those with timestamps in
    /// `[startMicros, endMicros)` (`nil` ends mean unbounded).
    case deleteFromColumn(family: String, qualifier: Data, startMicros: Int64? = nil, endMicros: Int64? = nil)
    /// Deletes every cell of one family in the row.
    case deleteFromFamily(family: String)
    /// Deletes the whole row.
    case deleteFromRow

    /// A SetCell from strings and a millisecond timestamp, the common case for our tables.
    public static func setCell(family: String, qualifier: String, timestampMillis: Int64, value: Data) -> Self {
        .setCell(family: family, qualifier: Data(qualifier.utf8), timestampMicros: timestampMillis * 1000, value: value)
    }

    /// A SetCell with a UTF-8 string value.
    public static func setCell(family: String, qualifier: String, timestampMillis: Int64, value: String) -> Self {
        setCell(family: family, qualifier: qualifier, timestampMillis: timestampMillis, value: Data(value.utf8))
    }
}

/// The mutations for one row: applied atomically, but entries of one request in any order.
public struct BigtableMutationEntry: Sendable, Hashable {
    /// The row key (must not be empty; Bigtable limits it to 4 KiB).
    public var rowKey: Data
    /// The mutations, applied in order.
    public var mutations: [BigtableMutation]

    /// Creates an entry.
    public init(rowKey: Data, mutations: [BigtableMutation]) {
        self.rowKey = rowKey
        self.mutations = mutations
    }

    /// Creates an entry with a UTF-8 row key.
    public init(rowKey: String, mutations: [BigtableMutation]) {
        self.init(rowKey: Data(rowKey.utf8), mutations: mutations)
    }
}

// MARK: - Validation (the wire encoding is in MutateRowsWire.swift)

extension BigtableMutation {
    /// Checks what Bigtable would reject anyway, so the error names the entry locally.
    func validate() throws(BigtableError) {
        switch self {
        case .setCell(let family, _, let timestamp, _):
            if family.isEmpty { throw BigtableError(.invalidArgument, message: "SetCell with an empty family name") }
            if timestamp < 0 || timestamp % 1000 != 0 {
                throw BigtableError(
                    .invalidArgument, message: "SetCell timestamp must be explicit micros with millisecond precision")
            }
        case .deleteFromColumn(let family, _, _, _), .deleteFromFamily(let family):
            if family.isEmpty { throw BigtableError(.invalidArgument, message: "delete with an empty family name") }
        case .deleteFromRow:
            break
        }
    }
}

extension BigtableMutationEntry {
    func validate() throws(BigtableError) {
        if rowKey.isEmpty { throw BigtableError(.invalidArgument, message: "mutation entry with an empty row key") }
        if mutations.isEmpty { throw BigtableError(.invalidArgument, message: "mutation entry without mutations") }
        for mutation in mutations { try mutation.validate() }
    }
}
