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

extension BigtableClient {
    /// Checks at a service's start that a table it writes exists with every family it needs, so a missing table is
    /// a clear start-up error naming the table and the fix, not a stream of rejected writes. Retries while Bigtable
    /// is not answering (up to `attempts` seconds, and not past a graceful shutdown).
    /// - Throws: ``BigtableTableMissing`` when the table or a family is missing; the last error otherwise.
    public func verifyTable(
        _ name: String, families: [String: BigtableGCRule], logger: Logger, attempts: Int = 30
    ) async throws {
        var attempt = 0
        while true {
            do {
                let present = try await columnFamilies(name)
                let missing = families.keys.filter { present[$0] == nil }.sorted()
                guard missing.isEmpty else {
                    throw BigtableTableMissing(
                        table: configuration.tableName(name), missingFamilies: missing)
                }
                logger.info("bigtable table present", metadata: ["bigtable.table": "\(name)"])
                return
            } catch let error as BigtableError where error.status?.code == .notFound {
                throw BigtableTableMissing(table: configuration.tableName(name), missingFamilies: [])
            } catch let error as BigtableError where error.isRetriable && !error.isEnvironmentFault {
                attempt += 1
                guard attempt < attempts, !Task.isShuttingDownGracefully else { throw error }
                logger.info("bigtable not answering yet; retrying the table check", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// A table (or some of its column families) a service writes does not exist: a deployment fault, reported at start.
public struct BigtableTableMissing: Error, CustomStringConvertible {
    public let table: String
    /// Empty when the whole table is missing.
    public let missingFamilies: [String]

    public var description: String {
        let what = missingFamilies.isEmpty
            ? "table \(table) does not exist"
            : "table \(table) lacks column families \(missingFamilies.joined(separator: ", "))"
        return what + ": create it with terraform (terraform/modules/bigtable) or start the service with --create-tables"
    }
}
