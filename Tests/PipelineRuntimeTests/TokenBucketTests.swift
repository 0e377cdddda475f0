import PipelineRuntime
import Testing

/// Drives a `TokenBucket` on a simulated timeline: no sleeping, fully deterministic.
@Suite("TokenBucket")
struct TokenBucketTests {
    let start = ContinuousClock().now

    /// Sends batches as fast as the bucket allows until `end`; returns the tokens sent and the final instant.
    /// `overhead` is added after every wait (oversleeping, send cost).
    private func run(
        _ bucket: inout TokenBucket, batch: Int, from: ContinuousClock.Instant, until end: ContinuousClock.Instant,
        overhead: Duration = .zero
    ) -> (sent: Int, now: ContinuousClock.Instant) {
        var now = from
        var sent = 0
        while true {
            let wait = bucket.acquire(batch, now: now)
            now += wait
            if now > end { return (sent, now) }
            sent += batch
            now += overhead
        }
    }

    private func close(_ a: Duration, _ b: Duration) -> Bool {
        a - b < .microseconds(1) && b - a < .microseconds(1)
    }

    @Test("holds 10,000/s over 30 s with batches of 100")
    func holdsRate() {
        var bucket = TokenBucket(rate: 10_000, burst: 1_000)
        let sent = run(&bucket, batch: 100, from: start, until: start + .seconds(30)).sent
        #expect(abs(sent - 300_000) <= 3_000, "sent \(sent)")
    }

    @Test("does not drift when every send oversleeps or costs time")
    func noDrift() {
        // A fixed sleep of 10 ms plus 2 ms overhead per 100 would give 8,333/s; the bucket catches up.
        var bucket = TokenBucket(rate: 10_000, burst: 1_000)
        let sent = run(&bucket, batch: 100, from: start, until: start + .seconds(30), overhead: .milliseconds(2)).sent
        #expect(abs(sent - 300_000) <= 3_000, "sent \(sent)")
    }

    @Test("a pause longer than the burst lets at most one burst through")
    func pauseIsBounded() {
        var bucket = TokenBucket(rate: 10_000, burst: 500)
        let first = run(&bucket, batch: 100, from: start, until: start + .seconds(1))
        // Pause for 10 s (100,000 tokens' worth), then send as fast as possible without time passing.
        let resume = first.now + .seconds(10)
        var immediate = 0
        while bucket.acquire(100, now: resume) == .zero { immediate += 100 }
        #expect(immediate <= 500)
        #expect(immediate >= 400)
        // The bucket then settles back to the configured rate.
        let next = run(&bucket, batch: 100, from: resume, until: resume + .seconds(5)).sent
        #expect(abs(next - 50_000) <= 1_000, "sent \(next)")
    }

    @Test("rate changes take effect from the change on")
    func rateChange() {
        var bucket = TokenBucket(rate: 10_000, burst: 1_000)
        let fast = run(&bucket, batch: 100, from: start, until: start + .seconds(10))
        let change = start + .seconds(10)
        bucket.setRate(1_000, now: change)
        let slow = run(&bucket, batch: 100, from: change, until: change + .seconds(10))
        #expect(abs(fast.sent - 100_000) <= 1_000, "fast \(fast.sent)")
        #expect(abs(slow.sent - 10_000) <= 300, "slow \(slow.sent)")
        let change2 = change + .seconds(10)
        bucket.setRate(50_000, now: change2)
        let faster = run(&bucket, batch: 100, from: change2, until: change2 + .seconds(10))
        #expect(abs(faster.sent - 500_000) <= 5_000, "faster \(faster.sent)")
    }

    @Test("reservations accumulate: waits grow when the caller does not sleep")
    func reservations() {
        var bucket = TokenBucket(rate: 1_000, burst: 100)
        #expect(bucket.acquire(100, now: start) == .zero)
        #expect(close(bucket.acquire(100, now: start), .milliseconds(100)))
        #expect(close(bucket.acquire(100, now: start), .milliseconds(200)))
        #expect(bucket.acquire(0, now: start) == .zero)
    }

    @Test("unlimited rate never waits; a batch larger than the burst waits for the difference")
    func edges() {
        var unlimited = TokenBucket(rate: .infinity, burst: 1)
        #expect(unlimited.acquire(1_000_000, now: start) == .zero)
        var small = TokenBucket(rate: 100, burst: 10)
        #expect(close(small.acquire(60, now: start), .milliseconds(500)))
    }
}
