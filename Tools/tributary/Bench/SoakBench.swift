import ClickstreamModel
import Foundation
import Logging
import PipelineKafka
import PipelineRuntime

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `tributary bench soak`: the clickstream pipeline (generator → transformer → bigtable-writer and aggregator) at a
/// fixed rate for a fixed time, sampled every interval: each service's resident memory and CPU, and the end-to-end
/// latency of the rows written (from the generator's send to Bigtable's acknowledgement, the writer's
/// `tributary_pipeline_end_to_end_latency_seconds` histogram), as p50/p99 per interval and over the whole run.
///
/// What it shows: memory stays flat once the windows fill (no leak, no growing buffers) and latency stays in the
/// milliseconds while the pipeline keeps up. It also writes two SVG charts, latency and memory over the run.
struct SoakBench {
    let configuration: BenchCommand.Configuration
    let logger: Logger

    struct Sample: Sendable {
        var seconds: Double
        var rowsPerSecond: Double
        var p50: Double?
        var p99: Double?
        var residentMegabytes: [String: Double]
    }

    static let services = ["transformer", "bigtable-writer", "aggregator"]

    func run() async throws -> BenchReport {
        let emulatorBinary =
            ProcessInfo.processInfo.environment["BIGTABLE_EMULATOR_BIN"] ?? EmulatorProcess.defaultBinary
        let rate = configuration.rate
        let total = Int(Double(rate) * configuration.duration)
        let expected = ExpectedCounts(
            synthesizer: EventSynthesizer(seed: configuration.seed, badFraction: configuration.badFraction),
            total: UInt64(total))
        let partitions = configuration.partitions ?? 8
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-soak-\(getpid())").path
        let broker = try await LocalBrokerProcess.start(partitions: partitions, stateDirectory: state)
        let emulator: EmulatorProcess
        do {
            emulator = try await EmulatorProcess.start(binary: emulatorBinary, standardError: .discard)
        } catch {
            await broker.stop()
            throw error
        }
        var children: [String: ChildProcess] = [:]
        func stopAll() async {
            for child in children.values { _ = await child.stop(grace: .seconds(20)) }
            await emulator.stop()
            await broker.stop()
            try? FileManager.default.removeItem(atPath: state)
        }
        do {
            let bootstrap = broker.address.bootstrapServers
            // The broker creates the pipeline topics itself, with `partitions` each for the data topics.
            let metricsPort = try FreePort.pick()
            let common = ["--bootstrap", bootstrap, "--log-level", "warning"]
            let bigtable = ["--create-tables", "--bigtable-project", WriterBench.project, "--bigtable-instance", WriterBench.instance]
            let environment = ProcessInfo.processInfo.environment.merging(["BIGTABLE_EMULATOR_HOST": emulator.hostPort]) { $1 }
            children["transformer"] = try ChildProcess(
                name: "transformer", executable: SiblingExecutable.path("transformer"),
                arguments: common + ["--metrics-port", "0"], standardOutput: .discard, standardError: .inherit)
            children["bigtable-writer"] = try ChildProcess(
                name: "bigtable-writer", executable: SiblingExecutable.path("bigtable-writer"),
                arguments: common + bigtable + ["--metrics-port", "\(metricsPort)"], environment: environment,
                standardOutput: .discard, standardError: .inherit)
            children["aggregator"] = try ChildProcess(
                name: "aggregator", executable: SiblingExecutable.path("aggregator"),
                arguments: common + bigtable + ["--metrics-port", "0"], environment: environment,
                standardOutput: .discard, standardError: .inherit)
            try await Task.sleep(for: PipelineBench.joinWait)

            print("soak: \(total) events at \(rate)/s for \(Int(configuration.duration)) s, sampled every \(Int(configuration.interval)) s…")
            let cpuAtStart = Self.cpu(children)
            let generator = try ChildProcess(
                name: "generator", executable: SiblingExecutable.path("generator"),
                arguments: [
                    "events", "--bootstrap", bootstrap, "--seed", "\(configuration.seed)", "--total", "\(total)",
                    "--rate", "\(rate)", "--bad-fraction", "\(configuration.badFraction)", "--metrics-port", "0",
                    "--log-level", "warning",
                ], standardOutput: .discard, standardError: .inherit)
            children["generator"] = generator
            let scrape = MetricsScrape(url: "http://127.0.0.1:\(metricsPort)/metrics")
            let clock = ContinuousClock()
            let started = clock.now
            var samples: [Sample] = []
            var previous: LatencyHistogram?
            var lastTick = started
            // Until the generator is done and the writer has every good row (or a minute more has passed).
            var drainDeadline: ContinuousClock.Instant?
            while true {
                try await Task.sleep(until: lastTick.advanced(by: .seconds(configuration.interval)))
                let now = clock.now
                let elapsed = Self.seconds(started.duration(to: now))
                let histogram = await scrape.histogram()
                let window = histogram?.subtracting(previous)
                let windowSeconds = Self.seconds(lastTick.duration(to: now))
                var memory: [String: Double] = [:]
                for name in Self.services {
                    if let pid = children[name]?.pid, let bytes = ProcessMetrics.residentBytes(pid: pid) {
                        memory[name] = Double(bytes) / 1_048_576
                    }
                }
                let sample = Sample(
                    seconds: elapsed, rowsPerSecond: (window?.count ?? 0) / windowSeconds, p50: window?.quantile(0.5),
                    p99: window?.quantile(0.99), residentMegabytes: memory)
                samples.append(sample)
                print(Self.line(sample))
                previous = histogram ?? previous
                lastTick = now
                if generator.exitCode != nil {
                    if drainDeadline == nil { drainDeadline = now.advanced(by: .seconds(60)) }
                    let written = histogram?.count ?? 0
                    if written >= Double(expected.good) || now >= drainDeadline! { break }
                }
            }
            guard generator.exitCode == 0 else { throw ToolError("the generator exited with \(generator.exitCode ?? -1)") }
            let cpuAtEnd = Self.cpu(children)
            // The writer started with this run, so its cumulative histogram is the whole run's.
            let whole = previous
            let seconds = samples.last?.seconds ?? 0
            try writeCharts(samples)
            try writeSamples(samples)
            await stopAll()
            return report(
                samples: samples, whole: whole, seconds: seconds, total: total, good: Int(expected.good),
                cpu: cpuAtStart.merging(cpuAtEnd) { start, end in end - start }, partitions: partitions)
        } catch {
            await stopAll()
            throw error
        }
    }

