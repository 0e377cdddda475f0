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
/// `onComplete` — whether all of them are durable, which is when it may mark its input done. Reports arrive
/// on the producer's poll thread; the tracker is the only state shared with it, and it is behind a mutex.
public final class DeliveryTracker: Sendable {
    private struct State {
        var outstanding = 0
        var delivered = 0
        var failed = 0
        var firstError: KafkaError?
        var sealed = false
        var finished = false
        var waiter: CheckedContinuation<DeliveryReport, Never>?
    }

    private let state = Mutex(State())
    private let onComplete: (@Sendable (DeliveryReport) -> Void)?

    /// - Parameter onComplete: called once, on the producer's poll thread or the sealing thread, when the
    ///   tracker is sealed and every registered message has a report. Keep it short and non-blocking.
    public init(onComplete: (@Sendable (DeliveryReport) -> Void)? = nil) {
        self.onComplete = onComplete
    }

    /// Messages handed to librdkafka and not yet reported on.
    public var outstanding: Int { state.withLock { $0.outstanding } }

    func register() {
        state.withLock { $0.outstanding += 1 }
    }

    /// Undoes `register()` for a message librdkafka refused synchronously.
    func unregister() {
        finishIfDone { $0.outstanding -= 1 }
    }

    func resolve(error: KafkaError?) {
        finishIfDone { state in
            state.outstanding -= 1
            if let error {
                state.failed += 1
                if state.firstError == nil { state.firstError = error }
            } else {
                state.delivered += 1
            }
        }
    }

    /// Declares that no more messages will be added; completion fires when the outstanding ones resolve.
    public func seal() {
        finishIfDone { $0.sealed = true }
    }

    /// Seals the tracker and waits until every message has a delivery report.
    public func report() async -> DeliveryReport {
        await withCheckedContinuation { continuation in
            let ready: DeliveryReport? = state.withLock { state in
                state.sealed = true
                if state.outstanding == 0 {
                    return DeliveryReport(delivered: state.delivered, failed: state.failed, firstError: state.firstError)
                }
                state.waiter = continuation
                return nil
            }
            if let ready {
                fireCompletionOnce(ready)
                continuation.resume(returning: ready)
            }
        }
    }

    private func finishIfDone(_ update: (inout State) -> Void) {
        let outcome: (DeliveryReport, CheckedContinuation<DeliveryReport, Never>?)? = state.withLock { state in
            update(&state)
            guard state.sealed, state.outstanding == 0, !state.finished else { return nil }
            state.finished = true
            let report = DeliveryReport(delivered: state.delivered, failed: state.failed, firstError: state.firstError)
            defer { state.waiter = nil }
            return (report, state.waiter)
        }
        guard let (report, waiter) = outcome else { return }
        onComplete?(report)
        waiter?.resume(returning: report)
    }

    private func fireCompletionOnce(_ report: DeliveryReport) {
        let first = state.withLock { state -> Bool in
            defer { state.finished = true }
            return !state.finished
        }
        if first { onComplete?(report) }
    }
}
