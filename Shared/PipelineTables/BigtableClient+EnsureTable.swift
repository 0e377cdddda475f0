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
        try await Self.atStart("table creation", attempts: attempts, logger: logger, retrying: { _ in true }) {
            try await createTableIfMissing(name, families: families)
        }
        logger.info("bigtable table ready", metadata: ["bigtable.table": "\(name)"])
    }

    /// Checks at a service's start that a table it writes exists with every family it needs, so a missing table is
    /// a clear start-up error naming the table and the fix, not a stream of rejected writes. Retries while Bigtable
    /// is not answering (up to `attempts` seconds, and not past a graceful shutdown).
    /// - Throws: ``BigtableTableMissing`` when the table or a family is missing; the last error otherwise.
    public func verifyTable(
        _ name: String, families: [String: BigtableGCRule], logger: Logger, attempts: Int = 30
    ) async throws {
        let present: [String: BigtableGCRule]
        do {
            present = try await Self.atStart(
                "the table check", attempts: attempts, logger: logger,
                retrying: { ($0 as? BigtableError).map { $0.isRetriable && !$0.isEnvironmentFault } ?? false }
            ) {
                try await columnFamilies(name)
            }
        } catch let error as BigtableError where error.status?.code == .notFound {
            throw BigtableTableMissing(table: configuration.tableName(name), missingFamilies: [])
        }
        let missing = families.keys.filter { present[$0] == nil }.sorted()
        guard missing.isEmpty else {
            throw BigtableTableMissing(table: configuration.tableName(name), missingFamilies: missing)
        }
        logger.info("bigtable table present", metadata: ["bigtable.table": "\(name)"])
    }

    /// Runs a start-up step, again once a second while `retrying` says its error may pass, at most `attempts`
    /// times and never past a graceful shutdown.
    private static func atStart<Result>(
        _ what: String, attempts: Int, logger: Logger, retrying: (any Error) -> Bool,
        _ body: () async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch {
                attempt += 1
                guard retrying(error), attempt < attempts, !Task.isShuttingDownGracefully else { throw error }
                logger.info("bigtable not answering yet; retrying \(what)", metadata: ["error": "\(error)"])
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
