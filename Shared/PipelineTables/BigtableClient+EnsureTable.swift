public import Logging
public import PipelineBigtable
import ServiceLifecycle

extension BigtableClient {
    /// Creates a table and its missing families at a service's start, retrying once a second while Bigtable is not
    /// answering yet (in a fresh local stack the emulator may still be starting).
    /// - Throws: the last error after `attempts` tries, or at once on graceful shutdown.
    public func ensureTable(
        _ name: String, families: [String: BigtableGCRule], logger: Logger, attempts: Int = 30
    ) async throws {
        var attempt = 0
        while true {
            do {
                try await createTableIfMissing(name, families: families)
                logger.info("bigtable table ready", metadata: ["bigtable.table": "\(name)"])
                return
            } catch {
                attempt += 1
                guard attempt < attempts, !Task.isShuttingDownGracefully else { throw error }
                logger.info("bigtable not ready for table creation; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
