import Foundation
import PipelineBigtable
import Testing

/// Chunk reassembly, driven without a server, in the spirit of Bigtable's read-rows
/// acceptance tests: each case is a chunk sequence and either the cells it must yield or
/// the fact that it must be rejected (cells of rows committed before the error still count).
@Suite("ReadRows chunk reassembly")
struct ReadRowsStateMachineTests {
    struct Cell: Hashable, CustomStringConvertible {
        var row: String, family: String, qualifier: String, timestamp: Int64, value: String, labels: [String] = []
        var description: String { "\(row) \(family):\(qualifier)@\(timestamp)=\(value) \(labels)" }
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var chunks: [ReadRowsChunk]
        var cells: [Cell]
        var valid: Bool
        var description: String { name }
    }

    static func c(
        _ row: String? = nil, _ family: String? = nil, _ qualifier: String? = nil, ts: Int64 = 0,
        labels: [String] = [], value: String = "", size: Int32 = 0, _ status: ReadRowsChunk.RowStatus = .none
    ) -> ReadRowsChunk {
        ReadRowsChunk(
            rowKey: Data((row ?? "").utf8), familyName: family, qualifier: qualifier.map { Data($0.utf8) },
            timestampMicros: ts, labels: labels, value: Data(value.utf8), valueSize: size, rowStatus: status)
    }

    static func c(_ status: ReadRowsChunk.RowStatus) -> ReadRowsChunk { ReadRowsChunk(rowStatus: status) }

    static func x(
        _ row: String, _ family: String, _ qualifier: String, _ ts: Int64, _ value: String, _ labels: [String] = []
    ) -> Cell {
        Cell(row: row, family: family, qualifier: qualifier, timestamp: ts, value: value, labels: labels)
    }

