import ClickstreamModel
import ClickstreamTransform
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import PipelineTables

/// `tributary bench writer`: the `bigtable-writer` process against `cbt import` of the very same rows into the
/// Bigtable emulator.
///
/// N clean events (synthesizer → EventTransformer, as the transformer would write them) are produced once to
/// events.clean, and their `events_fact` rows are written once as the CSV `cbt import` reads, with the same keys,
/// families, qualifiers, values and cell timestamps. Each run then measures, each on a fresh emulator so that
/// every write lands in an empty table: the writer (fresh group, `--exit-after N`: from its first consumed batch
/// to its last batch written, its own CPU), then `cbt import` with 1 and with 4 workers (the whole process: it
/// reads the CSV and writes; CPU from this process's waited-children usage). The emulator's own CPU is noted too:
/// it does the storing for both sides and is usually the limit.
struct WriterBench {
    let configuration: BenchCommand.Configuration
    let logger: Logger

    static let project = "bench"
    static let instance = "bench"
    static let cbt = "/usr/bin/cbt"

    func run() async throws -> BenchReport {
        let emulatorBinary =
            ProcessInfo.processInfo.environment["BIGTABLE_EMULATOR_BIN"] ?? EmulatorProcess.defaultBinary
        guard FileManager.default.isExecutableFile(atPath: emulatorBinary) else {
            throw ToolError("the Bigtable emulator is missing at \(emulatorBinary): \(EmulatorProcess.installAdvice)")
        }
        guard FileManager.default.isExecutableFile(atPath: Self.cbt) else {
            throw ToolError("cbt is missing at \(Self.cbt): install the Google Cloud CLI's cbt component")
        }
        let count = configuration.messages
        print("building \(count) clean events and their events_fact rows…")
        let events = try CleanEventSource(seed: configuration.seed).events(count: count)
        let entries = events.map { EventsFactTable.entry(for: $0.event) }
        var csv = FactTableCSV(families: [EventsFactTable.eventData, EventsFactTable.metadata, EventsFactTable.quality])
        csv.encode(entries)
        let csvPath = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-\(getpid()).csv").path
        try csv.write(to: csvPath)
        defer { try? FileManager.default.removeItem(atPath: csvPath) }
        let averageBytes = events.reduce(0) { $0 + $1.bytes.count } / max(1, events.count)
        let partitions = BenchTopics.partitions(records: count, recordBytes: averageBytes, chosen: configuration.partitions)

        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-\(getpid())").path
        let broker = try await LocalBrokerProcess.start(partitions: partitions, stateDirectory: state)
        do {
            let client = KafkaClientConfiguration(
                bootstrapServers: broker.address.bootstrapServers, clientID: "bench", statisticsInterval: nil)
            print("producing them to events.clean (\(partitions) partitions)…")
            try await produce(events, client: client)
            try await BenchTopics(client: client, logger: logger)
                .checkNothingDropped(PipelineTopic.eventsClean.rawValue, expected: count)
            var report = try await measure(
                bootstrap: broker.address.bootstrapServers, emulatorBinary: emulatorBinary, csvPath: csvPath)
            report.settings["partitions"] = "\(partitions)"
            report.settings["cells_per_row"] = String(format: "%.1f", Double(csv.cells) / Double(max(1, csv.rows)))
            report.settings["columns"] = "\(csv.columns.count)"
            report.settings["clean_event_bytes"] = "\(averageBytes)"
            await broker.stop()
            try? FileManager.default.removeItem(atPath: state)
            return report
        } catch {
            await broker.stop()
            throw error
        }
    }

    // MARK: - Runs

