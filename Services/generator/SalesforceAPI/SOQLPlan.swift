import SalesforceModel

/// A parsed query checked against the object's describe, ready to filter and sort records.
struct SOQLPlan {
    let object: SalesforceObjectDescription
    /// The selected fields, canonical spelling, in SELECT order.
    let fields: [SalesforceFieldDescription]
    let condition: SOQLCondition?
    let orderBy: [(field: String, descending: Bool)]
    let limit: Int?

    /// Validates names and literal types like Salesforce: unknown object → `INVALID_TYPE`, unknown field or a
    /// literal of the wrong type → `INVALID_FIELD`.
    init(_ query: SOQLQuery, org: SalesforceOrg) throws(SOQLError) {
        guard let object = org.describe(query.object) else {
            throw SOQLError(code: "INVALID_TYPE", message: "sObject type '\(query.object)' is not supported.")
        }
        func field(_ name: String) throws(SOQLError) -> SalesforceFieldDescription {
            guard let field = object.field(named: name) else {
                throw SOQLError(
                    code: "INVALID_FIELD",
                    message: "No such column '\(name)' on entity '\(object.name)'. If you are attempting to use a "
                        + "custom field, be sure to append the '__c' after the custom field name.")
            }
            return field
        }
        var selected: [SalesforceFieldDescription] = []
        for name in query.fields {
            let f = try field(name)
            guard !selected.contains(f) else {
                throw .malformed("duplicate field selected: \(f.name)")
            }
            selected.append(f)
        }
        func check(_ condition: SOQLCondition) throws(SOQLError) -> SOQLCondition {
            switch condition {
            case .comparison(let name, let op, let value):
                let f = try field(name)
                try Self.checkLiteral(value, for: f, op: op)
                return .comparison(field: f.name, op: op, value: value)
            case .inList(let name, let values):
                let f = try field(name)
                for value in values { try Self.checkLiteral(value, for: f, op: .equal) }
                return .inList(field: f.name, values: values)
            case .and(let a, let b):
                return .and(try check(a), try check(b))
            case .or(let a, let b):
                return .or(try check(a), try check(b))
            }
        }
        self.object = object
        fields = selected
        condition = try query.condition.map { (c) throws(SOQLError) in try check(c) }
        var order: [(field: String, descending: Bool)] = []
        for item in query.orderBy { order.append((try field(item.field).name, item.descending)) }
        orderBy = order
        limit = query.limit
    }

    private static func checkLiteral(_ value: SOQLLiteral, for field: SalesforceFieldDescription,
                                     op: SOQLOperator) throws(SOQLError) {
        let ok: Bool
        let expected: String
        switch (field.type, value) {
        case (_, .null): ok = op == .equal || op == .notEqual; expected = field.type
        case ("datetime", .dateTime): ok = true; expected = "dateTime"
        case ("datetime", _): ok = false; expected = "dateTime"
        case ("date", .date): ok = true; expected = "date"
        case ("date", _): ok = false; expected = "date"
        case ("boolean", .boolean): ok = op == .equal || op == .notEqual; expected = "boolean"
        case ("boolean", _): ok = false; expected = "boolean"
        case ("currency", .number), ("int", .number), ("double", .number), ("percent", .number):
            ok = true; expected = "number"
        case ("currency", _), ("int", _), ("double", _), ("percent", _): ok = false; expected = "number"
        case (_, .string): ok = true; expected = "string"
        default: ok = false; expected = "string"
        }
        guard ok else {
            let quoting = expected == "string" ? "should be enclosed in quotes" : "should not be enclosed in quotes"
            throw SOQLError(
                code: "INVALID_FIELD",
                message: "value of filter criterion for field '\(field.name)' must be of type \(expected) and \(quoting)")
        }
    }

    // MARK: - Execution

    /// The records the query returns, filtered, ordered and limited.
    func run(on records: [SalesforceRecord]) -> [SalesforceRecord] {
        var rows = condition.map { c in records.filter { Self.matches(c, $0) } } ?? records
        if !orderBy.isEmpty {
            rows = rows.enumerated().sorted { a, b in
                for (field, descending) in orderBy {
                    let order = Self.compare(a.element[field] ?? .null, b.element[field] ?? .null)
                    if order != 0 { return descending ? order > 0 : order < 0 }
                }
                return a.offset < b.offset
            }.map(\.element)
        }
        if let limit, rows.count > limit { rows = Array(rows.prefix(limit)) }
        return rows
    }

    static func matches(_ condition: SOQLCondition, _ record: SalesforceRecord) -> Bool {
        switch condition {
        case .and(let a, let b): return matches(a, record) && matches(b, record)
        case .or(let a, let b): return matches(a, record) || matches(b, record)
        case .inList(let field, let values):
            let value = record[field] ?? .null
            return values.contains { compare(value, literal: $0) == 0 }
        case .comparison(let field, let op, let literal):
            let value = record[field] ?? .null
            guard let order = compare(value, literal: literal) else { return op == .notEqual }
            switch op {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            }
        }
    }

    /// -1, 0, 1 between a value and a literal; nil when either is null (only `!=` then holds), or when their
    /// kinds differ.
    static func compare(_ value: SalesforceValue, literal: SOQLLiteral) -> Int? {
        switch (value, literal) {
        case (.null, .null): return 0
        case (.null, _): return nil
        case (_, .null): return nil
        case (.dateTime(let a), .dateTime(let b)): return sign(a, b)
        case (.date(let a), .date(let b)): return sign(a, b)
        case (.number(let a), .number(let b)): return sign(Double(a) ?? 0, Double(b) ?? 0)
        case (.boolean(let a), .boolean(let b)): return a == b ? 0 : 1
        case (.string(let a), .string(let b)): return sign(a, b)
        default: return nil
        }
    }

    /// Order of two values of one field; nulls first.
    static func compare(_ a: SalesforceValue, _ b: SalesforceValue) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.dateTime(let x), .dateTime(let y)): return sign(x, y)
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.number(let x), .number(let y)): return sign(Double(x) ?? 0, Double(y) ?? 0)
        case (.boolean(let x), .boolean(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        default: return sign(a.text ?? "", b.text ?? "")
        }
    }

    private static func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
}
