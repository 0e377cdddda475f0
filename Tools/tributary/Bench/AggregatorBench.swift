import Foundation
import Logging
import PipelineKafka
import PipelineMessages
import PipelineRuntime

/// `tributary bench aggregator`: the `aggregator` process through the broker into the Bigtable emulator, against
/// the bare C relay moving the same messages.
///
/// N clean events are produced once to events.clean. Each run starts, in turn, c-relay (events.clean →
/// bench.relay.out) and `aggregator --exit-after N` on a fresh emulator, each with a fresh consumer group; each
/// reports its own wall and CPU time from its first record to its last output durable (for the aggregator: the last
/// flush of cells and checkpoints). The emulator's CPU is noted: it stores what the aggregator writes.
struct AggregatorBench {
    let configuration: BenchCommand.Configuration
    let logger: Logger

    static let relayOutput = "bench.relay.out"

    func run() async throws -> BenchReport {
        let emulatorBinary =
            ProcessInfo.processInfo.environment["BIGTABLE_EMULATOR_BIN"] ?? EmulatorProcess.defaultBinary
        guard FileManager.default.isExecutableFile(atPath: emulatorBinary) else {
            throw ToolError("the Bigtable emulator is missing at \(emulatorBinary): \(EmulatorProcess.installAdvice)")
        }
        let count = configuration.messages
        print("building \(count) clean events…")
        let events = try CleanEventSource(seed: configuration.seed).events(count: count)
        let averageBytes = events.reduce(0) { $0 + $1.bytes.count } / max(1, events.count)
        let partitions = BenchTopics.partitions(records: count, recordBytes: averageBytes, chosen: configuration.partitions)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-\(getpid())").path
        let broker = try await LocalBrokerProcess.start(partitions: partitions, stateDirectory: state)
        do {
            let bootstrap = broker.address.bootstrapServers
            let client = KafkaClientConfiguration(bootstrapServers: bootstrap, clientID: "bench", statisticsInterval: nil)
            print("producing them to events.clean (\(partitions) partitions)…")
            try await CleanEventSource.produce(events, client: client, logger: logger)
            try await BenchTopics(client: client, logger: logger)
                .checkNothingDropped(PipelineTopic.eventsClean.rawValue, expected: count)
            try await broker.createTopic(Self.relayOutput, partitions: partitions)
            var report = try await measure(bootstrap: bootstrap, emulatorBinary: emulatorBinary)
            report.settings["partitions"] = "\(partitions)"
            report.settings["clean_event_bytes"] = "\(averageBytes)"
            await broker.stop()
            try? FileManager.default.removeItem(atPath: state)
            return report
        } catch {
            await broker.stop()
            throw error
        }
    }

    private func measure(bootstrap: String, emulatorBinary: String) async throws -> BenchReport {
        let count = configuration.messages
        let consumerSettings = KafkaBench.consumerProperties
        var relay = BenchRow(name: "relay, C (librdkafka)", messages: count, seconds: [], cpuSeconds: [])
        var aggregator = BenchRow(name: "aggregator, Swift", messages: count, seconds: [], cpuSeconds: [])
        var emulatorCPU: [Double] = []
        for run in 1...configuration.runs {
            print("run \(run) of \(configuration.runs): C relay…")
            relay.record(
                try await MeasuredChild(
                    name: "c-relay", executable: SiblingExecutable.path("c-relay"),
                    arguments: [bootstrap, PipelineTopic.eventsClean.rawValue, Self.relayOutput, "bench-c-\(run)", "\(count)"]
                        + consumerSettings
                ).run(expected: count))

            print("run \(run) of \(configuration.runs): aggregator…")
            let emulator = try await EmulatorProcess.start(binary: emulatorBinary, standardError: .discard)
            do {
                let before = ChildCPU.seconds(pid: emulator.child.pid) ?? 0
                let result = try await MeasuredChild(
                    name: "aggregator", executable: SiblingExecutable.path("aggregator"),
                    arguments: [
                        "--bootstrap", bootstrap, "--group", "bench-aggregator-\(run)", "--create-tables",
                        "--bigtable-project", "bench", "--bigtable-instance", "bench",
                        "--exit-after", "\(count)", "--metrics-port", "0", "--log-level", "warning",
                    ] + consumerSettings.flatMap { ["--kafka", $0] },
                    environment: ["BIGTABLE_EMULATOR_HOST": emulator.hostPort], timeout: .seconds(600)
                ).run(expected: count)
                aggregator.record(result)
                emulatorCPU.append((ChildCPU.seconds(pid: emulator.child.pid) ?? 0) - before)
                await emulator.stop()
            } catch {
                await emulator.stop()
                throw error
            }
        }
        let micros = BenchRow.median(emulatorCPU.map { $0 * 1e6 / Double(count) })
        let perCore = 1e6 / aggregator.medianCPUMicros
        return BenchReport(
            stage: "aggregator",
            settings: [
                "events": "\(count)", "runs": "\(configuration.runs)", "seed": "\(configuration.seed)",
                "bigtable": "emulator (fresh per run)", "flush": "aggregator defaults (--flush-events, --flush-interval)",
            ],
            rows: [relay, aggregator],
            ratios: [
                BenchRatio(
                    name: "aggregator ÷ C relay", throughput: aggregator.medianThroughput / relay.medianThroughput,
                    cpu: aggregator.medianCPUMicros / relay.medianCPUMicros,
                    goal: "aggregator: \(Int(perCore)) events/s per core of its own CPU (in-process goal 500,000)")
            ],
            notes: ["emulator CPU while the aggregator ran: \(String(format: "%.1f", micros)) µs/event"])
    }
}
