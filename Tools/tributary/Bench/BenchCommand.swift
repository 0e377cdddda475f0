import Foundation
import Logging
import PipelineRuntime

/// `tributary bench [STAGE]`: measurements, never pass/fail tests. Each stage is run against a baseline in the
/// same invocation (same machine, same broker, same messages), and the result is a table plus a JSON file.
enum BenchCommand {
    enum Stage: String, CaseIterable, Sendable {
        case kafka
        case transform
        case transformer
        case write
        case writer
        case pipeline
        case aggregate
        case aggregator
        case soak
        case scale

        /// Events (messages, rows) per run when --messages is not given: sized so a stage takes a few minutes.
        var defaultMessages: Int {
            switch self {
            case .kafka: 400_000
            case .transform: 500_000
            case .transformer: 300_000
            case .write: 100_000
            case .writer: 100_000
            case .pipeline: 200_000
            case .aggregate: 300_000
            case .aggregator: 200_000
            case .soak: 0  // sized by --rate and --duration
            case .scale: 200_000
            }
        }

        /// Runs when --runs is not given: the process stages are slower per run (group joins, emulators).
        var defaultRuns: Int {
            switch self {
            case .kafka, .transform, .write, .aggregate: 5
            case .transformer, .writer, .aggregator: 3
            case .pipeline: 2
            case .soak, .scale: 1
            }
        }
    }

