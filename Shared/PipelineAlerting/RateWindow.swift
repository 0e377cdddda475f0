public import PipelineMessages

/// Counts over a sliding window in one-second buckets: dead letters per stage, records consumed per stage.
public struct RateWindow: Sendable {
    public let windowSeconds: Int64
    private var buckets: [String: [Int64: Int64]] = [:]

    public init(windowSeconds: Int64) {
        self.windowSeconds = max(1, windowSeconds)
    }

    public mutating func add(_ key: String, count: Int64 = 1, nowMs: Int64) {
        buckets[key, default: [:]][nowMs / 1000, default: 0] += count
    }

    /// The total within the window ending now, after dropping older buckets.
    public mutating func total(_ key: String, nowMs: Int64) -> Int64 {
        let oldest = nowMs / 1000 - windowSeconds + 1
        guard var series = buckets[key] else { return 0 }
        series = series.filter { $0.key >= oldest }
        buckets[key] = series
        return series.values.reduce(0, +)
    }

    public var keys: [String] { buckets.keys.sorted() }
}

/// The dead-letter watch: per stage, dead letters per second over the window against a threshold, and their share
/// of the records the stage consumed (from heartbeat counters) against another; edge-triggered alerts
/// `dead_letters#<stage>`.
public struct DeadLetterWatch: Sendable {
    public var ratePerSecondThreshold: Double
    public var ratioThreshold: Double
    public private(set) var letters: RateWindow
    public private(set) var consumed: RateWindow
    private var firing: Set<String> = []

    public init(windowSeconds: Int64, ratePerSecondThreshold: Double, ratioThreshold: Double) {
        letters = RateWindow(windowSeconds: windowSeconds)
        consumed = RateWindow(windowSeconds: windowSeconds)
        self.ratePerSecondThreshold = ratePerSecondThreshold
        self.ratioThreshold = ratioThreshold
    }

    public mutating func deadLetter(stage: String, reason: String, nowMs: Int64) {
        letters.add(stage, nowMs: nowMs)
    }

    public mutating func consumed(stage: String, count: Int64, nowMs: Int64) {
        consumed.add(stage, count: count, nowMs: nowMs)
    }

    /// FIRING alerts for stages over a threshold, RESOLVED for those back under both.
    public mutating func check(nowMs: Int64, source: String) -> [Alert] {
        var alerts: [Alert] = []
        for stage in letters.keys {
            let count = letters.total(stage, nowMs: nowMs)
            let input = consumed.total(stage, nowMs: nowMs)
            let rate = Double(count) / Double(letters.windowSeconds)
            let ratio = input > 0 ? Double(count) / Double(input) : 0
            let over = rate > ratePerSecondThreshold || (input >= 100 && ratio > ratioThreshold)
            guard over != firing.contains(stage) else { continue }
            if over { firing.insert(stage) } else { firing.remove(stage) }
            let window = letters.windowSeconds
            alerts.append(
                Alert(
                    key: "dead_letters#\(stage)", severity: .warning, status: over ? .firing : .resolved, source: source,
                    summary: over
                        ? "\(stage) dead-lettered \(count) records in \(window) s (\(Self.text(rate))/s, \(Self.text(ratio * 100))% of input)"
                        : "\(stage) dead-letter rate is back under its thresholds",
                    detail: "Thresholds: \(Self.text(ratePerSecondThreshold))/s, \(Self.text(ratioThreshold * 100))% of records consumed.",
                    labels: ["stage": stage], timeMs: nowMs))
        }
        return alerts
    }

    static func text(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }
}
