/// A lenient walk over the top level of a protobuf encoding, to aim mutations at length prefixes (which a
/// random byte rarely hits); on other formats it finds little and the mutation falls back to one random byte.
enum FuzzWire {
    /// (start, end, value) of each top-level length prefix.
    static func lengthPrefixes(_ bytes: [UInt8]) -> [(Int, Int, UInt64)] {
        var prefixes: [(Int, Int, UInt64)] = []
        var offset = 0
        func readVarint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while offset < bytes.count, let tag = readVarint() {
            switch tag & 7 {
            case 0: guard readVarint() != nil else { return prefixes }
            case 1: offset += 8
            case 5: offset += 4
            case 2:
                let start = offset
                guard let length = readVarint() else { return prefixes }
                prefixes.append((start, offset, length))
                guard length <= UInt64(bytes.count - offset) else { return prefixes }
                offset += Int(length)
            default: return prefixes
            }
            guard offset <= bytes.count else { return prefixes }
        }
        return prefixes
    }

    /// Rewrites one length prefix to a nearby, zero or huge value (possibly changing the varint's size).
    static func corruptLength(_ bytes: inout [UInt8], rng: inout FuzzRandom) {
        let prefixes = lengthPrefixes(bytes)
        guard !prefixes.isEmpty else {
            if !bytes.isEmpty { bytes[rng.below(bytes.count)] = rng.byte() }
            return
        }
        let (start, end, length) = rng.element(of: prefixes)
        let replacement: UInt64 =
            switch rng.below(5) {
            case 0: 0
            case 1: length &+ 1
            case 2: length &- 1
            case 3: UInt64.max >> UInt64(rng.below(64))
            default: rng.next() % 300
            }
        bytes.replaceSubrange(start..<end, with: varint(replacement))
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }
}
