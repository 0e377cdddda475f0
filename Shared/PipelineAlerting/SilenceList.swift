public import PipelineMessages

/// Alerts an operator asked not to hear about: by key (exact, or a prefix ending in `*`), optionally until a time.
///
/// Parsed from `--silence 'lag#replay*,heartbeat#extractor*@1767225600000'`: comma-separated patterns, each with an
/// optional `@epoch-ms` expiry.
public struct SilenceList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var pattern: String
        public var untilMs: Int64?

        public init(pattern: String, untilMs: Int64? = nil) {
            self.pattern = pattern
            self.untilMs = untilMs
        }

        func matches(_ key: String, nowMs: Int64) -> Bool {
            if let untilMs, nowMs >= untilMs { return false }
            if pattern.hasSuffix("*") { return key.hasPrefix(pattern.dropLast()) }
            return key == pattern
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Parses the flag's text; `nil` when an entry is malformed.
    public init?(parsing text: String) {
        var entries: [Entry] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingSpaces
            guard !item.isEmpty else { continue }
            if let at = item.lastIndex(of: "@") {
                guard let until = Int64(item[item.index(after: at)...]), at != item.startIndex else { return nil }
                entries.append(Entry(pattern: String(item[..<at]), untilMs: until))
            } else {
                entries.append(Entry(pattern: item))
            }
        }
        self.entries = entries
    }

    public func silences(_ alert: Alert, nowMs: Int64) -> Bool {
        entries.contains { $0.matches(alert.key, nowMs: nowMs) }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
