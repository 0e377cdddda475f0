/// A strict RFC 8259 scanner over borrowed bytes: validates as it goes and never builds a tree.
///
/// It skips whole values (``skipValue(depth:)``) or scans strings and numbers so the caller can record their
/// byte ranges; ``EventIndexer`` drives it to index one event. Strings are checked for valid escapes (with
/// paired surrogates) and valid UTF-8, eight bytes at a time while they hold plain ASCII.
struct JSONScanner {
    let start: UnsafeRawPointer
    let end: UnsafeRawPointer
    /// The next byte to read.
    var p: UnsafeRawPointer
    /// Objects and arrays may nest this deep (the top-level object is depth 1).
    let maxDepth: Int

    init(start: UnsafeRawPointer, count: Int, maxDepth: Int) {
        self.start = start
        self.end = start + count
        self.p = start
        self.maxDepth = maxDepth
    }

    @inline(__always)
    var offset: Int { p - start }

    @inline(__always)
    func error(_ kind: JSONSyntaxError.Kind) -> JSONSyntaxError {
        JSONSyntaxError(kind, at: p - start)
    }

    // MARK: - Bytes

    @inline(__always)
    mutating func skipWhitespace() {
        while p < end {
            let b = p.load(as: UInt8.self)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            p += 1
        }
    }

    /// The next byte, not consumed.
    @inline(__always)
    func peek() throws(JSONSyntaxError) -> UInt8 {
        guard p < end else { throw error(.unexpectedEnd) }
        return p.load(as: UInt8.self)
    }

