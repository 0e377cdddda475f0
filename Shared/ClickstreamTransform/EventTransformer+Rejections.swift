/// Rejection details: which field, what was wrong, quoting at most a short excerpt of one value.
extension EventTransformer {
    static func invalidUTF8(_ offset: Int) -> Rejection {
        Rejection(reason: "invalid_utf8", detail: "invalid UTF-8 at offset \(offset)", check: "utf8")
    }

    static func invalidJSON(_ error: JSONSyntaxError) -> Rejection {
        Rejection(reason: "invalid_json", detail: error.detail, check: "json")
    }

    /// The rejection for blocking rule `index`, which just failed on the current event.
    func rejection(rule index: Int) -> Rejection {
        let rule = rules.rules[index]
        let path = rule.field.path
        let slot = slots[rule.field.rawValue]
        let t = typed[rule.field.rawValue]
        let detail: String
        switch rule.expectation {
        case .notNull:
            var text = slot.kind == .null ? "\(path) is null" : "\(path) is missing"
            if let condition = rule.condition {
                text += " (required when \(condition.field.path) is \(Self.excerpt(typed[condition.field.rawValue])))"
            }
            detail = text
        case .type(let type):
            var text = "\(path) must be \(Self.describe(type)), got \(slot.kind.name)"
            switch t.problem {
            case .unparseableString: text += " \(Self.excerpt(slot)) that does not parse"
            case .notWholeNumber: text += " \(Self.excerpt(slot)) that is not a whole number in the 64-bit range"
            default: break
            }
            detail = text
        case .between(let min, let minExclusive, let max, let maxExclusive):
            let low = min.map { (minExclusive ? "(" : "[") + Self.format($0) } ?? "(-∞"
            let high = max.map { Self.format($0) + (maxExclusive ? ")" : "]") } ?? "∞)"
            let value = rule.field.valueType == .number ? Self.format(t.number) : String(t.integer)
            detail = "\(path) \(value) is outside \(low), \(high)"
        case .inSet:
            detail = "\(path) \(Self.excerpt(t)) is not one of the allowed values"
        case .regex(let pattern):
            detail = "\(path) \(Self.excerpt(t)) does not match \(pattern.source)"
        case .unique:
            detail = "\(path) \(Self.excerpt(t)) repeats an accepted event among the last \(window.capacity)"
        case .receivedWithin(let future, let past):
            detail = receivedWithinDetail(path: path, timeMs: t.integer, maxFutureMs: future, maxPastMs: past)
        }
        return Rejection(reason: rule.reason, detail: detail, check: rule.name)
    }

    /// Which bound fired, by how much, and whether the time was corrected from the device's.
    private func receivedWithinDetail(path: String, timeMs: Int64, maxFutureMs: Int64?, maxPastMs: Int64?) -> String {
        let ahead = timeMs > receivedTimeMs
        let (gap, overflow) = (ahead ? timeMs : receivedTimeMs).subtractingReportingOverflow(ahead ? receivedTimeMs : timeMs)
        let distance = overflow ? "more than \(Int64.max) ms" : "\(gap) ms"
        var text = "\(path) \(timeMs) is \(distance) \(ahead ? "after" : "before") its receive time \(receivedTimeMs)"
        text += ahead ? " (max_future \(maxFutureMs ?? .max) ms)" : " (max_past \(maxPastMs ?? .max) ms)"
        if let deviceTimeMs {
            text += "; corrected from device time \(deviceTimeMs) sent at \(typed[EventField.sentAt.rawValue].integer)"
        }
        return text
    }

    private static func describe(_ type: EventField.ValueType) -> String {
        switch type {
        case .string: "a string"
        case .label: "a string"
        case .timestamp: "epoch ms (a whole number or a decimal string) or an ISO-8601 UTC date-time string"
        case .number: "a number or a numeric string"
        case .integer: "a whole number"
        case .object: "an object"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Up to 48 bytes of a value's text, quoted; longer text is cut on a character boundary with `…`.
    static func excerpt(_ t: TypedValue) -> String {
        guard t.ok else { return "(invalid)" }
        return quote(t.textBuffer)
    }

    static func excerpt(_ slot: ValueSlot) -> String {
        quote(UnsafeRawBufferPointer(start: slot.base, count: slot.count))
    }

    private static func quote(_ bytes: UnsafeRawBufferPointer) -> String {
        var n = min(bytes.count, 48)
        while n > 0, n < bytes.count, bytes[n] & 0xC0 == 0x80 { n -= 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<n]), as: UTF8.self)
        return "\"" + text + (n < bytes.count ? "…" : "") + "\""
    }
}
