import Synchronization

/// What `/readyz` (and its alias `/healthz`) reports: ready until a component says otherwise or shutdown begins.
///
/// This is readiness, not liveness: `/livez` ignores it, so a dependency outage takes pods out of service without
/// restarting them.
///
/// Components report independently (`kafka-consumer`, `bigtable`), so one recovering does not hide another that
/// is still broken. Shutdown is final: once draining starts, load balancers and `tributary up` should stop
/// counting on this instance.
public final class HealthState: Sendable {
    /// The overall verdict.
    public enum Status: Sendable, Equatable {
        case healthy
        /// At least one component is unhealthy; the reason names them.
        case unhealthy(reason: String)
        case shuttingDown
    }

    private struct State {
        var problems: [(component: String, reason: String)] = []
        var isShuttingDown = false
    }

    private let state = Mutex(State())

    /// Creates a healthy state.
    public init() {}

    /// Marks a component unhealthy, replacing its previous reason.
    public func markUnhealthy(_ component: String = "service", reason: String) {
        self.state.withLock { state in
            if let index = state.problems.firstIndex(where: { $0.component == component }) {
                state.problems[index].reason = reason
            } else {
                state.problems.append((component, reason))
            }
        }
    }

    /// Marks a component healthy again.
    public func markHealthy(_ component: String = "service") {
        self.state.withLock { $0.problems.removeAll { $0.component == component } }
    }

    /// Reports shutting down from now on, whatever the components say.
    public func markShuttingDown() {
        self.state.withLock { $0.isShuttingDown = true }
    }

    /// The current verdict.
    public var status: Status {
        self.state.withLock { state in
            if state.isShuttingDown { return .shuttingDown }
            if state.problems.isEmpty { return .healthy }
            return .unhealthy(reason: state.problems.map { "\($0.component): \($0.reason)" }.joined(separator: "; "))
        }
    }

    /// The `/readyz` response: `200 ok`, or `503` with the reason.
    func response() -> HTTPResponse {
        switch self.status {
        case .healthy: .text("ok")
        case .unhealthy(let reason): .text("unhealthy: \(reason)", status: 503)
        case .shuttingDown: .text("shutting down", status: 503)
        }
    }
}
