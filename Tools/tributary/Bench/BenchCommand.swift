import Foundation
import Logging
import PipelineRuntime

/// `tributary bench [STAGE]`: measurements, never pass/fail tests. Each stage is run against a baseline in the
/// same invocation (same machine, same broker, same messages), and the result is a table plus a JSON file.
enum BenchCommand {
    enum Stage: String, CaseIterable, Sendable {
        case kafka
    }

    struct Configuration: Sendable {
        var stage: Stage
        var messages: Int
        var messageSize: Int
        var partitions: Int
        var runs: Int
        var jsonPath: String
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary bench",
        summary: """
            Measures a stage against its baseline in one run and prints a table; the figures are also written as \
            JSON. kafka: the Swift producer and consumer alone, then the Swift consume→produce relay against a \
            bare librdkafka relay written in C (Benchmarks/c-relay), alternating runs through the same local \
            broker with the same messages and consumer settings. Throughput varies a lot on a shared machine, \
            CPU time per message much less: both are reported, as medians over --runs.
            """,
        defaultLogLevel: .warning,
        configuration: { reader in
            let messages = reader.int(
                "messages", default: 400_000, help: "Messages per run.", range: 1_000...10_000_000)
            let size = reader.int("size", default: 100, help: "Payload bytes per message.", range: 1...100_000)
            let partitions = reader.int(
                "partitions", default: 16,
                help: "Partitions of the bench topics (the local broker keeps ~5 MiB per partition).", range: 1...256)
            let runs = reader.int("runs", default: 5, help: "Alternating runs of each relay.", range: 1...50)
            let json = reader.string(
                "json", default: "bench-results/bench.json", help: "Where the JSON results are written.")
            let stage = reader.positional("stage", help: "What to measure: kafka (default).") ?? "kafka"
            reader.require(Stage(rawValue: stage) != nil, "unknown stage \(stage); one of: kafka")
            return Configuration(
                stage: Stage(rawValue: stage) ?? .kafka, messages: messages, messageSize: size, partitions: partitions,
                runs: runs, jsonPath: json)
        },
        body: { configuration, logger in
            let report: BenchReport
            switch configuration.stage {
            case .kafka: report = try await KafkaBench(configuration: configuration, logger: logger).run()
            }
            print(report.table())
            try report.writeJSON(to: configuration.jsonPath)
            print("JSON written to \(configuration.jsonPath)")
            return 0
        })
}
