import Synchronization

/// Counters shared by the send loop, librdkafka's delivery-report thread and the progress display.
final class GenerationStats: Sendable {
    private let sentCount = Atomic<Int>(0)
    private let acknowledgedCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)

    func addSent(_ n: Int) { sentCount.add(n, ordering: .relaxed) }
    func addReport(delivered: Int, failed: Int) {
        acknowledgedCount.add(delivered, ordering: .relaxed)
        failedCount.add(failed, ordering: .relaxed)
    }

    var snapshot: Snapshot {
        Snapshot(
            sent: sentCount.load(ordering: .relaxed), acknowledged: acknowledgedCount.load(ordering: .relaxed),
            failed: failedCount.load(ordering: .relaxed))
    }

    struct Snapshot: Sendable, Equatable {
        /// Handed to the producer.
        var sent: Int
        /// On the broker (delivery reported).
        var acknowledged: Int
        /// Reported undeliverable.
        var failed: Int
        /// Neither acknowledged nor failed yet.
        var pending: Int { sent - acknowledged - failed }
    }
}
