import Glibc
import Synchronization

/// A loopback HTTP/1.1 server whose every reply a test scripts, including the misbehaving ones (never answering,
/// closing early), so client tests never touch anything but 127.0.0.1.
///
/// Each connection gets its own thread (so dozens of requests proceed at once and a hanging reply blocks no one),
/// serves exactly one request and closes. Blocking is fine here: these are the server's own threads, not Swift's
/// cooperative pool.
public final class LoopbackServer: Sendable {
    /// A request as received.
    public struct Request: Sendable {
        /// `GET`, `POST`, …
        public var method: String
        /// The request target: path and query.
        public var target: String
        /// Header fields in order; names lower-cased.
        public var headers: [(name: String, value: String)]
        /// The body (by `Content-Length`).
        public var body: [UInt8]
        /// When the request had been read completely.
        public var receivedAt: ContinuousClock.Instant

        /// The first value of a header, by case-insensitive name.
        public func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return self.headers.first { $0.name == lowered }?.value
        }

        /// The body as UTF-8 text.
        public var bodyText: String { String(decoding: self.body, as: UTF8.self) }
    }

    /// What the server does with a request.
    public indirect enum Reply: Sendable {
        /// A complete response with `Content-Length` and `Connection: close`.
        case response(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
        /// These bytes exactly, then close (for truncated or malformed replies).
        case raw([UInt8])
        /// Read the request, never answer; the connection closes when the server stops.
        case hang
        /// Wait, then reply.
        case delayed(Duration, Reply)
        /// These bytes, then one `byte` every `interval` until the client hangs up or the server stops: a body
        /// that keeps arriving, too slowly to ever finish.
        case trickle([UInt8], byte: UInt8, interval: Duration)

        /// A `200` with a text body.
        public static func text(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            .response(status: status, headers: [("Content-Type", "text/plain")] + headers, body: Array(text.utf8))
        }

        /// A JSON body.
        public static func json(_ json: String, status: Int = 200) -> Reply {
            .response(status: status, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
        }
    }

    /// The bound port on 127.0.0.1.
    public let port: Int
    private let core: Core

    /// Binds 127.0.0.1 on a free port and starts accepting.
    /// - Parameter handler: Decides each reply; runs on the connection's thread.
    public init(handler: @escaping @Sendable (Request) -> Reply) throws(LoopbackServerError) {
        let core = try Core(handler: handler)
        self.core = core
        self.port = core.port
        try LoopbackThread.spawn { core.acceptLoop() }
    }

    deinit {
        self.core.stop()
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { self.core.recorded.withLock { $0 } }

    /// Stops accepting and releases hanging connections; also done when the server is released.
    public func stop() {
        self.core.stop()
    }
}

/// A failure to set up the test server.
public struct LoopbackServerError: Error, CustomStringConvertible {
    public var description: String
}