    static let cases: [Case] = {
        return [
            Case(name: "no commit", chunks: [c("RK", "A", "C", ts: 100, value: "v")], cells: [], valid: false),
            Case(name: "bare commit first", chunks: [c(.commitRow)], cells: [], valid: false),
            Case(name: "value before cell key", chunks: [c(ts: 100, value: "v")], cells: [], valid: false),
            Case(
                name: "new family without qualifier",
                chunks: [c("RK", "A", "C", ts: 99, value: "v1"), c(nil, "B", ts: 98, value: "v2", .commitRow)],
                cells: [], valid: false),
            Case(
                name: "bare commit implies an empty ts=0 cell",
                chunks: [c("RK", "A", "C", ts: 100, value: "value-VAL"), c(.commitRow)],
                cells: [x("RK", "A", "C", 100, "value-VAL"), x("RK", "A", "C", 0, "")], valid: true),
            Case(
                name: "simple row", chunks: [c("RK", "A", "C", ts: 100, value: "value-VAL", .commitRow)],
                cells: [x("RK", "A", "C", 100, "value-VAL")], valid: true),
            Case(
                name: "empty value, implied ts", chunks: [c("RK", "A", "C", .commitRow)],
                cells: [x("RK", "A", "C", 0, "")], valid: true),
            Case(
                name: "two cells carry family and qualifier",
                chunks: [c("RK", "A", "C", ts: 99, value: "v1"), c(ts: 98, value: "v2", .commitRow)],
                cells: [x("RK", "A", "C", 99, "v1"), x("RK", "A", "C", 98, "v2")], valid: true),
            Case(
                name: "new qualifier carries family",
                chunks: [c("RK", "A", "C", ts: 99, value: "v1"), c(nil, nil, "D", ts: 98, value: "v2", .commitRow)],
                cells: [x("RK", "A", "C", 99, "v1"), x("RK", "A", "D", 98, "v2")], valid: true),
            Case(
                name: "two families",
                chunks: [c("RK", "A", "C", ts: 99, value: "v1"), c(nil, "B", "E", ts: 98, value: "v2", .commitRow)],
                cells: [x("RK", "A", "C", 99, "v1"), x("RK", "B", "E", 98, "v2")], valid: true),
            Case(
                name: "labels",
                chunks: [
                    c("RK", "A", "C", ts: 99, labels: ["L_1"], value: "v1"),
                    c(ts: 98, labels: ["L_2"], value: "v2", .commitRow),
                ],
                cells: [x("RK", "A", "C", 99, "v1", ["L_1"]), x("RK", "A", "C", 98, "v2", ["L_2"])], valid: true),
            Case(
                name: "split cell",
                chunks: [c("RK", "A", "C", ts: 100, value: "v", size: 9), c(value: "alue-VAL", .commitRow)],
                cells: [x("RK", "A", "C", 100, "value-VAL")], valid: true),
            Case(
                name: "split cell, then bare commit",
                chunks: [c("RK", "A", "C", ts: 100, value: "v", size: 9), c(value: "alue-VAL"), c(.commitRow)],
                cells: [x("RK", "A", "C", 100, "value-VAL"), x("RK", "A", "C", 0, "")], valid: true),
            Case(
                name: "split four ways keeps first chunk's labels",
                chunks: [
                    c("RK", "A", "C", ts: 100, labels: ["L"], value: "v", size: 9), c(value: "a", size: 9),
                    c(value: "l", size: 9), c(value: "ue-VAL", .commitRow),
                ],
                cells: [x("RK", "A", "C", 100, "value-VAL", ["L"])], valid: true),
            Case(
                name: "split cells across qualifiers and families",
                chunks: [
                    c("RK", "A", "C", ts: 99, value: "v", size: 10), c(value: "alue-VAL_1"),
                    c(nil, nil, "D", ts: 98, value: "v", size: 10), c(value: "alue-VAL_2"),
                    c(nil, "B", "E", ts: 97, value: "v", size: 10), c(value: "alue-VAL_3", .commitRow),
                ],
                cells: [
                    x("RK", "A", "C", 99, "value-VAL_1"), x("RK", "A", "D", 98, "value-VAL_2"),
                    x("RK", "B", "E", 97, "value-VAL_3"),
                ], valid: true),
            Case(
                name: "no commit between rows",
                chunks: [c("RK_1", "A", "C", ts: 100, value: "v"), c("RK_2", "A", "C", ts: 100, value: "v", .commitRow)],
                cells: [], valid: false),
            Case(
                name: "last row missing commit",
                chunks: [c("RK_1", "A", "C", ts: 100, value: "v", .commitRow), c("RK_2", "A", "C", ts: 100, value: "v")],
                cells: [x("RK_1", "A", "C", 100, "v")], valid: false),
            Case(
                name: "duplicate row key",
                chunks: [c("RK_1", "A", "C", ts: 100, value: "v", .commitRow), c("RK_1", "B", "D", value: "v", .commitRow)],
                cells: [x("RK_1", "A", "C", 100, "v")], valid: false),
            Case(
                name: "decreasing row key",
                chunks: [c("RK_2", "A", "C", value: "v", .commitRow), c("RK_1", "A", "C", value: "v", .commitRow)],
                cells: [x("RK_2", "A", "C", 0, "v")], valid: false),
            Case(
                name: "new row missing row key",
                chunks: [c("RK_1", "A", "C", ts: 100, value: "v", .commitRow), c(ts: 100, value: "v", .commitRow)],
                cells: [x("RK_1", "A", "C", 100, "v")], valid: false),
            Case(
                name: "two rows, the second with split cells",
                chunks: [
                    c("RK_1", "A", "C", ts: 100, value: "v1", .commitRow),
                    c("RK_2", "A", "C", ts: 100, value: "v", size: 2), c(value: "2", .commitRow),
                ],
                cells: [x("RK_1", "A", "C", 100, "v1"), x("RK_2", "A", "C", 100, "v2")], valid: true),
            Case(name: "bare reset", chunks: [c(.resetRow)], cells: [], valid: false),
            Case(
                name: "reset, then uncommitted row",
                chunks: [c("RK", "A", "C", value: "v"), c(.resetRow), c("RK", "A", "C", ts: 100, value: "v")],
                cells: [], valid: false),
            Case(
                name: "missing key after reset",
                chunks: [c("RK", "A", "C", value: "v"), c(.resetRow), c(ts: 100, value: "v", .commitRow)],
                cells: [], valid: false),
            Case(
                name: "no data after reset", chunks: [c("RK", "A", "C", ts: 100, value: "v"), c(.resetRow)],
                cells: [], valid: true),
            Case(
                name: "reset replaces the row",
                chunks: [
                    c("RK", "A", "C", ts: 100, value: "v1"), c(ts: 98, value: "v2"), c(.resetRow),
                    c("RK", "B", "D", ts: 100, value: "v3"), c(nil, nil, "E", ts: 97, value: "v4", .commitRow),
                ],
                cells: [x("RK", "B", "D", 100, "v3"), x("RK", "B", "E", 97, "v4")], valid: true),
            Case(
                name: "two resets",
                chunks: [
                    c("RK", "A", "C", value: "v1"), c(.resetRow), c("RK", "A", "C", value: "v2"), c(.resetRow),
                    c("RK", "A", "C", ts: 100, value: "v3", .commitRow),
                ],
                cells: [x("RK", "A", "C", 100, "v3")], valid: true),
            Case(
                name: "reset inside a split cell, then a new row",
                chunks: [
                    c("RK", "A", "C", ts: 100, labels: ["L"], value: "v", size: 10), c(value: "a", size: 10),
                    c(.resetRow), c("RK_1", "A", "C", ts: 100, value: "value-VAL_1", .commitRow),
                ],
                cells: [x("RK_1", "A", "C", 100, "value-VAL_1")], valid: true),
            Case(
                name: "reset carrying data",
                chunks: [c("RK", "A", "C", value: "v", size: 10), c(value: "a", size: 10, .resetRow)],
                cells: [], valid: false),
            Case(
                name: "commit inside a split cell",
                chunks: [c("RK", "A", "C", value: "v", size: 10), c(value: "a", size: 10, .commitRow)],
                cells: [], valid: false),
            Case(
                name: "continuation carrying a qualifier",
                chunks: [c("RK", "A", "C", value: "v", size: 10), c(nil, nil, "D", value: "a", .commitRow)],
                cells: [], valid: false),
            Case(
                name: "empty chunks each add a cell",
                chunks: [c("RK", "A", "C", ts: 100, value: "v"), c(), c(.commitRow)],
                cells: [x("RK", "A", "C", 100, "v"), x("RK", "A", "C", 0, ""), x("RK", "A", "C", 0, "")], valid: true),
            Case(
                name: "row key repeated inside its own row is allowed",
                chunks: [c("RK", "A", "C", ts: 2, value: "v1"), c("RK", nil, nil, ts: 1, value: "v2", .commitRow)],
                cells: [x("RK", "A", "C", 2, "v1"), x("RK", "A", "C", 1, "v2")], valid: true),
        ]
    }()

