public import PipelineTables

/// One input partition's open windows, in memory, and the rules that keep what it writes exact.
///
/// ## Why the aggregates are exact under at-least-once delivery
/// 1. Users are the Kafka key, so all of a user's events are on one partition: each partition's distinct-user sets
///    are disjoint from the others', and every total is a plain sum over per-partition cells.
/// 2. Each (row, window, partition) cell is written only by the owner of that partition, in offset order, as an
///    absolute value (SetCell at the window start) that carries the offset of the last event applied to it.
/// 3. After a restart or reassignment the state is reloaded from Bigtable; an event at offset `o` is applied to a
///    cell only if `o` exceeds the cell's recorded offset, so redelivered events never count twice.
/// 4. A per-partition checkpoint (last offset, greatest event time) is written only after all of a batch's cells
///    are durable, and the Kafka offset is committed only after that: nothing is skipped, and events up to the
///    checkpoint are skipped whole, which also makes the lateness decisions of a replay identical to the first run.
/// 5. Lateness depends only on the partition's own order (event time vs. the greatest earlier event time minus the
///    allowed lateness), which Kafka preserves, so every run and every instance decides the same events are late.
///
/// Only the owner of the partition touches this value (it is a struct, mutated by one loop).
public struct PartitionAggregator: Sendable {
    /// A cell: one window of one row.
    public struct CellKey: Sendable, Hashable {
        public let rowKey: String
        public let window: AggregateWindow
    }

    /// What happened to one event.
    public enum Outcome: Sendable, Equatable {
        case applied
        /// At or below the offset already applied (a redelivery): nothing to do.
        case alreadyApplied
        /// Older than the watermark: not counted, to be dead-lettered.
        case late(watermarkMs: Int64)
    }

    public let topic: String
    public let partition: Int32
    public let allowedLatenessMs: Int64
    /// The last offset handled (applied, late or skipped); events at or below it are redeliveries.
    public private(set) var lastOffset: Int64
    /// The greatest event time of an applied event; `Int64.min` before the first.
    public private(set) var maxEventTimeMs: Int64
    /// Whether Bigtable may hold cells of this partition that are not in memory (a checkpoint existed at load).
    public let restored: Bool
    var cells: [CellKey: AggregateCell] = [:]
    var dirty: Set<CellKey> = []
    /// Rows whose stored cells for this partition are in memory, with the end of the last window they hold.
    var loadedRows: [String: Int64] = [:]
    var lastCheckpointOffset: Int64

    /// - Parameter checkpoint: what the partition's checkpoint row records, `nil` when it has none (then nothing
    ///   of this partition is stored yet, because the first checkpoint is written before any cell).
    public init(topic: String, partition: Int32, allowedLatenessMs: Int64, checkpoint: (offset: Int64, maxEventTimeMs: Int64)?) {
        self.topic = topic
        self.partition = partition
        self.allowedLatenessMs = allowedLatenessMs
        lastOffset = checkpoint?.offset ?? -1
        maxEventTimeMs = checkpoint?.maxEventTimeMs ?? .min
        lastCheckpointOffset = lastOffset
        restored = checkpoint != nil
    }

    /// Events older than this are late: the greatest event time seen minus the allowed lateness.
    public var watermarkMs: Int64 {
        maxEventTimeMs == .min ? .min : maxEventTimeMs &- allowedLatenessMs
    }

    /// Cells held in memory (open windows).
    public var openCells: Int { cells.count }

    /// The windows (and rows) an event counts in.
    static func cellKeys(_ input: AggregateInput) -> [CellKey] {
        let hour = AggregateWindow(.hour, containing: input.eventTimeMs)
        let day = AggregateWindow(.day, containing: input.eventTimeMs)
        let week = AggregateWindow(.week, containing: input.eventTimeMs)
        var keys: [CellKey] = []
        keys.reserveCapacity(18)
        let dayDate = day.rowDate
        let weekDate = week.rowDate
        for (dimension, value) in input.dimensionValues {
            let prefix = EventsAggregateTable.rowPrefix(dimension, value)
            let dayRow = prefix + dayDate
            keys.append(CellKey(rowKey: dayRow, window: hour))
            keys.append(CellKey(rowKey: dayRow, window: day))
            keys.append(CellKey(rowKey: prefix + weekDate, window: week))
        }
        return keys
    }

    /// Rows to read from Bigtable before these events can be applied: rows not yet in memory, for events not yet
    /// applied, when the partition was restored. Each row is read once per ownership.
    public func rowsToLoad(_ events: [(input: AggregateInput, offset: Int64)]) -> [String] {
        guard restored else { return [] }
        var rows: Set<String> = []
        for (input, offset) in events where offset > lastOffset {
            for key in Self.cellKeys(input) where loadedRows[key.rowKey] == nil { rows.insert(key.rowKey) }
        }
        return rows.sorted()
    }

    /// Takes in a row's stored cells of this partition (`cells` empty when the row does not exist). Memory wins:
    /// a cell already held is newer than or equal to what is stored. Windows already final are not kept.
    public mutating func load(rowKey: String, cells stored: [(window: AggregateWindow, cell: AggregateCell)]) {
        let watermark = watermarkMs
        var end = Int64.min
        for (window, cell) in stored {
            end = max(end, window.endMs)
            let key = CellKey(rowKey: rowKey, window: window)
            guard window.endMs > watermark, cells[key] == nil else { continue }
            cells[key] = cell
        }
        loadedRows[rowKey] = max(end, Self.rowEnd(rowKey))
    }

    /// The end of the last window a row can hold, from its date.
    static func rowEnd(_ rowKey: String) -> Int64 {
        guard let hash = rowKey.lastIndex(of: "#") else { return .max }
        let date = rowKey[rowKey.index(after: hash)...]
        if let day = EventsAggregateTable.dayStart(date) { return day + AggregateWindow.dayMs }
        if let week = EventsAggregateTable.weekStart(date) { return week + AggregateWindow.weekMs }
        return .max
    }

    /// Records an offset that carries nothing to aggregate (an unreadable record); `false` when it was handled
    /// before (a redelivery: do not dead-letter it again).
    public mutating func skip(offset: Int64) -> Bool {
        guard offset > lastOffset else { return false }
        lastOffset = offset
        return true
    }

    /// Applies one event at `offset` (offsets must arrive in increasing order, redeliveries aside).
    public mutating func apply(_ input: AggregateInput, offset: Int64) -> Outcome {
        guard offset > lastOffset else { return .alreadyApplied }
        lastOffset = offset
        let watermark = watermarkMs
        if input.eventTimeMs < watermark { return .late(watermarkMs: watermark) }
        maxEventTimeMs = max(maxEventTimeMs, input.eventTimeMs)
        for key in Self.cellKeys(input) {
            // Mutated in place through the dictionary's accessor: copying a cell out and back would copy its user
            // set on every event (copy-on-write), which profiles showed costing most of the time.
            if Self.add(input, offset: offset, to: &cells[key, default: AggregateCell()]) { dirty.insert(key) }
        }
        return .applied
    }

    /// Adds the event to a cell unless the cell already includes it (stored by an earlier incarnation after a
    /// partial flush); `true` when the cell changed.
    private static func add(_ input: AggregateInput, offset: Int64, to cell: inout AggregateCell) -> Bool {
        guard offset > cell.lastOffset else { return false }
        cell.add(
            eventType: input.eventType, userID: input.userID, playMs: input.playMs, priceMicros: input.priceMicros,
            offset: offset)
        return true
    }
}
