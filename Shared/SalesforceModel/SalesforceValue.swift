/// One field value of a record, as the REST API's JSON carries it.
///
/// ``text`` is the value as `FieldValue.value` text (nil for null) and ``jsonLiteral`` the JSON token the
/// simulator writes. For every kind but strings the two are the same characters, so a consumer that keeps a
/// JSON scalar's text as is (never parsing numbers into floating point) reproduces ``text`` exactly:
/// - numbers keep Salesforce's (Java `Double.toString`) rendering: `15000.0`, `12.5`, `2.5E7`; integers `9000`
/// - booleans `true` / `false`
/// - datetimes `2026-11-30T12:00:00.000+0000`, dates `2026-11-30` (JSON strings)
public enum SalesforceValue: Sendable, Hashable {
    case null
    case string(String)
    /// The number's exact JSON text.
    case number(String)
    case boolean(Bool)
    /// Epoch milliseconds.
    case dateTime(Int64)
    /// Days since 1970-01-01.
    case date(Int64)

    /// The value as text for `FieldValue.value`; nil for null.
    public var text: String? {
        switch self {
        case .null: nil
        case .string(let s): s
        case .number(let n): n
        case .boolean(let b): b ? "true" : "false"
        case .dateTime(let ms): SalesforceTime.restDateTime(ms)
        case .date(let days): SalesforceTime.date(days: days)
        }
    }

    /// The JSON token: a quoted, escaped string; a bare number or boolean; `null`.
    public var jsonLiteral: String {
        switch self {
        case .null: "null"
        case .number(let n): n
        case .boolean(let b): b ? "true" : "false"
        case .string, .dateTime, .date: SalesforceJSON.quoted(text ?? "")
        }
    }

    public var isNull: Bool { self == .null }

    /// A double in Java's `Double.toString` form for `units × 10^-scale` (e.g. 125 and 1 → `12.5`).
    static func javaDouble(units: Int64, scale: Int = 0) -> SalesforceValue {
        precondition(units >= 0)
        var digits = String(units)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let intPart = String(digits.dropLast(scale))
        var fraction = String(digits.suffix(scale))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if intPart.count > 7 {  // ≥ 1e7: computerized scientific notation, e.g. 2.5E7
            var mantissa = String(intPart.dropFirst()) + fraction
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            return .number("\(intPart.first!).\(mantissa.isEmpty ? "0" : mantissa)E\(intPart.count - 1)")
        }
        return .number("\(intPart).\(fraction.isEmpty ? "0" : fraction)")
    }
}

/// The little JSON writing the model and the simulator need.
public enum SalesforceJSON {
    /// `"text"` with JSON escapes.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
