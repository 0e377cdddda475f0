import Foundation
public import PipelineBigtable

/// An `events_fact` row read back, for queries: its key parts and every column as text.
public struct FactRow: Sendable, Equatable {
    public var rowKey: String
    public var eventID: String
    public var userID: String
    public var eventTimeMs: Int64
    /// `family:column` → value, for every column of the row.
    public var columns: [String: String]

    /// Reads a row; `nil` when its key is not a fact key.
    public init?(_ row: BigtableRow) {
        rowKey = String(decoding: row.key, as: UTF8.self)
        var columns: [String: String] = [:]
        for (family, qualifiers) in row.families {
            for (qualifier, cells) in qualifiers {
                guard let newest = cells.first else { continue }
                columns["\(family):\(String(decoding: qualifier, as: UTF8.self))"] = String(decoding: newest.value, as: UTF8.self)
            }
        }
        self.columns = columns
        let parts = rowKey.split(separator: "#", omittingEmptySubsequences: false)
        guard parts.count >= 3, let reversed = Int64(parts[parts.count - 2]) else { return nil }
        userID = parts.dropLast(2).joined(separator: "#")
        eventID = String(parts[parts.count - 1])
        eventTimeMs = Int64.max - reversed
    }

    public subscript(_ column: String) -> String? { columns[column] }
}
