/// The org's records at one moment, mutable: the timeline builder simulates with it and
/// ``SalesforceOrg/state(asOf:)`` replays commits into it.
struct OrgState: Sendable {
    struct Table: Sendable {
        let spec: ObjectSpec
        let fieldIndex: [String: Int]
        let idField: Int, deletedField: Int, modstampField: Int
        /// Values per record, aligned with `spec.fields`; records in creation order.
        var values: [[SalesforceValue]] = []
        var ids: [String] = []
        var deleted: [Bool] = []
        var modstamps: [Int64] = []
        var row: [String: Int] = [:]

        init(spec: ObjectSpec) {
            self.spec = spec
            var index: [String: Int] = [:]
            for (i, field) in spec.fields.enumerated() { index[field.name] = i }
            fieldIndex = index
            idField = index["Id"]!
            deletedField = index["IsDeleted"]!
            modstampField = index["SystemModstamp"]!
        }

        var count: Int { ids.count }

        func value(_ row: Int, _ field: String) -> SalesforceValue { values[row][fieldIndex[field]!] }

        func record(_ row: Int) -> SalesforceRecord {
            SalesforceRecord(
                object: spec.name, id: ids[row], isDeleted: deleted[row], systemModstampMs: modstamps[row],
                fields: zip(spec.fields, values[row]).map { SalesforceField(name: $0.name, value: $1) })
        }
    }

    var tables: [Table]
    var tableIndex: [String: Int]

    init(specs: [ObjectSpec]) {
        tables = specs.map(Table.init(spec:))
        var index: [String: Int] = [:]
        for (i, spec) in specs.enumerated() { index[spec.name] = i }
        tableIndex = index
    }

    /// Applies every change of a commit; returns the (object table, row) pairs it touched.
    @discardableResult
    mutating func apply(_ commit: SalesforceCommit) -> [(table: Int, row: Int, kind: ChangeKind)] {
        var touched: [(table: Int, row: Int, kind: ChangeKind)] = []
        for change in commit.changes {
            let t = tableIndex[change.object]!
            for id in change.recordIds {
                let row = apply(change, id: id, table: t)
                touched.append((t, row, change.kind))
            }
        }
        return touched
    }

    private mutating func apply(_ change: SalesforceChange, id: String, table t: Int) -> Int {
        if change.kind == .create {
            var values = [SalesforceValue](repeating: .null, count: tables[t].spec.fields.count)
            for write in change.writes { values[tables[t].fieldIndex[write.name]!] = write.value }
            let row = tables[t].count
            tables[t].values.append(values)
            tables[t].ids.append(id)
            tables[t].deleted.append(false)
            tables[t].modstamps.append(Self.ms(values[tables[t].modstampField]))
            tables[t].row[id] = row
            return row
        }
        let row = tables[t].row[id]!
        for write in change.writes { tables[t].values[row][tables[t].fieldIndex[write.name]!] = write.value }
        tables[t].deleted[row] = tables[t].values[row][tables[t].deletedField] == .boolean(true)
        tables[t].modstamps[row] = Self.ms(tables[t].values[row][tables[t].modstampField])
        return row
    }

    static func ms(_ value: SalesforceValue) -> Int64 {
        if case .dateTime(let ms) = value { return ms }
        return 0
    }
}
