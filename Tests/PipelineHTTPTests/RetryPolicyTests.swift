import PipelineHTTP
import Testing

@Suite("RetryPolicy arithmetic")
struct RetryPolicyTests {
    private let policy = RetryPolicy(
        maximumAttempts: 5, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1), multiplier: 2,
        maximumElapsed: .seconds(10), maximumRetryAfter: .seconds(5))

    @Test("the backoff ceiling doubles from the initial value and stops at the maximum")
    func ceilings() {
        #expect(self.policy.backoffCeiling(retry: 1) == .milliseconds(100))
        #expect(self.policy.backoffCeiling(retry: 2) == .milliseconds(200))
        #expect(self.policy.backoffCeiling(retry: 3) == .milliseconds(400))
        #expect(self.policy.backoffCeiling(retry: 4) == .milliseconds(800))
        #expect(self.policy.backoffCeiling(retry: 5) == .seconds(1))
        #expect(self.policy.backoffCeiling(retry: 500) == .seconds(1))
    }

    @Test("full jitter scales the ceiling by the random unit, clamped to [0, 1]")
    func jitter() {
        #expect(self.policy.backoff(retry: 3, unit: 0) == .zero)
        #expect(self.policy.backoff(retry: 3, unit: 0.5) == .milliseconds(200))
        #expect(self.policy.backoff(retry: 3, unit: 0.25) == .milliseconds(100))
        #expect(self.policy.backoff(retry: 3, unit: 7) == .milliseconds(400))
        #expect(self.policy.backoff(retry: 3, unit: -1) == .zero)
        #expect(self.policy.backoff(retry: 3, unit: .nan) == .zero)
    }

    @Test("decisions: non-retriable, out of attempts, Retry-After replaces and is capped, elapsed bound")
    func decisions() {
        #expect(self.policy.decide(attempt: 1, elapsed: .zero, retriable: false, retryAfter: nil, unit: 0.5) == .giveUp)
        #expect(
            self.policy.decide(attempt: 1, elapsed: .zero, retriable: true, retryAfter: nil, unit: 0.5)
                == .retry(after: .milliseconds(50)))
        #expect(self.policy.decide(attempt: 5, elapsed: .zero, retriable: true, retryAfter: nil, unit: 0.5) == .giveUp)
        #expect(
            self.policy.decide(attempt: 1, elapsed: .zero, retriable: true, retryAfter: .seconds(3), unit: 0.5)
                == .retry(after: .seconds(3)))
        #expect(
            self.policy.decide(attempt: 1, elapsed: .zero, retriable: true, retryAfter: .seconds(3600), unit: 0.5)
                == .retry(after: .seconds(5)))
        #expect(
            self.policy.decide(attempt: 2, elapsed: .seconds(8), retriable: true, retryAfter: .seconds(3), unit: 0)
                == .giveUp)
        #expect(
            self.policy.decide(attempt: 2, elapsed: .seconds(7), retriable: true, retryAfter: .seconds(3), unit: 0)
                == .retry(after: .seconds(3)))
    }

    @Test("429 and 503 always retry; 500, 502, 504 only when asked; others never")
    func statuses() {
        #expect(self.policy.isRetriable(status: 429))
        #expect(self.policy.isRetriable(status: 503))
        #expect(!self.policy.isRetriable(status: 500))
        #expect(!self.policy.isRetriable(status: 502))
        #expect(!self.policy.isRetriable(status: 404))
        var serverErrors = self.policy
        serverErrors.retryServerErrors = true
        #expect([500, 502, 504].allSatisfy(serverErrors.isRetriable(status:)))
        #expect(!serverErrors.isRetriable(status: 501))
    }

    @Test("Retry-After: seconds, HTTP-date in all three forms, past dates, garbage")
    func retryAfter() {
        // 1994-11-06T08:49:37Z
        let date: Int64 = 784_111_777
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == date)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == date)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == date)
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.parse("Tue, 29 Feb 2028 12:00:00 GMT") == 1_835_438_400)
        #expect(HTTPDate.parse("yesterday") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 25:49:37 GMT") == nil)
        #expect(RetryAfter.delay(from: "120", now: 0) == .seconds(120))
        #expect(RetryAfter.delay(from: " 7 ", now: 0) == .seconds(7))
        #expect(RetryAfter.delay(from: "Sun, 06 Nov 1994 08:49:37 GMT", now: date - 30) == .seconds(30))
        #expect(RetryAfter.delay(from: "Sun, 06 Nov 1994 08:49:37 GMT", now: date + 30) == .zero)
        #expect(RetryAfter.delay(from: "-5", now: 0) == nil)
        #expect(RetryAfter.delay(from: "soon", now: 0) == nil)
        #expect(RetryAfter.delay(from: nil, now: 0) == nil)
        #expect(RetryAfter.delay(from: String(repeating: "9", count: 40), now: 0) != nil)
    }
}
