import Glibc

/// Starts the detached OS thread that drives a curl multi handle, so transfers never occupy a thread of Swift's
/// cooperative pool.
enum CurlThread {
    /// Boxes the closure for the C entry point.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts a detached thread running `body`; nobody joins it, the body returns when its loop is told to stop.
    /// - Throws: ``HTTPClientError`` of kind `other` when the system refuses a new thread.
    static func spawn(_ body: @escaping @Sendable () -> Void) throws(HTTPClientError) {
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
            throw HTTPClientError(kind: .other, message: "cannot start the HTTP client thread (errno \(result))")
        }
        pthread_detach(handle)
    }
}
