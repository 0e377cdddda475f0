/// Protobuf wire-format output: a ``ProtoWriter`` into a buffer, or a ``ProtoSizer`` that only counts (for
/// the rare length prefix that must be known before its body is written).
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

    /// A `double`; zero is left out, -0.0 included: protobuf-c (which `CleanEvent.encode()` uses) compares the
    /// value with 0, so both encoders write the same bytes (the fuzz suite found -0.0 written by one only).
    @inline(__always)
    mutating func double(_ number: Int, _ value: Double) {
        guard value != 0 else { return }
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

/// Writes into a buffer large enough for the message (the caller bounds it from the payload size).
struct ProtoWriter: ProtoSink {
    var p: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        p.pointee = b
        p += 1
    }

    /// Short copies (most ids and names) as overlapping word moves: a `memmove` call costs more than they do.
    @inline(__always)
    mutating func bytes(_ source: UnsafeRawPointer, _ n: Int) {
        let target = UnsafeMutableRawPointer(p)
        if n >= 8 && n <= 16 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n > 16 && n <= 32 {
            let a = source.loadUnaligned(as: UInt64.self)
            let b = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let c = source.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self)
            let d = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            target.storeBytes(of: a, as: UInt64.self)
            target.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            target.storeBytes(of: c, toByteOffset: n - 16, as: UInt64.self)
            target.storeBytes(of: d, toByteOffset: n - 8, as: UInt64.self)
        } else if n < 8 {
            for i in 0..<n { p[i] = source.load(fromByteOffset: i, as: UInt8.self) }
        } else {
            target.copyMemory(from: source, byteCount: n)
        }
        p += n
    }

    /// A length-delimited sub-message written in place: one byte is reserved for its length, and the body is
    /// moved up in the rare case it needs a longer prefix (128 bytes or more).
    @inline(__always)
    mutating func message(_ number: Int, _ body: (inout ProtoWriter) -> Void) {
        tag(number, 2)
        let lengthAt = p
        p += 1
        let start = p
        body(&self)
        let n = p - start
        if n < 0x80 {
            lengthAt.pointee = UInt8(n)
            return
        }
        var size = ProtoSizer()
        size.varint(UInt64(n))
        let extra = size.count - 1
        UnsafeMutableRawPointer(start + extra).copyMemory(from: start, byteCount: n)
        p = lengthAt
        varint(UInt64(n))
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
