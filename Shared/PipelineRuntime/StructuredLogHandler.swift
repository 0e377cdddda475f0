public import Logging

/// A swift-log handler writing one structured line per record (text or JSON) to a ``LogSink``.
///
/// Thread-safe: formatting happens on the caller's thread and the sink writes each finished line atomically.
/// Metadata precedence is call site > metadata provider > handler (`logger[metadataKey:]`).
public struct StructuredLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level

    private let label: String
    private let formatter: LogLineFormatter
    private let sink: LogSink
    private let clock: @Sendable () -> LogTimestamp

    /// Creates a handler.
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - service: The service name printed on every line.
    ///   - format: Text or JSON.
    ///   - level: The minimum level logged.
    ///   - metadataProvider: Contextual metadata added to every record.
    ///   - sink: Where lines go; standard error by default.
    ///   - clock: The time source; tests pass a fixed one.
    public init(
        label: String,
        service: String,
        format: LogFormat,
        level: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = nil,
        sink: LogSink = .standardError,
        clock: @escaping @Sendable () -> LogTimestamp = LogTimestamp.now
    ) {
        self.label = label
        self.formatter = LogLineFormatter(format: format, service: service)
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
        self.clock = clock
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let metadata = event.metadata { merged.merge(metadata) { _, new in new } }
        let line = self.formatter.line(
            timestamp: self.clock(), level: event.level, label: self.label, message: event.message.description,
            metadata: merged, error: event.error)
        self.sink.write(line)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }
}
