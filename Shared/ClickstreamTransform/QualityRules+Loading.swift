import Foundation

/// Reading `config/quality-rules.json`.
///
/// ```json
/// {
///   "version": 1,
///   "expectations": [
///     {"expect": "not_null", "fields": ["eventId", "userId"], "reason": "missing_field", "severity": "block"},
///     {"expect": "not_null", "field": "song", "when": {"field": "eventType", "in": ["song_play"]},
///      "reason": "missing_field", "severity": "block"},
///     {"expect": "type", "field": "timestamp", "type": "timestamp", "reason": "wrong_type", "severity": "block"},
///     {"expect": "between", "field": "price", "min": 0, "max": 100000, "max_exclusive": false,
///      "reason": "out_of_range", "severity": "block"},
///     {"expect": "in_set", "field": "level", "values": ["free", "paid"], "reason": "out_of_range",
///      "severity": "block"},
///     {"name": "user_id_format", "expect": "regex", "field": "userId", "pattern": "^u-[0-9a-f]{16}$",
///      "reason": "malformed_user_id", "severity": "warn", "mostly": 0.99},
///     {"name": "future_timestamp", "expect": "received_within", "field": "timestamp", "max_future": "10m",
///      "reason": "future_timestamp", "severity": "block"},
///     {"name": "stale_timestamp", "expect": "received_within", "field": "timestamp", "max_past": "30d",
///      "reason": "stale_timestamp", "severity": "block", "enabled": false},
///     {"expect": "unique", "field": "eventId", "window": 100000, "reason": "duplicate_event_id",
///      "severity": "block"}
///   ]
/// }
/// ```
/// `field` or `fields` (one compiled rule per field); `name` defaults to `<expect>:<field path>` (with several
/// fields, `<name>:<field path>`). Keys a rule does not use are refused, so a typo never silently drops a bound.
/// `"enabled": false` keeps a rule in the file but leaves it out of the compiled rules. Durations
/// (`max_future`, `max_past`) are milliseconds as a number, or a string `<whole number><ms|s|m|h|d>`.
extension QualityRules {
    /// Loads and compiles the rules file at `path`.
    ///
    /// - Throws: ``TransformError``: `unreadableRules`, `malformedRules` (not JSON, wrong shape) or
    ///   `invalidRule` naming the expectation (by position and name) and what is wrong with it.
    public static func load(path: String) throws(TransformError) -> QualityRules {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TransformError(kind: .unreadableRules, detail: "\(path): cannot read the file")
        }
        return try parse(Array(data), source: path)
    }

    /// Compiles a rules document held in memory; `source` names it in errors.
    public static func parse(_ bytes: [UInt8], source: String = "rules") throws(TransformError) -> QualityRules {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw TransformError(kind: .malformedRules, detail: "\(source): not valid JSON")
        }
        guard let top = object as? [String: Any] else {
            throw TransformError(kind: .malformedRules, detail: "\(source): the top level must be an object")
        }
        let extra = Set(top.keys).subtracting(["version", "expectations", "description"])
        guard extra.isEmpty else {
            throw TransformError(kind: .malformedRules, detail: "\(source): unknown keys \(extra.sorted())")
        }
        guard (top["version"] as? NSNumber)?.intValue == 1 else {
            throw TransformError(kind: .malformedRules, detail: "\(source): \"version\" must be 1")
        }
        guard let list = top["expectations"] as? [Any] else {
            throw TransformError(kind: .malformedRules, detail: "\(source): \"expectations\" must be an array")
        }
        var rules: [Rule] = []
        for (position, entry) in list.enumerated() {
            var spec = RuleSpec(source: source, position: position + 1)
            rules += try spec.compile(entry)
        }
        do {
            return try QualityRules(rules: rules)
        } catch {
            throw TransformError(kind: error.kind, detail: "\(source): \(error.detail)")
        }
    }
}

/// One entry of `expectations`, checked key by key.
private struct RuleSpec {
    let source: String
    let position: Int
    var label = ""

    func fail(_ message: String) -> TransformError {
        TransformError(kind: .invalidRule, detail: "\(source): expectation \(position)\(label): \(message)")
    }

