import ClickstreamModel
import Foundation
import Logging
import PipelineKafka
import PipelineRuntime

/// `tributary bench transformer`: the transformer service through the broker, against the bare C relay moving
/// the same messages and a Python transformer doing the same job.
///
/// events.raw is filled once by the `generator` process. Then each run starts, in turn, c-relay (events.raw →
/// bench.relay.out), `transformer --exit-after N` and the Python baseline, each with a fresh consumer group and
/// the same consumer settings, and each reports its own wall and CPU time from its first record to its last
/// delivered output. Every run's outputs are counted from the topics' high watermarks and checked against the
/// seed's expected counts, so a fast but wrong run cannot pass unnoticed.
struct TransformerBench {
    let configuration: BenchCommand.Configuration
    let logger: Logger

    static let relayOutput = "bench.relay.out"
    static let clean = PipelineTopic.eventsClean.rawValue
    static let deadLetters = PipelineTopic.eventsDeadLetter.rawValue

    func run() async throws -> BenchReport {
        let count = configuration.messages
        let synthesizer = EventSynthesizer(seed: configuration.seed, badFraction: configuration.badFraction)
        let expected = ExpectedCounts(synthesizer: synthesizer, total: UInt64(count))
        let recordBytes = (0..<1_000).reduce(0) { $0 + synthesizer.record(at: UInt64($1)).payload.count } / 1_000 + 40
        let partitions = BenchTopics.partitions(records: count, recordBytes: recordBytes, chosen: configuration.partitions)
        var python: Result<PythonBaseline, ToolError>?
        if configuration.python { python = await PythonBaseline.prepare(venv: configuration.venv) }
        defer { if case .success(let baseline) = python { baseline.cleanUp() } }

        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-\(getpid())").path
        let broker = try await LocalBrokerProcess.start(partitions: partitions, stateDirectory: state)
        do {
            let report = try await measure(
                broker: broker, partitions: partitions, expected: expected, python: python)
            await broker.stop()
            try? FileManager.default.removeItem(atPath: state)
            return report
        } catch {
            await broker.stop()
            throw error
        }
    }

