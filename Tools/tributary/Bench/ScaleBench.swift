import Foundation
import Logging
import PipelineKafka
import PipelineRuntime
import PipelineTables

/// `tributary bench scale`: 1, 2 and 4 instances (`--instances`) of the transformer, the bigtable-writer and the
/// aggregator in one consumer group, each stage over the same pre-filled input topic, to show throughput growing
/// with instances until this machine's cores are the limit, and the results staying the same.
///
/// A measurement starts N instances in a fresh group and runs from the first record any of them handled (group
/// joins are outside it) to the group's commit of the last input record (commits every 100 ms, polled as often);
/// the CPU is the instances' own from their first record, as each reports at shutdown (`--exit-after` meters).
/// A rebalance while the instances join is inside the span: it is part of what scaling out costs.
/// The writer and aggregator get a fresh emulator per measurement; their tables must hold the same row count
/// whatever the instance count (the exactness of the aggregates under scaling is proved cell by cell by
/// `AggregatorEndToEndTests`).
struct ScaleBench {
    let configuration: BenchCommand.Configuration
    let logger: Logger

    enum Stage: String, CaseIterable {
        case transformer
        case writer = "bigtable-writer"
        case aggregator

        var input: PipelineTopic { self == .transformer ? .eventsRaw : .eventsClean }
        var table: String? {
            switch self {
            case .transformer: nil
            case .writer: EventsFactTable.name
            case .aggregator: EventsAggregateTable.name
            }
        }
    }

    struct Measurement {
        var stage: Stage
        var instances: Int
        var events: Int
        var seconds: Double
        var cpuSeconds: Double
        var tableRows: Int?
    }

    func run() async throws -> BenchReport {
        let emulatorBinary =
            ProcessInfo.processInfo.environment["BIGTABLE_EMULATOR_BIN"] ?? EmulatorProcess.defaultBinary
        var measurements: [Measurement] = []
        for stage in Stage.allCases {
            measurements += try await measure(stage, emulatorBinary: emulatorBinary)
        }
        try chart(measurements).write(to: configuration.chartsDirectory + "/scale-out.svg")
        return report(measurements)
    }

    /// One broker per stage, filled once; then each instance count in turn.
    private func measure(_ stage: Stage, emulatorBinary: String) async throws -> [Measurement] {
        let count = configuration.messages
        let partitions = max(
            8, BenchTopics.partitions(records: count, recordBytes: stage == .transformer ? 400 : 600, chosen: configuration.partitions))
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-scale-\(getpid())").path
        let broker = try await LocalBrokerProcess.start(partitions: partitions, stateDirectory: state)
        defer { try? FileManager.default.removeItem(atPath: state) }
        do {
            let bootstrap = broker.address.bootstrapServers
            let client = KafkaClientConfiguration(bootstrapServers: bootstrap, clientID: "bench", statisticsInterval: nil)
            print("\(stage.rawValue): filling \(stage.input.rawValue) with \(count) events (\(partitions) partitions)…")
            if stage == .transformer {
                _ = try await MeasuredChild.fill(
                    bootstrap: bootstrap, seed: configuration.seed, count: count, badFraction: configuration.badFraction)
            } else {
                let events = try CleanEventSource(seed: configuration.seed).events(count: count)
                try await CleanEventSource.produce(events, client: client, logger: logger)
            }
            try await BenchTopics(client: client, logger: logger).checkNothingDropped(stage.input.rawValue, expected: count)
            var results: [Measurement] = []
            for instances in configuration.instances {
                print("\(stage.rawValue) ×\(instances)…")
                results.append(
                    try await once(stage, instances: instances, client: client, emulatorBinary: emulatorBinary))
                let last = results[results.count - 1]
                print(String(format: "  %.0f events/s, %.2f CPU µs/event", Double(last.events) / last.seconds, last.cpuSeconds * 1e6 / Double(last.events)))
            }
            await broker.stop()
            return results
        } catch {
            await broker.stop()
            throw error
        }
    }

