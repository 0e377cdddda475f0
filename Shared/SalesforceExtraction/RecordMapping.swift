public import PipelineMessages
import SalesforceRecords

/// A Salesforce REST row (or an ingested file's row) → the normalised ``RecordChange`` for `salesforce.records`.
///
/// Field names go through ``SalesforceFieldName/normalized(_:)`` (the one normalisation); values keep the text the
/// API rendered (numbers exactly as written, booleans `true`/`false`, null as null); nested objects such as
/// addresses are flattened with a dot. `IsDeleted: true` (a `/queryAll` row) becomes a delete.
public enum RecordMapping {
    /// The mapped change and the row's position in watermark order.
    public struct Mapped: Sendable, Equatable {
        public var change: RecordChange
        public var watermark: Watermark
    }

    /// Maps one row.
    /// - Parameters:
    ///   - object: The object the row was queried from; a row whose `attributes.type` names another is refused.
    ///   - requestID: The ``BatchRequest/requestID`` this row answers, or empty.
    /// - Throws: ``RecordMappingError`` for a row without a valid `Id` or `SystemModstamp`, with an array value,
    ///   or with a NUL character (protobuf strings cannot carry it).
    public static func map(
        _ row: JSONObject, object: String, requestID: String = "", timestampFields: [String] = ["SystemModstamp"]
    ) throws(RecordMappingError) -> Mapped {
        if let type = row["attributes"]?.object?["type"]?.string, type != object {
            throw RecordMappingError(reason: "wrong_object", detail: "row of \(type) in a query of \(object)")
        }
        guard let id = row["Id"]?.string, SOQLIdentifier.isRecordID(id) else {
            throw RecordMappingError(reason: "missing_id", detail: "row without a valid Id")
        }
        var stamp: Int64?
        for name in timestampFields {
            if let text = row[name]?.string, let ms = SalesforceDateTime.milliseconds(text) {
                stamp = ms
                break
            }
        }
        guard let stamp else {
            throw RecordMappingError(
                reason: "missing_timestamp", detail: "row without a valid \(timestampFields.joined(separator: " or "))")
        }
        var fields: [FieldValue] = []
        fields.reserveCapacity(row.members.count)
        for member in row.members where member.key != "attributes" {
            try append(member.key, member.value, to: &fields)
        }
        let deleted = row["IsDeleted"]?.bool == true || row["IsDeleted"]?.string == "true"
        let change = RecordChange(
            object: object, id: id, operation: deleted ? .delete : .upsert, fields: fields, fullRecord: true,
            source: .batch, sourceTimestampMs: stamp, changeType: deleted ? .delete : .unspecified, requestID: requestID)
        return Mapped(change: change, watermark: Watermark(modstampMs: stamp, id: id))
    }

    /// The `salesforce.records` key, `Object#Id`.
    public static func key(of change: RecordChange) -> String {
        SalesforceRecordKey(object: change.object, id: change.id).description
    }

    private static func append(
        _ name: String, _ value: JSONValue, to fields: inout [FieldValue]
    ) throws(RecordMappingError) {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw RecordMappingError(reason: "bad_field", detail: "empty or NUL field name")
        }
        let text: String?
        switch value {
        case .null: text = nil
        case .bool(let flag): text = flag ? "true" : "false"
        case .number(let literal): text = literal
        case .string(let string):
            guard !string.utf8.contains(0) else {
                throw RecordMappingError(reason: "bad_field", detail: "NUL character in field \(name)")
            }
            text = string
        case .object(let nested):
            for member in nested.members where member.key != "attributes" {
                try append(name + "." + member.key, member.value, to: &fields)
            }
            return
        case .array:
            throw RecordMappingError(reason: "bad_field", detail: "array value in field \(name)")
        }
        fields.append(FieldValue(name: SalesforceFieldName.normalized(name), value: text))
    }
}

/// Why a row could not become a ``RecordChange``; `reason` is a bounded snake_case code for dead letters.
public struct RecordMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason): \(detail)" }
}
