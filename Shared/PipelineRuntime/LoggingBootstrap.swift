public import Logging

/// Installs ``StructuredLogHandler`` as the process-wide swift-log backend.
///
/// Call it once, from `main` only (``ServiceMain`` does): swift-log allows a single bootstrap per process, and
/// shared code must receive a `Logger` rather than configure logging itself.
public enum LoggingBootstrap {
    /// Bootstraps swift-log.
    /// - Parameters:
    ///   - service: The service name printed on every line.
    ///   - format: Text or JSON (`LOG_FORMAT`).
    ///   - level: The minimum level (`LOG_LEVEL`).
    ///   - sink: Where lines go; standard error by default.
    public static func bootstrap(
        service: String, format: LogFormat, level: Logger.Level, sink: LogSink = .standardError
    ) {
        LoggingSystem.bootstrap { label in
            StructuredLogHandler(label: label, service: service, format: format, level: level, sink: sink)
        }
    }
}
