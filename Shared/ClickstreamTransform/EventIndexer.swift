/// Indexes one event payload: the slot of every known field (top level and inside `song`, `device`,
/// `location`) and the list of unknown members, as byte ranges; everything deeper is validated and skipped.
///
/// Policy on duplicate member names (RFC 8259 leaves them to the implementation): in the objects the
/// transformer reads, a repeated name is `invalid_json`, since picking one value silently would let two
/// consumers of the same bytes disagree. Inside unknown values (kept as JSON text) they are left alone.
struct EventIndexer {
    var scanner: JSONScanner
    let slots: UnsafeMutablePointer<ValueSlot>
    var scratch: ScratchBuffer

    /// Scans the whole payload into `slots` (reset by the caller) and `unknowns` (emptied by the caller).
    mutating func index(unknowns: inout [UnknownMember]) throws(JSONSyntaxError) {
        if scanner.end - scanner.p >= 3, scanner.p.load(as: UInt8.self) == 0xEF,
            scanner.p.load(fromByteOffset: 1, as: UInt8.self) == 0xBB,
            scanner.p.load(fromByteOffset: 2, as: UInt8.self) == 0xBF
        {
            throw scanner.error(.byteOrderMark)
        }
        scanner.skipWhitespace()
        guard try scanner.peek() == 0x7B else {
            // Still tell a well-formed non-object from garbage, for the detail.
            let before = scanner
            _ = try scanner.skipValue(depth: 0)
            scanner.skipWhitespace()
            guard scanner.p == scanner.end else { throw scanner.error(.trailingData) }
            throw before.error(.notAnObject)
        }
        try indexObject(parent: nil, depth: 1, unknowns: &unknowns)
        scanner.skipWhitespace()
        guard scanner.p == scanner.end else { throw scanner.error(.trailingData) }
    }

    private mutating func indexObject(
        parent: EventField?, depth: Int, unknowns: inout [UnknownMember]
    ) throws(JSONSyntaxError) {
        guard depth <= scanner.maxDepth else { throw scanner.error(.tooDeep(scanner.maxDepth)) }
        scanner.p += 1
        scanner.skipWhitespace()
        if try scanner.peek() == 0x7D {
            scanner.p += 1
            return
        }
        while true {
            try scanner.expect(0x22)
            let keyStart = scanner.p
            let keyEscaped = try scanner.scanStringBody()
            let keyCount = scanner.p - 1 - keyStart
            scanner.skipWhitespace()
            try scanner.expect(0x3A)
            scanner.skipWhitespace()
            let field: EventField?
            if keyEscaped {
                let mark = scratch.used
                let key = scratch.unescape(keyStart, count: keyCount)
                field = KeyMatcher.field(key.baseAddress!, count: key.count, parent: parent)
                scratch.used = mark
            } else {
                field = KeyMatcher.field(keyStart, count: keyCount, parent: parent)
            }
            if let field {
                let slot = slots + field.rawValue
                guard slot.pointee.kind == .absent else { throw JSONSyntaxError(.duplicateKey, at: keyStart - 1 - scanner.start) }
                let b = try scanner.peek()
                let valueStart = scanner.p
                if b == 0x22 {
                    scanner.p += 1
                    let escaped = try scanner.scanStringBody()
                    slot.pointee = ValueSlot(
                        base: valueStart + 1, count: scanner.p - valueStart - 2, kind: .string, escaped: escaped)
                } else if b == 0x7B, parent == nil, field.valueType == .object {
                    try indexObject(parent: field, depth: depth + 1, unknowns: &unknowns)
                    slot.pointee = ValueSlot(base: valueStart, count: scanner.p - valueStart, kind: .object, escaped: false)
                } else {
                    let kind = try scanner.skipValue(depth: depth)
                    slot.pointee = ValueSlot(base: valueStart, count: scanner.p - valueStart, kind: kind, escaped: false)
                }
            } else {
                let valueStart = scanner.p
                _ = try scanner.skipValue(depth: depth)
                let member = UnknownMember(
                    parent: parent, key: keyStart, keyCount: keyCount, keyEscaped: keyEscaped, value: valueStart,
                    valueCount: scanner.p - valueStart)
                for other in unknowns where other.parent == parent && sameKey(other, member) {
                    throw JSONSyntaxError(.duplicateKey, at: keyStart - 1 - scanner.start)
                }
                unknowns.append(member)
            }
            scanner.skipWhitespace()
            let b = try scanner.peek()
            if b == 0x2C {
                scanner.p += 1
                scanner.skipWhitespace()
            } else if b == 0x7D {
                scanner.p += 1
                return
            } else {
                throw scanner.error(.unexpectedByte(b))
            }
        }
    }

    /// Whether two member names decode to the same text.
    private mutating func sameKey(_ a: UnknownMember, _ b: UnknownMember) -> Bool {
        if !a.keyEscaped && !b.keyEscaped {
            return a.keyCount == b.keyCount && memoryEqual(a.key, b.key, a.keyCount)
        }
        let mark = scratch.used
        defer { scratch.used = mark }
        let x = a.keyEscaped ? scratch.unescape(a.key, count: a.keyCount) : UnsafeRawBufferPointer(start: a.key, count: a.keyCount)
        let y = b.keyEscaped ? scratch.unescape(b.key, count: b.keyCount) : UnsafeRawBufferPointer(start: b.key, count: b.keyCount)
        return x.count == y.count && (x.count == 0 || memoryEqual(x.baseAddress!, y.baseAddress!, x.count))
    }
}

/// Byte equality of two ranges of `count` bytes.
@inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
