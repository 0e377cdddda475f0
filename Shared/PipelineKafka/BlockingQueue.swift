import Dispatch
import Synchronization

/// Runs librdkafka calls that block (polls with a timeout, flush, close, committed) on a dedicated serial
/// dispatch queue, so they never occupy a thread of Swift's cooperative pool.
struct BlockingQueue: Sendable {
    let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// Like `run`, but stops waiting after `timeout` and returns nil; the call itself cannot be interrupted and
    /// finishes on the queue whenever it does (so what it touches must outlive it).
    func run<T: Sendable>(within timeout: Duration, _ body: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let pending = Mutex<CheckedContinuation<T?, Never>?>(continuation)
            let resume: @Sendable (T?) -> Void = { value in pending.withLock { $0.take() }?.resume(returning: value) }
            queue.async { resume(body()) }
            let (seconds, attoseconds) = timeout.components
            let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { resume(nil) }
        }
    }
}

/// A raw pointer to a librdkafka object that is shared across threads.
///
/// `@unchecked Sendable` is safe because every object wrapped here (`rd_kafka_t`, `rd_kafka_queue_t`,
/// `rd_kafka_topic_t`) is documented thread-safe by librdkafka, and its owner destroys it only after the
/// threads that use it have stopped.
struct SendablePointer: @unchecked Sendable {
    let raw: OpaquePointer
}

/// A flag a background loop checks to know when to stop; a class so the loop can hold it without holding its owner.
final class RunningFlag: Sendable {
    private let value = Atomic<Bool>(true)
    var isRunning: Bool { value.load(ordering: .relaxed) }
    func stop() { value.store(false, ordering: .relaxed) }
}
