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
