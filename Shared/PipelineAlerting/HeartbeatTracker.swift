public import PipelineMessages

/// Watches `pipeline.status` heartbeats: an instance silent for longer than the timeout raises a FIRING alert
/// `heartbeat#<instance>`, its next heartbeat a RESOLVED one. An instance that said it was stopping is forgotten
/// (a graceful stop or a scale-down is not an incident).
public struct HeartbeatTracker: Sendable {
    public struct Instance: Sendable, Equatable {
        public var service: String
        public var lastSeenMs: Int64
        public var missing: Bool
    }

    public var timeoutMs: Int64
    public private(set) var instances: [String: Instance] = [:]

    public init(timeoutMs: Int64) {
        self.timeoutMs = timeoutMs
    }

    /// Records a status report; returns the RESOLVED alert when the instance had been reported missing.
    public mutating func observe(_ status: Status, nowMs: Int64, source: String) -> Alert? {
        let key = status.instance.isEmpty ? status.service : status.instance
        let wasMissing = instances[key]?.missing ?? false
        if status.state == "stopping" || status.state == "stopped" {
            instances[key] = nil
        } else {
            instances[key] = Instance(service: status.service, lastSeenMs: nowMs, missing: false)
        }
        guard wasMissing else { return nil }
        return Alert(
            key: "heartbeat#\(key)", severity: .warning, status: .resolved, source: source,
            summary: "\(status.service) instance \(key) is sending heartbeats again", labels: ["service": status.service],
            timeMs: nowMs)
    }

    /// FIRING alerts for instances that went silent since the last check.
    public mutating func check(nowMs: Int64, source: String) -> [Alert] {
        var alerts: [Alert] = []
        for key in instances.keys.sorted() {
            guard var instance = instances[key], !instance.missing, nowMs - instance.lastSeenMs > timeoutMs else { continue }
            instance.missing = true
            instances[key] = instance
            let silentSeconds = (nowMs - instance.lastSeenMs) / 1000
            alerts.append(
                Alert(
                    key: "heartbeat#\(key)", severity: .critical, status: .firing, source: source,
                    summary: "\(instance.service) instance \(key) sent no heartbeat for \(silentSeconds) s",
                    detail: "Last heartbeat on pipeline.status \(silentSeconds) s ago; the timeout is \(timeoutMs / 1000) s.",
                    labels: ["service": instance.service], timeMs: nowMs))
        }
        return alerts
    }
}
