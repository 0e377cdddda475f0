/// Writes into memory sized in advance; the caller guarantees the capacity.
struct RawWriter {
    let base: UnsafeMutablePointer<UInt8>
    var position = 0

    @inline(__always)
    mutating func copy(_ slice: FragmentArena.Slice, from arena: UnsafePointer<UInt8>) {
        (base + position).update(from: arena + slice.start, count: slice.count)
        position += slice.count
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base[position] = b
        position += 1
    }

    /// Decimal digits of `value` (at most 20 bytes).
    @inline(__always)
    mutating func uint(_ value: UInt64) {
        var v = value
        var length = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            length += 1
        }
        var i = position + length - 1
        repeat {
            base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        } while v != 0
        position += length
    }

    /// Decimal digits of `value`, with a leading `-` when negative (at most 20 bytes).
    @inline(__always)
    mutating func int(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        uint(value.magnitude)
    }

    /// Exactly 16 lowercase hex digits.
    @inline(__always)
    mutating func hex16(_ value: UInt64) {
        for i in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: (value >> UInt64(60 - 4 * i)) & 0xF)
            base[position + i] = nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble - 10)
        }
        position += 16
    }
}
