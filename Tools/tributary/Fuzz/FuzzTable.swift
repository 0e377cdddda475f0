import Foundation
import PipelineFuzzing

/// The fuzz report as a table for the terminal and docs, and as JSON.
enum FuzzTable {
    static let header = [
        "target", "executions", "accepted", "rejected", "error kinds", "failures", "slowest µs", "exec/s", "crashes",
    ]

    static func cells(_ report: FuzzReport) -> [String] {
        let rate = report.elapsedSeconds > 0 ? Int((Double(report.executions) / report.elapsedSeconds).rounded()) : 0
        return [
            report.target, "\(report.executions)", "\(report.accepted)", "\(report.rejected)",
            "\(report.distinctErrorKinds)", "\(report.failures)", String(format: "%.0f", report.slowestMicros),
            "\(rate)", "\(report.crashes)",
        ]
    }

    /// One line as a target finishes (progress on a long run).
    static func row(_ report: FuzzReport) -> String {
        cells(report).joined(separator: "  ")
    }

    /// A Markdown table of every report.
    static func render(_ reports: [FuzzReport]) -> String {
        let rows = [header] + reports.map(cells)
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            "| " + row.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { index, width in
            index == 0 ? String(repeating: "-", count: width + 2) : String(repeating: "-", count: width + 1) + ":"
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
    }

    static func writeJSON(_ reports: [FuzzReport], seed: UInt64, to path: String) throws {
        struct Document: Encodable {
            var seed: UInt64
            var date: String
            var reports: [FuzzReport]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let date = ISO8601DateFormatter().string(from: Date())
        let data = try encoder.encode(Document(seed: seed, date: date, reports: reports))
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
