import InMemoryLogging
import Logging
import ServiceLifecycle
import Testing

@testable import PipelineRuntime

private struct DemoConfiguration: Sendable, Equatable {
    var rate: Double
    var password: String
}

@Suite("ServiceMain and CommandMain, through their pieces", .timeLimit(.minutes(1)))
struct ServiceMainTests {
    private let main = ServiceMain<DemoConfiguration>(
        service: "demo", summary: "A demo service.", defaultMetricsPort: 9107,
        configuration: { reader in
            DemoConfiguration(
                rate: reader.double("rate", env: "RATE", default: 100, help: "Events per second."),
                password: reader.string("password", env: "DEMO_PASSWORD", default: "", help: "Secret.", secret: true))
        },
        services: { _ in [] })

    @Test("--help yields the service and runtime options")
    func help() {
        guard case .help(let raw) = self.main.prepare(arguments: ["--help"], environment: [:]) else {
            Issue.record("expected help")
            return
        }
        #expect(raw.hasPrefix("Usage: demo [options]\n\nA demo service.\n"))
        let text = raw.collapsingWhitespace()  // descriptions wrap at 100 columns
        #expect(text.contains("--rate <number>"))
        #expect(text.contains("[env: METRICS_PORT] [default: 9107]"))
        #expect(text.contains("[env: METRICS_HOST] [default: 127.0.0.1]"))
        #expect(text.contains("[env: LOG_FORMAT] [default: text]"))
        #expect(text.contains("[env: LOG_LEVEL] [default: info]"))
    }

    @Test("bad values become an exit-2 message that points at --help")
    func invalid() {
        let decision = self.main.prepare(arguments: ["--metrics-port", "x"], environment: ["RATE": "fast"])
        guard case .invalid(let message) = decision else {
            Issue.record("expected invalid")
            return
        }
        #expect(message.contains(#"demo: --rate: "fast" is not a number (from RATE)"#))
        #expect(message.contains(#"demo: --metrics-port: "x" is not an integer"#))
        #expect(message.hasSuffix("See 'demo --help'."))
    }

    @Test("a valid start carries configuration, runtime options and redacted metadata")
    func start() throws {
        let decision = self.main.prepare(
            arguments: ["--rate=5", "--log-format", "json", "--shutdown-timeout", "10s"],
            environment: ["METRICS_PORT": "0", "METRICS_HOST": "0.0.0.0", "DEMO_PASSWORD": "pw-123"])
        guard case .start(let startup) = decision else {
            Issue.record("expected start, got \(decision)")
            return
        }
        #expect(startup.configuration == DemoConfiguration(rate: 5, password: "pw-123"))
        #expect(startup.logging == LoggingOptions(level: .info, format: .json))
        #expect(
            startup.service == ServiceOptions(metricsHost: "0.0.0.0", metricsPort: 0, shutdownTimeout: .seconds(10)))
        #expect(startup.describedConfiguration["config.rate"] == "5 (flag)")
        #expect(startup.describedConfiguration["config.metrics-port"] == "0 (env METRICS_PORT)")
        #expect(startup.describedConfiguration["config.password"] == "<redacted> (env DEMO_PASSWORD)")
        #expect(!"\(startup.describedConfiguration)".contains("pw-123"))
    }

    @Test("a finished service shuts the group down gracefully: health turns 503 and the endpoint closes")
    func finiteServiceShutsDownGroup() async throws {
        let operations = OperationsServer(
            configuration: .init(host: "127.0.0.1", port: 0), metrics: MetricsRegistry(service: "demo"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try operations.start()
        let port = try #require(operations.port)
        let finite = ClosureService {
            let status = try RawHTTPClient(port: port).request("GET", "/healthz").status
            #expect(status == 200)
        }
        try await ServiceMain<DemoConfiguration>.runGroup(
            operations: operations, services: [finite], shutdownTimeout: .seconds(5),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        #expect(operations.health.status == .shuttingDown)
        #expect(operations.port == nil)
    }

    @Test("a throwing service still shuts down gracefully, then its error surfaces")
    func throwingService() async throws {
        let operations = OperationsServer(
            configuration: .init(host: "127.0.0.1", port: 0), metrics: MetricsRegistry(service: "demo"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let failing = ClosureService { throw DemoError() }
        await #expect(throws: DemoError.self) {
            try await ServiceMain<DemoConfiguration>.runGroup(
                operations: operations, services: [failing], shutdownTimeout: .seconds(5),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        }
        #expect(operations.port == nil)
    }

    @Test("one-shot commands return their code, and errors become exit 1 logged at critical")
    func oneShot() async {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "cmd", factory: { _ in handler })
        #expect(await CommandMain<Int>.runCancellable(logger: logger) { 7 } == 7)
        #expect(await CommandMain<Int>.runCancellable(logger: logger) { throw DemoError() } == 1)
        #expect(handler.entries.contains { $0.level == .critical && $0.message.description == "command failed" })
    }

    @Test("one-shot configuration defaults to warning-level logs and rejects stray arguments")
    func oneShotPrepare() {
        let command = CommandMain<String?>(
            name: "tributary", command: "tributary query record", summary: "Reads one record.",
            configuration: { reader in reader.positional("object", help: "Object name.") },
            body: { _, _ in 0 })
        guard case .start(let startup) = command.prepare(arguments: ["Account"], environment: [:]) else {
            Issue.record("expected start")
            return
        }
        #expect(startup.configuration == "Account")
        #expect(startup.logging.level == .warning)
        #expect(startup.service == nil)
        guard case .invalid(let message) = command.prepare(arguments: ["Account", "Extra"], environment: [:]) else {
            Issue.record("expected invalid")
            return
        }
        #expect(message.contains(#"unexpected argument "Extra""#))
    }
}

private struct DemoError: Error {}
