/// A byte buffer with just enough JSON writing for the synthesizer's hot path: no Foundation, no `String`
/// round trips.
struct JSONBytes {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Raw bytes

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    @inline(__always)
    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func raw(_ b: [UInt8]) {
        bytes.append(contentsOf: b)
    }

    // MARK: - Strings

    /// Appends `s` as a quoted JSON string, escaping `"`, `\` and control characters.
    mutating func string(_ s: String) {
        byte(UInt8(ascii: "\""))
        Self.appendEscaped(s, to: &bytes)
        byte(UInt8(ascii: "\""))
    }

    /// The quoted, escaped JSON form of `s`, for fragments built once.
    static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        appendEscaped(s, to: &out)
        out.append(UInt8(ascii: "\""))
        return out
    }

    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
    }

    // MARK: - Numbers

    /// Appends `value` in decimal.
    mutating func int(_ value: Int64) {
        if value < 0 {
            byte(UInt8(ascii: "-"))
            uint(value.magnitude)
        } else {
            uint(UInt64(value))
        }
    }

    /// Appends `value` in decimal.
    mutating func uint(_ value: UInt64) {
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // room for 20 digits, never heap-allocated
        var v = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
                count += 1
            } while v != 0
            bytes.append(contentsOf: buffer[(20 - count)..<20])
        }
    }

    /// Appends `value / 10^decimals` with exactly `decimals` fraction digits, e.g. `(215347, 3)` → `215.347`.
    mutating func fixed(_ value: Int64, decimals: Int) {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        if value < 0 { byte(UInt8(ascii: "-")) }
        let m = value.magnitude
        uint(m / scale)
        guard decimals > 0 else { return }
        byte(UInt8(ascii: "."))
        pad(Int64(m % scale), decimals)
    }

    /// Appends `value` as exactly 16 lowercase hex digits.
    mutating func hex16(_ value: UInt64) {
        var digits: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: (value >> UInt64(60 - 4 * i)) & 0xF)
                buffer[i] = nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble - 10)
            }
            bytes.append(contentsOf: buffer)
        }
    }

    static func appendHex16(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let nibble = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF)
            out.append(nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble - 10))
        }
    }

    // MARK: - Time

    /// Appends `epochMs` as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, proleptic Gregorian; years 0...9999).
    mutating func iso8601(epochMs: Int64) {
        let civil = CivilTime(epochMs: epochMs)
        pad(civil.year, 4)
        byte(UInt8(ascii: "-"))
        pad(civil.month, 2)
        byte(UInt8(ascii: "-"))
        pad(civil.day, 2)
        byte(UInt8(ascii: "T"))
        pad(civil.hour, 2)
        byte(UInt8(ascii: ":"))
        pad(civil.minute, 2)
        byte(UInt8(ascii: ":"))
        pad(civil.second, 2)
        byte(UInt8(ascii: "."))
        pad(civil.millisecond, 3)
        byte(UInt8(ascii: "Z"))
    }

    /// Appends `value` (non-negative) zero-padded to exactly `width` digits.
    mutating func pad(_ value: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: (v / divisor) % 10))
            v %= divisor
            divisor /= 10
        }
    }
}
