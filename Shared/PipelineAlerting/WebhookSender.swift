public import Logging
import Metrics
public import PipelineHTTP
import Synchronization

/// Delivers queued messages to one Slack-compatible incoming webhook with libcurl, as the ``DeliveryQueue`` paces
/// them: about one per second, Retry-After on 429, backoff on errors and 5xx, oldest first, bounded.
///
/// The webhook URL is a secret (it authorises posting): it never appears in logs, metrics or errors; logs name
/// the route only.
public final class WebhookSender: Sendable {
    public let route: String
    private let url: String
    private let client: HTTPClient
    private let queue: Mutex<DeliveryQueue<[UInt8]>>
    private let logger: Logger
    private let start = ContinuousClock.now
    private let sent: Counter
    private let failures: Counter
    private let overflows: Counter
    private let depth: Gauge

    /// - Parameters:
    ///   - route: The route name, for logs and metrics.
    ///   - url: The webhook URL (secret).
    ///   - capacity: Most messages waiting; more are refused and counted.
    ///   - minimumSpacing: Least time between two posts.
    public init(
        route: String, url: String, client: HTTPClient, capacity: Int, minimumSpacing: Duration = .seconds(1),
        maximumBackoff: Duration = .seconds(30), logger: Logger
    ) {
        self.route = route
        self.url = url
        self.client = client
        self.logger = logger
        queue = Mutex(
            DeliveryQueue(
                capacity: capacity, minimumSpacingMs: minimumSpacing.milliseconds,
                maximumBackoffMs: maximumBackoff.milliseconds))
        sent = Counter(label: "tributary_alerting_notifications_sent_total", dimensions: [("route", route)])
        failures = Counter(label: "tributary_alerting_webhook_failures_total", dimensions: [("route", route)])
        overflows = Counter(label: "tributary_alerting_queue_overflow_total", dimensions: [("route", route)])
        depth = Gauge(label: "tributary_alerting_queue_depth", dimensions: [("route", route)])
    }

    /// Queues a message body; false when the queue is full (counted and logged, never silent).
    @discardableResult
    public func enqueue(_ body: [UInt8], key: String) -> Bool {
        let (accepted, count) = queue.withLock { queue in (queue.enqueue(body), queue.count) }
        depth.record(count)
        if !accepted {
            overflows.increment()
            logger.warning(
                "alert notification dropped: webhook queue full",
                metadata: ["alert.route": "\(route)", "alert.key": "\(key)", "queue.depth": "\(count)"])
        }
        return accepted
    }

    /// Messages waiting, the one in flight included.
    public var pending: Int { queue.withLock { $0.count } }

    /// Counts for tests and status: delivered, dropped as rejected, refused as overflow, retries.
    public var counts: (delivered: Int, rejected: Int, overflowed: Int, retries: Int) {
        queue.withLock { ($0.delivered, $0.rejected, $0.overflowed, $0.retries) }
    }

    /// Sends until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let next = queue.withLock { $0.next(nowMs: self.nowMs) }
            switch next {
            case .idle:
                try? await Task.sleep(for: .milliseconds(50))
            case .wait(let untilMs):
                try? await Task.sleep(for: .milliseconds(min(max(1, untilMs - nowMs), 250)))
            case .send(let body):
                await post(body)
            }
        }
    }

    /// Keeps sending until the queue is empty or `timeout` passed (at shutdown); logs what is left undelivered.
    public func drain(within timeout: Duration) async {
        guard pending > 0 else { return }
        let task = Task { await self.run() }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while pending > 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        task.cancel()
        await task.value
        let left = pending
        if left > 0 {
            logger.warning(
                "alert notifications not delivered at shutdown", metadata: ["alert.route": "\(route)", "queue.depth": "\(left)"])
        }
    }

    private var nowMs: Int64 { (ContinuousClock.now - start).milliseconds }

    private func post(_ body: [UInt8]) async {
        let request = HTTPClientRequest(
            method: .post, url: url, headers: ["Content-Type": "application/json"], body: body, target: "webhook")
        do {
            let response = try await client.execute(request)
            if response.isSuccess {
                let count = queue.withLock { queue in
                    queue.delivered(nowMs: self.nowMs)
                    return queue.count
                }
                sent.increment()
                depth.record(count)
                return
            }
            failures.increment()
            let retryAfter = response.status == 429
                ? RetryAfter.delay(from: response.headers["Retry-After"], now: HTTPRetrier.systemWallClockSeconds())
                : nil
            // 429 and 5xx pass; so does 401, which comes from an auth proxy or gateway in front of the webhook whose
            // credentials are being rotated (Slack itself answers a bad token with 403/404), and dropping the alert
            // would lose it (found by the chaos suite). Other 4xx mean the message or the webhook is wrong, and
            // waiting will not fix that.
            let retriable = response.status == 429 || response.status == 408 || response.status == 401 || response.status >= 500
            logger.warning(
                "webhook refused the notification",
                metadata: [
                    "alert.route": "\(route)", "http.status": "\(response.status)",
                    "retry.after_ms": "\(retryAfter.map { "\($0.milliseconds)" } ?? "none")", "retry": "\(retriable)",
                ])
            queue.withLock {
                $0.failed(
                    nowMs: self.nowMs, retryAfterMs: retryAfter?.milliseconds, retriable: retriable,
                    unit: Double.random(in: 0..<1))
            }
        } catch {
            failures.increment()
            // The error kind only: curl messages may quote the URL.
            logger.warning(
                "webhook unreachable", metadata: ["alert.route": "\(route)", "error.kind": "\(error.kind)"])
            queue.withLock {
                $0.failed(nowMs: self.nowMs, retryAfterMs: nil, retriable: true, unit: Double.random(in: 0..<1))
            }
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
