import Dispatch
import Glibc

/// A dedicated OS thread for blocking work (the accept loop), so it never occupies a cooperative-pool thread.
struct ServerThread: Sendable {
    /// The pthread handle; an integer on Linux, hence `Sendable`.
    let handle: pthread_t

    /// Boxes the closure for the C entry point.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts a thread running `body`.
    /// - Throws: ``OperationsServerError`` when the system refuses a new thread.
    static func spawn(_ body: @escaping @Sendable () -> Void) throws(OperationsServerError) -> ServerThread {
        let box = Unmanaged.passRetained(Body(body))
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { argument in
                Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue().run()
                return nil
            }, box.toOpaque())
        guard result == 0 else {
            box.release()
            throw OperationsServerError(
                kind: .threadFailed, message: "cannot start thread: \(PosixSocket.describe(errno: result))")
        }
        return ServerThread(handle: handle)
    }

    /// Waits for the thread to end, from a Dispatch thread so no cooperative-pool thread blocks.
    func join() async {
        let handle = self.handle
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                pthread_join(handle, nil)
                continuation.resume()
            }
        }
    }
}
