import Glibc
import Logging

/// Runs an HTTP exchange under a ``RetryPolicy``: retries transient transport failures and 429/503 (and
/// 500/502/504 when the policy says so), waiting as long as a `Retry-After` asks, within the policy's caps.
///
/// Clock, randomness and sleeping are injected so tests drive it deterministically. Retry only requests that are
/// safe to repeat (idempotent ones, or ones the server deduplicates): a timed-out POST may have been applied.
public struct HTTPRetrier: Sendable {
    /// The policy in force.
    public var policy: RetryPolicy
    /// A uniform random number in `[0, 1)` for the jitter.
    public var random: @Sendable () -> Double
    /// Waits; throwing (for example on cancellation) stops the retries with ``HTTPClientError/cancelled``.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A monotonic reading, for the elapsed-time bound.
    public var monotonicNow: @Sendable () -> ContinuousClock.Instant
    /// Wall-clock seconds since the Unix epoch, for `Retry-After` dates.
    public var wallClockSeconds: @Sendable () -> Int64

    /// Creates a retrier; the defaults use the system's random source, `Task.sleep` and real clocks.
    public init(
        policy: RetryPolicy = RetryPolicy(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        monotonicNow: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        wallClockSeconds: @escaping @Sendable () -> Int64 = HTTPRetrier.systemWallClockSeconds
    ) {
        self.policy = policy
        self.random = random
        self.sleep = sleep
        self.monotonicNow = monotonicNow
        self.wallClockSeconds = wallClockSeconds
    }

    /// Runs `operation` until it succeeds with a non-retriable status, or the policy gives up.
    /// - Parameters:
    ///   - operation: One attempt, typically `{ try await client.execute(request) }`.
    ///   - onRetry: Called before each wait with the attempt that failed, the wait, and the status (`nil` for a
    ///     transport error); for logs and metrics.
    /// - Returns: The first non-retriable response, or the last retriable one (for example a final 503) when the
    ///   policy gives up: statuses are for the caller to judge.
    /// - Throws: The last ``HTTPClientError`` when the final attempt failed in transport; `.cancelled` when the
    ///   wait was interrupted.
    public func run(
        _ operation: () async throws(HTTPClientError) -> HTTPClientResponse,
        onRetry: (_ attempt: Int, _ wait: Duration, _ status: Int?) -> Void = { _, _, _ in }
    ) async throws(HTTPClientError) -> HTTPClientResponse {
        let started = self.monotonicNow()
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<HTTPClientResponse, HTTPClientError>
            do {
                outcome = .success(try await operation())
            } catch {
                outcome = .failure(error)
            }
            let decision: RetryPolicy.Decision
            switch outcome {
            case .success(let response):
                guard self.policy.isRetriable(status: response.status) else { return response }
                let retryAfter = RetryAfter.delay(
                    from: response.headers["Retry-After"], now: self.wallClockSeconds())
                decision = self.policy.decide(
                    attempt: attempt, elapsed: self.monotonicNow() - started, retriable: true,
                    retryAfter: retryAfter, unit: self.random())
            case .failure(let error):
                decision = self.policy.decide(
                    attempt: attempt, elapsed: self.monotonicNow() - started, retriable: error.isRetriable,
                    retryAfter: nil, unit: self.random())
            }
            guard case .retry(let wait) = decision else { return try outcome.get() }
            onRetry(attempt, wait, try? outcome.get().status)
            do {
                try await self.sleep(wait)
            } catch {
                throw .cancelled
            }
        }
    }

    /// `CLOCK_REALTIME` in whole seconds.
    public static let systemWallClockSeconds: @Sendable () -> Int64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}

extension HTTPClient {
    /// Sends a request, retrying as `retrier` says (see ``HTTPRetrier/run(_:onRetry:)``); each retry is logged at
    /// `debug` with the redacted URL.
    /// - Throws: ``HTTPClientError`` from the last attempt, or `.cancelled`.
    public func execute(
        _ request: HTTPClientRequest, retrier: HTTPRetrier
    ) async throws(HTTPClientError) -> HTTPClientResponse {
        try await retrier.run {
            () async throws(HTTPClientError) -> HTTPClientResponse in
            try await self.execute(request)
        } onRetry: { attempt, wait, status in
            self.logger.debug(
                "http request will be retried",
                metadata: [
                    "http.target": "\(request.target)", "http.url": "\(request.redactedURL)",
                    "http.attempt": "\(attempt)", "http.status": "\(status.map(String.init) ?? "none")",
                    "retry.wait_ms": "\(wait.curlMilliseconds)",
                ])
        }
    }
}