    mutating func compile(_ entry: Any) throws(TransformError) -> [QualityRules.Rule] {
        guard let o = entry as? [String: Any] else { throw fail("must be an object") }
        let name = o["name"] as? String
        if let name { label = " (\(name))" }
        guard let expect = o["expect"] as? String else { throw fail("\"expect\" is missing") }
        if name == nil { label = " (\(expect))" }
        let common: Set<String> = [
            "name", "expect", "field", "fields", "reason", "severity", "mostly", "when", "description", "enabled",
        ]
        let specific: [String: Set<String>] = [
            "not_null": [], "type": ["type"], "between": ["min", "max", "min_exclusive", "max_exclusive"],
            "in_set": ["values"], "regex": ["pattern"], "unique": ["window"],
            "received_within": ["max_future", "max_past"],
        ]
        guard let allowed = specific[expect] else {
            throw fail("unknown expectation \"\(expect)\" (one of: \(specific.keys.sorted().joined(separator: ", ")))")
        }
        let unknown = Set(o.keys).subtracting(common).subtracting(allowed)
        guard unknown.isEmpty else { throw fail("unknown keys \(unknown.sorted()) for \(expect)") }

        let paths: [String]
        if let one = o["field"] as? String, o["fields"] == nil {
            paths = [one]
        } else if let many = o["fields"] as? [String], o["field"] == nil, !many.isEmpty {
            paths = many
        } else {
            throw fail("give \"field\" (a string) or \"fields\" (a non-empty array of strings)")
        }
        let fields = try paths.map { (path) throws(TransformError) -> EventField in
            guard let field = EventField(path: path) else {
                throw fail("unknown field \"\(path)\" (known: \(EventField.allCases.map(\.path).joined(separator: ", ")))")
            }
            return field
        }
        guard let reason = o["reason"] as? String else { throw fail("\"reason\" must be a string") }
        guard let severityText = o["severity"] as? String, let severity = QualityRules.Severity(rawValue: severityText)
        else { throw fail("\"severity\" must be \"block\" or \"warn\"") }
        var mostly: Double?
        if let value = o["mostly"] {
            guard let number = Self.number(value) else { throw fail("\"mostly\" must be a number") }
            mostly = number
        }
        let condition = try self.condition(o["when"])
        let expectation = try self.expectation(expect, o)
        var enabled = true
        if let value = o["enabled"] {
            guard let n = value as? NSNumber, Self.isBoolean(n) else { throw fail("\"enabled\" must be a boolean") }
            enabled = n.boolValue
        }
        let rules = fields.map { field in
            let ruleName: String
            if let name { ruleName = paths.count == 1 ? name : "\(name):\(field.path)" } else {
                ruleName = "\(expect):\(field.path)"
            }
            return QualityRules.Rule(
                name: ruleName, field: field, expectation: expectation, condition: condition, reason: reason,
                severity: severity, mostly: mostly)
        }
        guard !enabled else { return rules }
        // A disabled rule is still checked, so switching it on later cannot reveal a mistake.
        do {
            _ = try QualityRules(rules: rules)
        } catch {
            throw fail(error.detail)
        }
        return []
    }

    private func expectation(_ expect: String, _ o: [String: Any]) throws(TransformError) -> QualityRules.Expectation {
        switch expect {
        case "not_null":
            return .notNull
        case "type":
            guard let text = o["type"] as? String, let type = EventField.ValueType(rawValue: text) else {
                let names = EventField.ValueType.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("\"type\" must be one of: \(names)")
            }
            return .type(type)
        case "between":
            func bound(_ key: String) throws(TransformError) -> Double? {
                guard let value = o[key] else { return nil }
                guard let number = Self.number(value) else { throw fail("\"\(key)\" must be a number") }
                return number
            }
            func flag(_ key: String) throws(TransformError) -> Bool {
                guard let value = o[key] else { return false }
                guard let n = value as? NSNumber, Self.isBoolean(n) else { throw fail("\"\(key)\" must be a boolean") }
                return n.boolValue
            }
            return .between(
                min: try bound("min"), minExclusive: try flag("min_exclusive"), max: try bound("max"),
                maxExclusive: try flag("max_exclusive"))
        case "in_set":
            guard let values = o["values"] as? [String] else { throw fail("\"values\" must be an array of strings") }
            return .inSet(values)
        case "received_within":
            return .receivedWithin(maxFutureMs: try duration("max_future", o), maxPastMs: try duration("max_past", o))
        case "regex":
            guard let pattern = o["pattern"] as? String else { throw fail("\"pattern\" must be a string") }
            do {
                return .regex(try BytePattern(pattern))
            } catch {
                throw fail("unsupported pattern \(pattern): \(error.message)")
            }
        default:
            let value: Any = o["window"] ?? 100_000
            guard let window = Self.number(value), window == window.rounded()
            else { throw fail("\"window\" must be a whole number") }
            return .unique(window: Int(exactly: window) ?? 0)
        }
    }

    /// A duration in ms: a whole number, or a string such as `"500ms"`, `"90s"`, `"10m"`, `"2h"`, `"30d"`.
    private func duration(_ key: String, _ o: [String: Any]) throws(TransformError) -> Int64? {
        guard let value = o[key] else { return nil }
        let problem = "\"\(key)\" must be milliseconds or a string like \"10m\" (units ms, s, m, h, d)"
        if let number = Self.number(value) {
            guard number == number.rounded(), let ms = Int64(exactly: number) else { throw fail(problem) }
            return ms
        }
        guard let text = value as? String else { throw fail(problem) }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (unit, scale) in units where text.hasSuffix(unit) {
            let digits = text.dropLast(unit.count)
            // "10ms" also ends in "s": only the unit whose prefix is all digits applies.
            guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }), let n = Int64(digits) else { continue }
            let (ms, overflow) = n.multipliedReportingOverflow(by: scale)
            guard !overflow else { throw fail(problem) }
            return ms
        }
        throw fail(problem)
    }

    private func condition(_ value: Any?) throws(TransformError) -> QualityRules.Condition? {
        guard let value else { return nil }
        guard let o = value as? [String: Any], let path = o["field"] as? String, let values = o["in"] as? [String],
            o.count == 2
        else { throw fail("\"when\" must be {\"field\": …, \"in\": [strings]}") }
        guard let field = EventField(path: path) else { throw fail("unknown field \"\(path)\" in \"when\"") }
        return QualityRules.Condition(field: field, values: values)
    }

    /// A JSON number that is not a boolean: `NSNumber` holds both, and only its type encoding tells them apart.
    static func number(_ value: Any) -> Double? {
        guard let n = value as? NSNumber, !isBoolean(n) else { return nil }
        return n.doubleValue
    }

    static func isBoolean(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c"
    }
}
