/// A field name with its value.
public struct SalesforceField: Sendable, Hashable {
    /// The Salesforce API name, e.g. `AnnualRevenue` (apply `SalesforceFieldName.normalized` for storage).
    public var name: String
    public var value: SalesforceValue

    public init(name: String, value: SalesforceValue) {
        self.name = name
        self.value = value
    }
}

/// One record as of some time: what `/queryAll` returns for it (every field of the object's describe, in
/// describe order, nulls included).
public struct SalesforceRecord: Sendable, Hashable {
    /// Object API name, e.g. `Account`.
    public var object: String
    /// 18-character id.
    public var id: String
    /// True once deleted (in the recycle bin): `/query` leaves it out, `/queryAll` returns it with
    /// `IsDeleted: true`.
    public var isDeleted: Bool
    /// The `SystemModstamp` field, epoch ms (the watermark field).
    public var systemModstampMs: Int64
    /// Every field in describe order, including `Id`, `IsDeleted`, `SystemModstamp`.
    public var fields: [SalesforceField]

    public init(object: String, id: String, isDeleted: Bool, systemModstampMs: Int64, fields: [SalesforceField]) {
        self.object = object
        self.id = id
        self.isDeleted = isDeleted
        self.systemModstampMs = systemModstampMs
        self.fields = fields
    }

    /// The value of a field by API name (exact spelling); nil when the object has no such field.
    public subscript(field: String) -> SalesforceValue? {
        fields.first { $0.name == field }?.value
    }
}

/// One version of a record in its history: the record right after one change.
public struct SalesforceRecordVersion: Sendable, Hashable {
    /// When the change committed (equals the version's `SystemModstamp`).
    public var commitTimestampMs: Int64
    /// `.create`, `.update`, `.delete` or `.undelete` (never a gap type: gaps are a CDC matter).
    public var changeType: ChangeKind
    /// The whole record after the change.
    public var record: SalesforceRecord

    public init(commitTimestampMs: Int64, changeType: ChangeKind, record: SalesforceRecord) {
        self.commitTimestampMs = commitTimestampMs
        self.changeType = changeType
        self.record = record
    }
}

/// What a change did to its records.
public enum ChangeKind: String, Sendable, Hashable, CaseIterable {
    case create = "CREATE"
    case update = "UPDATE"
    case delete = "DELETE"
    case undelete = "UNDELETE"
}
