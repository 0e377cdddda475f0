import HTTPTestSupport
import InMemoryLogging
import Logging
import PipelineAlerting
import PipelineHTTP
import PipelineMessages
import Synchronization
import Testing

/// The real sender (libcurl) against a loopback webhook whose answers the test scripts.
@Suite(.timeLimit(.minutes(2))) struct WebhookSenderTests {
    /// Slack puts the secret in the path.
    static let secretPath = "/services/T0SECRET/B0SECRET/tokenSECRETtoken"

    static func body(_ index: Int) -> [UInt8] {
        SlackMessage.body(
            for: AlertNotification(
                kind: .firing,
                alert: Alert(key: "k\(index)", severity: .warning, status: .firing, source: "test", summary: "alert \(index)"),
                route: "default", occurrences: 1))
    }

    static func run(_ sender: WebhookSender, until done: @Sendable () -> Bool, within timeout: Duration) async {
        let task = Task { await sender.run() }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !done(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        task.cancel()
        await task.value
    }

    @Test func aWebhookAnswering500For20SecondsThen200GetsEveryAlertInOrderAndTheURLIsNeverLogged() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in logs })
        logger.logLevel = .trace
        let started = ContinuousClock.now
        let server = try LoopbackServer { _ in
            ContinuousClock.now - started < .seconds(20) ? .text("down", status: 500) : .text("ok")
        }
        let client = try HTTPClient(logger: logger)
        let sender = WebhookSender(
            route: "default", url: server.baseURL + Self.secretPath, client: client, capacity: 100,
            maximumBackoff: .seconds(2), logger: logger)
        for index in 0..<6 { #expect(sender.enqueue(Self.body(index), key: "k\(index)")) }
        await Self.run(sender, until: { sender.pending == 0 }, within: .seconds(60))

        let requests = server.requests
        let accepted = requests.filter { $0.receivedAt - started >= .seconds(20) }
        let refused = requests.filter { $0.receivedAt - started < .seconds(20) }
        #expect(refused.count >= 5, "the outage saw retries")
        #expect(refused.allSatisfy { $0.bodyText == String(decoding: Self.body(0), as: UTF8.self) }, "the head waits")
        #expect(accepted.map(\.bodyText) == (0..<6).map { String(decoding: Self.body($0), as: UTF8.self) })
        #expect(requests.allSatisfy { $0.target == Self.secretPath && $0.method == "POST" })
        #expect(requests.allSatisfy { $0.header("content-type") == "application/json" })
        // About one per second once it is up (Slack's limit).
        for (previous, next) in zip(accepted, accepted.dropFirst()) { #expect(next.receivedAt - previous.receivedAt >= .milliseconds(950)) }
        #expect(sender.counts.delivered == 6)

        #expect(!logs.entries.isEmpty)
        for entry in logs.entries {
            let line = "\(entry.message) \(entry.metadata)"
            #expect(!line.contains("SECRET"), "log line leaks the webhook URL: \(line)")
        }
    }

    @Test func a429RetryAfterIsRespected() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in logs })
        logger.logLevel = .trace
        let calls = CallCount()
        let server = try LoopbackServer { _ in
            calls.next() == 1
                ? .text("rate limited", status: 429, headers: [("Retry-After", "3")]) : .text("ok")
        }
        let client = try HTTPClient(logger: logger)
        let sender = WebhookSender(
            route: "default", url: server.baseURL + Self.secretPath, client: client, capacity: 10, logger: logger)
        sender.enqueue(Self.body(1), key: "k1")
        sender.enqueue(Self.body(2), key: "k2")
        await Self.run(sender, until: { sender.pending == 0 }, within: .seconds(30))
        let requests = server.requests
        #expect(requests.map(\.bodyText) == [1, 1, 2].map { String(decoding: Self.body($0), as: UTF8.self) })
        #expect(requests[1].receivedAt - requests[0].receivedAt >= .milliseconds(2_950))
        for entry in logs.entries { #expect(!"\(entry.message) \(entry.metadata)".contains("SECRET")) }
    }

    /// A 401 (an auth gateway mid-rotation in front of the webhook) is retried until accepted; a 404 is dropped.
    @Test func a401IsRetriedUntilAcceptedButA404IsDropped() async throws {
        let calls = CallCount()
        let server = try LoopbackServer { request in
            if request.bodyText.contains("alert 2") { return .text("no_service", status: 404) }
            return calls.next() <= 2 ? .text("invalid_auth", status: 401) : .text("ok")
        }
        let client = try HTTPClient(logger: Logger(label: "test"))
        let sender = WebhookSender(
            route: "default", url: server.baseURL + Self.secretPath, client: client, capacity: 10,
            minimumSpacing: .milliseconds(50), maximumBackoff: .milliseconds(300), logger: Logger(label: "test"))
        sender.enqueue(Self.body(1), key: "k1")
        sender.enqueue(Self.body(2), key: "k2")
        await Self.run(sender, until: { sender.pending == 0 }, within: .seconds(30))
        #expect(server.requests.map(\.bodyText) == [1, 1, 1, 2].map { String(decoding: Self.body($0), as: UTF8.self) })
        #expect(sender.counts.delivered == 1)
        #expect(sender.counts.rejected == 1)
    }

    @Test func drainDeliversWhatIsQueuedAtShutdown() async throws {
        let server = try LoopbackServer { _ in .text("ok") }
        let client = try HTTPClient(logger: Logger(label: "test"))
        let sender = WebhookSender(
            route: "default", url: server.baseURL + Self.secretPath, client: client, capacity: 10,
            minimumSpacing: .milliseconds(100), logger: Logger(label: "test"))
        for index in 0..<3 { sender.enqueue(Self.body(index), key: "k\(index)") }
        await sender.drain(within: .seconds(10))
        #expect(sender.pending == 0)
        #expect(server.requests.map(\.bodyText) == (0..<3).map { String(decoding: Self.body($0), as: UTF8.self) })
    }

    @Test func anUnreachableWebhookKeepsAlertsQueuedAndOverflowIsCounted() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in logs })
        logger.logLevel = .trace
        let client = try HTTPClient(logger: logger)
        let sender = WebhookSender(
            route: "default", url: "http://127.0.0.1:1" + Self.secretPath, client: client, capacity: 3,
            maximumBackoff: .milliseconds(200), logger: logger)
        for index in 0..<5 { sender.enqueue(Self.body(index), key: "k\(index)") }
        await Self.run(sender, until: { sender.counts.retries >= 3 }, within: .seconds(20))
        #expect(sender.pending == 3)
        #expect(sender.counts.overflowed == 2)
        #expect(sender.counts.delivered == 0)
        #expect(logs.entries.contains { "\($0.message)" == "alert notification dropped: webhook queue full" })
        for entry in logs.entries { #expect(!"\(entry.message) \(entry.metadata)".contains("SECRET")) }
    }
}

/// Counts the loopback server's calls (its handler runs on the server's threads).
final class CallCount: Sendable {
    private let count = Atomic<Int>(0)

    func next() -> Int { count.add(1, ordering: .relaxed).newValue }
}
