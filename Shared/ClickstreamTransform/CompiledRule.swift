/// A ``QualityRules/Rule`` flattened for the per-event loop: plain integers and doubles, no enum payloads,
/// so reading one costs no reference counting.
struct CompiledRule {
    enum Kind: UInt8 {
        case notNull, type, between, inSet, regex, unique, receivedWithin
    }

    var kind: Kind
    var field: Int
    /// The object a nested field lives in, or -1.
    var parent: Int
    /// The field a `when` condition reads, or -1; its values are `entries[conditionStart..<conditionEnd]`.
    var conditionField: Int
    var conditionStart: Int
    var conditionEnd: Int
    /// `in_set` values: `entries[setStart..<setEnd]`.
    var setStart: Int
    var setEnd: Int
    var block: Bool
    /// `between` bounds (open ends are ±infinity).
    var min: Double
    var max: Double
    var minExclusive: Bool
    var maxExclusive: Bool
    /// Index into the transformer's patterns, for `regex`.
    var pattern: Int
    /// `received_within` bounds in ms (open ends are `Int64.max`).
    var maxFutureMs: Int64
    var maxPastMs: Int64

    @inline(__always)
    func contains(_ v: Double) -> Bool {
        (minExclusive ? v > min : v >= min) && (maxExclusive ? v < max : v <= max)
    }

    /// Whether `timeMs` lies within the `received_within` bounds around `receivedMs`. Integer arithmetic, with a
    /// difference beyond the `Int64` range counted as outside: any `Int64` is a parseable time.
    @inline(__always)
    func isNear(_ timeMs: Int64, receivedMs: Int64) -> Bool {
        let (lead, overflow) = timeMs.subtractingReportingOverflow(receivedMs)
        if overflow { return false }
        return lead >= 0 ? lead <= maxFutureMs : lead >= -maxPastMs
    }
}

/// Every `in_set` and `when` value of a rule set, in one allocation: `entries` index byte ranges of `bytes`.
final class ValueTable {
    let bytes: UnsafeMutablePointer<UInt8>
    let entries: UnsafeMutablePointer<UnsafeRawBufferPointer>
    let entryCount: Int

    init(_ values: [[UInt8]]) {
        let total = values.reduce(0) { $0 + $1.count }
        bytes = .allocate(capacity: max(1, total))
        entries = .allocate(capacity: max(1, values.count))
        entryCount = values.count
        var offset = 0
        for (i, value) in values.enumerated() {
            (bytes + offset).initialize(from: value, count: value.count)
            entries[i] = UnsafeRawBufferPointer(start: bytes + offset, count: value.count)
            offset += value.count
        }
    }

    deinit {
        bytes.deallocate()
        entries.deallocate()
    }
}

extension CompiledRule {
    /// Flattens `rules`; `values` collects the set and condition values the compiled rules point into.
    static func compile(_ rules: QualityRules) -> (rules: [CompiledRule], values: [[UInt8]], patterns: [BytePattern]) {
        var compiled: [CompiledRule] = []
        var values: [[UInt8]] = []
        var patterns: [BytePattern] = []
        for rule in rules.rules {
            var c = CompiledRule(
                kind: .notNull, field: rule.field.rawValue, parent: rule.field.parent?.rawValue ?? -1,
                conditionField: rule.condition?.field.rawValue ?? -1, conditionStart: 0, conditionEnd: 0, setStart: 0,
                setEnd: 0, block: rule.severity == .block, min: -.infinity, max: .infinity, minExclusive: false,
                maxExclusive: false, pattern: -1, maxFutureMs: .max, maxPastMs: .max)
            c.conditionStart = values.count
            values += rule.conditionBytes
            c.conditionEnd = values.count
            switch rule.expectation {
            case .notNull: c.kind = .notNull
            case .type: c.kind = .type
            case .between(let min, let minExclusive, let max, let maxExclusive):
                c.kind = .between
                c.min = min ?? -.infinity
                c.max = max ?? .infinity
                c.minExclusive = minExclusive
                c.maxExclusive = maxExclusive
            case .inSet:
                c.kind = .inSet
                c.setStart = values.count
                values += rule.setBytes
                c.setEnd = values.count
            case .regex(let pattern):
                c.kind = .regex
                c.pattern = patterns.count
                patterns.append(pattern)
            case .unique: c.kind = .unique
            case .receivedWithin(let future, let past):
                c.kind = .receivedWithin
                c.maxFutureMs = future ?? .max
                c.maxPastMs = past ?? .max
            }
            compiled.append(c)
        }
        return (compiled, values, patterns)
    }
}
