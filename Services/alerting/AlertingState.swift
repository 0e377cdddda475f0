import Metrics
import PipelineAlerting
import PipelineMessages
import Synchronization

/// The alert book and the watches, behind one lock; every loop of ``Alerting`` goes through here.
final class AlertingState: Sendable {
    private struct Watches {
        var book: AlertBook
        var heartbeats: HeartbeatTracker
        var deadLetters: DeadLetterWatch
        var lag: LagWatch
        /// Each instance's last `consumed` total, to turn heartbeats into per-stage input counts.
        var lastConsumed: [String: Int64] = [:]
    }

    private let watches: Mutex<Watches>
    let undecodable = Counter(label: "tributary_alerting_undecodable_messages_total")
    private let received = Counter(label: "tributary_alerting_alerts_received_total")
    private let open = Gauge(label: "tributary_alerting_open_alerts")
    private let tracked = Gauge(label: "tributary_alerting_tracked_instances")

    init(configuration: AlertingConfiguration, hasCriticalRoute: Bool) {
        watches = Mutex(
            Watches(
                book: AlertBook(
                    renotifyIntervalMs: configuration.renotifyInterval.milliseconds,
                    routing: AlertRouting(
                        minimumSeverity: configuration.minimumSeverity.severity, hasCriticalRoute: hasCriticalRoute),
                    silences: configuration.silences),
                heartbeats: HeartbeatTracker(timeoutMs: configuration.heartbeatTimeout.milliseconds),
                deadLetters: DeadLetterWatch(
                    windowSeconds: max(1, configuration.deadLetterWindow.milliseconds / 1000),
                    ratePerSecondThreshold: configuration.deadLetterRate,
                    ratioThreshold: configuration.deadLetterRatio),
                lag: LagWatch(thresholdSeconds: Double(configuration.lagThreshold.milliseconds) / 1000)))
    }

    func receive(_ alert: Alert, nowMs: Int64) -> AlertNotification? {
        received.increment()
        let (notification, count) = watches.withLock { ($0.book.receive(alert, nowMs: nowMs), $0.book.open.count) }
        open.record(count)
        return notification
    }

    func tick(nowMs: Int64) -> [AlertNotification] {
        watches.withLock { $0.book.tick(nowMs: nowMs) }
    }

    /// Records a heartbeat; the RESOLVED alert (not yet in the book: the caller raises it) when the instance had
    /// been reported silent.
    func observe(_ status: Status, nowMs: Int64, source: String) -> Alert? {
        watches.withLock { watches in
            let key = status.instance.isEmpty ? status.service : status.instance
            if let consumed = status.counters["consumed"] {
                let previous = watches.lastConsumed[key] ?? consumed
                if consumed > previous {
                    watches.deadLetters.consumed(stage: status.service, count: consumed - previous, nowMs: nowMs)
                }
                watches.lastConsumed[key] = consumed
            }
            let resolved = watches.heartbeats.observe(status, nowMs: nowMs, source: source)
            tracked.record(watches.heartbeats.instances.count)
            return resolved
        }
    }

    func deadLetter(stage: String, reason: String, nowMs: Int64) {
        watches.withLock { $0.deadLetters.deadLetter(stage: stage, reason: reason, nowMs: nowMs) }
    }

    /// Alerts from the heartbeat and dead-letter watches (not yet in the book: the caller raises them).
    func checkWatches(nowMs: Int64, source: String) -> [Alert] {
        watches.withLock {
            $0.heartbeats.check(nowMs: nowMs, source: source) + $0.deadLetters.check(nowMs: nowMs, source: source)
        }
    }

    func checkLag(_ lag: GroupLag, nowMs: Int64, source: String) -> Alert? {
        watches.withLock { $0.lag.check(lag, nowMs: nowMs, source: source) }
    }

    func recordLag(_ lag: GroupLag) {
        Gauge(label: "tributary_consumer_group_lag_seconds", dimensions: [("group", lag.group), ("topic", lag.topic)])
            .record(lag.seconds)
        Gauge(label: "tributary_consumer_group_lag_messages", dimensions: [("group", lag.group), ("topic", lag.topic)])
            .record(Double(lag.messages))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
