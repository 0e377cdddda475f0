public import Logging
public import ServiceLifecycle

/// Flips `/readyz` (and `/healthz`) to 503 the moment graceful shutdown begins; `/livez` stays 200 while draining.
///
/// Place it *last* in a `ServiceGroup`: shutdown runs in reverse order, so it is told first and returns at once,
/// and probes see "shutting down" while the services before it drain. ``ServiceMain`` adds it for you.
///
/// It also starts the shutdown's one clock (``ShutdownBudget``) and its watchdog, when it is given a budget.
public struct HealthShutdownService: Service {
    private let health: HealthState
    private let shutdownTimeout: Duration?
    private let logger: Logger?

    /// Creates the marker for a health state; with a `shutdownTimeout`, graceful shutdown also starts
    /// ``ShutdownBudget/shared`` and its watchdog.
    public init(health: HealthState, shutdownTimeout: Duration? = nil, logger: Logger? = nil) {
        self.health = health
        self.shutdownTimeout = shutdownTimeout
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        if let shutdownTimeout, let logger {
            ShutdownBudget.shared.begin(timeout: shutdownTimeout)
            ShutdownBudget.shared.startWatchdog(logger: logger)
        }
        self.health.markShuttingDown()
    }
}
