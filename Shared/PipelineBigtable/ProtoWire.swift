internal import struct Foundation.Data

/// Protobuf wire-format sizes for the field kinds MutateRows uses (all field numbers below 16: one-byte tags).
enum ProtoWire {
    /// Bytes a base-128 varint of `value` takes.
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 1 byte per started group of 7 bits; 0 still takes a byte.
        (63 - (value | 1).leadingZeroBitCount) / 7 + 1
    }

    /// A length-delimited field that is always written (a set message field): tag, length, body.
    @inline(__always)
    static func messageFieldSize(_ bodySize: Int) -> Int { 1 + varintSize(UInt64(bodySize)) + bodySize }

    /// A proto3 bytes field: left out when empty.
    @inline(__always)
    static func bytesFieldSize(_ count: Int) -> Int { count == 0 ? 0 : messageFieldSize(count) }

    /// A proto3 string field: left out when empty.
    @inline(__always)
    static func stringFieldSize(_ text: String) -> Int { bytesFieldSize(text.utf8.count) }

    /// A proto3 int64 field: left out when zero; negative values take ten bytes (two's complement).
    @inline(__always)
    static func int64FieldSize(_ value: Int64) -> Int { value == 0 ? 0 : 1 + varintSize(UInt64(bitPattern: value)) }
}

/// Writes protobuf fields into a buffer sized beforehand with ``ProtoWire``.
struct ProtoWireWriter {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    private(set) var offset = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!
        capacity = buffer.count
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        precondition(offset < capacity, "protobuf writer past its buffer")
        base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
        offset += 1
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            byte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        byte(UInt8(rest))
    }

    /// The tag and length of a length-delimited field whose body follows.
    @inline(__always)
    mutating func lengthPrefix(tag: UInt8, _ length: Int) {
        byte(tag)
        varint(UInt64(length))
    }

    mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(offset + bytes.count <= capacity, "protobuf writer past its buffer")
        (base + offset).copyMemory(from: source, byteCount: bytes.count)
        offset += bytes.count
    }

    /// A proto3 bytes field (nothing when empty).
    mutating func bytes(_ value: Data, tag: UInt8) {
        guard !value.isEmpty else { return }
        lengthPrefix(tag: tag, value.count)
        value.withUnsafeBytes { raw($0) }
    }

    /// A proto3 string field (nothing when empty).
    mutating func string(_ value: String, tag: UInt8) {
        guard !value.isEmpty else { return }
        var value = value
        value.withUTF8 { utf8 in
            lengthPrefix(tag: tag, utf8.count)
            raw(UnsafeRawBufferPointer(utf8))
        }
    }

    /// A proto3 int64 field (nothing when zero).
    @inline(__always)
    mutating func int64(_ value: Int64, tag: UInt8) {
        guard value != 0 else { return }
        byte(tag)
        varint(UInt64(bitPattern: value))
    }
}
