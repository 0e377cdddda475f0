public import struct Foundation.Data

/// One cell version: a timestamp in microseconds, a value and the labels a filter applied.
public struct BigtableCell: Sendable, Hashable {
    /// Microseconds since the epoch (Bigtable keeps millisecond precision).
    public var timestampMicros: Int64
    /// The cell's value.
    public var value: Data
    /// Labels added by an `apply_label_transformer` filter; usually empty.
    public var labels: [String]

    /// Creates a cell.
    public init(timestampMicros: Int64, value: Data, labels: [String] = []) {
        self.timestampMicros = timestampMicros
        self.value = value
        self.labels = labels
    }
}

/// A complete row as ReadRows returns it: family → qualifier → cells, newest first.
public struct BigtableRow: Sendable, Hashable {
    /// The row key.
    public var key: Data
    /// Cells by family name, then by column qualifier, in the order the server sent them
    /// (newest first within a column).
    public var families: [String: [Data: [BigtableCell]]]

    /// Creates a row.
    public init(key: Data, families: [String: [Data: [BigtableCell]]] = [:]) {
        self.key = key
        self.families = families
    }

    /// The cells of one column (empty when absent).
    public func cells(family: String, qualifier: Data) -> [BigtableCell] {
        families[family]?[qualifier] ?? []
    }

    /// The cells of one column named by a UTF-8 string.
    public func cells(family: String, qualifier: String) -> [BigtableCell] {
        cells(family: family, qualifier: Data(qualifier.utf8))
    }

    /// The newest cell's value of one column, if any.
    public func latestValue(family: String, qualifier: String) -> Data? {
        cells(family: family, qualifier: qualifier).first?.value
    }

    /// The number of cells in the row, across all families and columns.
    public var cellCount: Int {
        families.values.reduce(0) { total, columns in total + columns.values.reduce(0) { $0 + $1.count } }
    }
}
