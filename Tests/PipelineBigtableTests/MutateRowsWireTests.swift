import BigtableProto
import Foundation
import PipelineBigtable
import SwiftProtobuf
import Testing

/// The MutateRows request the client writes straight to wire bytes is byte for byte what SwiftProtobuf serializes
/// for the equivalent `MutateRowsRequest` message.
@Suite("MutateRows wire encoding")
struct MutateRowsWireTests {
    static let table = "projects/p/instances/i/tables/events_fact"

    /// Encodes `entries` both ways and compares the bytes.
    static func expectSameBytes(
        _ entries: [BigtableMutationEntry], appProfileID: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let ours = BigtableClient.mutateRowsRequestBytes(
            tableName: table, appProfileID: appProfileID, entries: entries[...])
        var request = Google_Bigtable_V2_MutateRowsRequest()
        request.tableName = table
        request.appProfileID = appProfileID
        request.entries = entries.map(Reference.entry)
        let theirs: [UInt8] = try request.serializedBytes()
        #expect(ours == theirs, sourceLocation: sourceLocation)
        // And the bytes decode back to the same message.
        #expect(try Google_Bigtable_V2_MutateRowsRequest(serializedBytes: ours) == request, sourceLocation: sourceLocation)
    }

    func cell(_ qualifier: String, _ value: String, millis: Int64 = 1_767_225_600_123) -> BigtableMutation {
        .setCell(family: "event_data", qualifier: qualifier, timestampMillis: millis, value: value)
    }

    @Test("typical rows: several families, many cells, numbers as text")
    func typicalRows() throws {
        let entries = (0..<50).map { row in
            BigtableMutationEntry(
                rowKey: "user-\(row)#9223370269629175684#\(UUID().uuidString.lowercased())",
                mutations: (0..<23).map { cell("column_\($0)", "value \(row * $0)") }
                    + [.setCell(family: "metadata", qualifier: "source", timestampMillis: 5, value: "web")])
        }
        try Self.expectSameBytes(entries)
        try Self.expectSameBytes(entries, appProfileID: "bench-profile")
    }

    @Test("empty values and qualifiers, and a zero timestamp, are left out as proto3 does")
    func emptyFields() throws {
        try Self.expectSameBytes([
            BigtableMutationEntry(
                rowKey: "k",
                mutations: [
                    cell("page", ""), cell("", "value"), cell("", ""), cell("level", "free", millis: 0),
                    .setCell(family: "f", qualifier: Data(), timestampMicros: 0, value: Data()),
                ])
        ])
    }

    @Test("unicode row keys, qualifiers and values")
    func unicode() throws {
        try Self.expectSameBytes([
            BigtableMutationEntry(
                rowKey: "usér-ü#0000000000000000001#ëvent-🎵",
                mutations: [
                    cell("song_title", "Björk — Jóga 🎶"), cell("attr.город", "Москва"), cell("city", "東京"),
                    .setCell(family: "fämily", qualifier: "q", timestampMillis: 1, value: "\u{0}\u{7F}\u{80}"),
                ])
        ])
    }

    @Test("large values and keys: lengths of two, three and four varint bytes")
    func largeValues() throws {
        let sizes = [127, 128, 300, 16_383, 16_384, 70_000, 2_100_000]
        try Self.expectSameBytes(
            sizes.map { size in
                BigtableMutationEntry(
                    rowKey: Data((0..<min(size, 4_096)).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
                    mutations: [
                        .setCell(
                            family: "event_data", qualifier: Data(repeating: 0x71, count: min(size, 20_000)),
                            timestampMicros: Int64(size) * 1_000,
                            value: Data((0..<size).map { UInt8(truncatingIfNeeded: $0) }))
                    ])
            })
    }

    @Test("many cells in one row, many rows in one request")
    func manyCells() throws {
        let wide = BigtableMutationEntry(
            rowKey: "wide", mutations: (0..<5_000).map { cell("attr.key_\($0)", String(repeating: "x", count: $0 % 40)) })
        let many = (0..<2_000).map { BigtableMutationEntry(rowKey: "r\($0)", mutations: [cell("c", "\($0)")]) }
        try Self.expectSameBytes([wide] + many)
    }

    @Test("every mutation kind, including time ranges and extreme timestamps")
    func everyKind() throws {
        try Self.expectSameBytes([
            BigtableMutationEntry(
                rowKey: "r",
                mutations: [
                    .deleteFromColumn(family: "f", qualifier: Data("q".utf8)),
                    .deleteFromColumn(family: "f", qualifier: Data("q".utf8), startMicros: 1_000),
                    .deleteFromColumn(family: "f", qualifier: Data(), startMicros: nil, endMicros: 9_000),
                    .deleteFromColumn(family: "f", qualifier: Data("q".utf8), startMicros: 0, endMicros: 0),
                    .deleteFromColumn(family: "f", qualifier: Data("q".utf8), startMicros: 5_000, endMicros: Int64.max),
                    .deleteFromFamily(family: "metadata"),
                    .deleteFromFamily(family: ""),
                    .deleteFromRow,
                    .setCell(family: "f", qualifier: Data("q".utf8), timestampMicros: -1, value: Data("server".utf8)),
                    .setCell(family: "f", qualifier: Data("q".utf8), timestampMicros: Int64.max, value: Data("x".utf8)),
                    .setCell(family: "f", qualifier: Data("q".utf8), timestampMicros: Int64.min, value: Data("y".utf8)),
                ])
        ])
    }

    @Test("an empty request is the table name alone")
    func emptyRequest() throws {
        try Self.expectSameBytes([])
    }
}

/// SwiftProtobuf messages for the mutations, built field by field: the reference the wire encoding must match.
enum Reference {
    static func entry(_ entry: BigtableMutationEntry) -> Google_Bigtable_V2_MutateRowsRequest.Entry {
        var message = Google_Bigtable_V2_MutateRowsRequest.Entry()
        message.rowKey = entry.rowKey
        message.mutations = entry.mutations.map(mutation)
        return message
    }

    static func mutation(_ mutation: BigtableMutation) -> Google_Bigtable_V2_Mutation {
        var message = Google_Bigtable_V2_Mutation()
        switch mutation {
        case .setCell(let family, let qualifier, let timestamp, let value):
            var set = Google_Bigtable_V2_Mutation.SetCell()
            set.familyName = family
            set.columnQualifier = qualifier
            set.timestampMicros = timestamp
            set.value = value
            message.setCell = set
        case .deleteFromColumn(let family, let qualifier, let start, let end):
            var delete = Google_Bigtable_V2_Mutation.DeleteFromColumn()
            delete.familyName = family
            delete.columnQualifier = qualifier
            if start != nil || end != nil {
                var range = Google_Bigtable_V2_TimestampRange()
                range.startTimestampMicros = start ?? 0
                range.endTimestampMicros = end ?? 0
                delete.timeRange = range
            }
            message.deleteFromColumn = delete
        case .deleteFromFamily(let family):
            var delete = Google_Bigtable_V2_Mutation.DeleteFromFamily()
            delete.familyName = family
            message.deleteFromFamily = delete
        case .deleteFromRow:
            message.deleteFromRow = Google_Bigtable_V2_Mutation.DeleteFromRow()
        }
        return message
    }
}
