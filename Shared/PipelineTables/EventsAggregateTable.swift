public import struct Foundation.Data
public import PipelineBigtable

/// `events_aggregate`: per dimension, value and UTC window, event counts, exact distinct users, sums and maxima of
/// play length and price, and counts per event type — kept per input partition and summed when read.
///
/// Row key `{dimension}#{value}#{date}`: `date` is `yyyy-mm-dd` for the rows holding a day (family `daily_stats`,
/// qualifier `p{partition}`) and its hours (family `hourly_stats`, qualifier `{HH}#p{partition}`), and `yyyy-Www` (ISO
/// week) for week rows (family `weekly_stats`, qualifier `p{partition}`). Each cell is an ``AggregateCell`` written
/// whole (SetCell, timestamp = window start), so rewriting it is idempotent. Family `metadata` holds finalisation
/// marks, `final#{hour|day|week}[#HH]#p{partition}`, written once that partition's watermark passed the window end.
/// A value's `#` and `%` are percent-escaped so keys stay unambiguous. Per-partition progress lives in
/// ``checkpointRowKey(topic:partition:)`` rows (sorted after all aggregate rows by their `~`).
public enum EventsAggregateTable {
    public static let name = "events_aggregate"
    public static let hourlyStats = "hourly_stats"
    public static let dailyStats = "daily_stats"
    public static let weeklyStats = "weekly_stats"
    public static let metadata = "metadata"

    /// One version per cell (rewrites are whole values) and two years of retention.
    public static let families: [String: BigtableGCRule] = [
        hourlyStats: .union([.maxVersions(1), .maxAge(.seconds(730 * 86_400))]),
        dailyStats: .union([.maxVersions(1), .maxAge(.seconds(730 * 86_400))]),
        weeklyStats: .union([.maxVersions(1), .maxAge(.seconds(730 * 86_400))]),
        metadata: .union([.maxVersions(1), .maxAge(.seconds(730 * 86_400))]),
    ]

    /// What an aggregate row groups by.
    public enum Dimension: String, Sendable, Hashable, CaseIterable {
        case user
        case page
        case song
        case item
        case eventType = "event_type"
        /// The whole stream; its only value is ``EventsAggregateTable/allValue``.
        case all
    }

    public static let allValue = "all"

    /// `{dimension}#{escaped value}#{date}` of the row holding `window`.
    public static func rowKey(_ dimension: Dimension, _ value: String, _ window: AggregateWindow) -> String {
        rowPrefix(dimension, value) + window.rowDate
    }

    /// `{dimension}#{escaped value}#`: every row of one value.
    public static func rowPrefix(_ dimension: Dimension, _ value: String) -> String {
        dimension.rawValue + "#" + escape(value) + "#"
    }

    /// The value as it appears in a key: `%` → `%25`, `#` → `%23`.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "%") }) else { return value }
        return value.replacingAll("%", with: "%25").replacingAll("#", with: "%23")
    }

    public static func unescape(_ value: Substring) -> String {
        String(value).replacingAll("%23", with: "#").replacingAll("%25", with: "%")
    }

    /// The qualifier of a partition's cell for `window`.
    public static func qualifier(_ window: AggregateWindow, partition: Int32) -> String {
        switch window.granularity {
        case .hour: AggregateWindow.pad(Int64(window.hourOfDay), 2) + "#" + partitionTag(partition)
        case .day, .week: partitionTag(partition)
        }
    }

    /// The metadata qualifier marking `window` final for `partition`.
    public static func finalQualifier(_ window: AggregateWindow, partition: Int32) -> String {
        switch window.granularity {
        case .hour: "final#hour#" + AggregateWindow.pad(Int64(window.hourOfDay), 2) + "#" + partitionTag(partition)
        case .day: "final#day#" + partitionTag(partition)
        case .week: "final#week#" + partitionTag(partition)
        }
    }

    /// `p007`: three digits at least, so qualifiers sort by partition.
    public static func partitionTag(_ partition: Int32) -> String { "p" + AggregateWindow.pad(Int64(partition), 3) }

    /// An RE2 regex matching every qualifier (stats and metadata) of one partition.
    public static func partitionQualifierRegex(_ partition: Int32) -> Data {
        Data("^(.*#)?\(partitionTag(partition))$".utf8)
    }

    // MARK: - Per-partition progress

    /// The row holding one input partition's progress: the last offset whose effects are all durable and the
    /// greatest event time seen up to it (the watermark's base).
    public static func checkpointRowKey(topic: String, partition: Int32) -> String {
        "~checkpoint#" + topic + "#" + partitionTag(partition)
    }

    public static let checkpointOffset = "offset"
    public static let checkpointMaxEventTime = "max_event_ms"

    /// The mutations recording a checkpoint (timestamp 0, so each write replaces the previous version).
    public static func checkpointEntry(topic: String, partition: Int32, offset: Int64, maxEventTimeMs: Int64) -> BigtableMutationEntry {
        BigtableMutationEntry(
            rowKey: checkpointRowKey(topic: topic, partition: partition),
            mutations: [
                .setCell(family: metadata, qualifier: checkpointOffset, timestampMillis: 0, value: String(offset)),
                .setCell(family: metadata, qualifier: checkpointMaxEventTime, timestampMillis: 0, value: String(maxEventTimeMs)),
            ])
    }

    /// The (offset, max event time) a checkpoint row records.
    public static func checkpoint(from row: BigtableRow) -> (offset: Int64, maxEventTimeMs: Int64)? {
        guard let offset = row.latestValue(family: metadata, qualifier: checkpointOffset).flatMap(Self.int),
            let maxTime = row.latestValue(family: metadata, qualifier: checkpointMaxEventTime).flatMap(Self.int)
        else { return nil }
        return (offset, maxTime)
    }

    static func int(_ data: Data) -> Int64? { Int64(String(decoding: data, as: UTF8.self)) }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free, for the key escaping above).
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstByteRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    /// The first range of `target`, compared by UTF-8 bytes.
    fileprivate func firstByteRange(of target: String) -> Range<Index>? {
        let needle = Array(target.utf8)
        guard !needle.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if utf8[index...].starts(with: needle) {
                return index..<utf8.index(index, offsetBy: needle.count)
            }
            index = utf8.index(after: index)
        }
        return nil
    }
}