    private func measure(bootstrap: String, emulatorBinary: String, csvPath: String) async throws -> BenchReport {
        let count = configuration.messages
        var writer = BenchRow(name: "bigtable-writer, Swift", messages: count, seconds: [], cpuSeconds: [])
        var cbtRows = [1, 4].map { BenchRow(name: "cbt import, workers=\($0)", messages: count, seconds: [], cpuSeconds: []) }
        var emulatorCPU: [String: [Double]] = [:]
        var notes: [String] = []
        for run in 1...configuration.runs {
            print("run \(run) of \(configuration.runs): bigtable-writer…")
            let writerRun = try await onFreshEmulator(emulatorBinary) { host in
                try await MeasuredChild(
                    name: "bigtable-writer", executable: SiblingExecutable.path("bigtable-writer"),
                    arguments: [
                        "--bootstrap", bootstrap, "--group", "bench-writer-\(run)", "--create-tables",
                        "--bigtable-project", Self.project, "--bigtable-instance", Self.instance,
                        "--exit-after", "\(count)", "--metrics-port", "0", "--log-level", "warning",
                    ],
                    environment: ["BIGTABLE_EMULATOR_HOST": host]
                ).run(expected: count)
            } verify: { host in run == 1 ? try await sample(host: host) : nil }
            writer.record(writerRun.result)
            emulatorCPU[writer.name, default: []].append(writerRun.emulatorCPU)
            var sampled = writerRun.sample

            for (i, workers) in [1, 4].enumerated() {
                print("run \(run) of \(configuration.runs): cbt import, workers=\(workers)…")
                let cbtRun = try await onFreshEmulator(emulatorBinary) { host in
                    try await cbtImport(host: host, csvPath: csvPath, workers: workers)
                } verify: { host in run == 1 ? try await sample(host: host) : nil }
                cbtRows[i].seconds.append(cbtRun.result.seconds)
                cbtRows[i].cpuSeconds.append(cbtRun.result.cpu)
                emulatorCPU[cbtRows[i].name, default: []].append(cbtRun.emulatorCPU)
                if let theirs = cbtRun.sample, let ours = sampled {
                    if theirs != ours {
                        notes.append("MISMATCH: the tables written by the writer and by cbt (\(workers) workers) differ: \(ours.summary) vs \(theirs.summary)")
                    } else if workers == 4 {
                        notes.append("checked: both tables hold \(ours.rows) rows and their first rows read back identical")
                        sampled = nil
                    }
                }
            }
        }
        let best = cbtRows.max { $0.medianThroughput < $1.medianThroughput }!
        for row in [writer] + cbtRows {
            let micros = BenchRow.median((emulatorCPU[row.name] ?? []).map { $0 * 1e6 / Double(count) })
            notes.append("\(row.name): emulator CPU \(String(format: "%.1f", micros)) µs/row")
        }
        notes.append("cbt figures are its whole process (start, CSV parsing, writes); the writer's run from its first batch to its last write")
        return BenchReport(
            stage: "writer",
            settings: [
                "rows": "\(count)", "runs": "\(configuration.runs)", "seed": "\(configuration.seed)",
                "bigtable": "emulator (fresh per measurement)",
            ],
            rows: [writer] + cbtRows,
            ratios: [
                BenchRatio(
                    name: "writer ÷ best cbt import (\(best.name))", throughput: writer.medianThroughput / best.medianThroughput,
                    cpu: writer.medianCPUMicros / best.medianCPUMicros, goal: "goal: throughput ≥ 1.5×")
            ],
            unit: "row", notes: notes)
    }

    /// Runs `body` against a new emulator, then `verify`, and returns both with the emulator's CPU meanwhile.
    private func onFreshEmulator<Result: Sendable>(
        _ binary: String, _ body: (String) async throws -> Result, verify: (String) async throws -> TableSample?
    ) async throws -> (result: Result, emulatorCPU: Double, sample: TableSample?) {
        let emulator = try await EmulatorProcess.start(binary: binary, standardError: .discard)
        do {
            let before = ChildCPU.seconds(pid: emulator.child.pid) ?? 0
            let result = try await body(emulator.hostPort)
            let cpu = (ChildCPU.seconds(pid: emulator.child.pid) ?? 0) - before
            let sample = try await verify(emulator.hostPort)
            await emulator.stop()
            return (result, cpu, sample)
        } catch {
            await emulator.stop()
            throw error
        }
    }

    // MARK: - cbt

    private func cbtEnvironment(_ host: String) -> [String: String] { ["BIGTABLE_EMULATOR_HOST": host] }

    private func cbtArguments(_ rest: [String]) -> [String] {
        ["-project", Self.project, "-instance", Self.instance] + rest
    }

