internal import BigtableProto
internal import GRPCCore
internal import Logging

extension BigtableClient {
    /// Creates `table` with `families` unless it exists; adds any family an existing table lacks.
    ///
    /// Idempotent, so every service can call it at start-up: ALREADY_EXISTS is success.
    /// Existing families keep their GC rules (terraform owns production schemas); a differing
    /// rule is only logged.
    ///
    /// - Parameters:
    ///   - table: the table id.
    ///   - families: column family name → garbage-collection rule.
    /// - Throws: `BigtableError` when an admin RPC fails for another reason.
    public func createTableIfMissing(_ table: String, families: [String: BigtableGCRule]) async throws {
        var request = Google_Bigtable_Admin_V2_CreateTableRequest()
        request.parent = configuration.instanceName
        request.tableID = table
        request.table.columnFamilies = families.mapValues { rule in
            var family = Google_Bigtable_Admin_V2_ColumnFamily()
            family.gcRule = rule.proto
            return family
        }
        do {
            _ = try await adminCall(.createTable) {
                try await self.admin.createTable(request, options: self.adminOptions)
            }
            logger.info("created Bigtable table", metadata: ["bigtable.table": "\(table)"])
            return
        } catch {
            // ALREADY_EXISTS falls through: make sure every family exists.
            guard error.status?.code == .alreadyExists else { throw error }
        }
        let existing = try await columnFamilies(table)
        let missing = families.filter { existing[$0.key] == nil }
        for (name, rule) in families where existing[name].map({ $0 != rule }) ?? false {
            logger.info(
                "existing Bigtable family has a different GC rule; leaving it",
                metadata: ["bigtable.table": "\(table)", "bigtable.family": "\(name)"])
        }
        guard !missing.isEmpty else { return }
        var modify = Google_Bigtable_Admin_V2_ModifyColumnFamiliesRequest()
        modify.name = configuration.tableName(table)
        modify.modifications = missing.keys.sorted().map { name in
            var modification = Google_Bigtable_Admin_V2_ModifyColumnFamiliesRequest.Modification()
            modification.id = name
            var family = Google_Bigtable_Admin_V2_ColumnFamily()
            family.gcRule = missing[name]!.proto
            modification.create = family
            return modification
        }
        _ = try await adminCall(.modifyColumnFamilies) {
            try await self.admin.modifyColumnFamilies(modify, options: self.adminOptions)
        }
        logger.info(
            "added column families to Bigtable table",
            metadata: ["bigtable.table": "\(table)", "bigtable.families": "\(missing.keys.sorted())"])
    }

    /// The column families of `table` and their GC rules.
    ///
    /// - Throws: `BigtableError` with status NOT_FOUND when the table does not exist.
    public func columnFamilies(_ table: String) async throws -> [String: BigtableGCRule] {
        var request = Google_Bigtable_Admin_V2_GetTableRequest()
        request.name = configuration.tableName(table)
        request.view = .schemaView
        let answer = try await adminCall(.getTable) {
            try await self.admin.getTable(request, options: self.adminOptions)
        }
        return answer.columnFamilies.mapValues { BigtableGCRule($0.gcRule) }
    }

    /// The ids of every table in the instance, sorted.
    public func listTables() async throws -> [String] {
        var names: [String] = []
        var request = Google_Bigtable_Admin_V2_ListTablesRequest()
        request.parent = configuration.instanceName
        request.view = .nameOnly
        repeat {
            let page = try await adminCall(.listTables) {
                try await self.admin.listTables(request, options: self.adminOptions)
            }
            names += page.tables.map { String($0.name.split(separator: "/").last ?? "") }
            request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        return names.sorted()
    }

    /// Deletes `table` and all its data. A table that does not exist counts as deleted.
    public func deleteTable(_ table: String) async throws {
        var request = Google_Bigtable_Admin_V2_DeleteTableRequest()
        request.name = configuration.tableName(table)
        do {
            _ = try await adminCall(.deleteTable) {
                try await self.admin.deleteTable(request, options: self.adminOptions)
            }
        } catch {
            guard error.status?.code == .notFound else { throw error }
        }
    }

    // MARK: - Helpers

    private var adminOptions: CallOptions { callOptions(timeout: configuration.adminTimeout) }

    /// Runs one admin RPC, mapping its error and recording its metrics.
    private func adminCall<Answer: Sendable>(
        _ method: BigtableMetrics.Method, _ call: () async throws -> Answer
    ) async throws(BigtableError) -> Answer {
        let start = ContinuousClock.now
        do {
            let answer = try await call()
            metrics.record(method, since: start, error: nil)
            return answer
        } catch {
            let mapped = BigtableError.from(error, method: method.rawValue)
            metrics.record(method, since: start, error: mapped)
            throw mapped
        }
    }
}