    /// Consumes `byte` or throws.
    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
        let b = try peek()
        guard b == byte else { throw error(.unexpectedByte(b)) }
        p += 1
    }

    // MARK: - Strings

    /// Scans a string's content; `p` is just after the opening quote and ends just after the closing one.
    ///
    /// - Returns: whether the content holds escapes (the caller unescapes lazily, only if it needs the text).
    @inline(__always)
    mutating func scanStringBody() throws(JSONSyntaxError) -> Bool {
        var escaped = false
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        while true {
            // Eight bytes at a time while none is a quote, a backslash, a control character or non-ASCII.
            while end - p >= 8 {
                let w = p.loadUnaligned(as: UInt64.self)
                let quote = w ^ (ones &* 0x22)
                let backslash = w ^ (ones &* 0x5C)
                let special =
                    ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w) | w
                let flagged = special & high
                if flagged != 0 {
                    // The lowest flagged byte is exact (borrows only run upward): jump straight to it.
                    p += flagged.trailingZeroBitCount >> 3
                    break
                }
                p += 8
            }
            guard p < end else { throw error(.unexpectedEnd) }
            let b = p.load(as: UInt8.self)
            if b == 0x22 {
                p += 1
                return escaped
            }
            if b == 0x5C {
                try scanEscape()
                escaped = true
            } else if b < 0x20 {
                throw error(.controlCharacter)
            } else if b < 0x80 {
                p += 1
            } else {
                let length = UTF8Validation.sequenceLength(p, end: end, lead: b)
                guard length > 0 else { throw error(.invalidUTF8) }
                p += length
            }
        }
    }

    /// Validates one escape; `p` is at the backslash.
    private mutating func scanEscape() throws(JSONSyntaxError) {
        guard end - p >= 2 else { throw JSONSyntaxError(.unexpectedEnd, at: end - start) }
        switch p.load(fromByteOffset: 1, as: UInt8.self) {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
            p += 2
        case 0x75:  // u
            guard let unit = hex4(at: 2) else { throw error(.invalidEscape) }
            switch unit {
            case 0: throw error(.nulEscape)
            case 0xD800...0xDBFF:
                guard end - p >= 12, p.load(fromByteOffset: 6, as: UInt8.self) == 0x5C,
                    p.load(fromByteOffset: 7, as: UInt8.self) == 0x75, let low = hex4(at: 8),
                    (0xDC00...0xDFFF).contains(low)
                else { throw error(.loneSurrogate) }
                p += 12
            case 0xDC00...0xDFFF: throw error(.loneSurrogate)
            default: p += 6
            }
        default:
            throw error(.invalidEscape)
        }
    }

    /// The four hex digits at `p + offset`, or `nil`.
    @inline(__always)
    private func hex4(at offset: Int) -> UInt16? {
        guard end - p >= offset + 4 else { return nil }
        var value: UInt16 = 0
        for i in offset..<(offset + 4) {
            guard let digit = JSONUnescaper.hexValue(p.load(fromByteOffset: i, as: UInt8.self)) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    // MARK: - Numbers and literals

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; `p` is at its first byte.
    @inline(__always)
    mutating func scanNumber() throws(JSONSyntaxError) {
        if p.load(as: UInt8.self) == 0x2D { p += 1 }
        guard p < end else { throw error(.unexpectedEnd) }
        let first = p.load(as: UInt8.self)
        if first == 0x30 {
            p += 1
        } else if first &- 0x31 < 9 {
            p += 1
            skipDigits()
        } else {
            throw error(.invalidNumber)
        }
        if p < end, p.load(as: UInt8.self) == 0x2E {
            p += 1
            try requireDigits()
        }
        if p < end, p.load(as: UInt8.self) | 0x20 == 0x65 {
            p += 1
            if p < end, p.load(as: UInt8.self) == 0x2B || p.load(as: UInt8.self) == 0x2D { p += 1 }
            try requireDigits()
        }
    }

    @inline(__always)
    private mutating func skipDigits() {
        while p < end, p.load(as: UInt8.self) &- 0x30 < 10 { p += 1 }
    }

    @inline(__always)
    private mutating func requireDigits() throws(JSONSyntaxError) {
        guard p < end, p.load(as: UInt8.self) &- 0x30 < 10 else {
            throw p < end ? error(.invalidNumber) : error(.unexpectedEnd)
        }
        skipDigits()
    }

    /// Consumes `true`, `false` or `null`, whichever `word` is.
    @inline(__always)
    mutating func scanLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        for i in 0..<n {
            guard p < end else { throw error(.unexpectedEnd) }
            let b = p.load(as: UInt8.self)
            guard b == word.utf8Start[i] else { throw error(.unexpectedByte(b)) }
            p += 1
        }
    }

    // MARK: - Whole values

    /// Scans any value at `p` (after whitespace) and returns its kind; for strings `p` ends after the quote.
    mutating func skipValue(depth: Int) throws(JSONSyntaxError) -> JSONKind {
        let b = try peek()
        switch b {
        case 0x22:
            p += 1
            _ = try scanStringBody()
            return .string
        case 0x7B:
            try skipObject(depth: depth + 1)
            return .object
        case 0x5B:
            try skipArray(depth: depth + 1)
            return .array
        case 0x74:
            try scanLiteral("true")
            return .bool
        case 0x66:
            try scanLiteral("false")
            return .bool
        case 0x6E:
            try scanLiteral("null")
            return .null
        case 0x2D, 0x30...0x39:
            try scanNumber()
            return .number
        default:
            throw error(.unexpectedByte(b))
        }
    }

    private mutating func skipObject(depth: Int) throws(JSONSyntaxError) {
        guard depth <= maxDepth else { throw error(.tooDeep(maxDepth)) }
        p += 1
        skipWhitespace()
        if try peek() == 0x7D {
            p += 1
            return
        }
        while true {
            try expect(0x22)
            _ = try scanStringBody()
            skipWhitespace()
            try expect(0x3A)
            skipWhitespace()
            _ = try skipValue(depth: depth)
            skipWhitespace()
            let b = try peek()
            p += 1
            if b == 0x2C {
                skipWhitespace()
            } else if b != 0x7D {
                p -= 1
                throw error(.unexpectedByte(b))
            } else {
                return
            }
        }
    }

    private mutating func skipArray(depth: Int) throws(JSONSyntaxError) {
        guard depth <= maxDepth else { throw error(.tooDeep(maxDepth)) }
        p += 1
        skipWhitespace()
        if try peek() == 0x5D {
            p += 1
            return
        }
        while true {
            _ = try skipValue(depth: depth)
            skipWhitespace()
            let b = try peek()
            p += 1
            if b == 0x2C {
                skipWhitespace()
            } else if b != 0x5D {
                p -= 1
                throw error(.unexpectedByte(b))
            } else {
                return
            }
        }
    }
}

/// The kind of a JSON value, as the index records it.
enum JSONKind: UInt8 {
    case absent, null, bool, number, string, object, array

    /// How error details name it.
    var name: String {
        switch self {
        case .absent: "absent"
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .object: "object"
        case .array: "array"
        }
    }
}
