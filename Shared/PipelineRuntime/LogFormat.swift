/// The shape of each log line on standard error.
///
/// `text` is the default because people read logs during local runs; set `LOG_FORMAT=json` (or `--log-format json`)
/// where a collector parses them, as the Kubernetes manifests do.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-23T13:00:00.123Z info generator: message key=value key2="quoted value"`
    case text
    /// `{"time":"2026-11-23T13:00:00.123Z","severity":"INFO","service":"generator","message":"message","key":"value"}`:
    /// the names Google Cloud Logging reads (`severity` in its LogSeverity names: DEBUG, INFO, NOTICE, WARNING, ERROR,
    /// CRITICAL).
    case json
}
