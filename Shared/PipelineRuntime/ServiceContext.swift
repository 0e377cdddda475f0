public import Logging

/// What a service's builder closure gets from ``ServiceMain``: its configuration and the shared runtime pieces.
public struct ServiceContext<Configuration: Sendable>: Sendable {
    /// The configuration read by the service's `configuration` closure.
    public let configuration: Configuration
    /// The service's logger (label = service name).
    public let logger: Logger
    /// Report component health here; `/healthz` serves it.
    public let health: HealthState
    /// The metrics registry; the swift-metrics API records into it already.
    public let metrics: MetricsRegistry
    /// The running operations endpoint, to register extra routes (`register(method:path:handler:)`).
    public let operations: OperationsServer
}

/// The outcome of reading the command line, before anything is bootstrapped; see ``ServiceMain/prepare(arguments:environment:)``.
public enum StartupDecision<Configuration: Sendable>: Sendable {
    /// Print the text to standard output and exit 0.
    case help(String)
    /// Print the text to standard error and exit 2.
    case invalid(String)
    /// Start with these settings.
    case start(PreparedStartup<Configuration>)
}

/// Everything read from the command line and environment for a start.
public struct PreparedStartup<Configuration: Sendable>: Sendable {
    /// The service's own configuration.
    public var configuration: Configuration
    /// Logging level and format.
    public var logging: LoggingOptions
    /// Operations endpoint and shutdown settings (`nil` for one-shot commands).
    public var service: ServiceOptions?
    /// The resolved configuration as redacted log metadata.
    public var describedConfiguration: Logger.Metadata
}

/// Shared start-up steps of ``ServiceMain`` and ``CommandMain``.
enum Startup {
    /// Reads everything and decides between help, a configuration error and a start.
    static func decide<Configuration: Sendable>(
        reader: ConfigReader,
        readConfiguration: (ConfigReader) -> Configuration,
        readServiceOptions: ((ConfigReader) -> ServiceOptions)?,
        defaultLogLevel: Logger.Level
    ) -> StartupDecision<Configuration> {
        let configuration = readConfiguration(reader)
        let service = readServiceOptions?(reader)
        let logging = LoggingOptions.read(from: reader, defaultLevel: defaultLogLevel)
        do {
            switch try reader.finish() {
            case .help(let text):
                return .help(text)
            case .proceed:
                return .start(
                    PreparedStartup(
                        configuration: configuration, logging: logging, service: service,
                        describedConfiguration: reader.describedMetadata()))
            }
        } catch {
            let command = reader.command
            return .invalid(
                "\(command): \(error.message.split(separator: "\n").joined(separator: "\n\(command): "))\n"
                    + "See '\(command) --help'.")
        }
    }
}
