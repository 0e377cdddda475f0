import Foundation
import Logging
import PipelineRuntime

/// `tributary bench [STAGE]`: measurements, never pass/fail tests. Each stage is run against a baseline in the
/// same invocation (same machine, same broker, same messages), and the result is a table plus a JSON file.
enum BenchCommand {
    enum Stage: String, CaseIterable, Sendable {
        case kafka
        case transform
    }

    struct Configuration: Sendable {
        var stage: Stage
        var messages: Int
        var messageSize: Int
        var partitions: Int
        var runs: Int
        var jsonPath: String
        /// transform: the rules file, the synthetic stream's seed and bad fraction.
        var rulesPath: String
        var seed: UInt64
        var badFraction: Double
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary bench",
        summary: """
            Measures a stage against its baseline in one run and prints a table; the figures are also written as \
            JSON. kafka: the Swift producer and consumer alone, then the Swift consume→produce relay against a \
            bare librdkafka relay written in C (Benchmarks/c-relay), alternating runs through the same local \
            broker with the same messages and consumer settings. Throughput varies a lot on a shared machine, \
            CPU time per message much less: both are reported, as medians over --runs. transform: the transformer's \
            hot path alone (payload bytes → checks → CleanEvent wire bytes), single-threaded, over pre-generated \
            synthetic payloads, against the 1,000,000 events/s per core goal.
            """,
        defaultLogLevel: .warning,
        configuration: { reader in
            let messages = reader.optionalInt(
                "messages", help: "Messages (events) per run; default 400000 for kafka, 500000 for transform.",
                range: 1_000...10_000_000)
            let size = reader.int("size", default: 100, help: "Payload bytes per message.", range: 1...100_000)
            let partitions = reader.int(
                "partitions", default: 16,
                help: "Partitions of the bench topics (the local broker keeps ~5 MiB per partition).", range: 1...256)
            let runs = reader.int("runs", default: 5, help: "Alternating runs of each relay.", range: 1...50)
            let json = reader.string(
                "json", default: "bench-results/bench.json", help: "Where the JSON results are written.")
            let rules = reader.string(
                "rules", default: "config/quality-rules.json", help: "transform: the quality rules file.")
            let seed = reader.int("seed", default: 1, help: "transform: seed of the synthetic stream.", range: 0...Int.max)
            let bad = reader.double(
                "bad-fraction", default: 0.02, help: "transform: share of bad records.", range: 0...1)
            let stage = reader.positional("stage", help: "What to measure: kafka (default) or transform.") ?? "kafka"
            reader.require(Stage(rawValue: stage) != nil, "unknown stage \(stage); one of: kafka, transform")
            let chosen = Stage(rawValue: stage) ?? .kafka
            return Configuration(
                stage: chosen, messages: messages ?? (chosen == .transform ? 500_000 : 400_000), messageSize: size,
                partitions: partitions, runs: runs, jsonPath: json, rulesPath: rules, seed: UInt64(seed),
                badFraction: bad)
        },
        body: { configuration, logger in
            let report: BenchReport
            switch configuration.stage {
            case .kafka: report = try await KafkaBench(configuration: configuration, logger: logger).run()
            case .transform: report = try TransformBench(configuration: configuration).run()
            }
            print(report.table())
            try report.writeJSON(to: configuration.jsonPath)
            print("JSON written to \(configuration.jsonPath)")
            return 0
        })
}
