/// The key of a record everywhere downstream: the `salesforce.records` message key and the
/// `salesforce_records` row key, `{object}#{id}` (object API name as Salesforce spells it, 18-character id).
public struct SalesforceRecordKey: Hashable, Sendable, CustomStringConvertible {
    public var object: String
    public var id: String

    public init(object: String, id: String) {
        self.object = object
        self.id = id
    }

    /// Parses `Account#001…`; nil when there is no `#` or either side is empty.
    public init?(_ text: String) {
        guard let hash = text.firstIndex(of: "#") else { return nil }
        let object = String(text[..<hash]), id = String(text[text.index(after: hash)...])
        guard !object.isEmpty, !id.isEmpty else { return nil }
        self.init(object: object, id: id)
    }

    public var description: String { "\(object)#\(id)" }
}