    private func report(
        samples: [Sample], whole: LatencyHistogram?, seconds: Double, total: Int, good: Int, cpu: [String: Double],
        partitions: Int
    ) -> BenchReport {
        let rows = Self.services.map { name in
            BenchRow(name: name, messages: total, seconds: [seconds], cpuSeconds: [cpu[name] ?? .nan])
        }
        // Memory once the windows have filled (after the first tenth of the run) against the end.
        let settled = samples.first { $0.seconds >= seconds / 10 } ?? samples.first
        var notes = Self.services.map { name in
            let start = settled?.residentMegabytes[name] ?? .nan
            let end = samples.last?.residentMegabytes[name] ?? .nan
            let peak = samples.compactMap { $0.residentMegabytes[name] }.max() ?? .nan
            return String(format: "%@ resident memory: %.0f MB at %.0f s, %.0f MB at the end, peak %.0f MB", name, start, settled?.seconds ?? 0, end, peak)
        }
        let p50 = whole?.quantile(0.5).map { String(format: "%.0f ms", $0 * 1_000) } ?? "-"
        let p99 = whole?.quantile(0.99).map { String(format: "%.0f ms", $0 * 1_000) } ?? "-"
        notes.append("end-to-end latency (generator send → Bigtable acknowledged), whole run: p50 \(p50), p99 \(p99) over \(Int(whole?.count ?? 0)) rows of \(good) good events")
        notes.append("the rows' seconds are the soak's length (fixed rate), so events/s is the offered rate; CPU µs/event is each service's own")
        notes.append("charts: \(configuration.chartsDirectory)/soak-latency.svg, soak-memory.svg; samples: \(samplesPath)")
        return BenchReport(
            stage: "soak",
            settings: [
                "rate": "\(configuration.rate)", "duration_s": "\(Int(configuration.duration))", "events": "\(total)",
                "seed": "\(configuration.seed)", "partitions": "\(partitions)", "interval_s": "\(Int(configuration.interval))",
                "latency_p50_ms": whole?.quantile(0.5).map { String(format: "%.1f", $0 * 1_000) } ?? "-",
                "latency_p99_ms": whole?.quantile(0.99).map { String(format: "%.1f", $0 * 1_000) } ?? "-",
            ],
            rows: rows, ratios: [], unit: "event", notes: notes)
    }

