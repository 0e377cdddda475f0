import Foundation
import Logging
import PipelineRuntime

/// `tributary up`: the no-Docker equivalent of `docker compose up` — the whole local pipeline as child processes.
enum UpCommand {
    struct Configuration: Sendable {
        var seed: Int
        var total: Int
        var rate: Double
        var badFraction: Double
        var partitions: Int
        var stateDirectory: String
        var keepRunning: Bool
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary up",
        summary: """
            Starts the local broker and the pipeline's services as child processes, runs a seeded generator load \
            through them, interleaves their logs with a name prefix, and prints the run's summary: events sent, \
            what each stage did, and the expected counts for the seed. Ctrl-C stops everything cleanly. Other \
            commands (in another terminal) find this run's broker through --state-dir.
            """,
        defaultLogLevel: .info,
        configuration: { reader in
            let environment = ProcessEnvironment.current()
            let seed = reader.int("seed", env: "GENERATOR_SEED", default: 1, help: "Seed of the generated events.", range: 0...Int.max)
            let total = reader.int("total", default: 200_000, help: "Events to generate.", range: 1...Int.max)
            let rate = reader.double("rate", default: 50_000, help: "Events per second; 0 for as fast as possible.", range: 0...100_000_000)
            let bad = reader.double("bad-fraction", default: 0.02, help: "Share of deliberately bad events.", range: 0...1)
            let partitions = reader.int(
                "partitions", default: 8, help: "Partitions of each data topic.", range: 1...256)
            let state = reader.string(
                "state-dir", env: "TRIBUTARY_STATE_DIR",
                default: environment["TRIBUTARY_STATE_DIR"] ?? ((environment["HOME"] ?? "/tmp") + "/.tributary"),
                help: "Where the local broker publishes its address.")
            let keep = reader.bool(
                "keep-running", help: "Keep the broker and services running after the summary, until Ctrl-C.")
            return Configuration(
                seed: seed, total: total, rate: rate, badFraction: bad, partitions: partitions, stateDirectory: state,
                keepRunning: keep)
        },
        body: { configuration, logger in
            try await LocalStack(configuration: configuration, logger: logger).run()
        })
}
