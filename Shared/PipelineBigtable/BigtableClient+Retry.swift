internal import Logging

extension BigtableClient {
    /// Writes `entries`, retrying only the entries that failed with a retriable status, with
    /// exponential backoff and jitter (``BigtableConfiguration/retryPolicy``).
    ///
    /// Entries with a non-retriable status (e.g. NOT_FOUND for an unknown family) fail at once;
    /// retriable ones are retried until they succeed, ``BigtableRetryPolicy/maxAttempts`` is
    /// reached, or the next attempt would start after ``BigtableRetryPolicy/totalTimeout``.
    /// Those still failing then are reported too. Safe because every SetCell has an explicit
    /// timestamp: re-applying an entry rewrites the same cell versions.
    ///
    /// - Returns: the permanently failed entries (for the caller to dead-letter) and attempts.
    /// - Throws: `.invalidArgument` for malformed entries; `.retriesExhausted` (retriable) when
    ///   the final attempt failed as a whole RPC, i.e. Bigtable was unreachable rather than
    ///   rejecting entries: the caller should pause and try the batch again, not dead-letter it.
    public func mutateRowsRetrying(
        table: String, entries: [BigtableMutationEntry]
    ) async throws -> BigtableMutateRowsResult {
        let policy = configuration.retryPolicy
        let deadline = ContinuousClock.now + policy.totalTimeout
        var pending = Array(entries.indices)
        var failed: [BigtableFailedEntry] = []
        var attempt = 0
        while true {
            attempt += 1
            let (statuses, rpcError) = try await mutateRowsAttempt(table: table, entries: pending.map { entries[$0] })
            var retry: [(index: Int, status: BigtableStatus)] = []
            for (index, status) in zip(pending, statuses) where !status.isOK {
                if status.isRetriable {
                    retry.append((index, status))
                } else {
                    failed.append(BigtableFailedEntry(index: index, entry: entries[index], status: status))
                }
            }
            if retry.isEmpty { break }

            let delay = policy.backoff(beforeRetry: attempt, unitRandom: Double.random(in: 0..<1))
            if attempt >= policy.maxAttempts || ContinuousClock.now + delay > deadline {
                if let rpcError, rpcError.isRetriable {
                    throw BigtableError(
                        .retriesExhausted, status: rpcError.status,
                        message: "MutateRows kept failing for \(attempt) attempts")
                }
                failed += retry.map { BigtableFailedEntry(index: $0.index, entry: entries[$0.index], status: $0.status) }
                break
            }
            logger.debug(
                "retrying failed MutateRows entries",
                metadata: [
                    "bigtable.table": "\(table)", "bigtable.attempt": "\(attempt)",
                    "bigtable.retry_entries": "\(retry.count)", "bigtable.status": "\(retry[0].status.code.name)",
                    "bigtable.backoff_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                ])
            metrics.recordRetried(entries: retry.count)
            try await Task.sleep(for: delay)
            pending = retry.map(\.index)
        }
        if !failed.isEmpty {
            failed.sort { $0.index < $1.index }
            metrics.recordFailed(entries: failed.count)
            logger.info(
                "MutateRows entries failed permanently",
                metadata: [
                    "bigtable.table": "\(table)", "bigtable.failed_entries": "\(failed.count)",
                    "bigtable.status": "\(failed[0].status.code.name)",
                ])
        }
        return BigtableMutateRowsResult(failedEntries: failed, attempts: attempt)
    }
}
