/// Protobuf wire-format output, written twice per message: once into a ``ProtoSizer`` to learn the exact
/// size (and each sub-message's length prefix), once into a ``ProtoWriter`` over the final buffer. Generic
/// code specializes to both, so the encoder is written once.
protocol ProtoSink {
    mutating func byte(_ b: UInt8)
    mutating func bytes(_ p: UnsafeRawPointer, _ n: Int)
    /// Copies ASCII capitals as lowercase.
    mutating func lowercased(_ p: UnsafeRawPointer, _ n: Int)
    mutating func fixed64(_ v: UInt64)
}

extension ProtoSink {
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(v))
    }

    /// Field `number` with wire type 0 (varint), 1 (fixed64) or 2 (length-delimited).
    @inline(__always)
    mutating func tag(_ number: Int, _ wireType: UInt8) {
        varint(UInt64(number) << 3 | UInt64(wireType))
    }

    /// A string or bytes field; proto3 leaves empty values out.
    @inline(__always)
    mutating func string(_ number: Int, _ p: UnsafeRawPointer?, _ n: Int) {
        guard n > 0, let p else { return }
        tag(number, 2)
        varint(UInt64(n))
        bytes(p, n)
    }

    /// A string field of a repeated or map entry: written even when empty.
    @inline(__always)
    mutating func element(_ number: Int, _ p: UnsafeRawPointer?, _ n: Int) {
        tag(number, 2)
        varint(UInt64(n))
        if n > 0, let p { bytes(p, n) }
    }

    @inline(__always)
    mutating func lowercasedString(_ number: Int, _ p: UnsafeRawPointer?, _ n: Int) {
        guard n > 0, let p else { return }
        tag(number, 2)
        varint(UInt64(n))
        lowercased(p, n)
    }

    /// An `int64` (negative values take ten bytes, as protobuf requires); 0 is left out.
    @inline(__always)
    mutating func int64(_ number: Int, _ value: Int64) {
        guard value != 0 else { return }
        tag(number, 0)
        varint(UInt64(bitPattern: value))
    }

    /// A `double`; +0.0 is left out (its bit pattern is the default).
    @inline(__always)
    mutating func double(_ number: Int, _ value: Double) {
        guard value.bitPattern != 0 else { return }
        tag(number, 1)
        fixed64(value.bitPattern)
    }

    @inline(__always)
    mutating func header(_ number: Int, length: Int) {
        tag(number, 2)
        varint(UInt64(length))
    }
}

/// Counts bytes only.
struct ProtoSizer: ProtoSink {
    var count = 0

    @inline(__always) mutating func byte(_ b: UInt8) { count += 1 }
    @inline(__always) mutating func bytes(_ p: UnsafeRawPointer, _ n: Int) { count += n }
    @inline(__always) mutating func lowercased(_ p: UnsafeRawPointer, _ n: Int) { count += n }
    @inline(__always) mutating func fixed64(_ v: UInt64) { count += 8 }
}

/// Writes into a buffer the sizer has measured.
struct ProtoWriter: ProtoSink {
    var p: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        p.pointee = b
        p += 1
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeRawPointer, _ n: Int) {
        UnsafeMutableRawPointer(p).copyMemory(from: source, byteCount: n)
        p += n
    }

    @inline(__always)
    mutating func lowercased(_ source: UnsafeRawPointer, _ n: Int) {
        for i in 0..<n {
            let b = source.load(fromByteOffset: i, as: UInt8.self)
            p[i] = b &- 0x41 < 26 ? b | 0x20 : b
        }
        p += n
    }

    @inline(__always)
    mutating func fixed64(_ v: UInt64) {
        UnsafeMutableRawPointer(p).storeBytes(of: v.littleEndian, as: UInt64.self)
        p += 8
    }
}
