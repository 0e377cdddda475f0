internal import BigtableProto
public import struct Foundation.Data

/// Which rows a ReadRows call scans: single keys, key ranges, or everything.
public struct BigtableRowSet: Sendable, Hashable {
    /// One bound of a ``Range``.
    public enum Bound: Sendable, Hashable {
        case unbounded
        case closed(Data)
        case open(Data)
    }

    /// A range of row keys with independent start and end bounds.
    public struct Range: Sendable, Hashable {
        public var start: Bound
        public var end: Bound

        /// Creates a range; the default is every row.
        public init(start: Bound = .unbounded, end: Bound = .unbounded) {
            self.start = start
            self.end = end
        }

        /// `[start, end)`, the usual half-open scan.
        public static func halfOpen(_ start: String, _ end: String) -> Self {
            Range(start: .closed(Data(start.utf8)), end: .open(Data(end.utf8)))
        }

        /// Every key starting with `prefix`: `[prefix, successor(prefix))`.
        public static func prefix(_ prefix: Data) -> Self {
            guard let end = Self.prefixSuccessor(prefix) else { return Range(start: .closed(prefix)) }
            return Range(start: .closed(prefix), end: .open(end))
        }

        /// The smallest key greater than every key with `prefix`: drop trailing 0xFF bytes, then
        /// increment the last byte; `nil` when the prefix is empty or all 0xFF (scan to the end).
        static func prefixSuccessor(_ prefix: Data) -> Data? {
            var bytes = [UInt8](prefix)
            while let last = bytes.last, last == 0xFF { bytes.removeLast() }
            guard let last = bytes.last else { return nil }
            bytes[bytes.count - 1] = last + 1
            return Data(bytes)
        }
    }

    /// Individual keys to read.
    public var rowKeys: [Data]
    /// Key ranges to read.
    public var ranges: [Range]

    /// Creates a row set; with neither keys nor ranges it means the whole table.
    public init(rowKeys: [Data] = [], ranges: [Range] = []) {
        self.rowKeys = rowKeys
        self.ranges = ranges
    }

    /// The whole table.
    public static let all = BigtableRowSet()

    /// Specific UTF-8 row keys.
    public static func keys(_ keys: [String]) -> Self { BigtableRowSet(rowKeys: keys.map { Data($0.utf8) }) }

    /// Every row whose key starts with the UTF-8 `prefix`.
    public static func prefix(_ prefix: String) -> Self { BigtableRowSet(ranges: [.prefix(Data(prefix.utf8))]) }

    /// One key range.
    public static func range(_ range: Range) -> Self { BigtableRowSet(ranges: [range]) }

    var proto: Google_Bigtable_V2_RowSet {
        var set = Google_Bigtable_V2_RowSet()
        set.rowKeys = rowKeys
        set.rowRanges = ranges.map { range in
            var proto = Google_Bigtable_V2_RowRange()
            switch range.start {
            case .unbounded: break
            case .closed(let key): proto.startKeyClosed = key
            case .open(let key): proto.startKeyOpen = key
            }
            switch range.end {
            case .unbounded: break
            case .closed(let key): proto.endKeyClosed = key
            case .open(let key): proto.endKeyOpen = key
            }
            return proto
        }
        return set
    }
}
