import ClickstreamModel
import Foundation
import Logging
import PipelineKafka
import PipelineRuntime

/// `tributary bench pipeline`: generator → transformer → bigtable-writer running together at full speed.
///
/// Each run gets its own topics and a fresh emulator. The transformer (`--exit-after N`) and the writer
/// (`--exit-after good`) start first and are given time to join their groups; then the generator sends N events
/// as fast as it can. End to end is from the generator's start to the writer's last batch written (the services
/// report epoch milliseconds); the CPU is each process's own: the services from their first record to their
/// done work, the generator for its whole life (from this process's waited-children usage).
struct PipelineBench {
    let configuration: BenchCommand.Configuration
    let logger: Logger

    /// The goal: Tributary CPU per event summed over the three processes.
    static let goalMicros = 6.0
    /// How long the services get to join their consumer groups (the local broker takes ~session.timeout.ms).
    static let joinWait: Duration = .seconds(9)

    func run() async throws -> BenchReport {
        let emulatorBinary =
            ProcessInfo.processInfo.environment["BIGTABLE_EMULATOR_BIN"] ?? EmulatorProcess.defaultBinary
        let count = configuration.messages
        let synthesizer = EventSynthesizer(seed: configuration.seed, badFraction: configuration.badFraction)
        let expected = ExpectedCounts(synthesizer: synthesizer, total: UInt64(count))
        let recordBytes = (0..<1_000).reduce(0) { $0 + synthesizer.record(at: UInt64($1)).payload.count } / 1_000 + 40
        let partitions = BenchTopics.partitions(records: count, recordBytes: recordBytes, chosen: configuration.partitions)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-\(getpid())").path
        let broker = try await LocalBrokerProcess.start(partitions: partitions, stateDirectory: state)
        do {
            var rows = ["generator", "transformer", "bigtable-writer", "pipeline, end to end"].map {
                BenchRow(name: $0, messages: count, seconds: [], cpuSeconds: [])
            }
            for run in 1...configuration.runs {
                print("run \(run) of \(configuration.runs): \(count) events through generator → transformer → writer…")
                let figures = try await onePass(
                    run: run, broker: broker, partitions: partitions, emulatorBinary: emulatorBinary,
                    good: Int(expected.good))
                for (i, figure) in figures.enumerated() {
                    rows[i].seconds.append(figure.seconds)
                    rows[i].cpuSeconds.append(figure.cpu)
                }
            }
            await broker.stop()
            try? FileManager.default.removeItem(atPath: state)
            let total = rows[3]
            return BenchReport(
                stage: "pipeline",
                settings: [
                    "events": "\(count)", "seed": "\(configuration.seed)", "bad_fraction": "\(configuration.badFraction)",
                    "partitions": "\(partitions)", "runs": "\(configuration.runs)", "good_events": "\(expected.good)",
                    "bigtable": "emulator",
                ],
                rows: rows,
                ratios: [
                    BenchRatio(
                        name: "pipeline CPU ÷ goal (\(Self.goalMicros) µs/event); throughput ÷ 500K/s",
                        throughput: total.medianThroughput / 500_000, cpu: total.medianCPUMicros / Self.goalMicros,
                        goal: "goal: CPU ≤ 1× (one instance per stage; 500K/s comes from scaling out)")
                ],
                unit: "event",
                notes: [
                    "rows per process: events ÷ that process's own active seconds; the end-to-end row: events ÷ "
                        + "(generator start → last row written), CPU = the three processes' sum",
                    "the writer handles the \(expected.good) good events only; its CPU is still divided by all \(count)",
                    "the emulator's and broker's CPU is not counted (they stand in for Bigtable and Kafka)",
                ])
        } catch {
            await broker.stop()
            throw error
        }
    }

    /// One run: returns (seconds, CPU seconds) for the generator, transformer, writer and the whole.
    private func onePass(
        run: Int, broker: LocalBrokerProcess, partitions: Int, emulatorBinary: String, good: Int
    ) async throws -> [(seconds: Double, cpu: Double)] {
        let bootstrap = broker.address.bootstrapServers
        let count = configuration.messages
        let raw = "bench.raw.\(run)"
        let clean = "bench.clean.\(run)"
        let deadLetters = "bench.dlq.\(run)"
        for topic in [raw, clean, deadLetters] { try await broker.createTopic(topic, partitions: partitions) }
        let emulator = try await EmulatorProcess.start(binary: emulatorBinary, standardError: .discard)
        do {
            let writer = MeasuredChild(
                name: "bigtable-writer", executable: SiblingExecutable.path("bigtable-writer"),
                arguments: [
                    "--bootstrap", bootstrap, "--group", "bench-pipeline-writer-\(run)", "--topic", clean,
                    "--dead-letter-topic", deadLetters, "--create-tables", "--bigtable-project", WriterBench.project,
                    "--bigtable-instance", WriterBench.instance, "--exit-after", "\(good)", "--metrics-port", "0",
                    "--log-level", "warning",
                ],
                environment: ["BIGTABLE_EMULATOR_HOST": emulator.hostPort], timeout: .seconds(300))
            let transformer = MeasuredChild(
                name: "transformer", executable: SiblingExecutable.path("transformer"),
                arguments: [
                    "--bootstrap", bootstrap, "--group", "bench-pipeline-transformer-\(run)", "--input-topic", raw,
                    "--clean-topic", clean, "--dead-letter-topic", deadLetters, "--exit-after", "\(count)",
                    "--metrics-port", "0", "--log-level", "warning",
                ], timeout: .seconds(300))
            let (writerChild, writerBase) = try writer.start()
            let (transformerChild, transformerBase) = try transformer.start()
            do {
                try await Task.sleep(for: Self.joinWait)

                let startedMs = WallClock.milliseconds()
                let cpuBefore = ChildCPU.waitedChildren()
                let generated = try await HelperCommand.run(
                    SiblingExecutable.path("generator"),
                    [
                        "events", "--bootstrap", bootstrap, "--topic", raw, "--seed", "\(configuration.seed)", "--total",
                        "\(count)", "--rate", "0", "--bad-fraction", "\(configuration.badFraction)", "--json",
                        "--metrics-port", "0", "--log-level", "warning",
                    ])
                let generatorCPU = ChildCPU.waitedChildren() - cpuBefore
                guard generated.code == 0 else { throw ToolError("generator exited with \(generated.code): \(generated.errors)") }
                // Its own sending time when it reports one; else its whole life.
                let summary = generated.output.split(separator: "\n").last { $0.hasPrefix("{") }
                let generatorSeconds =
                    summary.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                    .flatMap { ($0["seconds"] as? NSNumber)?.doubleValue }
                    ?? Double(WallClock.milliseconds() - startedMs) / 1_000

                let transformed = try await transformer.finish(transformerChild, base: transformerBase, expected: count)
                let written = try await writer.finish(writerChild, base: writerBase, expected: good)
                await emulator.stop()
                guard let finishedMs = (written.fields["finished_ms"] as? NSNumber)?.int64Value else {
                    throw ToolError("bigtable-writer reported no finish time")
                }
                let endToEnd = Double(finishedMs - startedMs) / 1_000
                return [
                    (generatorSeconds, generatorCPU), (transformed.seconds, transformed.cpuSeconds),
                    (written.seconds, written.cpuSeconds),
                    (endToEnd, generatorCPU + transformed.cpuSeconds + written.cpuSeconds),
                ]
            } catch {
                await transformerChild.stop(grace: .seconds(2))
                await writerChild.stop(grace: .seconds(2))
                throw error
            }
        } catch {
            await emulator.stop()
            throw error
        }
    }
}
