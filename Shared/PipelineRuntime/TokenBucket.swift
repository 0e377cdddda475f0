/// A token-bucket rate limiter that holds a long-run rate without drift.
///
/// Tokens are earned continuously at `rate` per second on a fixed timeline (`allowed = rate × elapsed`,
/// plus the bucket's initial `burst`), rather than by sleeping a fixed time per event, so oversleeping and
/// per-batch overhead are made up later instead of lowering the rate. After an idle spell the bucket holds
/// at most `burst` tokens, so a pause never turns into a flood.
///
/// ``acquire(_:now:)`` *reserves* tokens and says how long to wait before using them; the caller sleeps
/// that long and sends without asking again. Time is passed in, so the limiter is a plain value that tests
/// drive with a simulated timeline.
///
/// ```swift
/// var bucket = TokenBucket(rate: 10_000, burst: 1_000)
/// let clock = ContinuousClock()
/// while running {
///     let wait = bucket.acquire(batch.count, now: clock.now)
///     if wait > .zero { try await Task.sleep(for: wait) }
///     send(batch)
/// }
/// ```
public struct TokenBucket: Sendable {
    /// Tokens per second; `.infinity` means unlimited.
    public private(set) var rate: Double
    /// The most tokens that can be used without waiting after an idle spell (at least 1).
    public let burst: Int

    /// The instant at which the earned-token count was zero: `earned(t) = rate × (t − anchor)`.
    private var anchor: ContinuousClock.Instant?
    /// Tokens reserved since `anchor`.
    private var spent: Double = 0

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - rate: tokens per second; must be positive. `.infinity` disables limiting.
    ///   - burst: bucket capacity, clamped to at least 1. Batches larger than `burst` are still served, by
    ///     waiting for the extra tokens.
    public init(rate: Double, burst: Int) {
        precondition(rate > 0, "TokenBucket rate must be positive")
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Reserves `n` tokens and returns how long to wait before using them (`.zero` when they are available now).
    ///
    /// - Parameters:
    ///   - n: tokens to reserve (for example the batch size); values below 1 reserve nothing.
    ///   - now: the current instant; must not go backwards between calls.
    public mutating func acquire(_ n: Int, now: ContinuousClock.Instant) -> Duration {
        guard rate.isFinite, n > 0 else { return .zero }
        let earned = refill(now: now)
        spent += Double(n)
        let deficit = spent - earned
        return deficit > 0 ? .seconds(deficit / rate) : .zero
    }

    /// Tokens that can be used right now without waiting (negative while reservations are outstanding).
    public mutating func available(now: ContinuousClock.Instant) -> Double {
        guard rate.isFinite else { return .infinity }
        return refill(now: now) - spent
    }

    /// Changes the rate from `now` on, keeping the tokens (or the debt) the bucket holds.
    ///
    /// - Parameters:
    ///   - newRate: tokens per second; must be positive. `.infinity` disables limiting.
    ///   - now: the current instant.
    public mutating func setRate(_ newRate: Double, now: ContinuousClock.Instant) {
        precondition(newRate > 0, "TokenBucket rate must be positive")
        guard rate.isFinite, newRate.isFinite else {
            // From or to unlimited: start again from a full bucket.
            rate = newRate
            anchor = nil
            spent = 0
            return
        }
        let balance = refill(now: now) - spent
        rate = newRate
        anchor = now - .seconds(balance / newRate)
        spent = 0
    }

    /// Tokens earned by `now` on the current timeline, after capping the balance at `burst`.
    private mutating func refill(now: ContinuousClock.Instant) -> Double {
        let burstTime = Duration.seconds(Double(burst) / rate)
        guard let anchor else {
            self.anchor = now - burstTime  // a full bucket
            spent = 0
            return Double(burst)
        }
        let earned = rate * Self.seconds(anchor.duration(to: now))
        if earned - spent > Double(burst) {
            // Idle for longer than the bucket holds: restart the timeline with a full bucket.
            self.anchor = now - burstTime
            spent = 0
            return Double(burst)
        }
        return earned
    }

    private static func seconds(_ d: Duration) -> Double {
        let (seconds, attoseconds) = d.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
