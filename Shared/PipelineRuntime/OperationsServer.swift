import Glibc
public import Logging
public import ServiceLifecycle
import Synchronization

/// The per-process HTTP endpoint: `GET /metrics`, the probes `GET /livez`, `GET /readyz` (and `/healthz`, its alias),
/// and routes callers add.
///
/// The two probes answer different questions, so that an outage of a dependency never restarts every pod at once:
/// - `/livez`: the process is alive and its concurrency runtime still runs tasks (the answer is produced by a task,
///   so a starved or deadlocked executor times the probe out). It stays 200 while a dependency is down and while
///   draining: a restart would not fix either. Kubernetes liveness probes use it.
/// - `/readyz`: the service can do work now (``HealthState``): 503 while a component such as Kafka or Bigtable is
///   unhealthy and once shutdown begins. Readiness probes and container health checks use it.
///
/// A deliberately tiny blocking server on one dedicated thread (no SwiftNIO): connections are handled one at a
/// time, each request is bounded in size (``HTTPLimits``) and time (read timeout plus a per-request deadline), and
/// every response closes the connection. That is ample for scrapes, probes and the local broker's control API.
///
/// As a `Service` it starts with the `ServiceGroup` and stops on graceful shutdown or cancellation; put it *first*
/// in the group so it stops last and metrics stay scrapable while the rest drains. Call ``start()`` earlier to
/// fail fast on a port conflict and to learn ``port`` (useful with port 0).
public final class OperationsServer: Service, Sendable {
    /// Where to listen and how patient to be.
    public struct Configuration: Sendable, Equatable {
        /// Interface to bind; `127.0.0.1` by default, `0.0.0.0` (or `::`) in containers.
        public var host: String
        /// Port to bind; 0 picks a free one (see ``OperationsServer/port``).
        public var port: Int
        /// Request size limits.
        public var limits: HTTPLimits
        /// `SO_RCVTIMEO`/`SO_SNDTIMEO` for each socket call.
        public var readTimeout: Duration
        /// Total time a client gets to send its whole request, so trickling bytes cannot hold the thread.
        public var requestDeadline: Duration
        /// How long an asynchronous handler may take before the client gets `503`.
        public var handlerTimeout: Duration

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1", port: Int = 9100, limits: HTTPLimits = HTTPLimits(),
            readTimeout: Duration = .seconds(2), requestDeadline: Duration = .seconds(5),
            handlerTimeout: Duration = .seconds(30)
        ) {
            self.host = host
            self.port = port
            self.limits = limits
            self.readTimeout = readTimeout
            self.requestDeadline = requestDeadline
            self.handlerTimeout = handlerTimeout
        }
    }

    /// The listening configuration.
    public let configuration: Configuration
    /// What `/readyz` (and `/healthz`) reports.
    public let health: HealthState
    /// What `/metrics` renders.
    public let metrics: MetricsRegistry
    private let logger: Logger
    private let router = OperationsRouter()
    private let state = Mutex(OperationsServerStateMachine())

    /// Creates a server with the built-in `/metrics`, `/livez`, `/readyz` and `/healthz` routes; nothing is bound
    /// until ``start()``.
    public init(
        configuration: Configuration, metrics: MetricsRegistry, health: HealthState = HealthState(), logger: Logger
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.router.register(
            method: "GET", path: "/metrics",
            handler: .sync { [metrics] _ in
                var body: [UInt8] = []
                body.reserveCapacity(16 * 1024)
                metrics.emit(into: &body)
                return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
            })
        let readiness = HTTPHandler.sync { [health] _ in health.response() }
        self.router.register(method: "GET", path: "/readyz", handler: readiness)
        // The original probe path, kept as an alias of /readyz for existing probes, scripts and `tributary up`.
        self.router.register(method: "GET", path: "/healthz", handler: readiness)
        self.router.register(method: "GET", path: "/livez", handler: .async { _ in Self.liveness() })
    }

    /// The `/livez` answer. Running at all is the check: it is produced by a task, so it only comes back while the
    /// runtime schedules work; dependencies and draining do not matter here.
    static func liveness() -> HTTPResponse {
        .text("alive")
    }

    // MARK: - Routes

    /// Adds (or replaces) a synchronous route; it runs on the server thread, so keep it quick and non-blocking.
    /// - Parameters:
    ///   - method: `GET`, `POST`, … (`HEAD` is served from `GET` automatically).
    ///   - path: An exact path (`/topics`) or a prefix ending in `/*` (`/faults/*`, which matches `/faults/drop`).
    ///   - handler: Gets method, path, query, headers and body; returns status, content type and body.
    public func register(
        method: String, path: String, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) {
        self.router.register(method: method, path: path, handler: .sync(handler))
    }

    /// Adds (or replaces) an asynchronous route, for handlers that must await an actor or a client.
    /// It runs as a task while the server thread waits up to ``Configuration/handlerTimeout``.
    public func registerAsync(
        method: String, path: String, handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse
    ) {
        self.router.register(method: method, path: path, handler: .async(handler))
    }

    // MARK: - Lifecycle

    /// The bound port while running (the real one when configured with port 0).
    public var port: Int? { self.state.withLock { $0.port } }

    /// Binds and starts the accept thread; does nothing if already running.
    /// - Throws: ``OperationsServerError`` when the address cannot be bound or the server was stopped.
    public func start() throws(OperationsServerError) {
        try self.state.withLock { (machine) throws(OperationsServerError) in
            switch machine.start() {
            case .alreadyRunning:
                return
            case .refuse:
                throw OperationsServerError(kind: .stopped, message: "the operations server was stopped")
            case .bind:
                // Binding under the lock is fine: these calls do not block, and start/stop must not interleave.
                let (listener, port) = try PosixSocket.listen(
                    host: self.configuration.host, port: self.configuration.port)
                let wake: (read: Int32, write: Int32)
                do throws(OperationsServerError) {
                    wake = try PosixSocket.makeWakePipe()
                } catch {
                    close(listener)
                    throw error
                }
                let connection = ConnectionHandler(
                    router: self.router, configuration: self.configuration, logger: self.logger)
                let thread: ServerThread
                do throws(OperationsServerError) {
                    thread = try ServerThread.spawn {
                        Self.acceptLoop(listener: listener, wake: wake.read, connection: connection)
                    }
                } catch {
                    close(listener)
                    close(wake.read)
                    close(wake.write)
                    throw error
                }
                machine.started(
                    .init(listener: listener, wakeRead: wake.read, wakeWrite: wake.write, port: port, thread: thread))
                self.logger.debug(
                    "operations endpoint listening",
                    metadata: ["http.host": "\(self.configuration.host)", "http.port": "\(port)"])
            }
        }
    }

    /// Stops accepting, waits for the request in progress, and closes the socket. A stopped server stays stopped.
    public func stop() async {
        let action = self.state.withLock { $0.stop() }
        guard case .wakeJoinAndClose(let resources) = action else { return }
        PosixSocket.wake(resources.wakeWrite)
        await resources.thread.join()
        // Closed only after the join, so the accept thread never polls a descriptor number reused elsewhere.
        close(resources.listener)
        close(resources.wakeRead)
        close(resources.wakeWrite)
    }

    /// Serves until graceful shutdown or cancellation, then reports shutting down and stops.
    public func run() async throws {
        try self.start()
        try? await gracefulShutdown()
        self.health.markShuttingDown()
        await self.stop()
    }

    // MARK: - Accept loop

    private static func acceptLoop(listener: Int32, wake: Int32, connection: ConnectionHandler) {
        while true {
            let ready = PosixSocket.waitReadable(listener: listener, wake: wake)
            if ready.wake { return }
            guard ready.listener else { continue }
            guard let fd = PosixSocket.accept(listener) else {
                // Out of descriptors or memory: back off instead of spinning on a listener that stays readable.
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM { usleep(50_000) }
                continue
            }
            connection.serve(fd)
        }
    }
}
