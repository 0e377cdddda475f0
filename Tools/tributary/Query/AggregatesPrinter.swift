import Foundation
import PipelineRuntime
import PipelineTables

/// Renders summed aggregate windows for people (a table) or scripts (JSON).
enum AggregatesPrinter {
    static func table(_ windows: [AggregateTotals]) -> String {
        guard !windows.isEmpty else { return "no aggregates for that value and range" }
        var lines = [
            "window start (UTC)        events    users   play ms sum  play ms max   price sum  final  by event type"
        ]
        for totals in windows {
            let types = totals.countByType.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            lines.append(
                pad(TimeText.iso(totals.window.startMs), 24) + right(totals.count, 8) + right(totals.distinctUsers, 9)
                    + right(totals.playMsSum, 14) + right(totals.playMsMax, 13)
                    + right(String(format: "%.2f", Double(totals.priceMicrosSum) / 1e6), 12)
                    + right(totals.isFinal ? "yes" : "no", 7) + "  " + types.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ windows: [AggregateTotals]) -> String {
        let objects = windows.map { totals -> String in
            let types = totals.countByType.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }
            return "{\"granularity\":\(JSONText.quoted(totals.window.granularity.rawValue)),"
                + "\"window_start_ms\":\(totals.window.startMs),\"window_start\":\(JSONText.quoted(TimeText.iso(totals.window.startMs))),"
                + "\"events\":\(totals.count),\"distinct_users\":\(totals.distinctUsers),"
                + "\"play_ms_sum\":\(totals.playMsSum),\"play_ms_max\":\(totals.playMsMax),"
                + "\"price_micros_sum\":\(totals.priceMicrosSum),\"price_micros_max\":\(totals.priceMicrosMax),"
                + "\"final\":\(totals.isFinal),\"partitions\":\(totals.partitions.count),"
                + "\"by_event_type\":{\(types.joined(separator: ","))}}"
        }
        return "[" + objects.joined(separator: ",\n") + "]"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func right(_ value: some CustomStringConvertible, _ width: Int) -> String {
        let text = value.description
        return text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