    /// Flattens rows to cells: rows in order, families and qualifiers sorted, cells in order.
    static func flatten(_ rows: [BigtableRow]) -> [Cell] {
        rows.flatMap { row in
            row.families.keys.sorted().flatMap { family in
                row.families[family]!.keys.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { qualifier in
                    row.families[family]![qualifier]!.map { cell in
                        Cell(
                            row: String(decoding: row.key, as: UTF8.self), family: family,
                            qualifier: String(decoding: qualifier, as: UTF8.self), timestamp: cell.timestampMicros,
                            value: String(decoding: cell.value, as: UTF8.self), labels: cell.labels)
                    }
                }
            }
        }
    }

    static func sorted(_ cells: [Cell]) -> [Cell] {
        // Stable: equal (row, family, qualifier) keep their order, like flatten.
        cells.enumerated().sorted { a, b in
            let ka = (a.element.row, a.element.family, a.element.qualifier)
            let kb = (b.element.row, b.element.family, b.element.qualifier)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    @Test("acceptance case", arguments: cases)
    func acceptance(_ testCase: Case) {
        var machine = ReadRowsStateMachine()
        var rows: [BigtableRow] = []
        var failed = false
        do {
            for chunk in testCase.chunks {
                if let row = try machine.process(chunk) { rows.append(row) }
            }
            try machine.finish()
        } catch {
            #expect(error.kind == .invalidReadRowsResponse)
            failed = true
        }
        #expect(failed == !testCase.valid, "\(testCase.name)")
        #expect(Self.flatten(rows) == Self.sorted(testCase.cells), "\(testCase.name)")
    }

    @Test("a large value split into many chunks is reassembled byte for byte")
    func largeSplitValue() throws {
        let value = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var machine = ReadRowsStateMachine()
        let size = Int32(value.count)
        var result: BigtableRow?
        var offset = 0
        var first = true
        while offset < value.count {
            let end = min(offset + 4096, value.count)
            let last = end == value.count
            let chunk = ReadRowsChunk(
                rowKey: first ? Data("row".utf8) : Data(), familyName: first ? "f" : nil,
                qualifier: first ? Data("q".utf8) : nil, timestampMicros: first ? 5000 : 0,
                value: value[offset..<end], valueSize: last ? 0 : size, rowStatus: last ? .commitRow : .none)
            result = try machine.process(chunk)
            #expect((result != nil) == last)
            first = false
            offset = end
        }
        try machine.finish()
        #expect(result?.cells(family: "f", qualifier: "q") == [BigtableCell(timestampMicros: 5000, value: value)])
    }
}
