public import PipelineMessages
import SalesforceRecords

/// A change event that passed ``ChangeEventValidator``: its ids canonical, its fields snake_case.
public struct CheckedChangeEvent: Sendable, Hashable {
    public var event: ChangeEvent
    /// The 18-character ids, each once, in the event's order (empty for `GAP_OVERFLOW`).
    public var recordIDs: [String]
    /// Key prefixes of wildcard ids (`001*`): the change hit every record of the object.
    public var wildcardPrefixes: [String]
    /// The body's values under their snake_case names, `nulledFields` included as nulls, diff fields left out.
    public var fields: [FieldValue]
    /// The body held diff values (long text in the Pub/Sub API), which cannot be applied: the records must be
    /// re-read for those fields.
    public var hasDiffFields: Bool
}

/// Checks a decoded ``ChangeEvent`` against what Salesforce can send, before anything of it reaches a row key, a
/// column name or a SOQL query.
///
/// - the change type is known (not `UNSPECIFIED`);
/// - the entity name is API-name shaped, and among `allowedObjects` when that is set;
/// - every record id is a 15- or 18-character id or a wildcard, and only `GAP_OVERFLOW` may have none;
/// - the commit timestamp is after 1970 and before 10000, and the transaction key is present (it identifies
///   duplicates);
/// - only CREATE, UPDATE and UNDELETE carry field values, every field name is API-name shaped, and no two fields
///   share a snake_case name.
public struct ChangeEventValidator: Sendable {
    /// When set, events for other objects are rejected (`unknown_object`).
    public var allowedObjects: Set<String>?

    public init(allowedObjects: Set<String>? = nil) {
        self.allowedObjects = allowedObjects
    }

    /// The latest commit time accepted: 9999-12-31T23:59:59.999Z, so `× 1000` (Bigtable micros) cannot overflow.
    static let latestTimestampMs: Int64 = 253_402_300_799_999

    public func check(_ event: ChangeEvent) throws(CDCRejection) -> CheckedChangeEvent {
        guard event.changeType != .unspecified else {
            throw CDCRejection("unknown_change_type", "change type is UNSPECIFIED")
        }
        guard SalesforceAPIName.isObjectName(event.entityName) else {
            throw CDCRejection("invalid_entity_name", "entity name is not a Salesforce API name (\(event.entityName.utf8.count) bytes)")
        }
        if let allowedObjects, !allowedObjects.contains(event.entityName) {
            throw CDCRejection("unknown_object", "object \(event.entityName) is not among the configured objects")
        }
        guard event.commitTimestampMs > 0, event.commitTimestampMs <= Self.latestTimestampMs else {
            throw CDCRejection("invalid_commit_timestamp", "commit timestamp \(event.commitTimestampMs) is out of range")
        }
        guard !event.transactionKey.isEmpty else {
            throw CDCRejection("missing_transaction_key", "no transaction key")
        }

        var ids: [String] = []
        var seen = Set<String>()
        var wildcards: [String] = []
        for (index, raw) in event.recordIDs.enumerated() {
            if let id = SalesforceRecordID.canonical(raw) {
                if seen.insert(id).inserted { ids.append(id) }
            } else if let prefix = SalesforceRecordID.wildcardPrefix(raw) {
                if !wildcards.contains(prefix) { wildcards.append(prefix) }
            } else {
                throw CDCRejection("invalid_record_id", "record id #\(index) is not a 15/18-character id or a wildcard")
            }
        }
        if event.changeType != .gapOverflow, ids.isEmpty, wildcards.isEmpty {
            throw CDCRejection("missing_record_ids", "a \(event.changeType) event without record ids")
        }

        let carriesValues = event.changeType == .create || event.changeType == .update || event.changeType == .undelete
        if !carriesValues, !event.fields.isEmpty || !event.nulledFields.isEmpty || !event.diffFields.isEmpty {
            throw CDCRejection("unexpected_fields", "a \(event.changeType) event carries field values")
        }
        let fields = try Self.normalizedFields(event)
        return CheckedChangeEvent(
            event: event, recordIDs: ids, wildcardPrefixes: wildcards, fields: fields,
            hasDiffFields: !event.diffFields.isEmpty)
    }

    /// The body under snake_case names: values, then `nulledFields` not already present as nulls; diff fields
    /// dropped (their body value is a patch, not a value).
    static func normalizedFields(_ event: ChangeEvent) throws(CDCRejection) -> [FieldValue] {
        for name in event.diffFields where !SalesforceAPIName.isFieldName(name) {
            throw CDCRejection("invalid_field_name", "a diff field name is not a Salesforce API name")
        }
        let diff = Set(event.diffFields)
        var fields: [FieldValue] = []
        var names = Set<String>()
        for field in event.fields {
            guard SalesforceAPIName.isFieldName(field.name) else {
                throw CDCRejection("invalid_field_name", "a field name is not a Salesforce API name")
            }
            if diff.contains(field.name) { continue }
            let name = SalesforceFieldName.normalized(field.name)
            guard names.insert(name).inserted else {
                throw CDCRejection("duplicate_field", "two fields normalise to \(name)")
            }
            fields.append(FieldValue(name: name, value: field.value))
        }
        for apiName in event.nulledFields {
            guard SalesforceAPIName.isFieldName(apiName) else {
                throw CDCRejection("invalid_field_name", "a nulled field name is not a Salesforce API name")
            }
            let name = SalesforceFieldName.normalized(apiName)
            if names.insert(name).inserted {
                fields.append(FieldValue(name: name, value: nil))
            } else if let existing = fields.first(where: { $0.name == name }), existing.value != nil {
                throw CDCRejection("duplicate_field", "\(name) has a value and is listed as nulled")
            }
        }
        return fields
    }
}
