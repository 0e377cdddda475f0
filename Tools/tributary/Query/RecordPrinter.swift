import PipelineRuntime
import PipelineTables

/// Renders a Salesforce record for people (aligned columns) or scripts (JSON with nulls).
enum RecordPrinter {
    static func table(_ record: SalesforceRecordRow, history: Bool) -> String {
        var lines = ["\(record.object)#\(record.id)"]
        let when = record.lastChangeMs.map(TimeText.iso) ?? "?"
        lines.append(
            "deleted: \(record.deleted ? "yes" : "no")   last change: \(record.changeType ?? "?") from "
                + "\(record.source ?? "?") at \(when)")
        let width = max(5, record.fields.keys.map(\.count).max() ?? 0) + 2
        lines.append("")
        lines.append(pad("field", width) + "value")
        for (name, value) in record.fields.sorted(by: { $0.key < $1.key }) {
            lines.append(pad(name, width) + (value ?? "null"))
        }
        if history {
            lines.append("")
            lines.append("history, newest first:")
            for version in record.history {
                let change = "\(version.meta["change_type"] ?? "?") \(version.meta["source"] ?? "")"
                let fields = version.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "null")" }
                lines.append(pad(TimeText.iso(version.timestampMs), 26) + pad(change, 16) + fields.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ record: SalesforceRecordRow, history: Bool) -> String {
        var parts = [
            "\"object\":\(JSONText.quoted(record.object))", "\"id\":\(JSONText.quoted(record.id))",
            "\"deleted\":\(record.deleted)",
            "\"change_type\":\(record.changeType.map(JSONText.quoted) ?? "null")",
            "\"source\":\(record.source.map(JSONText.quoted) ?? "null")",
            "\"last_change_ms\":\(record.lastChangeMs.map(String.init) ?? "null")",
            "\"fields\":\(object(record.fields))", "\"meta\":\(object(record.meta))",
        ]
        if history {
            let versions = record.history.map { version in
                "{\"timestamp_ms\":\(version.timestampMs),\"fields\":\(object(version.fields)),"
                    + "\"meta\":\(object(version.meta))}"
            }
            parts.append("\"history\":[\(versions.joined(separator: ","))]")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    private static func object(_ values: [String: String?]) -> String {
        let members = values.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value.map(JSONText.quoted) ?? "null")" }
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func object(_ values: [String: String]) -> String {
        object(values.mapValues { Optional($0) })
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