    private func once(
        _ stage: Stage, instances: Int, client: KafkaClientConfiguration, emulatorBinary: String
    ) async throws -> Measurement {
        let emulator = stage.table == nil ? nil : try await EmulatorProcess.start(binary: emulatorBinary, standardError: .discard)
        let group = "bench-scale-\(stage.rawValue)-\(instances)"
        let admin = try KafkaAdmin(client: client, logger: logger)
        let topic = stage.input.rawValue
        let total = try await admin.offsets(topic: topic).reduce(0) { $0 + $1.high }
        // `--exit-after total` only switches on each instance's own meter (it never reaches the total alone): its
        // first record's time and its CPU from then on, printed at shutdown. Frequent commits sharpen the end.
        var arguments = [
            "--bootstrap", client.bootstrapServers, "--group", group, "--metrics-port", "0", "--log-level", "warning",
            "--exit-after", "\(total)", "--kafka", "auto.commit.interval.ms=100",
        ]
        if stage != .transformer {
            arguments += ["--create-tables", "--bigtable-project", WriterBench.project, "--bigtable-instance", WriterBench.instance]
        }
        var environment = ProcessInfo.processInfo.environment
        if let emulator { environment["BIGTABLE_EMULATOR_HOST"] = emulator.hostPort }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-scale-\(getpid())-\(group)").path
        var children: [ChildProcess] = []
        func stopAll() async {
            for child in children { _ = await child.stop(grace: .seconds(20)) }
            await emulator?.stop()
        }
        do {
            for index in 0..<instances {
                children.append(
                    try ChildProcess(
                        name: "\(stage.rawValue)-\(index)", executable: SiblingExecutable.path(stage.rawValue),
                        arguments: arguments, environment: environment, standardOutput: .file("\(base)-\(index).out"),
                        standardError: .inherit))
            }
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(600))
            while clock.now < deadline {
                let committed = try await admin.offsets(topic: topic, group: group).reduce(0) { $0 + ($1.committed ?? 0) }
                if committed >= total { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let finishedMs = WallClock.milliseconds()
            let rows = try await tableRows(stage, emulator: emulator)
            await stopAll()
            let reports = (0..<instances).compactMap { index -> [String: Any]? in
                defer { try? FileManager.default.removeItem(atPath: "\(base)-\(index).out") }
                let text = (try? String(contentsOfFile: "\(base)-\(index).out", encoding: .utf8)) ?? ""
                guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return nil }
                return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            }
            guard finishedMs > 0, clock.now < deadline,
                let startedMs = reports.compactMap({ ($0["started_ms"] as? NSNumber)?.int64Value }).min()
            else { throw ToolError("\(stage.rawValue) ×\(instances) did not commit all \(total) records within 10 minutes") }
            let cpu = reports.reduce(0.0) { $0 + (($1["cpu_seconds"] as? NSNumber)?.doubleValue ?? 0) }
            return Measurement(
                stage: stage, instances: instances, events: Int(total), seconds: Double(finishedMs - startedMs) / 1_000,
                cpuSeconds: cpu, tableRows: rows)
        } catch {
            await stopAll()
            throw error
        }
    }

    /// The stage's table's row count (`cbt count`), once everything is committed.
    private func tableRows(_ stage: Stage, emulator: EmulatorProcess?) async throws -> Int? {
        guard let table = stage.table, let emulator else { return nil }
        let counted = try await HelperCommand.run(
            WriterBench.cbt, ["-project", WriterBench.project, "-instance", WriterBench.instance, "count", table],
            environment: ["BIGTABLE_EMULATOR_HOST": emulator.hostPort])
        return Int(counted.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private func chart(_ measurements: [Measurement]) -> SVGChart {
        SVGChart(
            title: "Throughput against instances in one consumer group (\(ProcessInfo.processInfo.activeProcessorCount) cores)",
            xLabel: "instances", yLabel: "events/s",
            series: Stage.allCases.map { stage in
                .init(
                    name: stage.rawValue,
                    points: measurements.filter { $0.stage == stage }.map { (Double($0.instances), Double($0.events) / $0.seconds) })
            }, markers: true)
    }

    private func report(_ measurements: [Measurement]) -> BenchReport {
        var notes: [String] = []
        var ratios: [BenchRatio] = []
        for stage in Stage.allCases {
            let rows = measurements.filter { $0.stage == stage }
            guard let one = rows.first else { continue }
            let base = Double(one.events) / one.seconds
            for row in rows.dropFirst() {
                ratios.append(
                    BenchRatio(
                        name: "\(stage.rawValue) ×\(row.instances) ÷ ×\(one.instances)",
                        throughput: Double(row.events) / row.seconds / base,
                        cpu: (row.cpuSeconds / Double(row.events)) / (one.cpuSeconds / Double(one.events)),
                        goal: "grows until the cores are the limit"))
            }
            let tableRows = Set(rows.compactMap(\.tableRows))
            if let table = stage.table {
                notes.append(
                    tableRows.count == 1
                        ? "\(table) holds \(tableRows.first!) rows after every instance count: the same result"
                        : "MISMATCH: \(table) row counts differ by instance count: \(rows.map { "×\($0.instances): \($0.tableRows ?? -1)" })")
            }
        }
        notes.append("each row: all input events ÷ (first record handled by any instance → group committed the last); CPU is the instances' own from their first record")
        notes.append("\(ProcessInfo.processInfo.activeProcessorCount) cores shared with the broker and the emulator: past that, instances only add overhead")
        notes.append("chart: \(configuration.chartsDirectory)/scale-out.svg")
        return BenchReport(
            stage: "scale",
            settings: [
                "events": "\(configuration.messages)", "instances": configuration.instances.map(String.init).joined(separator: ","),
                "seed": "\(configuration.seed)", "cores": "\(ProcessInfo.processInfo.activeProcessorCount)",
            ],
            rows: measurements.map {
                BenchRow(name: "\($0.stage.rawValue) ×\($0.instances)", messages: $0.events, seconds: [$0.seconds], cpuSeconds: [$0.cpuSeconds])
            },
            ratios: ratios, unit: "event", notes: notes)
    }
}
