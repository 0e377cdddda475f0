import Foundation
import PipelineRuntime
import PipelineTables

/// Renders fact rows for people (a table) or scripts (JSON, every column).
enum EventsPrinter {
    static func table(_ rows: [FactRow], user: String) -> String {
        guard !rows.isEmpty else { return "no events for user \(user) in that range" }
        var lines = ["event time (UTC)          type              event id                    details"]
        for row in rows {
            var details: [String] = []
            if let page = row["event_data:page"] { details.append(page) }
            if let title = row["event_data:song_title"], let artist = row["event_data:song_artist"] {
                details.append("\(artist) – \(title)")
            }
            if let item = row["event_data:item_id"] {
                let price = row["event_data:price_micros"].flatMap(Double.init).map { String(format: "%.2f", $0 / 1e6) } ?? "?"
                details.append("\(item) @ \(price)")
            }
            lines.append(
                pad(TimeText.iso(row.eventTimeMs), 26) + pad(row["event_data:event_type"] ?? "?", 18)
                    + pad(row.eventID, 28) + details.joined(separator: "  "))
        }
        lines.append("\(rows.count) event\(rows.count == 1 ? "" : "s"), newest first")
        return lines.joined(separator: "\n")
    }

    static func json(_ rows: [FactRow]) -> String {
        let objects = rows.map { row -> String in
            var fields = [
                "\"row_key\":\(JSONText.quoted(row.rowKey))", "\"event_id\":\(JSONText.quoted(row.eventID))",
                "\"user_id\":\(JSONText.quoted(row.userID))", "\"event_time_ms\":\(row.eventTimeMs)",
            ]
            let columns = row.columns.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }
            fields.append("\"columns\":{\(columns.joined(separator: ","))}")
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n") + "]"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// Times on the command line: epoch milliseconds, ISO-8601 UTC, or a date.
enum TimeText {
    static func parse(_ text: String) -> Int64? {
        if let ms = Int64(text) { return ms }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    static func iso(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
