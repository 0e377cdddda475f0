import Logging
import PipelineRuntime

/// What `generator events` prints at the end, as text for people or one JSON line for scripts.
struct GenerationSummary {
    var seed: UInt64
    var stats: GenerationStats.Snapshot
    /// Time spent sending (the flush afterwards is not counted).
    var seconds: Double
    var stopReason: String
    var requestedRate: Double?

    var achievedRate: Double { seconds > 0 ? Double(stats.sent) / seconds : 0 }

    var json: String {
        var fields = [
            "\"seed\":\(seed)", "\"sent\":\(stats.sent)", "\"acknowledged\":\(stats.acknowledged)",
            "\"failed\":\(stats.failed)", "\"pending\":\(stats.pending)",
            "\"seconds\":\(JSONText.number(seconds))", "\"rate\":\(JSONText.number(achievedRate, digits: 1))",
            "\"stop_reason\":\(JSONText.quoted(stopReason))",
        ]
        if let requestedRate { fields.append("\"requested_rate\":\(JSONText.number(requestedRate, digits: 1))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    var text: String {
        var lines = [
            "generator summary (seed \(seed), \(stopReason))",
            "  sent          \(NumberText.grouped(stats.sent)) events in \(JSONText.number(seconds, digits: 2)) s",
            "  rate          \(NumberText.grouped(Int(achievedRate.rounded())))/s"
                + (requestedRate.map { " (requested \(NumberText.grouped(Int($0)))/s)" } ?? ""),
            "  acknowledged  \(NumberText.grouped(stats.acknowledged))",
            "  failed        \(NumberText.grouped(stats.failed))",
        ]
        if stats.pending > 0 { lines.append("  undelivered   \(NumberText.grouped(stats.pending))") }
        return lines.joined(separator: "\n")
    }

    var metadata: Logger.Metadata {
        [
            "sent": "\(stats.sent)", "acknowledged": "\(stats.acknowledged)", "failed": "\(stats.failed)",
            "seconds": "\(JSONText.number(seconds))", "rate": "\(JSONText.number(achievedRate, digits: 1))",
        ]
    }
}
