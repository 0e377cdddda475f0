import Foundation

/// One measured row: a stage or a baseline, with its repeated samples.
struct BenchRow: Sendable {
    var name: String
    /// Messages (or events) per run.
    var messages: Int
    /// Wall seconds per run.
    var seconds: [Double]
    /// CPU seconds per run, of the process doing the work only.
    var cpuSeconds: [Double]

    var throughputs: [Double] { seconds.map { Double(messages) / $0 } }
    var cpuMicrosPerMessage: [Double] { cpuSeconds.map { $0 * 1e6 / Double(messages) } }
    var medianThroughput: Double { Self.median(throughputs) }
    var medianCPUMicros: Double { Self.median(cpuMicrosPerMessage) }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// A ratio of a stage to its baseline, the figure the project tracks.
struct BenchRatio: Sendable {
    var name: String
    /// Stage throughput ÷ baseline throughput (higher is better; the goal is stated with it).
    var throughput: Double
    /// Stage CPU per message ÷ baseline CPU per message (lower is better).
    var cpu: Double
    var goal: String
}

/// The result of one `tributary bench` invocation: a table for people, JSON for tracking.
struct BenchReport: Sendable {
    var stage: String
    var settings: [String: String]
    var rows: [BenchRow]
    var ratios: [BenchRatio]
    /// What one unit of work is called in the table: "msg", "event", "row".
    var unit = "msg"
    /// Lines printed under the table: checks of the outputs, skipped rows and why, context for the figures.
    var notes: [String] = []

    func table() -> String {
        var lines = ["bench \(stage): " + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")]
        let width = max(26, (rows.map(\.name.count).max() ?? 0) + 2)
        lines.append(
            pad("", width) + pad("\(unit)s/s median", 16) + pad("min–max", 22) + pad("CPU µs/\(unit)", 12) + "runs")
        for row in rows {
            let spread = "\(format(row.throughputs.min() ?? .nan))–\(format(row.throughputs.max() ?? .nan))"
            lines.append(
                pad(row.name, width) + pad(format(row.medianThroughput), 16) + pad(spread, 22)
                    + pad(String(format: "%.2f", row.medianCPUMicros), 12) + "\(row.seconds.count)")
        }
        for ratio in ratios {
            lines.append(
                "\(ratio.name): throughput \(String(format: "%.2f", ratio.throughput))×, "
                    + "CPU per \(unit) \(String(format: "%.2f", ratio.cpu))× (\(ratio.goal))")
        }
        lines += notes.map { "note: " + $0 }
        return lines.joined(separator: "\n")
    }

    func writeJSON(to path: String) throws {
        let object: [String: Any] = [
            "stage": stage,
            "settings": settings,
            "rows": rows.map { row in
                [
                    "name": row.name, "messages": row.messages, "seconds": row.seconds, "cpu_seconds": row.cpuSeconds,
                    "median_msgs_per_s": row.medianThroughput, "median_cpu_us_per_msg": row.medianCPUMicros,
                ] as [String: Any]
            },
            "ratios": ratios.map { ["name": $0.name, "throughput": $0.throughput, "cpu": $0.cpu, "goal": $0.goal] },
            "unit": unit,
            "notes": notes,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try data.write(to: URL(fileURLWithPath: path))
    }

    private func format(_ value: Double) -> String {
        value.isFinite ? String(Int(value.rounded())) : "-"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
