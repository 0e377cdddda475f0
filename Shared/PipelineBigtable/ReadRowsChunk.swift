package import BigtableProto
internal import SwiftProtobuf
public import struct Foundation.Data

/// One `ReadRowsResponse.CellChunk`, as a plain value so the reassembly state machine can be
/// driven (and tested) without gRPC or generated types.
///
/// Optional fields model protobuf presence: `familyName` and `qualifier` are wrapper messages
/// on the wire, so "absent" (carry over the previous one) differs from "empty".
public struct ReadRowsChunk: Sendable, Hashable {
    /// What the chunk says about the row after its cell data.
    public enum RowStatus: Sendable, Hashable {
        /// The row continues.
        case none
        /// Discard everything received for the current row.
        case resetRow
        /// The row is complete.
        case commitRow
    }

    /// Non-empty only on the first chunk of a row.
    public var rowKey: Data
    /// Set when the cell's family differs from the previous cell's.
    public var familyName: String?
    /// Set when the cell's qualifier differs from the previous cell's.
    public var qualifier: Data?
    /// The cell's timestamp (only meaningful on the first chunk of a cell).
    public var timestampMicros: Int64
    /// Labels applied by filters (first chunk of a cell only).
    public var labels: [String]
    /// This chunk's part of the value.
    public var value: Data
    /// Non-zero when the value continues in later chunks: the full value's size.
    public var valueSize: Int32
    /// Reset, commit or neither.
    public var rowStatus: RowStatus

    /// Creates a chunk; every field defaults to "absent".
    public init(
        rowKey: Data = Data(), familyName: String? = nil, qualifier: Data? = nil, timestampMicros: Int64 = 0,
        labels: [String] = [], value: Data = Data(), valueSize: Int32 = 0, rowStatus: RowStatus = .none
    ) {
        self.rowKey = rowKey
        self.familyName = familyName
        self.qualifier = qualifier
        self.timestampMicros = timestampMicros
        self.labels = labels
        self.value = value
        self.valueSize = valueSize
        self.rowStatus = rowStatus
    }
}

extension ReadRowsChunk {
    /// Copies the fields of a wire chunk (`Data` shares storage, so values are not copied). Package-visible for
    /// the fuzz suite.
    package init(_ chunk: Google_Bigtable_V2_ReadRowsResponse.CellChunk) {
        let status: RowStatus
        switch chunk.rowStatus {
        case .resetRow(let reset)?: status = reset ? .resetRow : .none
        case .commitRow(let commit)?: status = commit ? .commitRow : .none
        case nil: status = .none
        }
        self.init(
            rowKey: chunk.rowKey,
            familyName: chunk.hasFamilyName ? chunk.familyName.value : nil,
            qualifier: chunk.hasQualifier ? chunk.qualifier.value : nil,
            timestampMicros: chunk.timestampMicros,
            labels: chunk.labels,
            value: chunk.value,
            valueSize: chunk.valueSize,
            rowStatus: status)
    }
}
