internal import BigtableProto
internal import GRPCCore

extension BigtableClient {
    /// Streams complete rows to `body` as the server sends them.
    ///
    /// - Parameters:
    ///   - table: the table id.
    ///   - rows: keys, ranges or prefixes to scan (default: the whole table).
    ///   - filter: an optional server-side filter.
    ///   - limit: the most rows to return (nil: no limit).
    ///   - body: consumes the rows; the stream is cancelled if it returns early.
    /// - Returns: what `body` returns.
    /// - Throws: `BigtableError` for RPC failures or malformed chunk sequences, or what `body` throws.
    public func readRows<Result: Sendable>(
        table: String, rows: BigtableRowSet = .all, filter: BigtableRowFilter? = nil, limit: Int? = nil,
        _ body: @Sendable @escaping (BigtableRowSequence) async throws -> Result
    ) async throws -> Result {
        let tableName = configuration.tableName(table)
        var request = Google_Bigtable_V2_ReadRowsRequest()
        request.tableName = tableName
        request.appProfileID = configuration.appProfileID
        if !rows.rowKeys.isEmpty || !rows.ranges.isEmpty { request.rows = rows.proto }
        if let filter { request.filter = filter.proto }
        if let limit { request.rowsLimit = Int64(max(limit, 0)) }
        let start = ContinuousClock.now
        do {
            let result = try await data.readRows(
                request: ClientRequest(message: request, metadata: routingMetadata(tableName: tableName)),
                options: callOptions(timeout: configuration.readRowsTimeout)
            ) { response in
                try await body(BigtableRowSequence(responses: response.messages))
            }
            metrics.record(.readRows, since: start, error: nil)
            return result
        } catch let error as RPCError {
            let mapped = BigtableError.from(error, method: "ReadRows")
            metrics.record(.readRows, since: start, error: mapped)
            throw mapped
        } catch let error as BigtableError {
            metrics.record(.readRows, since: start, error: error)
            throw error
        }
    }

    /// Reads rows into an array: convenient for small reads (use the streaming form for scans).
    public func readRows(
        table: String, rows: BigtableRowSet = .all, filter: BigtableRowFilter? = nil, limit: Int? = nil
    ) async throws -> [BigtableRow] {
        try await readRows(table: table, rows: rows, filter: filter, limit: limit) { sequence in
            var collected: [BigtableRow] = []
            for try await row in sequence { collected.append(row) }
            return collected
        }
    }
}
