public import ServiceLifecycle

/// Flips `/readyz` (and `/healthz`) to 503 the moment graceful shutdown begins; `/livez` stays 200 while draining.
///
/// Place it *last* in a `ServiceGroup`: shutdown runs in reverse order, so it is told first and returns at once,
/// and probes see "shutting down" while the services before it drain. ``ServiceMain`` adds it for you.
public struct HealthShutdownService: Service {
    private let health: HealthState

    /// Creates the marker for a health state.
    public init(health: HealthState) {
        self.health = health
    }

    public func run() async throws {
        try? await gracefulShutdown()
        self.health.markShuttingDown()
    }
}
