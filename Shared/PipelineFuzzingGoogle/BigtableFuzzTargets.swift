import BigtableProto
import Foundation
import PipelineBigtable
import PipelineFuzzing
import PipelineTables
import SwiftProtobuf

/// What the services read back from Bigtable: `ReadRows` responses (decoded by SwiftProtobuf, reassembled by
/// the hand-written chunk state machine) and the aggregator's per-partition state cells.
enum BigtableFuzzTargets {
    static let all = [readRows, aggregateCell]

    /// One `ReadRowsResponse` message: protobuf decoding, then every chunk through `ReadRowsStateMachine` and
    /// the end of the stream. A committed row must have a key. (An empty family name is passed through, as the
    /// reference clients do; Bigtable never sends one.)
    static let readRows = FuzzTarget(
        name: "bigtable.read-rows", summary: "ReadRowsResponse decoding, then ReadRowsStateMachine",
        seeds: readRowsSeeds, maximumInputBytes: 2048
    ) { bytes in
        let response: Google_Bigtable_V2_ReadRowsResponse
        do {
            response = try Google_Bigtable_V2_ReadRowsResponse(serializedBytes: bytes)
        } catch {
            return .rejection(kind: "BinaryDecodingError", message: String(describing: error))
        }
        var machine = ReadRowsStateMachine()
        do throws(BigtableError) {
            for chunk in response.chunks {
                if let row = try machine.process(ReadRowsChunk(chunk)) {
                    guard !row.key.isEmpty else { return .failed("a committed row without a key") }
                }
            }
            try machine.finish()
            return .accepted
        } catch {
            return .rejection(kind: "BigtableError.\(error.kind)", message: error.description)
        }
    }

    static let readRowsSeeds: [[UInt8]] = {
        typealias Chunk = Google_Bigtable_V2_ReadRowsResponse.CellChunk
        func chunk(_ build: (inout Chunk) -> Void) -> Chunk {
            var chunk = Chunk()
            build(&chunk)
            return chunk
        }
        func family(_ name: String) -> Google_Protobuf_StringValue { Google_Protobuf_StringValue(name) }
        func qualifier(_ name: String) -> Google_Protobuf_BytesValue { Google_Protobuf_BytesValue(Data(name.utf8)) }
        var twoRows = Google_Bigtable_V2_ReadRowsResponse()
        twoRows.chunks = [
            chunk {
                $0.rowKey = Data("u-0001#2026-01-01".utf8)
                $0.familyName = family("hour")
                $0.qualifier = qualifier("00#p001")
                $0.timestampMicros = 1_767_225_600_000_000
                $0.value = Data([1, 2, 3])
            },
            chunk {
                $0.qualifier = qualifier("01#p001")
                $0.labels = ["latest"]
                $0.value = Data("split".utf8)
                $0.valueSize = 10
            },
            chunk {
                $0.value = Data("value".utf8)
                $0.commitRow = true
            },
            chunk {
                $0.rowKey = Data("u-0002#2026-01-01".utf8)
                $0.familyName = family("meta")
                $0.qualifier = qualifier("")
                $0.commitRow = true
            },
        ]
        var reset = Google_Bigtable_V2_ReadRowsResponse()
        reset.chunks = [
            chunk {
                $0.rowKey = Data("r1".utf8)
                $0.familyName = family("f")
                $0.qualifier = qualifier("q")
                $0.value = Data("v".utf8)
            },
            chunk { $0.resetRow = true },
            chunk {
                $0.rowKey = Data("r1".utf8)
                $0.familyName = family("f")
                $0.qualifier = qualifier("q")
                $0.value = Data("w".utf8)
                $0.commitRow = true
            },
        ]
        reset.lastScannedRowKey = Data("r9".utf8)
        return [twoRows, reset].map { (try? $0.serializedBytes()) ?? [] }
    }()

    /// An `events_aggregate` cell as the aggregator reads it back after a restart; a decoded cell must
    /// re-encode to a cell that decodes equal.
    static let aggregateCell = FuzzTarget(
        name: "aggregate.cell", summary: "AggregateCell(encoded:), then encoded() round trip",
        seeds: aggregateCellSeeds, maximumInputBytes: 2048
    ) { bytes in
        .optional(
            AggregateCell(encoded: Data(bytes)), kind: "undecodable",
            meaning: "not an aggregate cell (unknown version, truncated, trailing bytes): the reader skips it",
            contract: { cell in AggregateCell(encoded: cell.encoded()) == cell ? nil : "the round trip changed the cell" })
    }

    static let aggregateCellSeeds: [[UInt8]] = {
        var full = AggregateCell()
        full.add(eventType: "song_play", userID: "u-0001", playMs: 215_347, priceMicros: nil, offset: 41)
        full.add(eventType: "purchase", userID: "u-0002", playMs: nil, priceMicros: 19_990_000, offset: 42)
        full.add(eventType: "song_play", userID: "u-中文", playMs: -5, priceMicros: Int64.max / 4, offset: Int64.max - 1)
        return [AggregateCell(), full].map { [UInt8]($0.encoded()) }
    }()
}
