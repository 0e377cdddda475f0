/// How MutateRows retries failed entries: exponential backoff with jitter, up to a deadline.
///
/// Retrying is safe because every SetCell carries an explicit timestamp (a retry rewrites the
/// same cell version). The defaults follow Google's clients (10 ms → 1 min ×2, 10 min total
/// for batch writes) scaled down for a streaming writer that must dead-letter and move on.
public struct BigtableRetryPolicy: Sendable, Hashable {
    /// Delay before the first retry. Default: 50 ms.
    public var initialBackoff: Duration
    /// Longest delay between attempts. Default: 5 s.
    public var maxBackoff: Duration
    /// Growth factor per attempt. Default: 2.
    public var multiplier: Double
    /// Fraction of each delay that is randomised, in 0...1 (1 = "full jitter"). Default: 0.5.
    public var jitter: Double
    /// No new attempt starts after this much time since the first one. Default: 60 s.
    public var totalTimeout: Duration
    /// Attempts in all, including the first. Default: 10.
    public var maxAttempts: Int

    /// Creates a policy with the documented defaults.
    public init(
        initialBackoff: Duration = .milliseconds(50), maxBackoff: Duration = .seconds(5), multiplier: Double = 2,
        jitter: Double = 0.5, totalTimeout: Duration = .seconds(60), maxAttempts: Int = 10
    ) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = max(1, multiplier)
        self.jitter = min(max(jitter, 0), 1)
        self.totalTimeout = totalTimeout
        self.maxAttempts = max(1, maxAttempts)
    }

    /// A policy that never retries.
    public static let none = BigtableRetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1-based), given a random unit value in 0..<1.
    ///
    /// `base = min(initial × multiplier^(retry-1), max)`; the result lies in
    /// `[base × (1 - jitter), base]`, so jitter spreads retries without exceeding the cap.
    public func backoff(beforeRetry retry: Int, unitRandom: Double) -> Duration {
        let exponent = Double(max(retry, 1) - 1)
        let initial = Self.seconds(initialBackoff)
        let base = min(initial * pow2(multiplier, exponent), Self.seconds(maxBackoff))
        let factor = 1 - jitter * min(max(unitRandom, 0), 1)
        return .nanoseconds(Int64((base * factor * 1e9).rounded()))
    }

    private func pow2(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0 && result < 1e12 {
            result *= base
            remaining -= 1
        }
        return result
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
