/// One committed Salesforce transaction: one or more changes sharing a commit time, user and transaction key.
public struct SalesforceCommit: Sendable, Hashable {
    /// Position in the org's timeline (0-based, commit order).
    public var index: Int
    /// Commit time, epoch ms; every record it touches gets this `SystemModstamp`. Strictly increasing.
    public var timestampMs: Int64
    /// System change number (increasing; diagnostic only).
    public var commitNumber: Int64
    /// `0002343d-9d90-e395-ed20-cf416ba652ad` style.
    public var transactionKey: String
    /// Id of the User who committed it (the changed records' `LastModifiedById`).
    public var userId: String
    /// `com/salesforce/api/rest/62.0;client=…` for API changes, empty for UI changes.
    public var changeOrigin: String
    /// The changes, in sequence order (sequence number = position + 1).
    public var changes: [SalesforceChange]
    /// Its change events are replaced by a `GAP_*` header-only event (single-change commits only).
    public var isGap: Bool
    /// When set, only the first this-many changes get change events; the rest are announced by one
    /// `GAP_OVERFLOW` per object (Salesforce does this above 100,000 changes in a transaction; the model scales
    /// the threshold down).
    public var overflowAfter: Int?

    public init(index: Int, timestampMs: Int64, commitNumber: Int64, transactionKey: String, userId: String,
                changeOrigin: String, changes: [SalesforceChange], isGap: Bool, overflowAfter: Int?) {
        self.index = index
        self.timestampMs = timestampMs
        self.commitNumber = commitNumber
        self.transactionKey = transactionKey
        self.userId = userId
        self.changeOrigin = changeOrigin
        self.changes = changes
        self.isGap = isGap
        self.overflowAfter = overflowAfter
    }
}

/// One change in a commit: the same field writes applied to one or more records of one object.
///
/// More than one id is a mass change (same fields, same values, same transaction, same second), which CDC
/// delivers as one event with several `recordIds`.
public struct SalesforceChange: Sendable, Hashable {
    public var object: String
    public var kind: ChangeKind
    public var recordIds: [String]
    /// What the change wrote, in describe order:
    /// - create / undelete: every field of the record (nulls included);
    /// - update: only the fields whose value changed, plus `LastModifiedDate`, `LastModifiedById`,
    ///   `SystemModstamp`;
    /// - delete: `IsDeleted` = true and `SystemModstamp` = the commit time.
    public var writes: [SalesforceField]

    public init(object: String, kind: ChangeKind, recordIds: [String], writes: [SalesforceField]) {
        self.object = object
        self.kind = kind
        self.recordIds = recordIds
        self.writes = writes
    }
}
