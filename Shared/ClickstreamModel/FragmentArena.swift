/// Pre-rendered JSON fragments in one contiguous buffer, so the clean path copies bytes with `memcpy` and
/// touches no reference counts per fragment.
struct FragmentArena: Sendable {
    /// A fragment's place in the arena.
    struct Slice: Sendable {
        let start: Int
        let count: Int
    }

    private(set) var bytes: [UInt8] = []

    mutating func add(_ fragment: [UInt8]) -> Slice {
        let slice = Slice(start: bytes.count, count: fragment.count)
        bytes += fragment
        return slice
    }
}
