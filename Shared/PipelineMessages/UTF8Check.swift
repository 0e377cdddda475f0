/// A UTF-8 validator that also rejects NUL, without allocating.
///
/// `String(validating:)` would allocate a string for every field only to throw it away, and the standard
/// library's allocation-free `UTF8Span` needs newer Apple platforms than this package supports.
enum UTF8Check {
    struct Problem: Equatable {
        /// Byte offset of the first bad sequence.
        var offset: Int
        /// The problem is a NUL character, which is valid UTF-8 but not representable in protobuf-c.
        var isNUL: Bool
    }

    /// The first invalid sequence or NUL in `bytes`, or nil when the text is clean.
    static func firstProblem(in bytes: UnsafeRawBufferPointer) -> Problem? {
        let count = bytes.count
        var index = 0
        while index < count {
            // Fast path: eight ASCII bytes without a NUL at a time; most pipeline text is ASCII.
            if index + 8 <= count {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let hasZeroByte = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if word & 0x8080_8080_8080_8080 == 0, hasZeroByte == 0 {
                    index += 8
                    continue
                }
            }
            let lead = bytes[index]
            if lead < 0x80 {
                if lead == 0 { return Problem(offset: index, isNUL: true) }
                index += 1
                continue
            }
            // Table 3-7 of the Unicode standard: well-formed byte sequences.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
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
            default: return Problem(offset: index, isNUL: false)
            }
            guard index + length <= count else { return Problem(offset: index, isNUL: false) }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return Problem(offset: index, isNUL: false) }
            for continuation in (index + 2)..<(index + length) where bytes[continuation] & 0xC0 != 0x80 {
                return Problem(offset: index, isNUL: false)
            }
            index += length
        }
        return nil
    }
}
