import PipelineBigtable

/// Runs `body` while the client's connections are maintained (its `run()` in a child task), then shuts the client
/// down and waits for it: the one-shot commands' way to use the Bigtable client outside a service group.
func withConnected<R: Sendable>(_ client: BigtableClient, _ body: @Sendable () async throws -> R) async throws -> R {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.run() }
        defer { client.shutdown() }  // also on the error path, so the child task ends
        let result = try await body()
        client.shutdown()
        try await group.waitForAll()
        return result
    }
}