    private func measure(
        broker: LocalBrokerProcess, partitions: Int, expected: ExpectedCounts,
        python: Result<PythonBaseline, ToolError>?
    ) async throws -> BenchReport {
        let bootstrap = broker.address.bootstrapServers
        let count = configuration.messages
        try await broker.createTopic(Self.relayOutput, partitions: partitions)
        let topics = try BenchTopics(
            client: .init(bootstrapServers: bootstrap, clientID: "bench", statisticsInterval: nil), logger: logger)
        print("filling events.raw with \(count) events (seed \(configuration.seed), \(partitions) partitions)…")
        _ = try await MeasuredChild.fill(
            bootstrap: bootstrap, seed: configuration.seed, count: count, badFraction: configuration.badFraction)
        try await topics.checkNothingDropped(PipelineTopic.eventsRaw.rawValue, expected: count)

        var notes: [String] = []
        var cRelay = BenchRow(name: "relay, C (librdkafka)", messages: count, seconds: [], cpuSeconds: [])
        var transformer = BenchRow(name: "transformer, Swift", messages: count, seconds: [], cpuSeconds: [])
        var pythonRow = BenchRow(name: "transformer, Python", messages: count, seconds: [], cpuSeconds: [])
        let baseline: PythonBaseline?
        switch python {
        case .success(let ready)?:
            baseline = ready
            notes.append("Python baseline: \(await ready.versions())")
        case .failure(let reason)?:
            baseline = nil
            notes.append("Python row skipped: \(reason)")
        case nil:
            baseline = nil
            notes.append("Python row skipped: --no-python")
        }
        let consumerSettings = KafkaBench.consumerProperties
        for run in 1...configuration.runs {
            print("run \(run) of \(configuration.runs): C relay…")
            let c = try await MeasuredChild(
                name: "c-relay", executable: SiblingExecutable.path("c-relay"),
                arguments: [bootstrap, PipelineTopic.eventsRaw.rawValue, Self.relayOutput, "bench-c-\(run)", "\(count)"]
                    + consumerSettings
            ).run(expected: count)
            cRelay.record(c)

            print("run \(run) of \(configuration.runs): transformer…")
            let before = try await outputs(topics)
            let swift = try await MeasuredChild(
                name: "transformer", executable: SiblingExecutable.path("transformer"),
                arguments: [
                    "--bootstrap", bootstrap, "--group", "bench-transformer-\(run)", "--exit-after", "\(count)",
                    "--metrics-port", "0", "--log-level", "warning",
                ] + consumerSettings.flatMap { ["--kafka", $0] }
            ).run(expected: count)
            transformer.record(swift)
            if let problem = check(try await outputs(topics), since: before, expected: expected, who: "transformer") {
                notes.append(problem)
            }

            guard let baseline else { continue }
            print("run \(run) of \(configuration.runs): Python transformer…")
            let pythonBefore = try await outputs(topics)
            let result = try await MeasuredChild(
                name: "python-transformer", executable: baseline.python,
                arguments: [
                    PythonBaseline.script, "--proto-dir", baseline.protoDirectory, "--bootstrap", bootstrap,
                    "--group", "bench-python-\(run)", "--exit-after", "\(count)",
                ] + consumerSettings.flatMap { ["--kafka", $0] }, timeout: .seconds(600)
            ).run(expected: count)
            pythonRow.record(result)
            if let problem = check(try await outputs(topics), since: pythonBefore, expected: expected, who: "Python") {
                notes.append(problem)
            }
        }

        var rows = [cRelay, transformer]
        var ratios = [
            BenchRatio(
                name: "transformer ÷ C relay", throughput: transformer.medianThroughput / cRelay.medianThroughput,
                cpu: transformer.medianCPUMicros / cRelay.medianCPUMicros, goal: "goal: CPU per event ≤ 1.5×")
        ]
        if !pythonRow.seconds.isEmpty {
            rows.append(pythonRow)
            ratios.append(
                BenchRatio(
                    name: "Python ÷ transformer", throughput: pythonRow.medianThroughput / transformer.medianThroughput,
                    cpu: pythonRow.medianCPUMicros / transformer.medianCPUMicros, goal: "how much a Python job costs"))
        }
        notes.append(
            "each run: \(expected.good) clean events and \(expected.deadLettersTotal) dead letters expected, "
                + "checked from the output topics' high watermarks")
        return BenchReport(
            stage: "transformer",
            settings: [
                "events": "\(count)", "seed": "\(configuration.seed)", "bad_fraction": "\(configuration.badFraction)",
                "partitions": "\(partitions)", "runs": "\(configuration.runs)", "librdkafka": "local mock broker",
            ],
            rows: rows, ratios: ratios, unit: "event", notes: notes)
    }

    /// Records written so far to events.clean and events.dlq.
    private func outputs(_ topics: BenchTopics) async throws -> (clean: Int, deadLetters: Int) {
        (try await topics.written(Self.clean), try await topics.written(Self.deadLetters))
    }

    /// A note when a run's outputs differ from the seed's expected counts, `nil` when they match.
    private func check(
        _ after: (clean: Int, deadLetters: Int), since before: (clean: Int, deadLetters: Int),
        expected: ExpectedCounts, who: String
    ) -> String? {
        let clean = after.clean - before.clean
        let dead = after.deadLetters - before.deadLetters
        guard clean != Int(expected.good) || dead != Int(expected.deadLettersTotal) else { return nil }
        return "MISMATCH: \(who) wrote \(clean) clean events and \(dead) dead letters; expected \(expected.good) "
            + "and \(expected.deadLettersTotal)"
    }
}

extension BenchRow {
    /// Appends one run's figures.
    mutating func record(_ result: MeasuredChild.Result) {
        seconds.append(result.seconds)
        cpuSeconds.append(result.cpuSeconds)
    }
}

extension MeasuredChild {
    /// Fills events.raw with the `generator` process at full speed and returns its JSON summary.
    static func fill(bootstrap: String, seed: UInt64, count: Int, badFraction: Double) async throws -> String {
        let result = try await HelperCommand.run(
            SiblingExecutable.path("generator"),
            [
                "events", "--bootstrap", bootstrap, "--seed", "\(seed)", "--total", "\(count)", "--rate", "0",
                "--bad-fraction", "\(badFraction)", "--json", "--metrics-port", "0", "--log-level", "warning",
            ])
        guard result.code == 0 else { throw ToolError("generator exited with \(result.code): \(result.errors)") }
        return result.output
    }
}
