/// UTF-8 well-formedness (Unicode Table 3-7): the contract's first check, run over the whole payload.
///
/// The JSON scanner validates the bytes inside strings as it goes (every other byte of a valid JSON text is
/// ASCII), so the full pass below runs only when scanning fails, to tell `invalid_utf8` from `invalid_json`.
enum UTF8Validation {
    /// The offset of the first ill-formed sequence in `bytes`, or `nil` when all of it is UTF-8.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let end = base + bytes.count
        var p = base
        while p < end {
            if end - p >= 8, p.loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                p += 8
                continue
            }
            let lead = p.load(as: UInt8.self)
            if lead < 0x80 {
                p += 1
                continue
            }
            let length = sequenceLength(p, end: end, lead: lead)
            if length == 0 { return p - base }
            p += length
        }
        return nil
    }

    /// The length of the well-formed multi-byte sequence at `p` starting with `lead` (≥ 0x80), or 0.
    @inline(__always)
    static func sequenceLength(_ p: UnsafeRawPointer, end: UnsafeRawPointer, lead: UInt8) -> Int {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0  // no overlong forms
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F  // no surrogates
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F  // nothing above U+10FFFF
        default: return 0
        }
        guard end - p >= length else { return 0 }
        let second = p.load(fromByteOffset: 1, as: UInt8.self)
        guard second >= low, second <= high else { return 0 }
        var i = 2
        while i < length {
            if p.load(fromByteOffset: i, as: UInt8.self) & 0xC0 != 0x80 { return 0 }
            i += 1
        }
        return length
    }
}