    private var samplesPath: String {
        (configuration.jsonPath as NSString).deletingPathExtension + ".samples.json"
    }

    private func writeSamples(_ samples: [Sample]) throws {
        let objects = samples.map { sample -> [String: Any] in
            var object: [String: Any] = [
                "seconds": sample.seconds, "rows_per_second": sample.rowsPerSecond,
                "resident_mb": sample.residentMegabytes,
            ]
            if let p50 = sample.p50 { object["latency_p50_s"] = p50 }
            if let p99 = sample.p99 { object["latency_p99_s"] = p99 }
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        let directory = URL(fileURLWithPath: samplesPath).deletingLastPathComponent().path
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try data.write(to: URL(fileURLWithPath: samplesPath))
    }

    private func writeCharts(_ samples: [Sample]) throws {
        let title = "at \(configuration.rate) events/s for \(Int(configuration.duration / 60)) min"
        try SVGChart(
            title: "End-to-end latency, generator → Bigtable, \(title)", xLabel: "seconds into the run",
            yLabel: "milliseconds",
            series: [
                .init(name: "p50", points: samples.compactMap { s in s.p50.map { (s.seconds, $0 * 1_000) } }),
                .init(name: "p99", points: samples.compactMap { s in s.p99.map { (s.seconds, $0 * 1_000) } }),
            ]
        ).write(to: configuration.chartsDirectory + "/soak-latency.svg")
        try SVGChart(
            title: "Resident memory per service, \(title)", xLabel: "seconds into the run", yLabel: "MB",
            series: Self.services.map { name in
                .init(name: name, points: samples.compactMap { s in s.residentMegabytes[name].map { (s.seconds, $0) } })
            }
        ).write(to: configuration.chartsDirectory + "/soak-memory.svg")
    }

    private static func cpu(_ children: [String: ChildProcess]) -> [String: Double] {
        children.compactMapValues { ChildCPU.seconds(pid: $0.pid) }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) * 1e-18
    }

    private static func line(_ sample: Sample) -> String {
        let latency = [sample.p50, sample.p99].map { $0.map { String(format: "%.0f ms", $0 * 1_000) } ?? "-" }
        let memory = services.map { String(format: "%@ %.0f MB", $0, sample.residentMegabytes[$0] ?? .nan) }
        return String(format: "  %5.0f s  %7.0f rows/s  p50 %@  p99 %@  ", sample.seconds, sample.rowsPerSecond, latency[0], latency[1])
            + memory.joined(separator: "  ")
    }
}

/// `GET /metrics` of one service, read as the end-to-end latency histogram.
struct MetricsScrape: Sendable {
    let url: String

    func histogram() async -> LatencyHistogram? {
        guard let url = URL(string: url) else { return nil }
        guard let (data, _) = try? await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 5)) else { return nil }
        return LatencyHistogram(name: CoreMetricNames.endToEndLatency, exposition: String(decoding: data, as: UTF8.self))
    }
}
