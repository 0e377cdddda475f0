/// A parsed JSON document that keeps numbers as their exact text, so a Salesforce value such as `1500000.50`
/// reaches `salesforce.records` spelled as the API spelled it (no round trip through `Double`).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, already checked against the JSON grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The object, or nil for any other kind.
    public var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The string, or nil for any other kind.
    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The boolean, or nil for any other kind.
    public var bool: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    /// The array, or nil for any other kind.
    public var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// An integer number without fraction or exponent, or nil.
    public var int64: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    /// The kind's name, for error messages (never the value: it may be customer data).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON object's members in document order (Salesforce field order is kept); keys are unique.
public struct JSONObject: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
    }

    public var members: [Member]

    public init(members: [Member] = []) {
        self.members = members
    }

    /// The value of `key`, or nil when absent.
    public subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }
}
