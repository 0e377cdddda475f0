import Foundation
import PipelineBigtable

/// Mutation entries as the CSV `cbt import` reads, so cbt writes exactly the cells the writer writes.
///
/// Two header rows (families, then qualifiers; the first column is the row key), then one line per row whose
/// cells are `value@timestampMicros`, read with `timestamp=value-encoded`. Columns are the union of every row's
/// qualifiers, grouped by family; a row leaves the columns it does not set empty (cbt writes no cell there).
/// Fields holding a comma, quote or line break are quoted as RFC 4180 says.
struct FactTableCSV {
    let families: [String]
    private(set) var columns: [(family: String, qualifier: Data)] = []
    private(set) var cells = 0
    private(set) var rows = 0
    private var bytes: [UInt8] = []

    /// - Parameter families: the families in column order.
    init(families: [String]) {
        self.families = families
    }

    /// Builds the file's content for `entries` (SetCell mutations only; the writer emits nothing else).
    mutating func encode(_ entries: [BigtableMutationEntry]) {
        var index: [String: [Data: Int]] = [:]
        var perFamily: [String: [Data]] = [:]
        for entry in entries {
            for case .setCell(let family, let qualifier, _, _) in entry.mutations where index[family]?[qualifier] == nil {
                index[family, default: [:]][qualifier] = perFamily[family, default: []].count
                perFamily[family, default: []].append(qualifier)
            }
        }
        columns = families.flatMap { family in (perFamily[family] ?? []).map { (family, $0) } }
        var firstColumn: [String: Int] = [:]
        var next = 0
        for family in families {
            firstColumn[family] = next
            next += perFamily[family]?.count ?? 0
        }
        bytes = []
        bytes.reserveCapacity(entries.count * 1_200)
        // Header rows: each family named once, above its first column.
        var previous: String?
        for column in columns {
            bytes.append(UInt8(ascii: ","))
            if column.family != previous { append(Data(column.family.utf8)) }
            previous = column.family
        }
        bytes.append(10)
        for column in columns {
            bytes.append(UInt8(ascii: ","))
            append(column.qualifier)
        }
        bytes.append(10)
        var line = [Data?](repeating: nil, count: columns.count)
        for entry in entries {
            for i in line.indices { line[i] = nil }
            for case .setCell(let family, let qualifier, let micros, let value) in entry.mutations {
                guard let start = firstColumn[family], let offset = index[family]?[qualifier] else { continue }
                let at = start + offset
                line[at] = value + Data("@\(micros)".utf8)
                cells += 1
            }
            append(entry.rowKey)
            for cell in line {
                bytes.append(UInt8(ascii: ","))
                if let cell { append(cell) }
            }
            bytes.append(10)
            rows += 1
        }
    }

    func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Appends one field, quoted when it must be.
    private mutating func append(_ field: Data) {
        let special = field.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard special else {
            bytes.append(contentsOf: field)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in field {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
