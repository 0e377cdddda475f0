import Foundation
import Logging
import PipelineKafka
import PipelineRuntime

/// The processes of one `tributary up` run, started in dependency order and stopped in reverse.
struct LocalStack {
    let configuration: UpCommand.Configuration
    let logger: Logger

    func run() async throws -> Int32 {
        let console = Console()
        console.note("starting the local broker (in memory, \(configuration.partitions) partitions per data topic)")
        let broker = try await LocalBrokerProcess.start(
            partitions: configuration.partitions, stateDirectory: configuration.stateDirectory, logLevel: "info",
            standardError: console.prefixed("broker"))
        var summary = RunSummary(configuration: configuration)
        do {
            console.note("broker at \(broker.address.bootstrapServers), control API at \(broker.address.controlAddress)")
            let generator = try startGenerator(console: console, summary: &summary)
            let code = await generator.waitForExit()
            summary.generatorExitCode = code
            summary.generator = generatorOutput.lines.last { $0.hasPrefix("{") }.flatMap(GeneratorResult.init(json:))
            summary.expected = try await expectedCounts()
            summary.rawOffsets = try await topicOffsets(broker: broker, topic: PipelineTopic.eventsRaw.rawValue)
            print(summary.text())
            if configuration.keepRunning {
                console.note("running until Ctrl-C (broker at \(broker.address.bootstrapServers))")
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
            }
        } catch {
            await broker.stop()
            throw error
        }
        console.note("stopping")
        await broker.stop()
        return summary.generatorExitCode == 0 ? 0 : 1
    }

    private let generatorOutput = LineCollector()

    private func startGenerator(console: Console, summary: inout RunSummary) throws -> ChildProcess {
        try ChildProcess(
            name: "generator", executable: SiblingExecutable.path("generator"),
            arguments: [
                "events", "--seed", "\(configuration.seed)", "--total", "\(configuration.total)", "--rate",
                "\(configuration.rate)", "--bad-fraction", "\(configuration.badFraction)", "--json", "--metrics-port", "0",
                "--progress-interval", "2s",
            ],
            environment: childEnvironment(),
            standardOutput: .lines { [generatorOutput] line in generatorOutput.append(line) },
            standardError: console.prefixed("generator"))
    }

    /// The children read the broker's address from this run's state directory.
    private func childEnvironment() -> [String: String] {
        var environment = ProcessEnvironment.current()
        environment["TRIBUTARY_STATE_DIR"] = configuration.stateDirectory
        environment["KAFKA_BOOTSTRAP_SERVERS"] = nil
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

    private func topicOffsets(broker: LocalBrokerProcess, topic: String) async throws -> [PartitionOffsets] {
        let admin = try KafkaAdmin(
            client: KafkaClientConfiguration(bootstrapServers: broker.address.bootstrapServers, clientID: "tributary-up"),
            logger: logger)
        return try await admin.offsets(topic: topic)
    }
}
