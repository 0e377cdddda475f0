import PipelineMessages
import PipelineRuntime

/// One reason's line in `tributary dlq list`.
struct DeadLetterSummary {
    var reason: String
    var count = 0
    var replayed = 0
    var stages: [String: Int] = [:]
    var topics: [String: Int] = [:]

    init(reason: String) {
        self.reason = reason
    }

    mutating func add(_ entry: DeadLetterLog.Entry) {
        count += 1
        stages[entry.letter.stage, default: 0] += 1
        topics[entry.letter.topic, default: 0] += 1
    }

    static func table(_ summaries: [DeadLetterSummary], total: Int, undecodable: Int) -> String {
        guard !summaries.isEmpty else { return "no dead letters" }
        var lines = ["reason                        count     replayed  stages / source topics"]
        for summary in summaries {
            let pad = { (text: String, width: Int) in text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
            lines.append(
                pad(summary.reason, 30) + pad("\(summary.count)", 10) + pad("\(summary.replayed)", 10)
                    + summary.stages.keys.sorted().joined(separator: ",") + " / "
                    + summary.topics.keys.sorted().joined(separator: ","))
        }
        lines.append("\(total) dead letters" + (undecodable > 0 ? ", \(undecodable) undecodable" : ""))
        return lines.joined(separator: "\n")
    }

    static func json(_ summaries: [DeadLetterSummary], total: Int, undecodable: Int) -> String {
        func object(_ counts: [String: Int]) -> String {
            "{" + counts.keys.sorted().map { "\(JSONText.quoted($0)):\(counts[$0]!)" }.joined(separator: ",") + "}"
        }
        let reasons = summaries.map {
            "{\"reason\":\(JSONText.quoted($0.reason)),\"count\":\($0.count),\"replayed\":\($0.replayed),"
                + "\"stages\":\(object($0.stages)),\"topics\":\(object($0.topics))}"
        }
        return "{\"total\":\(total),\"undecodable\":\(undecodable),\"reasons\":[\(reasons.joined(separator: ","))]}"
    }
}
