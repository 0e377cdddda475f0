public import PipelineMessages

/// Edge-triggered consumer-lag alerts: `lag#<group>` FIRING when a group's oldest unprocessed message is older
/// than the threshold, RESOLVED once it is back under it.
public struct LagWatch: Sendable {
    public var thresholdSeconds: Double
    private var firing: Set<String> = []

    public init(thresholdSeconds: Double) {
        self.thresholdSeconds = thresholdSeconds
    }

    public mutating func check(_ lag: GroupLag, nowMs: Int64, source: String) -> Alert? {
        let key = "lag#\(lag.group)"
        let over = lag.hasOffsets && lag.seconds > thresholdSeconds
        guard over != firing.contains(key) else { return nil }
        if over { firing.insert(key) } else { firing.remove(key) }
        let seconds = Int64(lag.seconds.rounded())
        return Alert(
            key: key, severity: .warning, status: over ? .firing : .resolved, source: source,
            summary: over
                ? "Consumer group \(lag.group) is \(seconds) s behind on \(lag.topic) (\(lag.messages) messages)"
                : "Consumer group \(lag.group) caught up on \(lag.topic) (\(seconds) s, \(lag.messages) messages behind)",
            detail: "Threshold: \(Int64(thresholdSeconds)) s behind the oldest unprocessed message.",
            labels: ["group": lag.group, "topic": lag.topic], timeMs: nowMs)
    }
}
