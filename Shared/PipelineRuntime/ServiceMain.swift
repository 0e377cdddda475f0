import Glibc
import Logging
public import ServiceLifecycle
import UnixSignals

/// The `main` of every long-running Tributary service.
///
/// ```swift
/// @main enum Entrypoint {
///     static func main() async {
///         await ServiceMain(
///             service: "transformer", summary: "Cleans events.raw into events.clean.",
///             configuration: TransformerConfiguration.init(reader:),
///             services: { context in
///                 let consumer = try KafkaConsumer(...)   // Kafka clients first
///                 let producer = try KafkaProducer(...)
///                 return [consumer, producer, Transformer(..., logger: context.logger)]   // logic last
///             }
///         ).run()
///     }
/// }
/// ```
///
/// It reads the configuration (exit 0 after printing `--help`; exit 2 with the message and "See --help" on a bad
/// value), bootstraps logging and metrics, logs the resolved configuration with secrets redacted, binds the
/// operations endpoint (`--metrics-host`/`--metrics-port`), and runs a `ServiceGroup` that shuts down gracefully on
/// SIGTERM and SIGINT within `--shutdown-timeout` (default 25 s). It exits 0 on a clean shutdown and, after logging
/// at `critical`, 1 on any error.
///
/// **Order matters.** Return Kafka clients *first* and the service logic *last*: the group shuts services down in
/// reverse order, so the logic stops taking work before the producer flushes and the consumer commits and closes.
/// The group is `[operations server] + your services + [health marker]`: `/healthz` turns 503 as soon as shutdown
/// begins, while `/metrics` stays up until everything else has stopped.
///
/// A service of yours that *returns* (a finite job such as `generator events --total N`) shuts the group down
/// gracefully and the process exits 0; one that *throws* shuts it down gracefully too, then the process exits 1.
public struct ServiceMain<Configuration: Sendable>: Sendable {
    /// The service name: logger label, `service` log field and `tributary_build_info` label.
    public var service: String
    /// The command in usage lines, for example `generator events`.
    public var command: String
    /// What the service does, for `--help`.
    public var summary: String
    /// The version reported at start and in `tributary_build_info`.
    public var version: String
    /// The `--metrics-port` default; give each service its own so several can share a machine.
    public var defaultMetricsPort: Int
    private let readConfiguration: @Sendable (ConfigReader) -> Configuration
    private let makeServices: @Sendable (ServiceContext<Configuration>) async throws -> [any Service]

    /// Describes a service.
    /// - Parameters:
    ///   - service: The service name.
    ///   - command: The usage-line command; the service name by default.
    ///   - summary: One paragraph for `--help`.
    ///   - version: Reported at start and in metrics.
    ///   - defaultMetricsPort: The `--metrics-port` default.
    ///   - configuration: Reads the service's options; the runtime options are added after them.
    ///   - services: Builds the services from the context: Kafka clients first, logic last.
    public init(
        service: String,
        command: String? = nil,
        summary: String,
        version: String = BuildInfo.version,
        defaultMetricsPort: Int = 9100,
        configuration: @escaping @Sendable (ConfigReader) -> Configuration,
        services: @escaping @Sendable (ServiceContext<Configuration>) async throws -> [any Service]
    ) {
        self.service = service
        self.command = command ?? service
        self.summary = summary
        self.version = version
        self.defaultMetricsPort = defaultMetricsPort
        self.readConfiguration = configuration
        self.makeServices = services
    }

    /// Reads arguments and environment without side effects: help, an error message, or the settings to start.
    public func prepare(arguments: [String], environment: [String: String]) -> StartupDecision<Configuration> {
        let reader = ConfigReader(
            arguments: arguments, environment: environment, command: self.command, summary: self.summary)
        let port = self.defaultMetricsPort
        return Startup.decide(
            reader: reader, readConfiguration: self.readConfiguration,
            readServiceOptions: { ServiceOptions.read(from: $0, defaultMetricsPort: port) }, defaultLogLevel: .info)
    }

    /// Runs the service until it shuts down, then exits the process.
    public func run(
        arguments: [String] = ProcessEnvironment.arguments,
        environment: [String: String] = ProcessEnvironment.current()
    ) async -> Never {
        let startup: PreparedStartup<Configuration>
        switch self.prepare(arguments: arguments, environment: environment) {
        case .help(let text):
            print(text, terminator: "")
            exit(0)
        case .invalid(let message):
            ProcessEnvironment.printError(message)
            exit(2)
        case .start(let prepared):
            startup = prepared
        }
        let options = startup.service ?? ServiceOptions()
        // A service whose stderr reader went away (`tributary up` exiting) should keep running and shut down on
        // SIGTERM, not die mid-batch on SIGPIPE; sockets already use MSG_NOSIGNAL.
        signal(SIGPIPE, SIG_IGN)

        LoggingBootstrap.bootstrap(service: self.service, format: startup.logging.format, level: startup.logging.level)
        let logger = Logger(label: self.service)
        let metrics = MetricsRegistry(service: self.service, version: self.version)
        metrics.bootstrap()
        let operations = OperationsServer(
            configuration: .init(host: options.metricsHost, port: options.metricsPort), metrics: metrics,
            logger: logger)

        do {
            try operations.start()
            var metadata = startup.describedConfiguration
            metadata["service.version"] = "\(self.version)"
            metadata["http.address"] = "\(options.metricsHost):\(operations.port ?? options.metricsPort)"
            logger.info("starting", metadata: metadata)

            let context = ServiceContext(
                configuration: startup.configuration, logger: logger, health: operations.health, metrics: metrics,
                operations: operations)
            let services = try await self.makeServices(context)
            try await Self.runGroup(
                operations: operations, services: services, shutdownTimeout: options.shutdownTimeout,
                startsShutdownClock: true, logger: logger)
            let budget = ShutdownBudget.shared
            if budget.abandoned.isEmpty {
                logger.info("stopped")
            } else {
                logger.warning(
                    "stopped with work given up uncommitted; it will be redelivered",
                    metadata: ["abandoned": "\(budget.abandoned)", "exit_code": "\(budget.exitCode)"])
            }
            exit(budget.exitCode)
        } catch {
            logger.critical("service failed", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    /// Runs `[operations] + services + [health marker]` with graceful shutdown on SIGTERM and SIGINT.
    ///
    /// With `startsShutdownClock` (the service process itself; never a test, which shares its process with others),
    /// graceful shutdown also starts ``ShutdownBudget/shared`` and its watchdog.
    static func runGroup(
        operations: OperationsServer, services: [any Service], shutdownTimeout: Duration,
        startsShutdownClock: Bool = false, logger: Logger
    ) async throws {
        var configurations = [ServiceGroupConfiguration.ServiceConfiguration(service: operations)]
        configurations += services.map {
            .init(
                service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        // The group's own limit is the backstop's: the watchdog ends the process at the same deadline with the
        // documented code, where the group would only cancel tasks that may not listen.
        configurations.append(
            .init(
                service: HealthShutdownService(
                    health: operations.health, shutdownTimeout: startsShutdownClock ? shutdownTimeout : nil,
                    logger: logger)))
        var group = ServiceGroupConfiguration(
            services: configurations, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = shutdownTimeout
        try await ServiceGroup(configuration: group).run()
    }
}
