/// Where one field's value sits in the payload (or, once unescaped, in the scratch buffer).
struct ValueSlot {
    /// For strings the content between the quotes, for anything else the raw JSON text.
    var base: UnsafeRawPointer?
    var count: Int
    var kind: JSONKind
    /// The string content still holds escapes.
    var escaped: Bool

    static var absent: ValueSlot { ValueSlot(base: nil, count: 0, kind: .absent, escaped: false) }

    /// Present and not `null`: the contract treats `null` as absent.
    @inline(__always)
    var isPresent: Bool { kind.rawValue > JSONKind.null.rawValue }
}

/// A member the schema does not name: it becomes a `CleanEvent.attributes` entry.
struct UnknownMember {
    /// The known object it sits in, `nil` at the top level.
    var parent: EventField?
    var key: UnsafeRawPointer
    var keyCount: Int
    var keyEscaped: Bool
    /// The value's JSON text exactly as received.
    var value: UnsafeRawPointer
    var valueCount: Int
}

/// A bump allocator over one buffer at least as large as the payload: unescaped text always fits, because
/// decoding never lengthens a string.
struct ScratchBuffer {
    let base: UnsafeMutablePointer<UInt8>
    var used = 0

    /// Unescapes `count` bytes of validated string content at `source` into the buffer.
    @inline(__always)
    mutating func unescape(_ source: UnsafeRawPointer, count: Int) -> UnsafeRawBufferPointer {
        let target = base + used
        let n = JSONUnescaper.unescape(source, count: count, into: target)
        used += n
        return UnsafeRawBufferPointer(start: target, count: n)
    }
}
