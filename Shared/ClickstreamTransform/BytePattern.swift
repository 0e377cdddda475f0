/// The small regular-expression subset `regex` rules may use, matched in linear time over UTF-8 bytes.
///
/// Supported: anchoring `^…$` (required: every pattern matches the whole value), literal bytes, `.` (any
/// byte), `\d` `\w` `\s`, escaped punctuation (`\.`, `\-`…), classes `[a-z0-9_]` and `[^…]` with ranges, and
/// the quantifiers `?` `*` `+` `{n}` `{n,}` `{n,m}` on a single atom. Groups, alternation, backreferences,
/// lookaround and lazy quantifiers are refused when the rules load. Matching simulates the automaton state by
/// state (no backtracking), so a hostile value cannot make it slow. Classes are byte-oriented: `.` matches one
/// byte of a multi-byte character.
public struct BytePattern: Sendable, Equatable {
    /// One position of the expanded pattern: a byte set and whether it may be skipped or repeated.
    struct Element: Sendable, Equatable {
        enum Repeat: Sendable, Equatable { case once, optional, star }
        var set: SIMD4<UInt64>
        var repeats: Repeat

        @inline(__always)
        func matches(_ byte: UInt8) -> Bool {
            set[Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0
        }
    }

    /// Why a pattern was refused.
    public struct Unsupported: Error, Sendable, Equatable {
        public var message: String
    }

    /// At most this many positions after expanding counted repeats (the state set is 256 bits).
    static let maxElements = 255

    public let source: String
    let elements: [Element]
    /// Every element matches exactly once (no `?`, `*`, `+`, `{n,m}` ranges): a length check and one set lookup
    /// per byte decide, with no state sets.
    let isFixedLength: Bool

    /// Compiles `pattern` or throws ``Unsupported`` naming the construct it cannot handle.
    public init(_ pattern: String) throws(Unsupported) {
        source = pattern
        var parser = Parser(Array(pattern.utf8))
        elements = try parser.parse()
        isFixedLength = elements.allSatisfy { $0.repeats == .once }
    }

    /// Whether the whole of `bytes` matches.
    public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let k = elements.count
        if isFixedLength {
            guard bytes.count == k else { return false }
            return elements.withUnsafeBufferPointer { e in
                for i in 0..<k where !e[i].matches(bytes[i]) { return false }
                return true
            }
        }
        return elements.withUnsafeBufferPointer { e in
            var states = closure(SIMD4(1, 0, 0, 0), e)
            for byte in bytes {
                var next = SIMD4<UInt64>(repeating: 0)
                for i in 0..<k where Self.has(states, i) && e[i].matches(byte) {
                    Self.insert(&next, e[i].repeats == .star ? i : i + 1)
                }
                if next == SIMD4(repeating: 0) { return false }
                states = closure(next, e)
            }
            return Self.has(states, k)
        }
    }

    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Adds every position reachable by skipping optional and starred elements.
    @inline(__always)
    private func closure(_ states: SIMD4<UInt64>, _ e: UnsafeBufferPointer<Element>) -> SIMD4<UInt64> {
        var s = states
        for i in 0..<e.count where e[i].repeats != .once && Self.has(s, i) { Self.insert(&s, i + 1) }
        return s
    }

