public import PipelineMessages

/// A notification the book decided to send: the alert as it stands, and why it goes out now.
public struct AlertNotification: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The condition opened.
        case firing
        /// Still open after the re-notify interval.
        case reminder
        /// The condition cleared.
        case resolved
    }

    public var kind: Kind
    public var alert: Alert
    /// Where it goes (``AlertRouting``).
    public var route: String
    /// Identical reports folded into this alert since it opened (1 for the first).
    public var occurrences: Int

    public init(kind: Kind, alert: Alert, route: String, occurrences: Int) {
        self.kind = kind
        self.alert = alert
        self.route = route
        self.occurrences = occurrences
    }
}

/// The alert state machine: one open alert per key, deduplication, re-notify schedule, silences and routing.
///
/// Pure and clock-free: every call takes "now" in epoch milliseconds, so tests drive it with a fake clock.
/// - A FIRING report for a key with no open alert opens one and notifies; further FIRING reports for that key
///   are folded into it (counted, summary updated), never notified on their own.
/// - While open, a reminder goes out every `renotifyInterval` (`tick`).
/// - A RESOLVED report closes the open alert and notifies once; a RESOLVED report for no open alert is ignored.
/// - A silenced key is tracked like any other but sends nothing; alerts below the routing's minimum severity too.
public struct AlertBook: Sendable {
    public struct Open: Sendable, Equatable {
        public var alert: Alert
        public var openedMs: Int64
        public var lastNotifiedMs: Int64
        public var occurrences: Int
    }

    public var renotifyIntervalMs: Int64
    public var routing: AlertRouting
    public var silences: SilenceList
    public private(set) var open: [String: Open] = [:]
    /// Reports that changed nothing (duplicates folded, resolves for nothing open), for metrics.
    public private(set) var suppressed = 0
    /// Notifications withheld by a silence, for metrics.
    public private(set) var silenced = 0

    public init(renotifyIntervalMs: Int64, routing: AlertRouting = AlertRouting(), silences: SilenceList = SilenceList()) {
        self.renotifyIntervalMs = renotifyIntervalMs
        self.routing = routing
        self.silences = silences
    }

    /// Applies one report; returns the notification to send, if any.
    public mutating func receive(_ alert: Alert, nowMs: Int64) -> AlertNotification? {
        switch alert.status {
        case .resolved:
            guard let closed = open.removeValue(forKey: alert.key) else {
                suppressed += 1
                return nil
            }
            var resolved = alert
            if resolved.labels.isEmpty { resolved.labels = closed.alert.labels }
            if resolved.severity == .unspecified { resolved.severity = closed.alert.severity }
            return notification(.resolved, resolved, occurrences: closed.occurrences, nowMs: nowMs)
        case .firing, .unspecified:
            if var existing = open[alert.key] {
                existing.occurrences += 1
                // The newest report's words and the highest severity seen describe the condition best.
                let severity = max(existing.alert.severity.rawValue, alert.severity.rawValue)
                existing.alert = alert
                existing.alert.severity = Alert.Severity(rawValue: severity) ?? alert.severity
                open[alert.key] = existing
                suppressed += 1
                return nil
            }
            open[alert.key] = Open(alert: alert, openedMs: nowMs, lastNotifiedMs: nowMs, occurrences: 1)
            return notification(.firing, alert, occurrences: 1, nowMs: nowMs)
        }
    }

    /// Reminders for open alerts whose last notification is `renotifyInterval` old, oldest first.
    public mutating func tick(nowMs: Int64) -> [AlertNotification] {
        guard renotifyIntervalMs > 0 else { return [] }
        var due: [AlertNotification] = []
        let keys = open.sorted { ($0.value.openedMs, $0.key) < ($1.value.openedMs, $1.key) }.map(\.key)
        for key in keys {
            guard var entry = open[key], nowMs - entry.lastNotifiedMs >= renotifyIntervalMs else { continue }
            entry.lastNotifiedMs = nowMs
            open[key] = entry
            if let reminder = notification(.reminder, entry.alert, occurrences: entry.occurrences, nowMs: nowMs) {
                due.append(reminder)
            }
        }
        return due
    }

    private mutating func notification(
        _ kind: AlertNotification.Kind, _ alert: Alert, occurrences: Int, nowMs: Int64
    ) -> AlertNotification? {
        if silences.silences(alert, nowMs: nowMs) {
            silenced += 1
            return nil
        }
        guard let route = routing.route(for: alert.severity) else { return nil }
        return AlertNotification(kind: kind, alert: alert, route: route, occurrences: occurrences)
    }
}
