/// Decodes the content of a JSON string that ``JSONScanner`` has already validated.
///
/// Only strings with escapes come here (the scanner reports them), and only when the transformer needs
/// their text: most ids and names are copied straight from the payload.
enum JSONUnescaper {
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// Writes the decoded UTF-8 of `count` validated content bytes at `source` to `target`.
    ///
    /// The output is never longer than the input, so `target` needs `count` bytes.
    /// - Returns: the number of bytes written.
    static func unescape(_ source: UnsafeRawPointer, count: Int, into target: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        var o = 0
        while i < count {
            let b = source.load(fromByteOffset: i, as: UInt8.self)
            guard b == 0x5C else {
                target[o] = b
                o += 1
                i += 1
                continue
            }
            let e = source.load(fromByteOffset: i + 1, as: UInt8.self)
            i += 2
            switch e {
            case 0x62: target[o] = 0x08
            case 0x66: target[o] = 0x0C
            case 0x6E: target[o] = 0x0A
            case 0x72: target[o] = 0x0D
            case 0x74: target[o] = 0x09
            case 0x75:
                var scalar = UInt32(hex4(source + i))
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {  // the scanner guarantees the low half follows
                    let low = UInt32(hex4(source + i + 2))
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                o += encode(scalar, into: target + o)
                continue
            default: target[o] = e  // " \ /
            }
            o += 1
        }
        return o
    }

    @inline(__always)
    private static func hex4(_ p: UnsafeRawPointer) -> UInt16 {
        var value: UInt16 = 0
        for k in 0..<4 { value = value << 4 | UInt16(hexValue(p.load(fromByteOffset: k, as: UInt8.self)) ?? 0) }
        return value
    }

    /// Writes `scalar` as UTF-8; returns the byte count.
    @inline(__always)
    private static func encode(_ scalar: UInt32, into t: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            t[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            t[0] = UInt8(0xC0 | scalar >> 6)
            t[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            t[0] = UInt8(0xE0 | scalar >> 12)
            t[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            t[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            t[0] = UInt8(0xF0 | scalar >> 18)
            t[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            t[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            t[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
