import Synchronization

/// Bounds how many consumed batches may wait for their outputs' delivery reports at once.
///
/// This is the consume loop's backpressure: when the sink (the producer, or Bigtable) is slow, `acquire`
/// suspends and the loop stops fetching, so memory stays bounded instead of buffering without limit.
/// Slots are released from librdkafka's delivery-report thread, so the state lives behind a mutex and waiters
/// are plain continuations.
public final class InFlightWindow: Sendable {
    private struct State {
        var free: Int
        var acquirers: [CheckedContinuation<Void, Never>] = []
    }

    private let capacity: Int
    private let state: Mutex<State>

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(State(free: max(1, capacity)))
    }

    /// Slots currently taken.
    public var inUse: Int { capacity - state.withLock { $0.free } }

    /// Takes a slot, waiting until one is free.
    public func acquire() async {
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
    public func release() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if !state.acquirers.isEmpty { return state.acquirers.removeFirst() }
            state.free += 1
            return nil
        }
        next?.resume()
    }
}
