public import struct Foundation.Data
public import PipelineBigtable
public import PipelineMessages
import SalesforceRecords

/// `salesforce_records`: one row per Salesforce record, its versions being the record's history.
///
/// Row key `{object}#{id}` (``SalesforceRecordKey``). Every cell a change writes has the change's source time as
/// its timestamp (`source_timestamp_ms`: SystemModstamp for batch extracts, the commit time for CDC), so:
/// - the newest cell of a column is the record's current value, whatever order changes arrive in — a batch row
///   read before a CDC change, but delivered after it, cannot overwrite it;
/// - writing a change again (redelivery, replay, a re-read) rewrites the same cells: idempotent.
///
/// Family `fields`: one column per snake_case field. A null is a cell holding ``nullMarker`` (a single NUL byte,
/// which no field value can contain), not a deletion, so the history keeps it. A *full* record (batch extract, CDC
/// CREATE) also writes `meta:full_record`: columns whose newest cell is older than the newest full record were not
/// in it and read as null (``SalesforceRecordRow``), without the writer having to read the row first.
///
/// Family `meta`, written at the same timestamp so the newest version describes the newest change: `deleted`
/// (`true`/`false`), `change_type` (CREATE, UPDATE, DELETE, UNDELETE for CDC; UPSERT or DELETE for batch),
/// `source` (`batch`/`cdc`), `commit_time_ms` (the source time), and for CDC `commit_number`, `commit_user`,
/// `transaction_key`, `sequence_number`, for batch `request_id` when a re-read request caused it.
///
/// Garbage collection keeps the newest 100 versions of every column, and of older history only what is younger
/// than two years; the newest version is never collected, however old (an unchanged record keeps its values).
public enum SalesforceRecordsTable {
    public static let name = "salesforce_records"
    public static let fields = "fields"
    public static let meta = "meta"

    /// The value of a null field's cell.
    public static let nullMarker = Data([0])

    static let history: BigtableGCRule = .union([
        .maxVersions(100), .intersection([.maxAge(.seconds(730 * 86_400)), .maxVersions(1)]),
    ])
    public static let families: [String: BigtableGCRule] = [fields: history, meta: history]

    public static func rowKey(object: String, id: String) -> String {
        SalesforceRecordKey(object: object, id: id).description
    }

    /// Why a record change cannot become a row (a dead letter's reason and detail).
    public struct Rejection: Error, Hashable, Sendable {
        public var reason: String
        public var detail: String
    }

    /// The latest source time a cell may carry: 9999-12-31, so the microsecond timestamp cannot overflow.
    static let latestTimestampMs: Int64 = 253_402_300_799_999

    /// The mutations that store one record change.
    /// - Throws: ``Rejection`` for a change no row should hold (bad object or id, no time, no operation).
    public static func entry(for change: RecordChange) throws(Rejection) -> BigtableMutationEntry {
        guard SalesforceAPIName.isObjectName(change.object), SalesforceRecordID.canonical(change.id) != nil else {
            throw Rejection(reason: "invalid_record_key", detail: "object or id is not a Salesforce name/id")
        }
        guard change.sourceTimestampMs > 0, change.sourceTimestampMs <= latestTimestampMs else {
            throw Rejection(reason: "invalid_timestamp", detail: "source timestamp \(change.sourceTimestampMs) is out of range")
        }
        guard change.operation != .unspecified else {
            throw Rejection(reason: "unknown_operation", detail: "operation is UNSPECIFIED")
        }
        let time = change.sourceTimestampMs
        var mutations: [BigtableMutation] = []
        mutations.reserveCapacity(change.fields.count + 10)
        for field in change.fields {
            guard !field.name.isEmpty else {
                throw Rejection(reason: "invalid_field_name", detail: "a field without a name")
            }
            let value = field.value.map { Data($0.utf8) } ?? nullMarker
            mutations.append(.setCell(family: fields, qualifier: field.name, timestampMillis: time, value: value))
        }
        func put(_ column: String, _ value: String) {
            mutations.append(.setCell(family: meta, qualifier: column, timestampMillis: time, value: value))
        }
        put("deleted", change.operation == .delete ? "true" : "false")
        put("change_type", changeTypeLabel(change))
        put("source", change.source == .cdc ? "cdc" : "batch")
        put("commit_time_ms", String(time))
        if change.fullRecord { put("full_record", "true") }
        if change.source == .cdc {
            put("commit_number", String(change.commitNumber))
            put("commit_user", change.commitUser)
            put("transaction_key", change.transactionKey)
            put("sequence_number", String(change.sequenceNumber))
        }
        if !change.requestID.isEmpty { put("request_id", change.requestID) }
        return BigtableMutationEntry(rowKey: rowKey(object: change.object, id: change.id), mutations: mutations)
    }

    /// `meta:change_type`: the CDC change type, or UPSERT/DELETE for a batch row.
    static func changeTypeLabel(_ change: RecordChange) -> String {
        switch change.changeType {
        case .create: "CREATE"
        case .update: "UPDATE"
        case .delete: "DELETE"
        case .undelete: "UNDELETE"
        case .unspecified, .gapCreate, .gapUpdate, .gapDelete, .gapUndelete, .gapOverflow:
            change.operation == .delete ? "DELETE" : "UPSERT"
        }
    }
}
