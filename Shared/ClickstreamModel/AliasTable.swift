/// Walker/Vose alias table: O(1) sampling from a fixed discrete distribution.
///
/// Built with IEEE-754 `+ - * /` only (no `pow` or `log`, whose last bit may differ between C libraries),
/// and sampled with integers, so the same weights give the same samples on every platform.
struct AliasTable: Sendable {
    private let threshold: [UInt64]
    private let alias: [UInt32]

    var count: Int { threshold.count }

    /// - Parameter weights: non-negative weights with a positive sum; at most `UInt32.max` entries.
    init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0 && n < Int(UInt32.max), "AliasTable needs 1..<2^32 weights")
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        var threshold = [UInt64](repeating: 1 << 32, count: n)
        var alias = [UInt32](repeating: 0, count: n)
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n {
            alias[i] = UInt32(i)
            if scaled[i] < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.popLast(), let l = large.popLast() {
            threshold[s] = UInt64(scaled[s] * 4_294_967_296.0)
            alias[s] = UInt32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        // Whatever is left is 1 up to rounding: always keep the column.
        self.threshold = threshold
        self.alias = alias
    }

    /// Maps 64 random bits to an index: the high 32 bits pick a column, the low 32 bits toss its coin.
    @inline(__always)
    func sample(_ bits: UInt64) -> Int {
        let column = Int(truncatingIfNeeded: ((bits >> 32) &* UInt64(threshold.count)) >> 32)
        return (bits & 0xFFFF_FFFF) < threshold[column] ? column : Int(alias[column])
    }

    /// Zipf-like weights `1 / (rank + offset)` for ranks 1...n: a long tail whose head is flattened by `offset`.
    static func zipfLike(count n: Int, offset: Double) -> AliasTable {
        AliasTable(weights: (1...n).map { 1 / (Double($0) + offset) })
    }
}
