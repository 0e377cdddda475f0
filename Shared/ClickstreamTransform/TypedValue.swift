/// One field's value after type checking and cleaning, computed once per event from its ``ValueSlot``.
struct TypedValue {
    /// Why a present value does not have its field's type, for the rejection detail.
    enum Problem: UInt8 {
        case none, wrongKind, unparseableString, notWholeNumber
    }

    /// The value has its field's schema type (after cleaning).
    var ok = false
    /// Cleaning was needed: a numeric or ISO string, or a label with padding or capitals.
    var cleaned = false
    var problem = Problem.none
    /// `timestamp` in epoch ms, `sequence`.
    var integer: Int64 = 0
    /// Every numeric field's value (integers too), for `between` rules.
    var number: Double = 0
    /// `price` in micros, `song.lengthSeconds` in ms: exact from the decimal digits, rounded half away from zero.
    var scaled: Int64 = 0
    /// String and label content (unescaped; labels trimmed, not yet lowercased).
    var text: UnsafeRawPointer?
    var textCount = 0
    /// A label holds ASCII capitals: it is lowercased when compared and written.
    var needsLowercase = false

    static var unchecked: TypedValue { TypedValue() }

    @inline(__always)
    var textBuffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: text, count: textCount) }
}

extension TypedValue {
    /// Types `slot` as `field` requires, in place (no 64-byte copy per field), unescaping strings into
    /// `scratch` when they hold escapes.
    static func fill(_ t: inout TypedValue, _ slot: ValueSlot, as field: EventField, scratch: inout ScratchBuffer) {
        t.ok = false
        t.cleaned = false
        t.problem = .none
        t.needsLowercase = false
        switch field.valueType {
        case .string, .label:
            guard slot.kind == .string else {
                t.problem = .wrongKind
                return
            }
            t.ok = true
            (t.text, t.textCount) = content(slot, &scratch)
            if field.valueType == .label { normalize(&t) }
        case .object:
            t.ok = slot.kind == .object
            if !t.ok { t.problem = .wrongKind }
        case .timestamp:
            if slot.kind == .number {
                if let n = DecimalNumber.parse(slot.base!, count: slot.count), let ms = n.integer {
                    t.set(integer: ms)
                } else {
                    t.problem = .notWholeNumber
                }
            } else if slot.kind == .string {
                let (p, n) = content(slot, &scratch)
                if let p, let ms = TimestampParsing.parse(p, count: n) {
                    t.set(integer: ms)
                    t.cleaned = true
                } else {
                    t.problem = .unparseableString
                }
            } else {
                t.problem = .wrongKind
            }
        case .integer:
            if slot.kind == .number {
                if let n = DecimalNumber.parse(slot.base!, count: slot.count), let v = n.integer {
                    t.set(integer: v)
                } else {
                    t.problem = .notWholeNumber
                }
            } else {
                t.problem = .wrongKind
            }
        case .number:
            var parsed: DecimalNumber?
            if slot.kind == .number {
                parsed = DecimalNumber.parse(slot.base!, count: slot.count)
            } else if slot.kind == .string {
                let (p, n) = content(slot, &scratch)
                if let p { parsed = DecimalNumber.parse(p, count: n) }
                t.cleaned = true
            }
            guard let parsed else {
                t.problem = slot.kind == .string ? .unparseableString : .wrongKind
                t.cleaned = false
                return
            }
            t.ok = true
            t.number = parsed.double
            switch field {
            case .price: t.scaled = parsed.scaled(byPowerOfTen: 6) ?? (parsed.negative ? .min : .max)
            case .songLengthSeconds: t.scaled = parsed.scaled(byPowerOfTen: 3) ?? (parsed.negative ? .min : .max)
            default: break
            }
        }
    }

    @inline(__always)
    private mutating func set(integer value: Int64) {
        ok = true
        integer = value
        number = Double(value)
    }

    /// A string slot's decoded content: the payload bytes themselves unless it holds escapes.
    @inline(__always)
    private static func content(_ slot: ValueSlot, _ scratch: inout ScratchBuffer) -> (UnsafeRawPointer?, Int) {
        guard slot.escaped else { return (slot.base, slot.count) }
        let decoded = scratch.unescape(slot.base!, count: slot.count)
        return (decoded.baseAddress, decoded.count)
    }

    /// Trims ASCII spaces and tabs and notes capitals: `" Page_View\t"` → `Page_View`, lowercased on output.
    @inline(__always)
    private static func normalize(_ t: inout TypedValue) {
        guard var p = t.text else { return }
        var n = t.textCount
        while n > 0, p.load(as: UInt8.self) == 0x20 || p.load(as: UInt8.self) == 0x09 {
            p += 1
            n -= 1
        }
        while n > 0, p.load(fromByteOffset: n - 1, as: UInt8.self) == 0x20 || p.load(fromByteOffset: n - 1, as: UInt8.self) == 0x09 {
            n -= 1
        }
        var upper = false
        for i in 0..<n where p.load(fromByteOffset: i, as: UInt8.self) &- 0x41 < 26 { upper = true }
        t.cleaned = n != t.textCount || upper
        t.needsLowercase = upper
        t.text = p
        t.textCount = n
    }

    /// Whether the (normalized) text equals `candidate`, comparing labels case-insensitively (ASCII).
    @inline(__always)
    func textEquals(_ candidate: UnsafeRawBufferPointer) -> Bool {
        guard candidate.count == textCount else { return false }
        guard textCount > 0, let text else { return true }
        if !needsLowercase { return memoryEqual(text, candidate.baseAddress!, textCount) }
        for i in 0..<textCount {
            var b = text.load(fromByteOffset: i, as: UInt8.self)
            if b &- 0x41 < 26 { b |= 0x20 }
            if b != candidate[i] { return false }
        }
        return true
    }
}
