/// The quality expectations the transformer applies, in check order, compiled for the hot path.
///
/// Declared in `config/quality-rules.json` (see ``load(path:)`` for the format), in the spirit of Great
/// Expectations: each rule names a field, an expectation, the dead-letter `reason` it fails with, a
/// `severity` (`block` rejects the event, `warn` keeps it with verdict WARN and the rule in `failed_checks`)
/// and optionally `mostly`, the share of events that must pass over a window before ``QualityStats`` reports
/// the check as failing.
///
/// Semantics shared by every expectation:
/// - Rules run in file order; the first failing `block` rule decides the rejection.
/// - Only `not_null` looks at absent fields: other expectations skip absent and `null` values.
/// - A rule on a nested field (`song.title`) applies only when its object is present and is an object.
/// - A value of the wrong type is never converted: it fails its `type` rule, and later rules and the output
///   ignore it (so a field without a `type` rule is simply left out when mistyped).
public struct QualityRules: Sendable {
    public enum Severity: String, Sendable, Equatable {
        case block, warn
    }

    public enum Expectation: Sendable, Equatable {
        case notNull
        case type(EventField.ValueType)
        /// Bounds on a numeric field (`timestamp`, numbers, integers); a `nil` bound is open.
        case between(min: Double?, minExclusive: Bool, max: Double?, maxExclusive: Bool)
        /// The (normalized) string is one of these.
        case inSet([String])
        case regex(BytePattern)
        /// No earlier accepted event among the last `window` had the same value (``EventIDWindow``).
        case unique(window: Int)
        /// The (skew-corrected) time is at most `maxFutureMs` after and at most `maxPastMs` before the record's
        /// receive time; a `nil` bound is open. Not checked when the receive time is unknown
        /// (``ClockSkew/isKnown(receivedMs:)``).
        case receivedWithin(maxFutureMs: Int64?, maxPastMs: Int64?)

        /// The name used in files and default check names.
        public var keyword: String {
            switch self {
            case .notNull: "not_null"
            case .type: "type"
            case .between: "between"
            case .inSet: "in_set"
            case .regex: "regex"
            case .unique: "unique"
            case .receivedWithin: "received_within"
            }
        }
    }

    /// A rule applies only when `field`'s normalized string value is one of `values`.
    public struct Condition: Sendable, Equatable {
        public var field: EventField
        public var values: [String]

        public init(field: EventField, values: [String]) {
            self.field = field
            self.values = values
        }
    }

    /// Immutable once built: the compiled byte forms below are derived from it in `init`.
    public struct Rule: Sendable {
        /// The check name in `failed_checks`, rejections and alerts.
        public let name: String
        public let field: EventField
        public let expectation: Expectation
        public let condition: Condition?
        /// The dead-letter reason code when it fails.
        public let reason: String
        public let severity: Severity
        /// Share of evaluations that must pass over the stats window (0…1), if alerting is wanted.
        public let mostly: Double?

        /// UTF-8 of `in_set` values and of the condition's values, built once.
        let setBytes: [[UInt8]]
        let conditionBytes: [[UInt8]]
        let nameBytes: [UInt8]

        public init(
            name: String, field: EventField, expectation: Expectation, condition: Condition? = nil, reason: String,
            severity: Severity, mostly: Double? = nil
        ) {
            self.name = name
            self.field = field
            self.expectation = expectation
            self.condition = condition
            self.reason = reason
            self.severity = severity
            self.mostly = mostly
            if case .inSet(let values) = expectation { setBytes = values.map { Array($0.utf8) } } else { setBytes = [] }
            conditionBytes = condition?.values.map { Array($0.utf8) } ?? []
            nameBytes = Array(name.utf8)
        }
    }

    public let rules: [Rule]

    /// Validates and keeps `rules`.
    ///
    /// - Throws: ``TransformError`` (`invalidRule`) naming the first rule that does not fit its field, or a
    ///   repeated name, or a second `unique` rule.
    public init(rules: [Rule]) throws(TransformError) {
        var names = Set<String>()
        var uniqueRules = 0
        for rule in rules {
            try Self.validate(rule)
            guard names.insert(rule.name).inserted else {
                throw TransformError(kind: .invalidRule, detail: "rule \(rule.name): the name is used twice")
            }
            if case .unique = rule.expectation { uniqueRules += 1 }
        }
        guard uniqueRules <= 1 else {
            throw TransformError(kind: .invalidRule, detail: "only one unique rule is supported (one id window)")
        }
        self.rules = rules
    }

    /// The capacity of the `unique` rule's window, if there is such a rule.
    public var uniqueWindow: Int? {
        for rule in rules { if case .unique(let window) = rule.expectation { return window } }
        return nil
    }

    private static func validate(_ rule: Rule) throws(TransformError) {
        func fail(_ message: String) -> TransformError {
            TransformError(kind: .invalidRule, detail: "rule \(rule.name): \(message)")
        }
        let type = rule.field.valueType
        switch rule.expectation {
        case .notNull: break
        case .type(let declared):
            guard declared == type else {
                throw fail("\(rule.field.path) has type \(type.rawValue) in CleanEvent, not \(declared.rawValue)")
            }
        case .between(let min, _, let max, _):
            guard [.timestamp, .number, .integer].contains(type) else {
                throw fail("between needs a numeric field; \(rule.field.path) is \(type.rawValue)")
            }
            guard min != nil || max != nil else { throw fail("between needs min or max") }
            if let min, let max, min > max { throw fail("min \(min) is above max \(max)") }
            if min?.isNaN == true || max?.isNaN == true { throw fail("bounds must be numbers") }
        case .inSet(let values):
            guard type == .string || type == .label else {
                throw fail("in_set needs a string field; \(rule.field.path) is \(type.rawValue)")
            }
            guard !values.isEmpty else { throw fail("in_set needs at least one value") }
        case .regex:
            guard type == .string || type == .label else {
                throw fail("regex needs a string field; \(rule.field.path) is \(type.rawValue)")
            }
        case .unique(let window):
            guard type == .string else { throw fail("unique needs a string field; \(rule.field.path) is \(type.rawValue)") }
            guard (1...50_000_000).contains(window) else { throw fail("window must be 1…50000000") }
        case .receivedWithin(let future, let past):
            guard type == .timestamp else {
                throw fail("received_within needs a timestamp field; \(rule.field.path) is \(type.rawValue)")
            }
            guard future != nil || past != nil else { throw fail("received_within needs max_future or max_past") }
            if (future ?? 0) < 0 || (past ?? 0) < 0 { throw fail("max_future and max_past must not be negative") }
        }
        if let condition = rule.condition {
            let t = condition.field.valueType
            guard t == .string || t == .label else {
                throw fail("when.field must be a string field; \(condition.field.path) is \(t.rawValue)")
            }
            guard !condition.values.isEmpty else { throw fail("when.in needs at least one value") }
        }
        if let mostly = rule.mostly, !(0...1).contains(mostly) { throw fail("mostly must be between 0 and 1") }
        guard !rule.reason.isEmpty else { throw fail("reason must not be empty") }
    }
}
