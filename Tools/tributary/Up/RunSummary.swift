import Foundation
import PipelineKafka
import PipelineRuntime

/// What the generator reported (its `--json` summary line).
struct GeneratorResult {
    var sent: Int
    var acknowledged: Int
    var failed: Int
    var seconds: Double

    init?(json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let sent = object["sent"] as? Int, let acknowledged = object["acknowledged"] as? Int,
            let failed = object["failed"] as? Int, let seconds = object["seconds"] as? Double
        else { return nil }
        self.sent = sent
        self.acknowledged = acknowledged
        self.failed = failed
        self.seconds = seconds
    }
}

/// The end-of-run report of `tributary up`.
struct RunSummary {
    let configuration: UpCommand.Configuration
    var generatorExitCode: Int32 = -1
    var generator: GeneratorResult?
    var expected: String = "{}"
    var rawOffsets: [PartitionOffsets] = []

    func text() -> String {
        var lines = ["", "Tributary local run: seed \(configuration.seed), \(NumberText.grouped(configuration.total)) events requested"]
        lines.append("  stage        sent / written     acknowledged   failed    throughput")
        if let generator {
            let rate = generator.seconds > 0 ? Double(generator.sent) / generator.seconds : 0
            lines.append(
                "  generator    \(column(NumberText.grouped(generator.sent), 18)) \(column(NumberText.grouped(generator.acknowledged), 14)) "
                    + "\(column(NumberText.grouped(generator.failed), 9)) \(NumberText.grouped(Int(rate.rounded())))/s")
        } else {
            lines.append("  generator    exited with \(generatorExitCode) without a summary")
        }
        let kept = rawOffsets.reduce(Int64(0)) { $0 + $1.high - $1.low }
        let written = rawOffsets.reduce(Int64(0)) { $0 + $1.high }
        lines.append("  events.raw   \(NumberText.grouped(Int(written))) messages in \(rawOffsets.count) partitions (\(NumberText.grouped(Int(kept))) still held by the local broker)")
        lines.append("  expected     \(expectedLine())")
        return lines.joined(separator: "\n")
    }

    private func expectedLine() -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [String: Any],
            let good = object["good"] as? Int, let dead = object["dead_letters"] as? [String: Int]
        else { return expected }
        let reasons = dead.sorted { $0.key < $1.key }.map { "\($0.key) \(NumberText.grouped($0.value))" }
        return "good \(NumberText.grouped(good)); dead letters " + reasons.joined(separator: ", ")
    }

    private func column(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
