/// Per-check evaluation and failure counts over a sliding time window, for alerting: the service asks
/// ``failingChecks(nowMs:minimumEvaluations:defaultMostly:)`` now and then and publishes an Alert for each.
///
/// Time is injected (epoch ms), so the type is pure: `bucketCount` buckets of `bucketMs` each form a ring;
/// a bucket is reused (zeroed) when time reaches its next turn. Records older than the window are dropped.
public struct QualityStats: Sendable {
    /// What one event did to one check.
    public enum Outcome: UInt8, Sendable {
        /// The check did not run (an earlier check rejected the event, or it did not apply).
        case notEvaluated = 0
        case passed = 1
        case failed = 2
    }

    /// A check whose failure rate over the window exceeds what its `mostly` allows.
    public struct Alert: Sendable, Equatable {
        public var check: String
        public var reason: String
        public var evaluations: UInt64
        public var failures: UInt64
        public var failureRate: Double
        /// The highest failure rate allowed: `1 - mostly`.
        public var threshold: Double

        public init(check: String, reason: String, evaluations: UInt64, failures: UInt64, failureRate: Double, threshold: Double) {
            self.check = check
            self.reason = reason
            self.evaluations = evaluations
            self.failures = failures
            self.failureRate = failureRate
            self.threshold = threshold
        }
    }

    /// One check's totals over the window.
    public struct Totals: Sendable, Equatable {
        public var check: String
        public var evaluations: UInt64
        public var failures: UInt64

        public init(check: String, evaluations: UInt64, failures: UInt64) {
            self.check = check
            self.evaluations = evaluations
            self.failures = failures
        }
    }

    public let checks: [String]
    public let reasons: [String]
    /// Per check, `mostly` from the rules (`nil`: no alert unless a default is given).
    public let mostly: [Double?]
    public let bucketMs: Int64
    public let bucketCount: Int

    /// `[bucket][check][evaluations, failures]`, flattened.
    private var counts: [UInt64]
    /// The absolute bucket number (`timeMs / bucketMs`) each ring bucket holds, `Int64.min` when unused.
    private var epochs: [Int64]
    /// The newest bucket number recorded or advanced to.
    private var current = Int64.min

    /// - Parameters:
    ///   - checks: check names, in rule order (``record(_:atMs:)`` takes outcomes in this order).
    ///   - reasons: each check's reason code (same order).
    ///   - mostly: each check's required pass share (same order).
    ///   - bucketMs: bucket width, ms (default one minute).
    ///   - bucketCount: buckets in the window (default 5: the last five minutes).
    public init(checks: [String], reasons: [String], mostly: [Double?], bucketMs: Int64 = 60_000, bucketCount: Int = 5) {
        precondition(checks.count == reasons.count && checks.count == mostly.count, "one entry per check")
        self.checks = checks
        self.reasons = reasons
        self.mostly = mostly
        self.bucketMs = max(1, bucketMs)
        self.bucketCount = max(1, bucketCount)
        counts = Array(repeating: 0, count: self.bucketCount * checks.count * 2)
        epochs = Array(repeating: .min, count: self.bucketCount)
    }

    /// Stats for every rule of `rules`.
    public init(rules: QualityRules, bucketMs: Int64 = 60_000, bucketCount: Int = 5) {
        self.init(
            checks: rules.rules.map(\.name), reasons: rules.rules.map(\.reason), mostly: rules.rules.map(\.mostly),
            bucketMs: bucketMs, bucketCount: bucketCount)
    }

    // MARK: - Recording

    /// Adds one event's outcomes (one per check, in order) at time `atMs`.
    public mutating func record(_ outcomes: [Outcome], atMs: Int64) {
        outcomes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { record(rawOutcomes: $0, atMs: atMs) }
        }
    }

    /// The hot-path form: raw ``Outcome`` values, one per check.
    @inline(__always)
    mutating func record(rawOutcomes: UnsafeBufferPointer<UInt8>, atMs: Int64) {
        guard let base = bucketBase(atMs) else { return }
        counts.withUnsafeMutableBufferPointer { c in
            for (check, outcome) in rawOutcomes.enumerated() where outcome != 0 {
                c[base + 2 * check] &+= 1
                c[base + 2 * check + 1] &+= outcome == Outcome.failed.rawValue ? 1 : 0
            }
        }
    }

    /// The offset of the bucket for `timeMs` in `counts`, zeroing it first when it held an older period;
    /// `nil` when `timeMs` falls before the window.
    @inline(__always)
    private mutating func bucketBase(_ timeMs: Int64) -> Int? {
        let number = Self.floorDiv(timeMs, bucketMs)
        let ring = Int(Self.floorMod(number, Int64(bucketCount)))
        let base = ring * checks.count * 2
        if epochs[ring] != number {
            guard epochs[ring] < number, current == .min || number > current - Int64(bucketCount) else { return nil }
            epochs[ring] = number
            for i in base..<(base + checks.count * 2) { counts[i] = 0 }
        }
        if number > current { current = number }
        return base
    }

    // MARK: - Reading

    /// Each check's totals over the `bucketCount` buckets ending at `nowMs`.
    public func totals(nowMs: Int64) -> [Totals] {
        let now = Self.floorDiv(nowMs, bucketMs)
        var evaluations = [UInt64](repeating: 0, count: checks.count)
        var failures = [UInt64](repeating: 0, count: checks.count)
        for ring in 0..<bucketCount where epochs[ring] <= now && epochs[ring] > now - Int64(bucketCount) {
            let base = ring * checks.count * 2
            for check in checks.indices {
                evaluations[check] += counts[base + 2 * check]
                failures[check] += counts[base + 2 * check + 1]
            }
        }
        return checks.indices.map { Totals(check: checks[$0], evaluations: evaluations[$0], failures: failures[$0]) }
    }

    /// The checks failing more often than `1 - mostly` over the window ending at `nowMs`.
    ///
    /// - Parameters:
    ///   - minimumEvaluations: checks evaluated fewer times are not judged (one failure in two is noise).
    ///   - defaultMostly: applied to checks without their own `mostly`; `nil` leaves them out.
    public func failingChecks(nowMs: Int64, minimumEvaluations: UInt64 = 100, defaultMostly: Double? = nil) -> [Alert] {
        totals(nowMs: nowMs).enumerated().compactMap { check, total in
            guard let mostly = mostly[check] ?? defaultMostly, total.evaluations >= max(1, minimumEvaluations) else {
                return nil
            }
            let rate = Double(total.failures) / Double(total.evaluations)
            let threshold = 1 - mostly
            guard rate > threshold else { return nil }
            return Alert(
                check: total.check, reason: reasons[check], evaluations: total.evaluations, failures: total.failures,
                failureRate: rate, threshold: threshold)
        }
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }
}
