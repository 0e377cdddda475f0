/// When and how long to wait before repeating a failed HTTP request: exponential backoff with full jitter,
/// bounded by attempts and total time, and deferring to the server's `Retry-After`.
///
/// Pure value logic with no clock or randomness of its own (``HTTPRetrier`` supplies them), so the arithmetic is
/// unit-tested deterministically.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 disables retries. Default 5.
    public var maximumAttempts: Int
    /// The backoff ceiling before the first retry. Default 250 ms.
    public var initialBackoff: Duration
    /// The largest backoff ceiling. Default 30 s.
    public var maximumBackoff: Duration
    /// How much the ceiling grows per retry. Default 2.
    public var multiplier: Double
    /// No retry starts later than this after the first attempt began. Default 2 minutes.
    public var maximumElapsed: Duration
    /// The longest `Retry-After` honoured; a longer one is cut to this. Default 60 s.
    public var maximumRetryAfter: Duration
    /// Also retry 500, 502 and 504 (429 and 503 always are). Default off: a 500 is often not transient.
    public var retryServerErrors: Bool

    /// Creates a policy; every default is documented on its property.
    public init(
        maximumAttempts: Int = 5, initialBackoff: Duration = .milliseconds(250),
        maximumBackoff: Duration = .seconds(30),
        multiplier: Double = 2, maximumElapsed: Duration = .seconds(120), maximumRetryAfter: Duration = .seconds(60),
        retryServerErrors: Bool = false
    ) {
        self.maximumAttempts = maximumAttempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.multiplier = multiplier
        self.maximumElapsed = maximumElapsed
        self.maximumRetryAfter = maximumRetryAfter
        self.retryServerErrors = retryServerErrors
    }

    /// What to do after a failed attempt.
    public enum Decision: Sendable, Equatable {
        /// Wait this long, then try again.
        case retry(after: Duration)
        /// Stop and report the last outcome.
        case giveUp
    }

    /// Whether a response status is worth another attempt.
    public func isRetriable(status: Int) -> Bool {
        switch status {
        case 429, 503: true
        case 500, 502, 504: self.retryServerErrors
        default: false
        }
    }

    /// The backoff ceiling before retry number `retry` (1 for the first retry): `initial × multiplier^(retry-1)`,
    /// at most ``maximumBackoff``.
    public func backoffCeiling(retry: Int) -> Duration {
        let initial = Self.seconds(self.initialBackoff)
        let ceiling = initial * Self.power(self.multiplier, max(0, retry - 1))
        return min(self.maximumBackoff, .seconds(min(ceiling, Self.seconds(self.maximumBackoff))))
    }

    /// Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in `[0, ceiling]`.
    /// - Parameter unit: A random number in `[0, 1)`; values outside are clamped.
    public func backoff(retry: Int, unit: Double) -> Duration {
        let fraction = unit.isFinite ? min(max(unit, 0), 1) : 0
        return .seconds(Self.seconds(self.backoffCeiling(retry: retry)) * fraction)
    }

    /// Decides after attempt number `attempt` (1-based) failed.
    /// - Parameters:
    ///   - attempt: Attempts made so far, this one included.
    ///   - elapsed: Time since the first attempt started.
    ///   - retriable: Whether the failure is transient (``HTTPClientError/isRetriable`` or ``isRetriable(status:)``).
    ///   - retryAfter: The server's `Retry-After`, when it sent one; it replaces the backoff, capped by
    ///     ``maximumRetryAfter``.
    ///   - unit: A random number in `[0, 1)` for the jitter.
    /// - Returns: `.giveUp` when not retriable, out of attempts, or when waiting would pass ``maximumElapsed``.
    public func decide(
        attempt: Int, elapsed: Duration, retriable: Bool, retryAfter: Duration?, unit: Double
    ) -> Decision {
        guard retriable, attempt < self.maximumAttempts else { return .giveUp }
        let wait =
            retryAfter.map { min(max($0, .zero), self.maximumRetryAfter) } ?? self.backoff(retry: attempt, unit: unit)
        guard elapsed + wait <= self.maximumElapsed else { return .giveUp }
        return .retry(after: wait)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent, 1024) {
            result *= base
            if result > 1e12 { return result }
        }
        return result
    }
}
