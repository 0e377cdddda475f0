extension BigtableClient {
    /// The MutateRows request body for `entries` as this client sends it (see ``MutateRowsWireRequest``): for
    /// benchmarks and tests.
    public static func mutateRowsRequestBytes(
        tableName: String, appProfileID: String = "", entries: ArraySlice<BigtableMutationEntry>
    ) -> [UInt8] {
        MutateRowsWireRequest(tableName: tableName, appProfileID: appProfileID, entries: entries).bytes
    }
}
