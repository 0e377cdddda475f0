internal import BigtableProto
internal import GRPCCore
internal import GRPCProtobuf

extension BigtableClient {
    /// Sends `entries` once (split into requests of at most
    /// ``BigtableConfiguration/maxMutationsPerRequest`` mutations) and reports each entry's status.
    ///
    /// An RPC that fails as a whole gives its status to every entry it carried (entries are
    /// idempotent, so re-sending ones that did apply is harmless), so the result always has
    /// one status per entry. No retries here:
    /// see ``mutateRowsRetrying(table:entries:)``.
    ///
    /// - Parameters:
    ///   - table: the table id (not the full name).
    ///   - entries: one entry per row; each is atomic, their order of application is not.
    /// - Returns: `entries.count` statuses, in entry order.
    /// - Throws: `.invalidArgument` for entries Bigtable would reject (empty key, no mutation,
    ///   server-assigned or sub-millisecond timestamps).
    public func mutateRows(table: String, entries: [BigtableMutationEntry]) async throws -> [BigtableStatus] {
        try await mutateRowsAttempt(table: table, entries: entries).statuses
    }

    /// One pass over `entries`: per-entry statuses, plus the last RPC-level failure if any.
    func mutateRowsAttempt(
        table: String, entries: [BigtableMutationEntry]
    ) async throws(BigtableError) -> (statuses: [BigtableStatus], rpcError: BigtableError?) {
        for entry in entries { try entry.validate() }
        var statuses = [BigtableStatus](repeating: .ok, count: entries.count)
        var rpcError: BigtableError?
        for batch in Self.batches(entries, maxMutations: configuration.maxMutationsPerRequest) {
            do {
                let reported = try await sendMutateRows(table: table, entries: entries[batch])
                for (offset, status) in reported.enumerated() { statuses[batch.lowerBound + offset] = status }
            } catch {
                rpcError = error
                for index in batch { statuses[index] = error.status ?? BigtableStatus(code: .unknown) }
            }
        }
        return (statuses, rpcError)
    }

    /// Splits entry indices into consecutive runs whose mutation counts stay within the cap
    /// (an entry bigger than the cap travels alone; the server then judges it).
    static func batches(_ entries: [BigtableMutationEntry], maxMutations: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        var count = 0
        for (index, entry) in entries.enumerated() {
            if index > start && count + entry.mutations.count > maxMutations {
                result.append(start..<index)
                start = index
                count = 0
            }
            count += entry.mutations.count
        }
        if start < entries.count { result.append(start..<entries.count) }
        return result
    }

    /// One MutateRows RPC; statuses in the order of `entries`.
    private func sendMutateRows(
        table: String, entries: ArraySlice<BigtableMutationEntry>
    ) async throws(BigtableError) -> [BigtableStatus] {
        let tableName = configuration.tableName(table)
        // Encoded straight to wire bytes by MutateRowsWireSerializer, not built as SwiftProtobuf messages.
        let request = MutateRowsWireRequest(
            tableName: tableName, appProfileID: configuration.appProfileID, entries: entries)
        let count = entries.count
        let start = ContinuousClock.now
        do {
            let statuses = try await dataClient.serverStreaming(
                request: ClientRequest(message: request, metadata: routingMetadata(tableName: tableName)),
                descriptor: Google_Bigtable_V2_Bigtable.Method.MutateRows.descriptor,
                serializer: MutateRowsWireSerializer(),
                deserializer: ProtobufDeserializer<Google_Bigtable_V2_MutateRowsResponse>(),
                options: callOptions(timeout: configuration.requestTimeout)
            ) { response in
                // Entries the server never mentions keep this retriable status.
                var statuses = [BigtableStatus](
                    repeating: BigtableStatus(code: .aborted, message: "no status returned for this entry"),
                    count: count)
                for try await message in response.messages {
                    for entry in message.entries {
                        guard entry.index >= 0, entry.index < count else {
                            throw BigtableError(
                                .invalidMutateRowsResponse, message: "MutateRows reported an entry index out of range")
                        }
                        statuses[Int(entry.index)] = BigtableStatus(
                            code: BigtableStatusCode(wireValue: entry.status.code), message: entry.status.message)
                    }
                }
                return statuses
            }
            metrics.record(.mutateRows, since: start, error: nil)
            return statuses
        } catch {
            let mapped = BigtableError.from(error, method: "MutateRows")
            metrics.record(.mutateRows, since: start, error: mapped)
            throw mapped
        }
    }
}
