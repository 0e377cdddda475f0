public import struct Foundation.Data

/// Reassembles ReadRows cell chunks into complete rows: a pure value type, no I/O.
///
/// The rules are those of Bigtable's read-rows acceptance tests:
/// - A row starts with a chunk carrying a row key greater than every committed row's key,
///   a family and a qualifier. Later cells carry the family and qualifier over when absent;
///   a new family must come with a qualifier.
/// - A chunk with `valueSize > 0` opens a split cell; the following chunks carry only value
///   bytes until one has `valueSize == 0`.
/// - `resetRow` (alone, with no data) discards the row in progress; `commitRow` completes it.
///   Neither may arrive while a split cell is still open (reset may: it discards the cell).
/// - Every non-reset chunk outside a split cell adds a cell, so a bare commit adds an empty
///   cell with timestamp 0, as in the acceptance tests.
///
/// Invariant: `cell != nil` implies `row != nil`.
public struct ReadRowsStateMachine: Sendable {
    /// The row being assembled: its key, cells so far, and the current column.
    private struct RowInProgress: Sendable {
        var key: Data
        var families: [String: [Data: [BigtableCell]]] = [:]
        var family: String
        var qualifier: Data

        mutating func append(_ cell: BigtableCell) {
            families[family, default: [:]][qualifier, default: []].append(cell)
        }
    }

    private var row: RowInProgress?
    private var cell: BigtableCell?
    /// The key of the last committed row; new rows must sort after it.
    public private(set) var lastCommittedRowKey: Data?

    /// Creates a machine waiting for the first row.
    public init() {}

    /// Whether a row (possibly a split cell) is still open.
    public var isRowInProgress: Bool { row != nil }

    /// Feeds one chunk.
    ///
    /// - Returns: the completed row when `chunk` commits one, else `nil`.
    /// - Throws: `BigtableError` of kind `.invalidReadRowsResponse` when the chunk breaks the rules;
    ///   the machine should then be discarded.
    public mutating func process(_ chunk: ReadRowsChunk) throws(BigtableError) -> BigtableRow? {
        if chunk.valueSize < 0 { throw Self.invalid("negative value_size") }
        if chunk.rowStatus == .resetRow {
            try Self.validateReset(chunk)
            guard row != nil else { throw Self.invalid("reset_row with no row in progress") }
            row = nil
            cell = nil
            return nil
        }
        if var open = cell {
            return try continueCell(&open, chunk)
        }
        if row == nil {
            try startRow(chunk)
        } else {
            try changeColumn(chunk)
        }
        let new = BigtableCell(timestampMicros: chunk.timestampMicros, value: chunk.value, labels: chunk.labels)
        return try endOfCellChunk(new, chunk)
    }

    /// Declares the end of the response stream.
    ///
    /// - Throws: `.invalidReadRowsResponse` when a row was left uncommitted.
    public func finish() throws(BigtableError) {
        if row != nil { throw Self.invalid("stream ended inside an uncommitted row") }
    }

    // MARK: - Steps

    private mutating func startRow(_ chunk: ReadRowsChunk) throws(BigtableError) {
        guard !chunk.rowKey.isEmpty else { throw Self.invalid("new row without a row key") }
        if let last = lastCommittedRowKey, !last.lexicographicallyPrecedes(chunk.rowKey) {
            throw Self.invalid("row keys not strictly increasing")
        }
        guard let family = chunk.familyName, let qualifier = chunk.qualifier else {
            throw Self.invalid("new row without family and qualifier")
        }
        row = RowInProgress(key: chunk.rowKey, family: family, qualifier: qualifier)
    }

    private mutating func changeColumn(_ chunk: ReadRowsChunk) throws(BigtableError) {
        if !chunk.rowKey.isEmpty, chunk.rowKey != row?.key {
            throw Self.invalid("new row key before the previous row was committed")
        }
        if let family = chunk.familyName {
            guard let qualifier = chunk.qualifier else { throw Self.invalid("new family without a qualifier") }
            row?.family = family
            row?.qualifier = qualifier
        } else if let qualifier = chunk.qualifier {
            row?.qualifier = qualifier
        }
    }

    private mutating func continueCell(
        _ open: inout BigtableCell, _ chunk: ReadRowsChunk
    ) throws(BigtableError) -> BigtableRow? {
        let carriesKey =
            (!chunk.rowKey.isEmpty && chunk.rowKey != row?.key) || chunk.familyName != nil || chunk.qualifier != nil
            || chunk.timestampMicros != 0 || !chunk.labels.isEmpty
        if carriesKey { throw Self.invalid("split cell continuation carries a cell key") }
        cell = nil  // keep `open`'s value storage uniquely referenced while appending
        open.value.append(chunk.value)
        return try endOfCellChunk(open, chunk)
    }

    /// Either keeps the cell open (more value chunks follow) or adds it and honours commit.
    private mutating func endOfCellChunk(
        _ value: BigtableCell, _ chunk: ReadRowsChunk
    ) throws(BigtableError) -> BigtableRow? {
        if chunk.valueSize > 0 {
            if chunk.rowStatus == .commitRow { throw Self.invalid("commit_row inside a split cell") }
            var open = value
            if open.value.count < Int(chunk.valueSize) { open.value.reserveCapacity(Int(chunk.valueSize)) }
            cell = open
            return nil
        }
        row?.append(value)
        guard chunk.rowStatus == .commitRow, let done = row else { return nil }
        row = nil
        lastCommittedRowKey = done.key
        return BigtableRow(key: done.key, families: done.families)
    }

    // MARK: - Validation

    private static func validateReset(_ chunk: ReadRowsChunk) throws(BigtableError) {
        let empty =
            chunk.rowKey.isEmpty && chunk.familyName == nil && chunk.qualifier == nil && chunk.timestampMicros == 0
            && chunk.labels.isEmpty && chunk.value.isEmpty && chunk.valueSize == 0
        if !empty { throw invalid("reset_row chunk carries data") }
    }

    private static func invalid(_ message: String) -> BigtableError {
        BigtableError(.invalidReadRowsResponse, message: message)
    }
}
