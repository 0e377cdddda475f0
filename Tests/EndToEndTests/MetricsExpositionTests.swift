import BigtableTestSupport
import Foundation
import HTTPTestSupport
import PipelineKafka
import PipelineMessages
import Testing

/// Every running service's /metrics parses with a real Prometheus parser (Python's prometheus_client), carries the
/// shared core metrics, and the Grafana dashboard only asks for metrics that exist.
@Suite(.timeLimit(.minutes(4))) struct MetricsExpositionTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Metrics that appear only once something fails (no failure is provoked here); they must at least be
    /// spelled in the sources.
    static let onlyOnFailure = [
        "tributary_bigtable_request_errors_total", "tributary_http_client_errors_total",
        "tributary_alerting_queue_overflow_total", "tributary_alerting_webhook_failures_total",
        "tributary_kafka_client_errors_total",
    ]

    @Test func everyServiceExposesParsableCoreMetricsAndTheDashboardMatchesThem() async throws {
        let broker = try await BrokerProcess(partitions: 4)
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
            "HEARTBEAT_INTERVAL": "1",
        ]) { $1 }
        let webhook = try LoopbackServer { _ in .text("ok") }
        var services: [String: Spawned] = [:]
        services["transformer"] = try Spawned("transformer", ["--metrics-port", "0"], environment: environment)
        services["bigtable-writer"] = try Spawned("bigtable-writer", ["--metrics-port", "0", "--create-tables"], environment: environment)
        services["aggregator"] = try Spawned("aggregator", ["--metrics-port", "0", "--create-tables"], environment: environment)
        services["alerting"] = try Spawned(
            "alerting", ["--metrics-port", "0", "--lag-interval", "1s", "--webhook-spacing", "100ms"],
            environment: environment.merging(["ALERTING_WEBHOOK_URL": webhook.baseURL + "/hook"]) { $1 })
        services["generator"] = try Spawned(
            "generator", ["events", "--seed", "5", "--total", "1000000", "--rate", "500", "--bad-fraction", "0.05", "--metrics-port", "0"],
            environment: environment)
        defer { for process in services.values { process.signal(SIGTERM) } }

        #expect(try await broker.waitUntilCommitted("events.raw", group: "transformer", atLeast: 500, within: .seconds(90)))
        #expect(try await broker.waitUntilCommitted("events.clean", group: "bigtable-writer", atLeast: 300, within: .seconds(90)))
        #expect(try await broker.waitUntilCommitted("events.clean", group: "aggregator", atLeast: 300, within: .seconds(90)))
        // An alert through alerting's consumer group to the webhook, so its HTTP client has a request to show.
        try await Self.alertUntilDelivered(broker: broker, webhook: webhook)

        var names: [String: Set<String>] = [:]
        for (service, process) in services {
            let address = try #require(await process.operationsAddress(), "\(service): \(process.stderr)")
            let (status, body) = try await httpGet("http://\(address)/metrics")
            #expect(status == 200)
            names[service] = try Self.parse(body, service: service)
        }
        let everyone = ["tributary_build_info", "process_cpu_seconds_total", "tributary_kafka_librdkafka_msg_cnt"]
        let consumers = ["tributary_consumed_total", "tributary_batch_size_bucket"]
        let stages = ["tributary_produced_total", "tributary_processing_seconds_bucket"]
        let expected: [String: [String]] = [
            "generator": everyone + ["tributary_produced_total"],
            "transformer": everyone + consumers + stages + ["tributary_dead_letters_total"],
            "bigtable-writer": everyone + consumers + stages + ["tributary_bigtable_request_duration_seconds_bucket"],
            "aggregator": everyone + consumers + stages + ["tributary_bigtable_request_duration_seconds_bucket"],
            "alerting": everyone + consumers + [
                "tributary_produced_total", "tributary_http_client_request_duration_seconds_bucket",
                "tributary_consumer_group_lag_seconds", "tributary_alerting_open_alerts",
            ],
        ]
        for (service, wanted) in expected {
            for name in wanted { #expect(names[service]?.contains(name) == true, "\(service) lacks \(name)") }
        }

        // Heartbeats: tributary status sees one live instance per stage, and each consuming (a stage busy flushing
        // may show no input between two heartbeats, so look a few times).
        var consuming = Set<String>()
        var last = ""
        let stagesDeadline = ContinuousClock.now.advanced(by: .seconds(60))
        while consuming.count < 3, ContinuousClock.now < stagesDeadline {
            let status = try await Spawned.run("tributary", ["status", "--json"], environment: environment)
            #expect(status.code == 0, "\(status.stderr)")
            last = status.stdout
            let snapshot = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            let reported = try #require(snapshot["stages"] as? [[String: Any]])
            for name in ["transformer", "bigtable-writer", "aggregator"] {
                let stage = try #require(reported.first { $0["stage"] as? String == name }, "\(status.stdout)")
                #expect((stage["instances_alive"] as? NSNumber)?.intValue == 1, "\(name): \(stage)")
                if ((stage["in_per_second"] as? NSNumber)?.doubleValue ?? 0) > 0 { consuming.insert(name) }
            }
        }
        #expect(consuming.count == 3, "\(last)")

        // The dashboard: valid Grafana JSON whose every query names metrics some service exposes.
        let all = names.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let referenced = try Self.dashboardMetrics()
        #expect(referenced.count >= 10)
        let sources = try Self.sourceText()
        for name in referenced {
            if Self.onlyOnFailure.contains(name) {
                #expect(sources.contains("\"\(name)\""), "\(name) is not defined anywhere")
            } else {
                #expect(all.contains(name), "the dashboard asks for \(name), which no service exposes")
            }
        }
    }

    /// Sends the same Alert on pipeline.alerts every second until the webhook got it (alerting joins its group
    /// with auto.offset.reset=latest, so earlier ones are not read).
    static func alertUntilDelivered(broker: BrokerProcess, webhook: LoopbackServer) async throws {
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let topic = try producer.topic("pipeline.alerts")
        let alert = Alert(key: "test#metrics", severity: .warning, status: .firing, source: "test", summary: "metrics test", timeMs: 1)
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        // Other alerts (dead-letter rates, lag) may reach the webhook first: wait for this one.
        while !webhook.requests.contains(where: { $0.bodyText.contains("test#metrics") }), ContinuousClock.now < deadline {
            try await producer.sendAndWait(to: topic, key: Array(alert.key.utf8), value: alert.encode())
            try await Task.sleep(for: .seconds(1))
        }
        await producer.close(timeout: .seconds(5))
        #expect(webhook.requests.contains { $0.bodyText.contains("test#metrics") })
    }

    /// Parses an exposition with prometheus_client; returns every sample name. Fails the test on a parse error.
    static func parse(_ exposition: String, service: String) throws -> Set<String> {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try exposition.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            names = set()
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                names.add(family.name)
                for sample in family.samples:
                    names.add(sample.name)
            print("\\n".join(sorted(names)))
            """
        let process = Process()
        // Debian's python3 is where scripts/install-deps.sh puts python3-prometheus-client (a pyenv or venv python
        // earlier on PATH would not have it).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, file.path]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, file.path]
        }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(service): /metrics does not parse: \(errorText)")
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// Checks the dashboard's shape and returns the metric names its queries use (histogram suffixes kept).
    static func dashboardMetrics() throws -> Set<String> {
        let data = try Data(contentsOf: repository.appendingPathComponent("deploy/grafana/dashboards/tributary-operations.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["uid"] is String && dashboard["title"] is String && dashboard["schemaVersion"] is Int)
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        var ids = Set<Int>()
        var names = Set<String>()
        let pattern = try NSRegularExpression(pattern: "tributary_[a-z0-9_]+")
        for panel in panels {
            let id = try #require(panel["id"] as? Int)
            #expect(ids.insert(id).inserted, "panel id \(id) repeats")
            let grid = try #require(panel["gridPos"] as? [String: Int])
            #expect(["h", "w", "x", "y"].allSatisfy { grid[$0] != nil })
            guard panel["type"] as? String != "row" else { continue }
            let targets = try #require(panel["targets"] as? [[String: Any]], "panel \(id) has no targets")
            #expect(!targets.isEmpty)
            for target in targets {
                #expect(target["refId"] is String)
                let expr = try #require(target["expr"] as? String)
                for match in pattern.matches(in: expr, range: NSRange(expr.startIndex..., in: expr)) {
                    names.insert(String(expr[Range(match.range, in: expr)!]))
                }
            }
        }
        return names
    }

    static func sourceText() throws -> String {
        var text = ""
        let enumerator = FileManager.default.enumerator(atPath: repository.appendingPathComponent("Shared").path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            text += (try? String(contentsOfFile: repository.appendingPathComponent("Shared/" + path).path, encoding: .utf8)) ?? ""
        }
        return text
    }
}
