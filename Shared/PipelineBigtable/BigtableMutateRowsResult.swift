/// An entry MutateRows gave up on, with the status that made it give up.
public struct BigtableFailedEntry: Sendable, Hashable {
    /// The entry's index in the caller's array.
    public var index: Int
    /// The entry itself, so the caller can dead-letter it without keeping the batch around.
    public var entry: BigtableMutationEntry
    /// The last status the server (or transport) gave it.
    public var status: BigtableStatus

    /// Creates a failed-entry report.
    public init(index: Int, entry: BigtableMutationEntry, status: BigtableStatus) {
        self.index = index
        self.entry = entry
        self.status = status
    }
}

/// The outcome of ``BigtableClient/mutateRowsRetrying(table:entries:)``.
public struct BigtableMutateRowsResult: Sendable, Hashable {
    /// Entries that failed permanently (non-retriable status, or still failing at the
    /// deadline), in index order. Every other entry was applied.
    public var failedEntries: [BigtableFailedEntry]
    /// How many MutateRows passes were made (1 = no retry).
    public var attempts: Int

    /// Creates a result.
    public init(failedEntries: [BigtableFailedEntry], attempts: Int) {
        self.failedEntries = failedEntries
        self.attempts = attempts
    }

    /// Whether every entry was applied.
    public var allSucceeded: Bool { failedEntries.isEmpty }
}
