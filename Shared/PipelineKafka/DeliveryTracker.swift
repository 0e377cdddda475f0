import Synchronization

/// The outcome of a group of sends once librdkafka has reported on every one of them.
public struct DeliveryReport: Sendable {
    public var delivered: Int
    public var failed: Int
    /// The first failure, enough to decide whether to retry the group.
    public var firstError: KafkaError?
    /// Every message is on the broker (acknowledged per the producer's `acks`).
    public var succeeded: Bool { failed == 0 }
}

/// Collects librdkafka's delivery reports for a group of messages (a batch, or one message).
///
/// A service sends a batch's outputs with one tracker, then learns once — by awaiting `report()` or through
/// `onComplete` — whether all of them are durable, which is when it may mark its input done.
///
/// It sits on the hot path (every message registers and resolves once), so the counts are atomics and a lock is
/// taken only for a failure or a waiter. `pending` starts at 1, a token that `seal()` gives back: whoever brings it
/// to 0 (the last delivery report, or the seal when every report is in) completes the tracker, exactly once.
/// While anything is pending the tracker keeps itself alive, so librdkafka's opaque can be an unretained pointer.
///
/// - Important: every tracker must be sealed (`seal()` or `report()`), or it is never released.
public final class DeliveryTracker: Sendable {
    private struct Completion {
        var firstError: KafkaError?
        var waiter: CheckedContinuation<DeliveryReport, Never>?
        var finished: DeliveryReport?
    }

    private let pending = Atomic<Int>(1)
    private let sealed = Atomic<Bool>(false)
    private let deliveredCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)
    private let completion = Mutex(Completion())
    private let onComplete: (@Sendable (DeliveryReport) -> Void)?
    /// The tracker's reference to itself until it completes (see the type's documentation).
    private nonisolated(unsafe) var keepAlive: Unmanaged<DeliveryTracker>?

    /// - Parameter onComplete: called once, on the producer's poll thread or the sealing thread, when the
    ///   tracker is sealed and every registered message has a report. Keep it short and non-blocking.
    public init(onComplete: (@Sendable (DeliveryReport) -> Void)? = nil) {
        self.onComplete = onComplete
    }

    /// Messages handed to librdkafka and not yet reported on.
    public var outstanding: Int {
        pending.load(ordering: .acquiring) - (sealed.load(ordering: .acquiring) ? 0 : 1)
    }

    /// The pointer librdkafka carries with one message; call once per message, just before handing it over.
    func register() -> UnsafeMutableRawPointer {
        if pending.add(1, ordering: .acquiringAndReleasing).oldValue == 1, keepAlive == nil {
            // First message: stay alive until complete. Only the sending thread gets here, before sealing.
            keepAlive = Unmanaged.passRetained(self)
        }
        return Unmanaged.passUnretained(self).toOpaque()
    }

    /// Undoes `register()` for a message librdkafka refused synchronously.
    func unregister() {
        release()
    }

    /// Resolves one message from librdkafka's delivery-report callback.
    static func resolve(opaque: UnsafeMutableRawPointer, error: KafkaError?) {
        Unmanaged<DeliveryTracker>.fromOpaque(opaque).takeUnretainedValue().resolve(error: error)
    }

    func resolve(error: KafkaError?) {
        if let error {
            failedCount.add(1, ordering: .relaxed)
            completion.withLock { $0.firstError = $0.firstError ?? error }
        } else {
            deliveredCount.add(1, ordering: .relaxed)
        }
        release()
    }

    /// Declares that no more messages will be added; completion fires when the outstanding ones resolve.
    public func seal() {
        if !sealed.exchange(true, ordering: .acquiringAndReleasing) { release() }
    }

    /// Seals the tracker and waits until every message has a delivery report.
    public func report() async -> DeliveryReport {
        await withCheckedContinuation { continuation in
            let done = completion.withLock { state -> DeliveryReport? in
                if let finished = state.finished { return finished }
                state.waiter = continuation
                return nil
            }
            if let done {
                continuation.resume(returning: done)
            } else {
                seal()
            }
        }
    }

    private func release() {
        guard pending.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        let (report, waiter) = completion.withLock { state in
            let report = DeliveryReport(
                delivered: deliveredCount.load(ordering: .relaxed), failed: failedCount.load(ordering: .relaxed),
                firstError: state.firstError)
            state.finished = report
            defer { state.waiter = nil }
            return (report, state.waiter)
        }
        onComplete?(report)
        waiter?.resume(returning: report)
        let retained = keepAlive
        keepAlive = nil
        retained?.release()
    }
}
