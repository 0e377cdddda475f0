import Logging
import PipelineBigtable
import PipelineRuntime
import PipelineTables

/// The aggregator's reads and writes of `events_aggregate`, riding out Bigtable outages.
///
/// A retriable failure (Bigtable unreachable, retries exhausted) is retried every `outageRetryInterval` until it
/// succeeds or the service shuts down; meanwhile the batch is not marked done and nothing new is fetched, so an
/// outage delays and never loses. An outage longer than `max.poll.interval.ms` makes the instance leave its group;
/// the new owners reload from Bigtable and redo exactly what was not checkpointed. A permanent failure throws.
struct AggregateStore: Sendable {
    let bigtable: BigtableClient
    let table: String
    let rowsPerWrite: Int
    let maxInFlightWrites: Int
    let outageRetryInterval: Duration
    let health: HealthState
    let logger: Logger

    /// A partition's checkpoint, `nil` when it has none.
    func checkpoint(topic: String, partition: Int32) async throws -> (offset: Int64, maxEventTimeMs: Int64)? {
        let key = EventsAggregateTable.checkpointRowKey(topic: topic, partition: partition)
        let rows = try await retrying("read checkpoint") {
            try await bigtable.readRows(table: table, rows: .keys([key]), filter: .latestOnly)
        }
        return rows.first.flatMap(EventsAggregateTable.checkpoint(from:))
    }

    /// The stats cells of `partition` in these rows (rows without any are absent from the result).
    func rows(_ keys: [String], partition: Int32) async throws -> [String: BigtableRow] {
        var found: [String: BigtableRow] = [:]
        let filter = BigtableRowFilter.chain([
            .familyNameRegex("^(hourly|daily|weekly)_stats$"),
            .columnQualifierRegex(EventsAggregateTable.partitionQualifierRegex(partition)),
            .latestOnly,
        ])
        var start = 0
        while start < keys.count {
            let chunk = Array(keys[start..<min(keys.count, start + 1_000)])
            start += chunk.count
            let rows = try await retrying("read rows") {
                try await bigtable.readRows(table: table, rows: .keys(chunk), filter: filter)
            }
            for row in rows { found[String(decoding: row.key, as: UTF8.self)] = row }
        }
        return found
    }

    /// Writes `entries` (chunked, at most `maxInFlightWrites` requests at once) and returns once all are durable.
    func write(_ entries: [BigtableMutationEntry]) async throws {
        guard !entries.isEmpty else { return }
        var chunks: [[BigtableMutationEntry]] = []
        var start = 0
        while start < entries.count {
            chunks.append(Array(entries[start..<min(entries.count, start + rowsPerWrite)]))
            start += rowsPerWrite
        }
        var next = 0
        while next < chunks.count {
            let wave = chunks[next..<min(chunks.count, next + maxInFlightWrites)]
            next += wave.count
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chunk in wave {
                    group.addTask { try await writeChunk(chunk) }
                }
                try await group.waitForAll()
            }
        }
    }

    private func writeChunk(_ chunk: [BigtableMutationEntry]) async throws {
        let result = try await retrying("write cells") {
            let result = try await bigtable.mutateRowsRetrying(table: table, entries: chunk)
            // The emulator and Bigtable report a missing table or family per entry: the environment's fault, waited
            // out like an outage rather than taken for a bad cell.
            if let refused = result.failedEntries.first(where: { $0.status.code.isEnvironmentFault }) {
                throw BigtableError(.rpcFailed, status: refused.status, message: "Bigtable refused the aggregate rows")
            }
            return result
        }
        if let failure = result.failedEntries.first {
            // An aggregate cell cannot be dead-lettered: a permanent rejection is a bug or a schema problem.
            throw BigtableError(
                .invalidArgument,
                message: "Bigtable rejected \(result.failedEntries.count) aggregate rows, first \(failure.status)")
        }
    }

    private func retrying<R: Sendable>(_ what: String, _ body: () async throws -> R) async throws -> R {
        var failing = false
        while true {
            do {
                let result = try await body()
                if failing {
                    health.markHealthy("bigtable")
                    logger.notice("bigtable answers again", metadata: ["aggregator.operation": "\(what)"])
                }
                return result
            } catch let error as BigtableError where error.isRetriable || error.isEnvironmentFault {
                if !failing {
                    failing = true
                    health.markUnhealthy("bigtable", reason: "Bigtable is failing; aggregation waits")
                    if error.isEnvironmentFault {
                        // A dropped table or a revoked role: waited out like an outage, but someone must act.
                        logger.error(
                            "bigtable refuses the aggregator for a reason no record causes; retrying until it is fixed",
                            metadata: ["aggregator.operation": "\(what)", "error": "\(error)"])
                    } else {
                        logger.warning(
                            "bigtable unavailable; retrying",
                            metadata: ["aggregator.operation": "\(what)", "error": "\(error)"])
                    }
                }
                try await Task.sleep(for: outageRetryInterval)
                if Task.isCancelled { throw CancellationError() }
            }
        }
    }
}
