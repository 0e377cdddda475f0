import Testing

@testable import PipelineRuntime

@Suite("HealthState")
struct HealthStateTests {
    @Test("components are tracked separately and shutdown is final")
    func components() {
        let health = HealthState()
        #expect(health.status == .healthy)
        health.markUnhealthy("kafka", reason: "down")
        health.markUnhealthy("bigtable", reason: "slow")
        health.markUnhealthy("kafka", reason: "still down")
        #expect(health.status == .unhealthy(reason: "kafka: still down; bigtable: slow"))
        health.markHealthy("kafka")
        #expect(health.status == .unhealthy(reason: "bigtable: slow"))
        health.markHealthy("bigtable")
        #expect(health.status == .healthy)
        health.markShuttingDown()
        health.markHealthy("bigtable")
        #expect(health.status == .shuttingDown)
    }
}
