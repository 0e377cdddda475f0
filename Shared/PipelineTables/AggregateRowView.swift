import struct Foundation.Data
public import PipelineBigtable

/// One window's numbers as read back: the per-partition cells of a row for that window, summed.
public struct AggregateTotals: Sendable, Hashable {
    public let window: AggregateWindow
    /// Cells by input partition.
    public var partitions: [Int32: AggregateCell] = [:]
    /// Partitions that marked the window final.
    public var finalPartitions: Set<Int32> = []

    public init(window: AggregateWindow) { self.window = window }

    public var count: UInt64 { partitions.values.reduce(0) { $0 + $1.count } }
    /// Exact: users are the partitioning key, so the partitions' sets are disjoint.
    public var distinctUsers: Int { partitions.values.reduce(0) { $0 + $1.users.count } }
    public var playMsSum: Int64 { partitions.values.reduce(0) { $0 + $1.playMsSum } }
    public var playMsMax: Int64 { partitions.values.reduce(0) { max($0, $1.playMsMax) } }
    public var priceMicrosSum: Int64 { partitions.values.reduce(0) { $0 + $1.priceMicrosSum } }
    public var priceMicrosMax: Int64 { partitions.values.reduce(0) { max($0, $1.priceMicrosMax) } }
    public var countByType: [String: UInt64] {
        partitions.values.reduce(into: [:]) { total, cell in
            for (type, count) in cell.countByType { total[type, default: 0] += count }
        }
    }
    /// Final once every partition that contributed has seen its watermark pass the window's end.
    public var isFinal: Bool { !partitions.isEmpty && Set(partitions.keys).isSubset(of: finalPartitions) }
}

extension EventsAggregateTable {
    /// The windows one row holds, with their per-partition cells and finalisation marks (undecodable cells skipped).
    public static func totals(of row: BigtableRow) -> [AggregateTotals] {
        let key = String(decoding: row.key, as: UTF8.self)
        guard let dateStart = key.lastIndex(of: "#") else { return [] }
        let date = key[key.index(after: dateStart)...]
        var windows: [AggregateWindow: AggregateTotals] = [:]
        for granularity in AggregateGranularity.allCases {
            for (qualifier, cells) in row.families[granularity.family] ?? [:] {
                guard let cell = cells.first, let value = AggregateCell(encoded: cell.value),
                    let parsed = parse(qualifier: String(decoding: qualifier, as: UTF8.self), granularity, date: date)
                else { continue }
                windows[parsed.window, default: AggregateTotals(window: parsed.window)].partitions[parsed.partition] = value
            }
        }
        for (qualifier, _) in row.families[metadata] ?? [:] {
            let text = String(decoding: qualifier, as: UTF8.self)
            let parts = text.split(separator: "#")
            guard parts.count >= 3, parts[0] == "final", let granularity = AggregateGranularity(rawValue: String(parts[1])),
                let parsed = parse(qualifier: parts.dropFirst(2).joined(separator: "#"), granularity, date: date)
            else { continue }
            windows[parsed.window]?.finalPartitions.insert(parsed.partition)
        }
        return windows.values.sorted { ($0.window.startMs, $0.window.granularity.rawValue) < ($1.window.startMs, $1.window.granularity.rawValue) }
    }

    /// `HH#p007` or `p007` in a row dated `date` → window and partition.
    static func parse(qualifier: String, _ granularity: AggregateGranularity, date: Substring) -> (window: AggregateWindow, partition: Int32)? {
        let parts = qualifier.split(separator: "#")
        guard let tag = parts.last, tag.first == "p", let partition = Int32(tag.dropFirst()) else { return nil }
        switch granularity {
        case .hour:
            guard parts.count == 2, let hour = Int64(parts[0]), let day = dayStart(date) else { return nil }
            return (AggregateWindow(granularity: .hour, startMs: day + hour * AggregateWindow.hourMs), partition)
        case .day:
            guard parts.count == 1, let day = dayStart(date) else { return nil }
            return (AggregateWindow(granularity: .day, startMs: day), partition)
        case .week:
            guard parts.count == 1, let week = weekStart(date) else { return nil }
            return (AggregateWindow(granularity: .week, startMs: week), partition)
        }
    }

    /// Epoch ms of a `yyyy-mm-dd` date (UTC midnight).
    public static func dayStart(_ text: Substring) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int64(parts[0]), let month = Int64(parts[1]),
            let day = Int64(parts[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * AggregateWindow.dayMs
    }

    /// Epoch ms of the Monday starting ISO week `yyyy-Www`.
    public static func weekStart(_ text: Substring) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[1].first == "W", let week = Int64(parts[1].dropFirst()),
            let januaryFourth = dayStart(Substring("\(parts[0])-01-04"))
        else { return nil }
        // 4 January is always in week 1.
        let firstMonday = AggregateWindow(.week, containing: januaryFourth).startMs
        return firstMonday + (week - 1) * AggregateWindow.weekMs
    }
}
