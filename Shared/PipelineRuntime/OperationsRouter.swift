import Synchronization

/// A route handler. Synchronous handlers run on the server thread; asynchronous ones run as a task while the server
/// thread waits, which is fine because that thread is the server's own, not part of the cooperative pool.
enum HTTPHandler: Sendable {
    case sync(@Sendable (HTTPRequest) -> HTTPResponse)
    case async(@Sendable (HTTPRequest) async -> HTTPResponse)
}

/// Maps method and path to handlers: exact paths, or prefixes written `/faults/*`.
final class OperationsRouter: Sendable {
    /// The routing decision for one request.
    enum Match {
        case handler(HTTPHandler)
        /// The path exists but not for this method; `allowed` feeds the `Allow` header.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private struct Route {
        var method: String
        var pattern: String
        var handler: HTTPHandler

        /// Exact match scores highest; otherwise the longest matching `/*` prefix wins.
        func score(_ path: String) -> Int? {
            if self.pattern.hasSuffix("/*") {
                let prefix = self.pattern.dropLast()
                return path.hasPrefix(prefix) ? prefix.count : nil
            }
            return path == self.pattern ? Int.max : nil
        }
    }

    private let routes = Mutex<[Route]>([])

    /// Adds or replaces the handler for a method and path pattern.
    func register(method: String, path: String, handler: HTTPHandler) {
        let method = method.uppercased()
        self.routes.withLock { routes in
            routes.removeAll { $0.method == method && $0.pattern == path }
            routes.append(Route(method: method, pattern: path, handler: handler))
        }
    }

    /// Finds the handler; `HEAD` falls back to the `GET` handler (the server drops the body).
    func match(method: String, path: String) -> Match {
        self.routes.withLock { routes in
            let candidates = routes.compactMap { route in route.score(path).map { (route, $0) } }
            guard let best = candidates.map(\.1).max() else { return .notFound }
            let atBest = candidates.filter { $0.1 == best }.map(\.0)
            if let route = atBest.first(where: { $0.method == method }) { return .handler(route.handler) }
            if method == "HEAD", let route = atBest.first(where: { $0.method == "GET" }) {
                return .handler(route.handler)
            }
            var allowed = atBest.map(\.method)
            if allowed.contains("GET") { allowed.append("HEAD") }
            return .methodNotAllowed(allowed: allowed.sorted())
        }
    }
}
