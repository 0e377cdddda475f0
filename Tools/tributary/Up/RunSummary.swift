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

/// The end-of-run report of `tributary up`, checked against the seed's expected counts.
struct RunSummary {
    let configuration: UpCommand.Configuration
    var generatorExitCode: Int32 = -1
    var generator: GeneratorResult?
    var drained = false
    var stages: [(String, StageSampler.Progress)] = []
    var expected: String = "{}"
    var deadLetters: [String: [String: Int]] = [:]
    var cleanEvents = 0
    var factRows = 0
    /// The day's top pages and songs from events_aggregate, printed last.
    var topAggregates: [String] = []

    private var expectedObject: (good: Int, deadLetters: [String: Int])? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [String: Any],
            let good = object["good"] as? Int, let dead = object["dead_letters"] as? [String: Int]
        else { return nil }
        return (good, dead)
    }

    private var transformerDeadLetters: [String: Int] { deadLetters["transformer"] ?? [:] }

    /// The run matches the seed's expectations exactly (only meaningful for a run that sent everything).
    var succeeded: Bool {
        guard generatorExitCode == 0, drained, let expected = expectedObject else { return false }
        let dead = transformerDeadLetters.filter { $0.value > 0 }
        return factRows == expected.good && dead == expected.deadLetters.filter { $0.value > 0 }
    }

    func text() -> String {
        var lines = ["", "Tributary local run: seed \(configuration.seed), \(NumberText.grouped(configuration.total)) events requested"]
        if let generator {
            let rate = generator.seconds > 0 ? Double(generator.sent) / generator.seconds : 0
            lines.append(
                "  generator        sent \(NumberText.grouped(generator.sent)), acknowledged \(NumberText.grouped(generator.acknowledged)), "
                    + "failed \(generator.failed)  (\(NumberText.grouped(Int(rate.rounded())))/s)")
        } else {
            lines.append("  generator        exited with \(generatorExitCode) without a summary")
        }
        for (name, progress) in stages {
            lines.append(
                "  \(pad(name, 16)) consumed \(NumberText.grouped(Int(progress.committed)))  "
                    + "(\(NumberText.grouped(Int(progress.rate.rounded())))/s)")
        }
        lines.append("  events.clean     \(NumberText.grouped(cleanEvents)) clean events")
        lines.append("  events_fact      \(NumberText.grouped(factRows)) rows in Bigtable")
        let allDead = deadLetters.flatMap { stage, reasons in reasons.map { ("\(stage)/\($0.key)", $0.value) } }.sorted { $0.0 < $1.0 }
        lines.append(
            "  events.dlq       \(NumberText.grouped(allDead.reduce(0) { $0 + $1.1 })) dead letters"
                + (allDead.isEmpty ? "" : ": " + allDead.map { "\($0.0) \(NumberText.grouped($0.1))" }.joined(separator: ", ")))
        if let expected = expectedObject {
            let rowsOK = factRows == expected.good
            let dead = transformerDeadLetters.filter { $0.value > 0 }
            let deadOK = dead == expected.deadLetters.filter { $0.value > 0 }
            lines.append(
                "  expected         \(NumberText.grouped(expected.good)) rows \(rowsOK ? "✓" : "✗"), dead letters by reason "
                    + (deadOK ? "✓" : "✗ (expected \(expected.deadLetters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))"))
        }
        if !drained { lines.append("  (the pipeline had not drained within \(configuration.drainTimeout))") }
        lines += topAggregates.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
