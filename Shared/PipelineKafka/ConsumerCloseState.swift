import Synchronization

/// Who destroys a consumer handle whose close was given up: `close` stops waiting at its deadline, but
/// librdkafka's close keeps running on the fetch queue and must not have the handle destroyed under it.
///
/// Whichever comes last of the late close finishing and the consumer's `deinit` destroys the handle, exactly once.
final class ConsumerCloseState: Sendable {
    private struct State {
        var finished = false
        var abandoned = false
        var released = false
    }

    private let state = Mutex(State())

    /// The close returned (on the fetch queue). True when the consumer gave up on it and is already gone, so the
    /// caller must destroy the handle now.
    func closeFinished() -> Bool {
        state.withLock { state in
            state.finished = true
            return state.abandoned && state.released
        }
    }

    /// The waiting side hit its deadline. False when the close finished after all (it raced the deadline), so it
    /// is not abandoned.
    func giveUp() -> Bool {
        state.withLock { state in
            guard !state.finished else { return false }
            state.abandoned = true
            return true
        }
    }

    /// The consumer is being deinitialised. True when `deinit` should destroy the handle; false when a close it gave
    /// up on is still running and will destroy it when it returns.
    func release() -> Bool {
        state.withLock { state in
            state.released = true
            return !(state.abandoned && !state.finished)
        }
    }
}
