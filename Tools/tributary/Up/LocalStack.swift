import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineRuntime
import PipelineTables

/// The processes of one `tributary up` run, started in dependency order and stopped in reverse:
/// broker → Bigtable emulator → bigtable-writer(s) → aggregator(s) → transformer(s) → generator.
struct LocalStack {
    let configuration: UpCommand.Configuration
    let logger: Logger

    func run() async throws -> Int32 {
        let console = Console()
        console.note("starting the local broker (in memory, \(configuration.partitions) partitions per data topic)")
        let broker = try await LocalBrokerProcess.start(
            partitions: configuration.partitions, stateDirectory: configuration.stateDirectory, logLevel: "info",
            standardError: console.prefixed("broker"))
        var emulator: EmulatorProcess?
        var services: [ChildProcess] = []
        do {
            let emulatorHost: String
            if let external = configuration.emulatorHost {
                emulatorHost = external
                console.note("using the Bigtable emulator at \(external)")
            } else {
                let started = try await EmulatorProcess.start(
                    binary: configuration.emulatorBinary, standardError: console.prefixed("bigtable"))
                emulator = started
                emulatorHost = started.hostPort
                console.note("Bigtable emulator at \(emulatorHost)")
            }
            let environment = childEnvironment(emulatorHost: emulatorHost)
            for index in 0..<configuration.scale("bigtable-writer") {
                services.append(
                    try ChildProcess(
                        name: "writer-\(index + 1)", executable: SiblingExecutable.path("bigtable-writer"),
                        arguments: ["--metrics-port", "0", "--create-tables"], environment: environment,
                        standardOutput: .discard, standardError: console.prefixed("writer-\(index + 1)")))
            }
            for index in 0..<configuration.scale("aggregator") {
                services.append(
                    try ChildProcess(
                        name: "aggregator-\(index + 1)", executable: SiblingExecutable.path("aggregator"),
                        arguments: ["--metrics-port", "0", "--create-tables"], environment: environment,
                        standardOutput: .discard, standardError: console.prefixed("aggregator-\(index + 1)")))
            }
            for index in 0..<configuration.scale("transformer") {
                var arguments = ["--metrics-port", "0", "--instance", "transformer-\(index + 1)"]
                if let rules = configuration.rulesPath { arguments += ["--rules", rules] }
                services.append(
                    try ChildProcess(
                        name: "transformer-\(index + 1)", executable: SiblingExecutable.path("transformer"),
                        arguments: arguments, environment: environment, standardOutput: .discard,
                        standardError: console.prefixed("transformer-\(index + 1)")))
            }
            let summary = try await runLoad(broker: broker, emulatorHost: emulatorHost, console: console, environment: environment)
            print(summary.text())
            if configuration.keepRunning {
                console.note("running until Ctrl-C (broker at \(broker.address.bootstrapServers), Bigtable at \(emulatorHost))")
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
            }
            console.note("stopping")
            await stop(services: services, emulator: emulator, broker: broker)
            return summary.succeeded ? 0 : 1
        } catch {
            await stop(services: services, emulator: emulator, broker: broker)
            throw error
        }
    }

    private func runLoad(
        broker: LocalBrokerProcess, emulatorHost: String, console: Console, environment: [String: String]
    ) async throws -> RunSummary {
        let client = KafkaClientConfiguration(bootstrapServers: broker.address.bootstrapServers, clientID: "tributary-up")
        let sampler = try StageSampler(
            stages: [
                .init(name: "transformer", topic: PipelineTopic.eventsRaw.rawValue, group: "transformer"),
                .init(name: "bigtable-writer", topic: PipelineTopic.eventsClean.rawValue, group: "bigtable-writer"),
                .init(name: "aggregator", topic: PipelineTopic.eventsClean.rawValue, group: "aggregator"),
            ],
            client: client, logger: logger)
        let sampling = Task { await sampler.run() }
        defer { sampling.cancel() }

        var summary = RunSummary(configuration: configuration)
        let output = LineCollector()
        let generator = try ChildProcess(
            name: "generator", executable: SiblingExecutable.path("generator"),
            arguments: [
                "events", "--seed", "\(configuration.seed)", "--total", "\(configuration.total)", "--rate",
                "\(configuration.rate)", "--bad-fraction", "\(configuration.badFraction)", "--json", "--metrics-port",
                "0", "--progress-interval", "2s", "--max-lag", "\(configuration.maxLag)", "--lag-group", "transformer",
            ],
            environment: environment, standardOutput: .lines { output.append($0) },
            standardError: console.prefixed("generator"))
        summary.generatorExitCode = await generator.waitForExit()
        try await Task.sleep(for: .milliseconds(100))
        summary.generator = output.lines.last { $0.hasPrefix("{") }.flatMap(GeneratorResult.init(json:))

        console.note("generator done; waiting for the pipeline to drain")
        let deadline = ContinuousClock.now.advanced(by: configuration.drainTimeout)
        while !(await sampler.drained()), ContinuousClock.now < deadline, !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(250))
        }
        await sampler.sample()
        summary.drained = await sampler.drained()
        summary.stages = sampler.stages.map { ($0.name, sampler[$0.name]) }
        summary.expected = try await expectedCounts()
        summary.deadLetters = try await RunInspector.deadLetters(client: client, logger: logger)
        let offsets = try KafkaAdmin(client: client, logger: logger)
        summary.cleanEvents = try await offsets.offsets(topic: PipelineTopic.eventsClean.rawValue).reduce(0) { $0 + Int($1.high) }
        let options = BigtableOptions(project: "tributary-local", instance: "local", emulatorHost: emulatorHost)
        let bigtable = try BigtableConnection.client(options: options, logger: logger)
        let (factRows, top) = try await withConnected(bigtable) {
            let rows = try await RunInspector.factRows(client: bigtable)
            let pages = try await TopAggregates.lines(client: bigtable, dimension: .page)
            let songs = try await TopAggregates.lines(client: bigtable, dimension: .song)
            return (rows, pages + songs)
        }
        summary.factRows = factRows
        summary.topAggregates = top
        return summary
    }

    private func stop(services: [ChildProcess], emulator: EmulatorProcess?, broker: LocalBrokerProcess) async {
        for service in services.reversed() { service.signal(SIGTERM) }
        for service in services.reversed() { await service.stop(grace: .seconds(30)) }
        await emulator?.stop()
        await broker.stop()
    }

    /// The children find this run's broker through its state directory, and the emulator through the variable.
    private func childEnvironment(emulatorHost: String) -> [String: String] {
        var environment = ProcessEnvironment.current()
        environment["TRIBUTARY_STATE_DIR"] = configuration.stateDirectory
        environment["KAFKA_BOOTSTRAP_SERVERS"] = nil
        environment["BIGTABLE_EMULATOR_HOST"] = emulatorHost
        environment["BIGTABLE_PROJECT"] = "tributary-local"
        environment["BIGTABLE_INSTANCE"] = "local"
        return environment
    }

    private func expectedCounts() async throws -> String {
        let output = LineCollector()
        let child = try ChildProcess(
            name: "expect", executable: SiblingExecutable.path("generator"),
            arguments: [
                "events", "--expect", "--seed", "\(configuration.seed)", "--total", "\(configuration.total)",
                "--bad-fraction", "\(configuration.badFraction)",
            ],
            standardOutput: .lines { line in output.append(line) })
        _ = await child.waitForExit()
        try await Task.sleep(for: .milliseconds(50))  // let the last line arrive from the pipe
        return output.lines.last ?? "{}"
    }
}
