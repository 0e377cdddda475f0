/// SplitMix64: the model's only source of randomness, seeded from the org seed so every run is identical.
///
/// Only integer arithmetic is used, so every platform draws the same numbers.
struct ModelRandom {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = ModelRandom.mix(ModelRandom.mix(seed ^ 0x5851_F42D_4C95_7F2D) &+ stream &* 0xD1B5_4A32_D192_ED03)
    }

    /// SplitMix64's output function: a bijection on UInt64.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return ModelRandom.mix(state)
    }

    /// A uniform integer in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// A uniform integer in the closed range.
    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// A uniform Int64 in `lower..<upper` (upper > lower).
    mutating func int64(_ lower: Int64, _ upper: Int64) -> Int64 {
        lower + Int64(truncatingIfNeeded: UInt64(upper - lower).multipliedFullWidth(by: next()).high)
    }

    /// True with probability `share` (compared in millionths, so no floating-point drift between platforms).
    mutating func chance(_ share: Double) -> Bool { below(1_000_000) < Int(share * 1_000_000) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
