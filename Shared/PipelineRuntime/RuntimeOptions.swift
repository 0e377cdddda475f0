public import Logging

/// The logging options every executable shares: `--log-level`/`LOG_LEVEL` and `--log-format`/`LOG_FORMAT`.
public struct LoggingOptions: Sendable, Equatable {
    /// The minimum level logged.
    public var level: Logger.Level
    /// Text (default) or JSON lines.
    public var format: LogFormat

    /// Creates options.
    public init(level: Logger.Level = .info, format: LogFormat = .text) {
        self.level = level
        self.format = format
    }

    /// Declares and reads the options under a "Logging" help section.
    public static func read(from reader: ConfigReader, defaultLevel: Logger.Level = .info) -> LoggingOptions {
        reader.section = "Logging"
        let level = reader.enumeration(
            "log-level", env: "LOG_LEVEL", default: defaultLevel, help: "Minimum level of log lines on stderr.")
        let format = reader.enumeration(
            "log-format", env: "LOG_FORMAT", default: LogFormat.text,
            help: "Log line format: text for people, json for collectors.")
        return LoggingOptions(level: level, format: format)
    }
}

/// The operations options every long-running service shares: where `/metrics` and `/healthz` listen and how long
/// graceful shutdown may take.
public struct ServiceOptions: Sendable, Equatable {
    /// The interface for the operations endpoint (`0.0.0.0` in containers).
    public var metricsHost: String
    /// The port for the operations endpoint; 0 picks a free one.
    public var metricsPort: Int
    /// How long graceful shutdown may take before tasks are cancelled; keep it below the pod's grace period.
    public var shutdownTimeout: Duration

    /// Creates options.
    public init(metricsHost: String = "127.0.0.1", metricsPort: Int = 9100, shutdownTimeout: Duration = .seconds(25)) {
        self.metricsHost = metricsHost
        self.metricsPort = metricsPort
        self.shutdownTimeout = shutdownTimeout
    }

    /// Declares and reads the options under an "Operations" help section.
    public static func read(from reader: ConfigReader, defaultMetricsPort: Int = 9100) -> ServiceOptions {
        reader.section = "Operations"
        let host = reader.string(
            "metrics-host", env: "METRICS_HOST", default: "127.0.0.1",
            help: "Interface for /metrics and /healthz (0.0.0.0 in containers).")
        let port = reader.int(
            "metrics-port", env: "METRICS_PORT", default: defaultMetricsPort,
            help: "Port for /metrics and /healthz; 0 picks a free one.", range: 0...65535)
        let timeout = reader.duration(
            "shutdown-timeout", env: "SHUTDOWN_TIMEOUT", default: .seconds(25),
            help: "Longest graceful shutdown before work is cancelled.")
        return ServiceOptions(metricsHost: host, metricsPort: port, shutdownTimeout: timeout)
    }
}
