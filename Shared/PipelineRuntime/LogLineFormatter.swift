public import Logging

/// Turns one log record into one line of bytes (newline included), as logfmt-like text or a JSON object.
///
/// Every control character in messages, keys and values is escaped, so a record is always exactly one line and a
/// hostile payload cannot forge a second record.
public struct LogLineFormatter: Sendable {
    /// Keys the JSON form uses itself; metadata with these names is emitted as `meta.<key>` instead.
    static let reservedKeys: Set<String> = ["time", "severity", "service", "logger", "message", "error"]

    /// Text or JSON.
    public var format: LogFormat
    /// The service name printed on every line.
    public var service: String

    /// Creates a formatter.
    public init(format: LogFormat, service: String) {
        self.format = format
        self.service = service
    }

    /// Renders one record.
    /// - Parameters:
    ///   - label: The logger's label; printed only when it differs from the service name.
    ///   - metadata: Already merged handler, provider and call-site metadata.
    /// - Returns: UTF-8 bytes ending in `\n`.
    public func line(
        timestamp: LogTimestamp, level: Logger.Level, label: String, message: String,
        metadata: Logger.Metadata, error: (any Error)? = nil
    ) -> [UInt8] {
        var text: String
        switch self.format {
        case .text:
            text = self.textLine(timestamp, level, label, message, metadata, error)
        case .json:
            text = self.jsonLine(timestamp, level, label, message, metadata, error)
        }
        text.append("\n")
        return Array(text.utf8)
    }

    // MARK: - Text

    private func textLine(
        _ timestamp: LogTimestamp, _ level: Logger.Level, _ label: String, _ message: String,
        _ metadata: Logger.Metadata, _ error: (any Error)?
    ) -> String {
        var line = "\(timestamp.rfc3339) \(level.rawValue) \(LogEscaping.textKey(self.service)): "
        line += LogEscaping.textMessage(message)
        if label != self.service { line += " logger=" + LogEscaping.textValue(label) }
        var pairs: [(String, String)] = []
        Self.flatten(metadata, prefix: "", into: &pairs)
        for (key, value) in pairs.sorted(by: { $0.0 < $1.0 }) {
            line += " \(LogEscaping.textKey(key))=\(LogEscaping.textValue(value))"
        }
        if let error { line += " error=" + LogEscaping.textValue(String(describing: error)) }
        return line
    }

    /// Flattens nested dictionaries into dotted keys; arrays become `[a, b]`.
    private static func flatten(_ metadata: Logger.Metadata, prefix: String, into pairs: inout [(String, String)]) {
        for (key, value) in metadata {
            let fullKey = prefix.isEmpty ? key : prefix + "." + key
            if case .dictionary(let nested) = value {
                Self.flatten(nested, prefix: fullKey, into: &pairs)
            } else {
                pairs.append((fullKey, Self.plain(value)))
            }
        }
    }

    private static func plain(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(Self.plain).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "{"
                + dictionary.sorted { $0.key < $1.key }.map { "\($0.key): \(Self.plain($0.value))" }
                .joined(separator: ", ") + "}"
        }
    }

    // MARK: - JSON

    private func jsonLine(
        _ timestamp: LogTimestamp, _ level: Logger.Level, _ label: String, _ message: String,
        _ metadata: Logger.Metadata, _ error: (any Error)?
    ) -> String {
        // The field names Google Cloud Logging's agents lift into the log entry (time, severity, message), so a JSON
        // line on GKE keeps its timestamp and level and shows its message; other collectors read them as well.
        var fields: [(String, String)] = [
            ("time", LogEscaping.jsonString(timestamp.rfc3339)),
            ("severity", LogEscaping.jsonString(Self.severity(level))),
            ("service", LogEscaping.jsonString(self.service)),
        ]
        if label != self.service { fields.append(("logger", LogEscaping.jsonString(label))) }
        fields.append(("message", LogEscaping.jsonString(message)))
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = Self.reservedKeys.contains(key) ? "meta." + key : key
            fields.append((name, Self.json(value)))
        }
        if let error { fields.append(("error", LogEscaping.jsonString(String(describing: error)))) }
        return "{" + fields.map { LogEscaping.jsonString($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// Cloud Logging's LogSeverity name for a swift-log level (it has no trace: that is DEBUG too).
    static func severity(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    private static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): LogEscaping.jsonString(string)
        case .stringConvertible(let convertible): LogEscaping.jsonString(convertible.description)
        case .array(let values): "[" + values.map(Self.json).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{"
                + dictionary.sorted { $0.key < $1.key }
                .map { LogEscaping.jsonString($0.key) + ":" + Self.json($0.value) }.joined(separator: ",") + "}"
        }
    }
}
