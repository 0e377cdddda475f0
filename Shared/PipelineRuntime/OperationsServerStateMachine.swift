/// The operations server's lifecycle, kept free of I/O: idle → running → stopped (no restart).
///
/// The server holds it behind a `Mutex` and performs whatever action a transition returns, so races between
/// `start()`, `stop()` and `run()` are decided in one place and unit-tested without sockets.
struct OperationsServerStateMachine {
    /// The descriptors and thread a running server owns.
    struct Resources: Sendable, Equatable {
        var listener: Int32
        var wakeRead: Int32
        var wakeWrite: Int32
        var port: Int
        var thread: ServerThread
    }

    private enum State {
        case idle
        case running(Resources)
        case stopped
    }

    enum StartAction: Equatable {
        /// Bind, spawn the accept thread, then call ``started(_:)``.
        case bind
        /// Nothing to do; the server already listens on this port.
        case alreadyRunning(port: Int)
        /// The server was stopped and cannot start again.
        case refuse
    }

    enum StopAction: Equatable {
        /// Nothing was running.
        case none
        /// Wake the accept thread, join it, then close the descriptors.
        case wakeJoinAndClose(Resources)
    }

    private var state = State.idle

    /// The bound port while running.
    var port: Int? {
        if case .running(let resources) = self.state { return resources.port }
        return nil
    }

    mutating func start() -> StartAction {
        switch self.state {
        case .idle: .bind
        case .running(let resources): .alreadyRunning(port: resources.port)
        case .stopped: .refuse
        }
    }

    /// Records a successful bind; only valid after ``start()`` returned ``StartAction/bind``.
    mutating func started(_ resources: Resources) {
        guard case .idle = self.state else {
            preconditionFailure("started(_:) called in state \(self.state)")
        }
        self.state = .running(resources)
    }

    mutating func stop() -> StopAction {
        switch self.state {
        case .idle:
            self.state = .stopped
            return .none
        case .running(let resources):
            self.state = .stopped
            return .wakeJoinAndClose(resources)
        case .stopped:
            return .none
        }
    }
}

extension ServerThread: Equatable {
    static func == (lhs: ServerThread, rhs: ServerThread) -> Bool { lhs.handle == rhs.handle }
}
