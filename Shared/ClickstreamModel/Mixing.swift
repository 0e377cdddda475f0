// MARK: - Counter-based randomness

/// The 64-bit golden-ratio increment used by SplitMix64 and to spread counters.
let goldenGamma: UInt64 = 0x9E37_79B9_7F4A_7C15

/// SplitMix64's output function (Stafford's Mix13).
///
/// A bijection on `UInt64`: distinct inputs give distinct outputs, which is what makes derived ids unique.
@inline(__always)
func mix64(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// A SplitMix64 stream: a tiny, fast generator, seeded per record from (seed, index) so any record can be
/// computed on its own.
///
/// Only integer arithmetic is used, so every platform draws the same numbers.
struct SplitMix64 {
    var state: UInt64

    @inline(__always)
    init(state: UInt64) {
        self.state = state
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= goldenGamma
        return mix64(state)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-high; `bound` must be positive).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// True with probability `numerator / denominator`.
    @inline(__always)
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }
}

/// Random streams kept apart so that adding draws to one never shifts another.
enum Stream: UInt64 {
    case kind = 1
    case record = 2
    case duplicate = 3
    case users = 4
    case sessions = 5
    case songs = 6
    case items = 7
    case artists = 8
    case clockSkew = 9

    /// A key for this stream under a seed.
    func key(seed: UInt64) -> UInt64 {
        mix64(mix64(seed ^ 0x5851_F42D_4C95_7F2D) &+ rawValue &* 0xD1B5_4A32_D192_ED03)
    }
}
