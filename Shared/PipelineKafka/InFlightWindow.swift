import Synchronization

/// Bounds how many consumed batches may wait for their outputs' delivery reports at once.
///
/// This is the consume loop's backpressure: when the sink (the producer, or Bigtable) is slow, `acquire`
/// suspends and the loop stops fetching, so memory stays bounded instead of buffering without limit.
/// Slots are released from librdkafka's delivery-report thread, so the state lives behind a mutex and waiters
/// are plain continuations.
final class InFlightWindow: Sendable {
    private struct State {
        var free: Int
        var acquirers: [CheckedContinuation<Void, Never>] = []
        var drainers: [CheckedContinuation<Void, Never>] = []
    }

    private let capacity: Int
    private let state: Mutex<State>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(State(free: max(1, capacity)))
    }

    /// Slots currently taken.
    var inUse: Int { capacity - state.withLock { $0.free } }

    /// Takes a slot, waiting until one is free.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.acquirers.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    /// Gives a slot back: to the oldest waiter, else to the pool.
    func release() {
        let (next, drained): (CheckedContinuation<Void, Never>?, [CheckedContinuation<Void, Never>]) =
            state.withLock { state in
                if !state.acquirers.isEmpty { return (state.acquirers.removeFirst(), []) }
                state.free += 1
                guard state.free == capacity else { return (nil, []) }
                defer { state.drainers = [] }
                return (nil, state.drainers)
            }
        next?.resume()
        drained.forEach { $0.resume() }
    }

    /// Waits until every slot is free: all batches handed out have been reported on.
    func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                guard state.free < capacity else { return true }
                state.drainers.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