    @inline(__always)
    private static func has(_ s: SIMD4<UInt64>, _ i: Int) -> Bool { s[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    @inline(__always)
    private static func insert(_ s: inout SIMD4<UInt64>, _ i: Int) { s[i >> 6] |= 1 << UInt64(i & 63) }
}

// MARK: - Parsing

extension BytePattern {
    private struct Parser {
        let b: [UInt8]
        var i = 0

        init(_ bytes: [UInt8]) { b = bytes }

        mutating func parse() throws(Unsupported) -> [Element] {
            guard b.first == UInt8(ascii: "^"), b.count >= 2, b.last == UInt8(ascii: "$"),
                b[b.count - 2] != UInt8(ascii: "\\")
            else { throw Unsupported(message: "patterns must be anchored: ^…$") }
            i = 1
            let end = b.count - 1
            var out: [Element] = []
            while i < end {
                let set = try atom(end: end)
                var low = 1
                var high: Int? = 1  // nil: unbounded
                if i < end {
                    switch b[i] {
                    case UInt8(ascii: "?"): (low, high, i) = (0, 1, i + 1)
                    case UInt8(ascii: "*"): (low, high, i) = (0, nil, i + 1)
                    case UInt8(ascii: "+"): (low, high, i) = (1, nil, i + 1)
                    case UInt8(ascii: "{"): (low, high) = try counts(end: end)
                    default: break
                    }
                    if i < end, [UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{")].contains(b[i]) {
                        throw Unsupported(message: "stacked or lazy quantifiers are not supported")
                    }
                }
                for _ in 0..<low { out.append(Element(set: set, repeats: .once)) }
                if let high {
                    for _ in low..<high { out.append(Element(set: set, repeats: .optional)) }
                } else {
                    out.append(Element(set: set, repeats: .star))
                }
                guard out.count <= BytePattern.maxElements else {
                    throw Unsupported(message: "pattern too long after expanding repeats (max \(BytePattern.maxElements))")
                }
            }
            return out
        }

        private mutating func atom(end: Int) throws(Unsupported) -> SIMD4<UInt64> {
            let c = b[i]
            i += 1
            switch c {
            case UInt8(ascii: "."): return SIMD4(repeating: .max)
            case UInt8(ascii: "["): return try bracket(end: end)
            case UInt8(ascii: "\\"): return try escape(end: end)
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"):
                throw Unsupported(message: "groups and alternation are not supported")
            case UInt8(ascii: "^"), UInt8(ascii: "$"):
                throw Unsupported(message: "anchors are only allowed at the ends")
            case UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                UInt8(ascii: "]"):
                throw Unsupported(message: "unexpected '\(Character(Unicode.Scalar(c)))' at position \(i - 1)")
            default: return Self.single(c)
            }
        }

        private mutating func escape(end: Int) throws(Unsupported) -> SIMD4<UInt64> {
            guard i < end else { throw Unsupported(message: "dangling backslash") }
            let c = b[i]
            i += 1
            switch c {
            case UInt8(ascii: "d"): return Self.range(0x30, 0x39)
            case UInt8(ascii: "w"):
                return Self.range(0x30, 0x39) | Self.range(0x41, 0x5A) | Self.range(0x61, 0x7A) | Self.single(0x5F)
            case UInt8(ascii: "s"): return Self.single(0x20) | Self.range(0x09, 0x0D)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                throw Unsupported(message: "escape \\\(Character(Unicode.Scalar(c))) is not supported")
            default: return Self.single(c)
            }
        }

        private mutating func bracket(end: Int) throws(Unsupported) -> SIMD4<UInt64> {
            var set = SIMD4<UInt64>(repeating: 0)
            var negate = false
            if i < end, b[i] == UInt8(ascii: "^") {
                negate = true
                i += 1
            }
            var first = true
            while true {
                guard i < end else { throw Unsupported(message: "unterminated character class") }
                var c = b[i]
                if c == UInt8(ascii: "]") && !first { break }
                first = false
                i += 1
                if c == UInt8(ascii: "\\") {
                    guard i < end else { throw Unsupported(message: "dangling backslash") }
                    let e = b[i]
                    if e == UInt8(ascii: "d") || e == UInt8(ascii: "w") || e == UInt8(ascii: "s") {
                        set |= try escape(end: end)
                        continue
                    }
                    c = e
                    i += 1
                }
                if i + 1 < end, b[i] == UInt8(ascii: "-"), b[i + 1] != UInt8(ascii: "]") {
                    let hi = b[i + 1]
                    guard hi >= c else { throw Unsupported(message: "reversed range in character class") }
                    set |= Self.range(c, hi)
                    i += 2
                } else {
                    set |= Self.single(c)
                }
            }
            i += 1
            return negate ? ~set : set
        }

        private mutating func counts(end: Int) throws(Unsupported) -> (Int, Int?) {
            i += 1
            func number() -> Int? {
                var v: Int?
                while i < end, b[i] >= 0x30, b[i] <= 0x39 {
                    v = min((v ?? 0) * 10 + Int(b[i] - 0x30), 10_000)
                    i += 1
                }
                return v
            }
            guard let low = number() else { throw Unsupported(message: "malformed {n,m} repeat") }
            var high: Int? = low
            if i < end, b[i] == UInt8(ascii: ",") {
                i += 1
                high = number()
            }
            guard i < end, b[i] == UInt8(ascii: "}") else { throw Unsupported(message: "malformed {n,m} repeat") }
            i += 1
            if let high, high < low { throw Unsupported(message: "{n,m} repeat with m < n") }
            return (low, high)
        }

        static func single(_ c: UInt8) -> SIMD4<UInt64> {
            var s = SIMD4<UInt64>(repeating: 0)
            s[Int(c >> 6)] |= 1 << UInt64(c & 63)
            return s
        }

        static func range(_ lo: UInt8, _ hi: UInt8) -> SIMD4<UInt64> {
            var s = SIMD4<UInt64>(repeating: 0)
            for c in lo...hi { s |= single(c) }
            return s
        }
    }
}