    /// Creates the table with the writer's families, then times `cbt import` of the CSV.
    private func cbtImport(host: String, csvPath: String, workers: Int) async throws -> (seconds: Double, cpu: Double) {
        let families = [EventsFactTable.eventData, EventsFactTable.metadata, EventsFactTable.quality].joined(separator: ",")
        let created = try await HelperCommand.run(
            Self.cbt, cbtArguments(["createtable", EventsFactTable.name, "families=\(families)"]),
            environment: cbtEnvironment(host))
        guard created.code == 0 else { throw ToolError("cbt createtable failed: \(created.errors)") }
        let clock = ContinuousClock()
        let cpuBefore = ChildCPU.waitedChildren()
        let started = clock.now
        let imported = try await HelperCommand.run(
            Self.cbt,
            cbtArguments([
                "import", EventsFactTable.name, csvPath, "workers=\(workers)", "batch-size=500",
                "timestamp=value-encoded",
            ]),
            environment: cbtEnvironment(host), timeout: .seconds(600))
        let seconds = started.duration(to: clock.now).seconds
        let cpu = ChildCPU.waitedChildren() - cpuBefore
        guard imported.code == 0 else { throw ToolError("cbt import failed: \(imported.errors.suffix(1_000))") }
        return (seconds, cpu)
    }

    /// The table's row count and its first rows as cbt prints them: equal samples mean equal cells.
    private func sample(host: String) async throws -> TableSample {
        let counted = try await HelperCommand.run(
            Self.cbt, cbtArguments(["count", EventsFactTable.name]), environment: cbtEnvironment(host))
        let read = try await HelperCommand.run(
            Self.cbt, cbtArguments(["read", EventsFactTable.name, "count=20"]), environment: cbtEnvironment(host))
        guard counted.code == 0, read.code == 0 else { throw ToolError("cbt count/read failed: \(counted.errors) \(read.errors)") }
        return TableSample(
            rows: Int(counted.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, firstRows: read.output)
    }

    // MARK: - Input

    private func produce(_ events: [CleanEventSource.Event], client: KafkaClientConfiguration) async throws {
        try await CleanEventSource.produce(events, client: client, logger: logger)
    }
}

/// What a table holds, compactly: its row count and its first rows' cells as `cbt read` prints them.
struct TableSample: Sendable, Equatable {
    var rows: Int
    var firstRows: String

    var summary: String { "\(rows) rows, \(firstRows.count) bytes of first rows" }
}

/// Clean events as the transformer writes them, from the synthetic stream without bad records.
struct CleanEventSource {
    /// Produces the events to events.clean keyed by user, as the transformer does, and waits until all are durable.
    static func produce(_ events: [Event], client: KafkaClientConfiguration, logger: Logger) async throws {
        let producer = try KafkaProducer(configuration: .init(client: client), logger: logger)
        let topic = try producer.topic(PipelineTopic.eventsClean.rawValue)
        let tracker = DeliveryTracker()
        for event in events {
            try await producer.send(to: topic, key: Array(event.event.userID.utf8), value: event.bytes, tracker: tracker)
        }
        tracker.seal()
        let failed = await tracker.report().failed
        await producer.close(timeout: .seconds(10))
        guard failed == 0 else { throw ToolError("\(failed) clean events were not delivered") }
    }

    struct Event: Sendable {
        var bytes: [UInt8]
        var event: CleanEvent
    }

    let seed: UInt64

    /// - Throws: when the built-in rules do not load or an encoded event does not decode.
    func events(count: Int) throws -> [Event] {
        let transformer = EventTransformer(rules: try BuiltInQualityRules.load())
        let synthesizer = EventSynthesizer(seed: seed, badFraction: 0)
        var events: [Event] = []
        events.reserveCapacity(count)
        var index: UInt64 = 0
        while events.count < count {
            let record = synthesizer.record(at: index)
            let outcome = transformer.transform(
                payload: record.payload, source: "bench", receivedTimeMs: record.receivedTimeMs,
                processedTimeMs: 1_767_225_600_000 + Int64(index >> 10))
            index += 1
            guard case .clean(let encoded) = outcome else { continue }
            let event = try encoded.bytes.withUnsafeBytes { try CleanEvent(decoding: $0) }
            events.append(Event(bytes: encoded.bytes, event: event))
        }
        return events
    }
}
