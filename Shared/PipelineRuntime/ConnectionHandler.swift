import Dispatch
import Glibc
import Logging
import Synchronization

/// Serves one connection of the operations server: read one bounded request, answer it, close.
struct ConnectionHandler: Sendable {
    let router: OperationsRouter
    let configuration: OperationsServer.Configuration
    let logger: Logger

    /// Handles the connection to completion and closes `fd`.
    func serve(_ fd: Int32) {
        PosixSocket.setTimeouts(fd, receive: self.configuration.readTimeout, send: self.configuration.readTimeout)
        var parser = HTTPRequestParser(limits: self.configuration.limits)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let deadline = ContinuousClock.now + self.configuration.requestDeadline
        while true {
            switch PosixSocket.receive(fd, into: &buffer) {
            case .bytes(let count):
                switch parser.consume(buffer[0..<count]) {
                case .needMoreData:
                    if ContinuousClock.now > deadline {
                        return self.reject(fd, status: 408, reason: "request not received in time")
                    }
                case .complete(let request):
                    let response = self.respond(to: request)
                    PosixSocket.sendAll(fd, response.serialized(includeBody: request.method != "HEAD"))
                    close(fd)
                    return
                case .reject(let status, let reason):
                    return self.reject(fd, status: status, reason: reason)
                }
            case .timedOut:
                return self.reject(fd, status: 408, reason: "request not received in time")
            case .closed, .failed:
                close(fd)
                return
            }
        }
    }

    /// Routes a complete request.
    func respond(to request: HTTPRequest) -> HTTPResponse {
        switch self.router.match(method: request.method, path: request.path) {
        case .notFound:
            return .text("not found", status: 404)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.text("method \(request.method) not allowed", status: 405)
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
            return response
        case .handler(.sync(let handler)):
            return handler(request)
        case .handler(.async(let handler)):
            return self.runAsync(handler, request)
        }
    }

    /// Runs an async handler as a task and waits for it on this (non-pool) thread, bounded by the handler timeout.
    private func runAsync(
        _ handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse, _ request: HTTPRequest
    ) -> HTTPResponse {
        let result = Mutex<HTTPResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            let response = await handler(request)
            result.withLock { $0 = response }
            done.signal()
        }
        let (seconds, attoseconds) = self.configuration.handlerTimeout.components
        let timeout = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        guard done.wait(timeout: timeout) == .success, let response = result.withLock({ $0 }) else {
            task.cancel()
            self.logger.warning("operations handler timed out", metadata: ["http.path": "\(request.path)"])
            return .text("handler timed out", status: 503)
        }
        return response
    }

    private func reject(_ fd: Int32, status: Int, reason: String) {
        self.logger.debug("rejected operations request", metadata: ["http.status": "\(status)", "reason": "\(reason)"])
        PosixSocket.sendAll(fd, HTTPResponse.text(reason, status: status).serialized())
        PosixSocket.lingeringClose(fd)
    }
}
