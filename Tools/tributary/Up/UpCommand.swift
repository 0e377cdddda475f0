import Foundation
import Logging
import PipelineRuntime

/// `tributary up`: the no-Docker equivalent of `docker compose up` — the whole local pipeline as child processes.
enum UpCommand {
    static let scalableStages = ["transformer", "bigtable-writer", "aggregator"]

    struct Configuration: Sendable {
        var seed: Int
        var total: Int
        var rate: Double
        var badFraction: Double
        var partitions: Int
        var stateDirectory: String
        var keepRunning: Bool
        var scales: [String: Int]
        var maxLag: Int
        var drainTimeout: Duration
        var emulatorHost: String?
        var emulatorBinary: String
        var rulesPath: String?

        func scale(_ stage: String) -> Int { scales[stage] ?? 1 }
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary up",
        summary: """
            Starts the local broker, the Bigtable emulator and the pipeline's services as child processes \
            (generator → transformer → bigtable-writer and aggregator), runs a seeded load through them, interleaves their logs \
            with a name prefix, waits for the pipeline to drain and prints the run's summary: events in, rows \
            landed, dead letters by reason, each stage's throughput, checked against the seed's expected counts, and the day's top pages and songs from the aggregates. \
            Ctrl-C stops everything cleanly. Other commands (in another terminal) find this run's broker through \
            --state-dir, and Bigtable through the address it prints.
            """,
        defaultLogLevel: .info,
        configuration: { reader in
            let environment = ProcessEnvironment.current()
            let seed = reader.int("seed", env: "GENERATOR_SEED", default: 1, help: "Seed of the generated events.", range: 0...Int.max)
            let total = reader.int("total", default: 200_000, help: "Events to generate.", range: 1...Int.max)
            let rate = reader.double("rate", default: 50_000, help: "Events per second; 0 for as fast as possible.", range: 0...100_000_000)
            let bad = reader.double("bad-fraction", default: 0.02, help: "Share of deliberately bad events.", range: 0...1)
            let partitions = reader.int(
                "partitions", default: 16, help: "Partitions of each data topic.", range: 1...256)
            let state = reader.string(
                "state-dir", env: "TRIBUTARY_STATE_DIR",
                default: environment["TRIBUTARY_STATE_DIR"] ?? ((environment["HOME"] ?? "/tmp") + "/.tributary"),
                help: "Where the local broker publishes its address.")
            let keep = reader.bool(
                "keep-running", help: "Keep everything running after the summary, until Ctrl-C.")
            let scaleArguments = reader.keyValues(
                "scale", envPrefix: nil, help: "Instances of a stage, e.g. --scale transformer=2 (\(scalableStages.joined(separator: ", "))).")
            var scales: [String: Int] = [:]
            for (stage, value) in scaleArguments {
                let count = Int(value)
                reader.require(scalableStages.contains(stage), "--scale: unknown stage \(stage); one of \(scalableStages.joined(separator: ", "))")
                reader.require(count.map { (1...16).contains($0) } ?? false, "--scale \(stage)=\(value): a count from 1 to 16")
                scales[stage] = count ?? 1
            }
            let maxLag = reader.int(
                "max-lag", default: 100_000,
                help: "The generator holds back while the transformer is this many events behind (the local broker keeps ~5 MiB per partition).",
                range: 1...Int.max)
            let drain = reader.duration("drain-timeout", default: .seconds(180), help: "Longest wait for the pipeline to drain after the generator.")
            let emulatorHost = reader.optionalString(
                "bigtable-emulator-host", env: "BIGTABLE_EMULATOR_HOST",
                help: "Use this running emulator instead of starting one.")
            let emulatorBinary = reader.string(
                "bigtable-emulator-bin", env: "BIGTABLE_EMULATOR_BIN", default: EmulatorProcess.defaultBinary,
                help: "The cbtemulator binary (Google Cloud CLI's Bigtable emulator).")
            let rules = reader.optionalString("rules", env: "TRANSFORMER_RULES", help: "Quality rules file for the transformer.")
            return Configuration(
                seed: seed, total: total, rate: rate, badFraction: bad, partitions: partitions, stateDirectory: state,
                keepRunning: keep, scales: scales, maxLag: maxLag, drainTimeout: drain, emulatorHost: emulatorHost,
                emulatorBinary: emulatorBinary, rulesPath: rules)
        },
        body: { configuration, logger in
            try await LocalStack(configuration: configuration, logger: logger).run()
        })
}