    struct Configuration: Sendable {
        var stage: Stage
        var messages: Int
        var messageSize: Int
        /// Partitions of the bench topics; `nil`: the stage sizes them for its data (the broker keeps ~5 MiB each).
        var partitions: Int?
        var runs: Int
        var jsonPath: String
        /// transform: the rules file, the synthetic stream's seed and bad fraction.
        var rulesPath: String
        var seed: UInt64
        var badFraction: Double
        /// transformer: whether to run the Python baseline, and the venv it runs in.
        var python: Bool
        var venv: String
        /// soak: events per second, how long, how often to sample, and where the charts go.
        var rate: Int
        var duration: Double
        var interval: Double
        var chartsDirectory: String
        /// scale: the instance counts to run each stage with.
        var instances: [Int]
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary bench",
        summary: """
            Measures a stage against its baseline in one run and prints a table; the figures are also written as \
            JSON. Stages (default kafka): \
            kafka — the Swift producer and consumer alone, then the Swift consume→produce relay against a bare \
            librdkafka relay written in C (Benchmarks/c-relay), alternating runs through the same local broker with \
            the same messages and consumer settings. \
            transform — the transformer's hot path alone (payload bytes → checks → CleanEvent wire bytes), \
            single-threaded, over pre-generated synthetic payloads, against the 1,000,000 events/s per core goal. \
            transformer — the transformer process through the broker (events.raw → events.clean/events.dlq, \
            --exit-after) against c-relay moving the same messages and a Python transformer \
            (Benchmarks/python-transformer, in a venv it sets up with pip), each run's outputs checked against the \
            seed's expected counts. \
            write — the bigtable-writer's own work per row alone, single-threaded, no Kafka or Bigtable: \
            CleanEvent bytes → events_fact mutation entry → MutateRows request bytes, in batches of 1,000 rows, and \
            each part on its own. \
            writer — the bigtable-writer process against `cbt import` (1 and 4 workers) of the same rows into the \
            Bigtable emulator, a fresh emulator per measurement. \
            pipeline — generator → transformer → bigtable-writer together at full speed: events/s end to end and \
            CPU per event of the three processes. \
            aggregate — the aggregator's core alone (apply + flush), single-threaded, against the 500,000 events/s \
            per core goal. \
            aggregator — the aggregator process through the broker into the Bigtable emulator \
            (--exit-after), against c-relay moving the same clean events. \
            soak — generator → transformer → bigtable-writer and aggregator at a fixed --rate for --duration, \
            sampling each service's resident memory and the end-to-end latency (p50/p99 per --interval and over the \
            run); writes SVG charts of both to --charts. \
            scale — 1, 2 and 4 (--instances) transformer, bigtable-writer and aggregator instances in one consumer \
            group over the same input, throughput and CPU per event from the group's commits, the tables' row \
            counts compared; writes a chart of throughput against instances to --charts. \
            Throughput varies a lot on a shared machine, CPU time per message much less: both are reported, as \
            medians over --runs, and every process's CPU is its own. Run from the repository root with a release \
            build (`swift build -c release`).
            """,
        defaultLogLevel: .warning,
        configuration: { reader in
            let messages = reader.optionalInt(
                "messages",
                help: "Messages (events, rows) per run; default 400000 kafka, 500000 transform, 300000 transformer, "
                    + "100000 write and writer, 200000 pipeline.",
                range: 1_000...10_000_000)
            let size = reader.int("size", default: 100, help: "kafka: payload bytes per message.", range: 1...100_000)
            let partitions = reader.optionalInt(
                "partitions",
                help: "Partitions of the bench topics; default 16 for kafka, else sized for the data (the local "
                    + "broker keeps ~5 MiB per partition).",
                range: 1...512)
            let runs = reader.optionalInt(
                "runs", help: "Alternating runs of each measured process; default 5 kafka/transform/write, 3 transformer/"
                    + "writer, 2 pipeline.", range: 1...50)
            let json = reader.string(
                "json", default: "bench-results/bench.json", help: "Where the JSON results are written.")
            let rules = reader.string(
                "rules", default: "config/quality-rules.json", help: "transform: the quality rules file.")
            let seed = reader.int("seed", default: 1, help: "Seed of the synthetic stream.", range: 0...Int.max)
            let bad = reader.double(
                "bad-fraction", default: 0.02, help: "transform, transformer, pipeline: share of bad records.",
                range: 0...1)
            let noPython = reader.bool("no-python", help: "transformer: skip the Python baseline.")
            let venv = reader.string(
                "venv", default: PythonBaseline.defaultVenv,
                help: "transformer: the Python baseline's venv (created with pip when missing; TRIBUTARY_BENCH_VENV).")
            let rate = reader.int("rate", default: 5_000, help: "soak: events per second.", range: 1...1_000_000)
            let duration = reader.duration("duration", default: .seconds(600), help: "soak: how long the load runs.")
            let interval = reader.duration("interval", default: .seconds(10), help: "soak: how often to sample.")
            let charts = reader.string("charts", default: "docs/charts", help: "soak: where the SVG charts are written.")
            let instanceList = reader.string(
                "instances", default: "1,2,4", help: "scale: comma-separated instance counts.")
            let instances = instanceList.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            reader.require(!instances.isEmpty && instances.allSatisfy { (1...64).contains($0) }, "--instances takes counts from 1 to 64")
            let names = Stage.allCases.map(\.rawValue).joined(separator: ", ")
            let stage = reader.positional("stage", help: "What to measure: \(names) (default kafka).") ?? "kafka"
            reader.require(Stage(rawValue: stage) != nil, "unknown stage \(stage); one of: \(names)")
            let chosen = Stage(rawValue: stage) ?? .kafka
            return Configuration(
                stage: chosen, messages: messages ?? chosen.defaultMessages, messageSize: size,
                partitions: partitions, runs: runs ?? chosen.defaultRuns, jsonPath: json, rulesPath: rules,
                seed: UInt64(seed), badFraction: bad, python: !noPython, venv: venv, rate: rate,
                duration: Double(duration.components.seconds), interval: max(1, Double(interval.components.seconds)),
                chartsDirectory: charts, instances: instances.isEmpty ? [1] : instances)
        },
        body: { configuration, logger in
            let report: BenchReport
            switch configuration.stage {
            case .kafka: report = try await KafkaBench(configuration: configuration, logger: logger).run()
            case .transform: report = try TransformBench(configuration: configuration).run()
            case .transformer: report = try await TransformerBench(configuration: configuration, logger: logger).run()
            case .write: report = try WriteBench(configuration: configuration).run()
            case .writer: report = try await WriterBench(configuration: configuration, logger: logger).run()
            case .pipeline: report = try await PipelineBench(configuration: configuration, logger: logger).run()
            case .aggregate: report = try AggregateBench(configuration: configuration).run()
            case .aggregator: report = try await AggregatorBench(configuration: configuration, logger: logger).run()
            case .soak: report = try await SoakBench(configuration: configuration, logger: logger).run()
            case .scale: report = try await ScaleBench(configuration: configuration, logger: logger).run()
            }
            print(report.table())
            try report.writeJSON(to: configuration.jsonPath)
            print("JSON written to \(configuration.jsonPath)")
            return 0
        })
}
