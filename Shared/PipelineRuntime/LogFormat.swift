/// The shape of each log line on standard error.
///
/// `text` is the default because people read logs during local runs; set `LOG_FORMAT=json` (or `--log-format json`)
/// where a collector parses them, as the Kubernetes manifests do.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-23T13:00:00.123Z info generator: message key=value key2="quoted value"`
    case text
    /// `{"ts":"2026-11-23T13:00:00.123Z","level":"info","service":"generator","msg":"message","key":"value"}`
    case json
}
