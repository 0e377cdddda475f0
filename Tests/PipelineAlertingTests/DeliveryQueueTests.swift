import PipelineAlerting
import Testing

/// The webhook outbox against a fake clock and a scripted receiver.
@Suite struct DeliveryQueueTests {
    /// Runs the queue until empty or `untilMs`, answering each send with `answer(nowMs)`; returns what was
    /// accepted and when.
    static func drive(
        _ queue: inout DeliveryQueue<Int>, untilMs: Int64, answer: (Int64) -> (ok: Bool, retryAfterMs: Int64?, retriable: Bool)
    ) -> [(item: Int, atMs: Int64)] {
        var nowMs: Int64 = 0
        var accepted: [(item: Int, atMs: Int64)] = []
        while nowMs <= untilMs {
            switch queue.next(nowMs: nowMs) {
            case .idle:
                return accepted
            case .wait(let until):
                nowMs = until
            case .send(let item):
                let reply = answer(nowMs)
                if reply.ok {
                    accepted.append((item: item, atMs: nowMs))
                    queue.delivered(nowMs: nowMs)
                } else {
                    queue.failed(nowMs: nowMs, retryAfterMs: reply.retryAfterMs, retriable: reply.retriable, unit: 0.5)
                }
                nowMs += 20  // the request's own duration
            }
        }
        return accepted
    }

    @Test func atMostOneMessagePerSecond() {
        var queue = DeliveryQueue<Int>(capacity: 100)
        for item in 0..<10 { queue.enqueue(item) }
        let accepted = Self.drive(&queue, untilMs: 60_000) { _ in (true, nil, true) }
        #expect(accepted.map(\.item) == Array(0..<10))
        for (previous, next) in zip(accepted, accepted.dropFirst()) { #expect(next.atMs - previous.atMs >= 1_000) }
    }

    @Test func aWebhookAnswering500For20SecondsThen200GetsEveryMessageInOrder() {
        var queue = DeliveryQueue<Int>(capacity: 100, maximumBackoffMs: 4_000)
        for item in 0..<25 { queue.enqueue(item) }
        var attempts = 0
        let accepted = Self.drive(&queue, untilMs: 600_000) { nowMs in
            attempts += 1
            return (nowMs >= 20_000, nil, true)
        }
        #expect(accepted.map(\.item) == Array(0..<25))
        #expect(accepted.first!.atMs >= 20_000)
        // Backoff capped at 4 s: delivery resumes within one backoff of the recovery.
        #expect(accepted.first!.atMs <= 24_100)
        #expect(queue.retries == attempts - 25)
        #expect(queue.count == 0)
    }

    @Test func a429RetryAfterIsRespected() {
        var queue = DeliveryQueue<Int>(capacity: 10)
        queue.enqueue(1)
        queue.enqueue(2)
        var calls: [Int64] = []
        let accepted = Self.drive(&queue, untilMs: 60_000) { nowMs in
            calls.append(nowMs)
            return calls.count == 1 ? (false, 7_000, true) : (true, nil, true)
        }
        #expect(accepted.map(\.item) == [1, 2])
        #expect(calls[1] - calls[0] >= 7_000)
        #expect(calls[1] - calls[0] < 7_100)
    }

    @Test func overflowIsCountedAndRejectionsAreDropped() {
        var queue = DeliveryQueue<Int>(capacity: 3)
        for item in 1...3 {
            let accepted = queue.enqueue(item)
            #expect(accepted)
        }
        let fourth = queue.enqueue(4)
        #expect(!fourth)
        #expect(queue.overflowed == 1)
        var first = true
        let accepted = Self.drive(&queue, untilMs: 60_000) { _ in
            defer { first = false }
            return first ? (false, nil, false) : (true, nil, true)
        }
        #expect(accepted.map(\.item) == [2, 3])
        #expect(queue.rejected == 1)
    }

    @Test func backoffGrowsAndIsCapped() {
        var queue = DeliveryQueue<Int>(capacity: 1, initialBackoffMs: 500, maximumBackoffMs: 8_000)
        queue.enqueue(1)
        var previous: Int64 = 0
        var waits: [Int64] = []
        for _ in 0..<8 {
            guard case .send = queue.next(nowMs: previous) else { Issue.record("expected a send"); return }
            queue.failed(nowMs: previous, retryAfterMs: nil, retriable: true, unit: 0.999)
            guard case .wait(let until) = queue.next(nowMs: previous) else { Issue.record("expected a wait"); return }
            waits.append(until - previous)
            previous = until
        }
        #expect(waits.first! < 600)
        #expect(waits == waits.sorted())
        #expect(waits.last! <= 8_000 && waits.last! > 7_000)
    }
}
