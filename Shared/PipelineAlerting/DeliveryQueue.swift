/// The webhook's outbox: a bounded FIFO paced to the receiver's limit, retried with backoff, oldest first.
///
/// Pure and clock-free (times are monotonic milliseconds the caller supplies), so the pacing, the backoff and
/// Retry-After are unit-tested with a fake clock; ``WebhookSender`` runs it against the real webhook.
/// - At most one message per `minimumSpacingMs` (Slack allows about one per second per webhook).
/// - A failed send stays at the head, so order is kept: a 429's Retry-After, or else exponential backoff with
///   jitter, decides when to try again. A rejection that retrying cannot fix (another 4xx) drops that message,
///   counted.
/// - When full, a new message is refused and counted in `overflowed`: never silent.
public struct DeliveryQueue<Item: Sendable>: Sendable {
    public enum Next: Sendable {
        /// Send this item now, then report `delivered` or `failed`.
        case send(Item)
        /// Nothing may go out before this time.
        case wait(untilMs: Int64)
        /// Nothing queued.
        case idle
    }

    public let capacity: Int
    public var minimumSpacingMs: Int64
    public var initialBackoffMs: Int64
    public var maximumBackoffMs: Int64
    public private(set) var items: [Item] = []
    private var head = 0
    private var notBeforeMs: Int64 = .min
    private var consecutiveFailures = 0
    public private(set) var overflowed = 0
    public private(set) var delivered = 0
    public private(set) var rejected = 0
    public private(set) var retries = 0

    public init(capacity: Int, minimumSpacingMs: Int64 = 1_000, initialBackoffMs: Int64 = 500, maximumBackoffMs: Int64 = 30_000) {
        self.capacity = max(1, capacity)
        self.minimumSpacingMs = minimumSpacingMs
        self.initialBackoffMs = initialBackoffMs
        self.maximumBackoffMs = maximumBackoffMs
    }

    /// Messages waiting, the one being sent included.
    public var count: Int { items.count - head }

    /// Queues a message; false (and counted) when the queue is full.
    @discardableResult
    public mutating func enqueue(_ item: Item) -> Bool {
        guard count < capacity else {
            overflowed += 1
            return false
        }
        items.append(item)
        return true
    }

    /// What to do now.
    public mutating func next(nowMs: Int64) -> Next {
        guard head < items.count else { return .idle }
        if nowMs < notBeforeMs { return .wait(untilMs: notBeforeMs) }
        return .send(items[head])
    }

    /// The head was accepted by the receiver.
    public mutating func delivered(nowMs: Int64) {
        popHead()
        delivered += 1
        consecutiveFailures = 0
        notBeforeMs = nowMs + minimumSpacingMs
    }

    /// The head failed.
    /// - Parameters:
    ///   - retryAfterMs: The receiver's Retry-After, when it sent one; it wins over the backoff.
    ///   - retriable: False for a rejection that retrying cannot fix: the head is dropped (counted).
    ///   - unit: A random number in [0, 1) for the jitter.
    public mutating func failed(nowMs: Int64, retryAfterMs: Int64?, retriable: Bool, unit: Double) {
        guard retriable else {
            popHead()
            rejected += 1
            notBeforeMs = nowMs + minimumSpacingMs
            return
        }
        retries += 1
        consecutiveFailures += 1
        if let retryAfterMs {
            notBeforeMs = nowMs + max(retryAfterMs, minimumSpacingMs)
        } else {
            notBeforeMs = nowMs + backoffMs(failures: consecutiveFailures, unit: unit)
        }
    }

    /// Equal jitter: half the exponential ceiling fixed, half random, so a retry never comes back instantly.
    func backoffMs(failures: Int, unit: Double) -> Int64 {
        var ceiling = initialBackoffMs
        for _ in 1..<max(1, failures) where ceiling < maximumBackoffMs { ceiling *= 2 }
        ceiling = min(ceiling, maximumBackoffMs)
        let fraction = unit.isFinite ? min(max(unit, 0), 1) : 0
        return ceiling / 2 + Int64(Double(ceiling / 2) * fraction)
    }

    private mutating func popHead() {
        head += 1
        // Compact now and then so a long-running queue does not keep every delivered item.
        if head > 64, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
