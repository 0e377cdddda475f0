import HTTPTestSupport
import PipelineHTTP
import Synchronization
import Testing

@Suite("HTTPRetrier", .timeLimit(.minutes(1)))
struct HTTPRetrierTests {
    /// A virtual clock: sleeping advances it instead of waiting, and every wait is recorded.
    final class VirtualTime: Sendable {
        let origin = ContinuousClock.now
        let offset = Mutex<Duration>(.zero)
        let sleeps = Mutex<[Duration]>([])

        func retrier(_ policy: RetryPolicy, unit: Double = 0.5, wallClock: Int64 = 1_000_000) -> HTTPRetrier {
            HTTPRetrier(
                policy: policy, random: { unit },
                sleep: { duration in
                    self.sleeps.withLock { $0.append(duration) }
                    self.offset.withLock { $0 += duration }
                },
                monotonicNow: { self.origin + self.offset.withLock { $0 } },
                wallClockSeconds: { wallClock + Int64(self.offset.withLock { $0 }.components.seconds) })
        }
    }

    /// Plays back scripted outcomes and counts attempts.
    final class Script: Sendable {
        let outcomes: Mutex<[Result<HTTPClientResponse, HTTPClientError>]>
        let attempts = Mutex(0)

        init(_ outcomes: [Result<HTTPClientResponse, HTTPClientError>]) {
            self.outcomes = Mutex(outcomes)
        }

        func next() throws(HTTPClientError) -> HTTPClientResponse {
            self.attempts.withLock { $0 += 1 }
            let outcome = self.outcomes.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
            return try outcome.get()
        }
    }

    private let policy = RetryPolicy(
        maximumAttempts: 4, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(2),
        maximumElapsed: .seconds(30),
        maximumRetryAfter: .seconds(10))

    @Test("transient errors back off with jitter, then the success is returned")
    func retriesErrors() async throws {
        let time = VirtualTime()
        let timeout = HTTPClientError(kind: .timeout, curlCode: 28, message: "slow")
        let script = Script([.failure(timeout), .failure(timeout), .success(HTTPClientResponse(status: 200))])
        let response = try await time.retrier(self.policy).run { () throws(HTTPClientError) in try script.next() }
        #expect(response.status == 200)
        #expect(script.attempts.withLock { $0 } == 3)
        #expect(time.sleeps.withLock { $0 } == [.milliseconds(50), .milliseconds(100)])
    }

    @Test("non-retriable errors and statuses return at once")
    func noRetry() async throws {
        let time = VirtualTime()
        let tls = Script([.failure(HTTPClientError(kind: .tls, curlCode: 60, message: "bad cert"))])
        await #expect(throws: HTTPClientError.self) {
            try await time.retrier(self.policy).run { () throws(HTTPClientError) in try tls.next() }
        }
        let notFound = Script([.success(HTTPClientResponse(status: 404))])
        let response = try await time.retrier(self.policy).run { () throws(HTTPClientError) in try notFound.next() }
        #expect(response.status == 404)
        #expect(tls.attempts.withLock { $0 } == 1 && notFound.attempts.withLock { $0 } == 1)
        #expect(time.sleeps.withLock { $0 }.isEmpty)
    }

    @Test("429 waits for Retry-After (seconds and date, capped); the last 503 is returned when attempts run out")
    func retryAfter() async throws {
        let time = VirtualTime()
        let script = Script([
            .success(HTTPClientResponse(status: 429, headers: ["Retry-After": "3"])),
            .success(HTTPClientResponse(status: 429, headers: ["retry-after": "Mon, 12 Jan 1970 13:46:47 GMT"])),
            .success(HTTPClientResponse(status: 503, headers: ["Retry-After": "86400"])),
            .success(HTTPClientResponse(status: 503)),
        ])
        // 1_000_000 s after the epoch is 1970-01-12T13:46:40Z; after the first 3 s wait the date is 4 s away.
        let response = try await time.retrier(self.policy).run { () throws(HTTPClientError) in try script.next() }
        #expect(response.status == 503)
        #expect(script.attempts.withLock { $0 } == 4)
        #expect(time.sleeps.withLock { $0 } == [.seconds(3), .seconds(4), .seconds(10)])
    }

    @Test("server errors retry only when the policy asks")
    func serverErrors() async throws {
        var policy = self.policy
        let time = VirtualTime()
        let plain = Script([.success(HTTPClientResponse(status: 502)), .success(HTTPClientResponse(status: 200))])
        #expect(try await time.retrier(policy).run { () throws(HTTPClientError) in try plain.next() }.status == 502)
        policy.retryServerErrors = true
        let opted = Script([.success(HTTPClientResponse(status: 502)), .success(HTTPClientResponse(status: 200))])
        #expect(try await time.retrier(policy).run { () throws(HTTPClientError) in try opted.next() }.status == 200)
    }

    @Test("the elapsed bound stops retries even with attempts left")
    func elapsedBound() async throws {
        var policy = self.policy
        policy.maximumAttempts = 100
        policy.maximumElapsed = .seconds(5)
        let time = VirtualTime()
        let script = Script([.success(HTTPClientResponse(status: 503, headers: ["Retry-After": "2"]))])
        let response = try await time.retrier(policy).run { () throws(HTTPClientError) in try script.next() }
        #expect(response.status == 503)
        #expect(time.sleeps.withLock { $0 } == [.seconds(2), .seconds(2)])
        #expect(script.attempts.withLock { $0 } == 3)
    }

    @Test("a cancelled wait ends the retries with cancelled")
    func cancelledSleep() async throws {
        let retrier = HTTPRetrier(policy: self.policy, sleep: { _ in throw CancellationError() })
        let script = Script([.success(HTTPClientResponse(status: 503))])
        do {
            _ = try await retrier.run { () throws(HTTPClientError) in try script.next() }
            Issue.record("expected cancelled")
        } catch {
            #expect(error.kind == .cancelled)
        }
    }

    @Test("over the wire: the retry after a 429 arrives no earlier than Retry-After")
    func retryAfterLive() async throws {
        let server = try LoopbackServer { request in
            request.header("x-attempt") == nil ? .response(status: 429, headers: [("Retry-After", "1")]) : .text("ok")
        }
        let calls = Mutex(0)
        let client = try TestClient.make()
        let retrier = HTTPRetrier(policy: RetryPolicy(maximumRetryAfter: .seconds(5)))
        let response = try await retrier.run { () async throws(HTTPClientError) -> HTTPClientResponse in
            let attempt = calls.withLock { count in
                count += 1
                return count
            }
            let headers: HTTPHeaders = attempt == 1 ? [:] : ["X-Attempt": "\(attempt)"]
            return try await client.execute(HTTPClientRequest(url: server.baseURL + "/limited", headers: headers))
        }
        #expect(response.status == 200)
        let requests = server.requests
        #expect(requests.count == 2)
        if requests.count == 2 {
            #expect(requests[1].receivedAt - requests[0].receivedAt >= .seconds(1))
        }
        // The client's own convenience goes through the same path.
        let direct = try await client.execute(
            HTTPClientRequest(url: server.baseURL + "/limited", headers: ["X-Attempt": "1"]), retrier: retrier)
        #expect(direct.status == 200)
    }
}
