public import PipelineMessages
public import SalesforceRecords

/// A reference consumer of the model's CDC stream: applies change events to records kept as text, remembers
/// what gap and overflow events say must be re-read, and re-reads it from an org state.
///
/// It states the contract the cdc-router and the writer implement (and the tests check): starting from
/// `SalesforceReplica(state: org.state(asOf: from))`, applying `org.changeEvents(after: from, through: to)` and
/// then `resync(from: org.state(asOf: to))` gives exactly `SalesforceReplica(state: org.state(asOf: to))`.
public struct SalesforceReplica: Sendable, Equatable {
    /// One record: deleted flag and field texts by API name (nil = null).
    public struct Row: Sendable, Hashable {
        public var isDeleted: Bool
        public var fields: [String: String?]

        public init(isDeleted: Bool, fields: [String: String?]) {
            self.isDeleted = isDeleted
            self.fields = fields
        }
    }

    public private(set) var rows: [SalesforceRecordKey: Row] = [:]
    /// Records named by `GAP_*` events, to re-read by id.
    public private(set) var gappedRecords: Set<SalesforceRecordKey> = []
    /// Objects named by `GAP_OVERFLOW` events, with the earliest commit time to re-read from (inclusive).
    public private(set) var overflowedObjects: [String: Int64] = [:]

    /// An empty replica.
    public init() {}

    /// A replica holding every record of a state (what a full `/queryAll` extraction stores).
    public init(state: SalesforceOrgState) {
        for record in state.allRecords { store(record) }
    }

    /// Applies one change event; gap events only note what to re-read.
    public mutating func apply(_ event: ChangeEvent) {
        let entity = event.entityName
        switch event.changeType {
        case .create, .undelete:
            for id in event.recordIDs {
                rows[SalesforceRecordKey(object: entity, id: id)] = Row(isDeleted: false, fields: Self.texts(event.fields))
            }
        case .update:
            for id in event.recordIDs {
                let key = SalesforceRecordKey(object: entity, id: id)
                var row = rows[key] ?? Row(isDeleted: false, fields: [:])
                for field in event.fields { row.fields[field.name] = .some(field.value) }
                rows[key] = row
            }
        case .delete:
            for id in event.recordIDs {
                let key = SalesforceRecordKey(object: entity, id: id)
                var row = rows[key] ?? Row(isDeleted: true, fields: [:])
                row.isDeleted = true
                row.fields["IsDeleted"] = .some("true")
                row.fields["SystemModstamp"] = .some(SalesforceTime.restDateTime(event.commitTimestampMs))
                rows[key] = row
            }
        case .gapCreate, .gapUpdate, .gapDelete, .gapUndelete:
            for id in event.recordIDs { gappedRecords.insert(SalesforceRecordKey(object: entity, id: id)) }
        case .gapOverflow:
            overflowedObjects[entity] = min(overflowedObjects[entity] ?? .max, event.commitTimestampMs)
        case .unspecified:
            break
        }
    }

    /// Re-reads the gapped records by id and the overflowed objects' records with `SystemModstamp` ≥ the
    /// overflow's commit time from `state` (as the extractor would from the simulator), then forgets them.
    public mutating func resync(from state: SalesforceOrgState) {
        for key in gappedRecords {
            if let record = state.record(object: key.object, id: key.id) { store(record) }
        }
        for (object, since) in overflowedObjects {
            for record in state.records[object] ?? [] where record.systemModstampMs >= since { store(record) }
        }
        gappedRecords = []
        overflowedObjects = [:]
    }

    private mutating func store(_ record: SalesforceRecord) {
        var fields: [String: String?] = [:]
        for field in record.fields { fields[field.name] = .some(field.value.text) }
        rows[SalesforceRecordKey(object: record.object, id: record.id)] = Row(isDeleted: record.isDeleted, fields: fields)
    }

    private static func texts(_ fields: [FieldValue]) -> [String: String?] {
        var texts: [String: String?] = [:]
        for field in fields { texts[field.name] = .some(field.value) }
        return texts
    }
}
