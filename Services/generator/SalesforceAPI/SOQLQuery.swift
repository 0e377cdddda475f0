import SalesforceModel

/// A parsed SOQL query of the subset the simulator serves:
/// `SELECT f1, f2 FROM Object [WHERE cond] [ORDER BY f [ASC|DESC], …] [LIMIT n]`.
struct SOQLQuery: Equatable {
    /// Field names as written (validated against the describe later).
    var fields: [String]
    var object: String
    var condition: SOQLCondition?
    var orderBy: [SOQLOrder]
    var limit: Int?
}

/// A WHERE condition tree.
indirect enum SOQLCondition: Equatable {
    case comparison(field: String, op: SOQLOperator, value: SOQLLiteral)
    case inList(field: String, values: [SOQLLiteral])
    case and(SOQLCondition, SOQLCondition)
    case or(SOQLCondition, SOQLCondition)
}

enum SOQLOperator: String, Equatable {
    case equal = "=", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
}

/// A literal as SOQL writes it.
enum SOQLLiteral: Equatable {
    case string(String)
    /// An unquoted datetime literal, epoch ms.
    case dateTime(Int64)
    /// An unquoted date literal, days since 1970-01-01.
    case date(Int64)
    /// The number's text.
    case number(String)
    case boolean(Bool)
    case null
}

struct SOQLOrder: Equatable {
    var field: String
    var descending: Bool
}

/// A query the simulator refuses, with Salesforce's error code (`MALFORMED_QUERY`, `INVALID_FIELD`,
/// `INVALID_TYPE`).
struct SOQLError: Error, Equatable {
    var code: String
    var message: String

    static func malformed(_ message: String) -> SOQLError { SOQLError(code: "MALFORMED_QUERY", message: message) }
}
