/// Builds the extractor's SOQL from an ``ObjectDescription`` only: every object and field name must be
/// described and a valid ``SOQLIdentifier``, datetimes are formatted here, and record ids must be plain
/// 15/18-character ids. No caller text is ever interpolated.
public enum SOQLQuery {
    /// Records changed after a watermark, in watermark order, ties on the same stamp broken by id:
    /// `WHERE SystemModstamp > X OR (SystemModstamp = X AND Id > 'lastId') ORDER BY SystemModstamp, Id`.
    /// Without a watermark, the whole object in the same order.
    public static func incremental(
        _ description: ObjectDescription, fields: [String], after watermark: Watermark?
    ) throws(SOQLError) -> String {
        let select = try selectClause(description, fields: fields)
        guard description.has("SystemModstamp"), description.has("Id") else {
            throw SOQLError("\(description.name) has no SystemModstamp and Id to extract by")
        }
        guard let watermark else { return select + " ORDER BY SystemModstamp, Id" }
        guard SOQLIdentifier.isRecordID(watermark.id) else { throw SOQLError("watermark id is not a record id") }
        let stamp = SalesforceDateTime.soqlLiteral(milliseconds: watermark.modstampMs)
        return select + " WHERE SystemModstamp > \(stamp) OR (SystemModstamp = \(stamp) AND Id > '\(watermark.id)')"
            + " ORDER BY SystemModstamp, Id"
    }

    /// Records changed at or after `sinceMs` (a `pipeline.batch` re-extract), in watermark order.
    public static func since(
        _ description: ObjectDescription, fields: [String], sinceMs: Int64
    ) throws(SOQLError) -> String {
        let select = try selectClause(description, fields: fields)
        guard description.has("SystemModstamp"), description.has("Id") else {
            throw SOQLError("\(description.name) has no SystemModstamp and Id to extract by")
        }
        return select + " WHERE SystemModstamp >= \(SalesforceDateTime.soqlLiteral(milliseconds: sinceMs))"
            + " ORDER BY SystemModstamp, Id"
    }

    /// These records, by id (at most ``maximumIDsPerQuery``).
    public static func byIDs(
        _ description: ObjectDescription, fields: [String], ids: [String]
    ) throws(SOQLError) -> String {
        let select = try selectClause(description, fields: fields)
        guard !ids.isEmpty, ids.count <= maximumIDsPerQuery else {
            throw SOQLError("between 1 and \(maximumIDsPerQuery) ids per query")
        }
        for id in ids where !SOQLIdentifier.isRecordID(id) { throw SOQLError("not a record id") }
        return select + " WHERE Id IN (" + ids.map { "'\($0)'" }.joined(separator: ", ") + ") ORDER BY SystemModstamp, Id"
    }

    /// Keeps the query well under Salesforce's URL limit (18 chars + quotes + comma ≈ 22 bytes per id).
    public static let maximumIDsPerQuery = 200

    private static func selectClause(_ description: ObjectDescription, fields: [String]) throws(SOQLError) -> String {
        guard SOQLIdentifier.isValid(description.name) else { throw SOQLError("invalid object name") }
        guard !fields.isEmpty else { throw SOQLError("no fields to select") }
        for field in fields {
            guard SOQLIdentifier.isValid(field) else { throw SOQLError("invalid field name") }
            guard description.has(field) else { throw SOQLError("field \(field) is not described on \(description.name)") }
        }
        return "SELECT " + fields.joined(separator: ", ") + " FROM " + description.name
    }
}

/// A query the builder refused to write.
public struct SOQLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
