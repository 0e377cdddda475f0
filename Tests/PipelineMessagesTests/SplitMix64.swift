/// A tiny seeded generator (Steele, Lea & Flood's SplitMix64), so every fuzz failure reproduces from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    mutating func bool() -> Bool { next() & 1 == 1 }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// Mostly small values, sometimes extremes, so varint lengths from 1 to 10 bytes all occur.
    mutating func int64() -> Int64 {
        switch below(6) {
        case 0: 0
        case 1: Int64(below(128))
        case 2: Int64.min
        case 3: Int64.max
        case 4: -Int64(below(1_000_000))
        default: Int64(bitPattern: next())
        }
    }

    /// Valid UTF-8 without NUL: ASCII, accented Latin, CJK, emoji.
    mutating func text(maxLength: Int = 12) -> String {
        let alphabet: [Character] = ["a", "Z", "0", "_", "#", " ", "é", "ß", "中", "文", "🎵", "🇩🇪", "\n", "\u{7F}"]
        return String((0..<below(maxLength + 1)).map { _ in alphabet[below(alphabet.count)] })
    }

    mutating func texts(maxCount: Int = 4) -> [String] {
        (0..<below(maxCount + 1)).map { _ in text() }
    }

    mutating func element<T>(of values: [T]) -> T { values[below(values.count)] }
}
