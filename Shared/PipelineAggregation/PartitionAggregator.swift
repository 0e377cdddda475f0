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
/// 5. Lateness depends only on the partition's own order (event time vs. the greatest earlier contribution minus
///    the allowed lateness, a contribution being the event time capped at the receive time plus the max event
///    lead: see ``WatermarkBound``), which Kafka preserves, so every run and every instance decides the same events
///    are late.
///
/// ## Why it is fast
/// Per event it hashes each attribute string once (to a number in ``ValueTable``) and then touches up to 18 cells
/// by packed integer keys (``CellPacking``); a cell keeps its users pre-encoded, so a flush copies bytes instead of
/// sorting and encoding sets. `tributary bench aggregate` measures it.
///
/// Only the owner of the partition touches this value (it is a struct, mutated by one loop).
public struct PartitionAggregator: Sendable {
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
    /// How far after its receive time an event may push the watermark (``WatermarkBound``).
    public let maxEventLeadMs: Int64
    /// The last offset handled (applied, late or skipped); events at or below it are redeliveries.
    public private(set) var lastOffset: Int64
    /// The greatest watermark contribution of an applied event (its event time, capped at its receive time plus
    /// ``maxEventLeadMs``); `Int64.min` before the first. The checkpoint stores it.
    public private(set) var maxEventTimeMs: Int64
    /// What set ``maxEventTimeMs``, for the late-event detail.
    public private(set) var watermarkBound: WatermarkBound
    /// Whether Bigtable may hold cells of this partition that are not in memory (a checkpoint existed at load).
    public let restored: Bool
    var values = ValueTable()
    /// Open cells, and their places in `cells` by packed key (``CellPacking``).
    var cells: [CellAccumulator] = []
    var cellIndex: [UInt64: Int32] = [:]
    /// Places in `cells` of the cells changed since the last flush (cells are only removed after those are written).
    var dirty: [Int32] = []
    /// Open cells by the end of their window, so finalising looks only at the windows the watermark passed.
    var cellsEndingAt: [Int64: [UInt64]] = [:]
    /// Rows whose stored cells for this partition are in memory, with the end of the last window they hold.
    var loadedRows: [UInt64: Int64] = [:]
    var lastCheckpointOffset: Int64

    /// - Parameter checkpoint: what the partition's checkpoint row records, `nil` when it has none (then nothing
    ///   of this partition is stored yet, because the first checkpoint is written before any cell).
    /// - Parameter maxEventLeadMs: how far after its receive time an event may move the watermark (default 0: to
    ///   its receive time).
    public init(
        topic: String, partition: Int32, allowedLatenessMs: Int64, maxEventLeadMs: Int64 = 0,
        checkpoint: (offset: Int64, maxEventTimeMs: Int64)?
    ) {
        self.topic = topic
        self.partition = partition
        self.allowedLatenessMs = allowedLatenessMs
        self.maxEventLeadMs = maxEventLeadMs
        lastOffset = checkpoint?.offset ?? -1
        maxEventTimeMs = checkpoint?.maxEventTimeMs ?? .min
        watermarkBound = checkpoint == nil || checkpoint?.maxEventTimeMs == .min ? .none : .checkpoint
        lastCheckpointOffset = lastOffset
        restored = checkpoint != nil
    }

    /// Events older than this are late: the greatest contribution seen minus the allowed lateness.
    public var watermarkMs: Int64 {
        maxEventTimeMs == .min ? .min : maxEventTimeMs &- allowedLatenessMs
    }

    /// Cells held in memory (open windows).
    public var openCells: Int { cells.count }

    /// Values (users, pages, songs, items, types) numbered in memory.
    public var knownValues: Int { values.count }

    /// Rows to read from Bigtable before these events can be applied: rows not yet in memory, for events not yet
    /// applied, when the partition was restored. Each row is read once per ownership.
    public mutating func rowsToLoad(_ events: [(input: AggregateInput, offset: Int64)]) -> [String] {
        guard restored else { return [] }
        var rows: Set<UInt64> = []
        for (input, offset) in events where offset > lastOffset {
            let (day, week) = Self.dayAndWeek(input.eventTimeMs)
            let ids = valueIDs(of: input)
            for i in 0..<ids.count {
                for row in [
                    CellPacking.row(value: ids[i], dayIndex: day, week: false),
                    CellPacking.row(value: ids[i], dayIndex: week, week: true),
                ] where loadedRows[row] == nil { rows.insert(row) }
            }
        }
        return rows.map(rowKey).sorted()
    }

    /// Takes in a row's stored cells of this partition (`cells` empty when the row does not exist). Memory wins:
    /// a cell already held is newer than or equal to what is stored. Windows already final are not kept.
    public mutating func load(rowKey: String, cells stored: [(window: AggregateWindow, cell: AggregateCell)]) {
        guard let row = packedRow(rowKey) else { return }
        let watermark = watermarkMs
        for (window, stored) in stored where window.endMs > watermark {
            let key = CellPacking.cell(value: CellPacking.value(ofRow: row), window: window)
            guard cellIndex[key] == nil else { continue }
            cellIndex[key] = Int32(cells.count)
            cells.append(CellAccumulator(key: key, stored, values: &values))
            cellsEndingAt[window.endMs, default: []].append(key)
        }
        loadedRows[row] = CellPacking.end(ofRow: row)
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
        let contribution = Self.contribution(input, maxEventLeadMs: maxEventLeadMs)
        if contribution.timeMs > maxEventTimeMs {
            maxEventTimeMs = contribution.timeMs
            watermarkBound = contribution.bound
        }
        let (day, week) = Self.dayAndWeek(input.eventTimeMs)
        let hour = UInt64((input.eventTimeMs - day * AggregateWindow.dayMs) / AggregateWindow.hourMs)
        let user = values.id(.user, input.userID)
        let type = input.eventType.isEmpty ? UInt32.max : values.id(.eventType, input.eventType)
        let hourEnd = day * AggregateWindow.dayMs + Int64(hour + 1) * AggregateWindow.hourMs
        let ids = valueIDs(of: input, user: user, type: type)
        for i in 0..<ids.count {
            let dayRow = CellPacking.row(value: ids[i], dayIndex: day, week: false)
            let weekRow = CellPacking.row(value: ids[i], dayIndex: week, week: true)
            add(input, offset: offset, user: user, type: type, to: CellPacking.cell(row: dayRow, slot: hour), endingAt: hourEnd)
            add(input, offset: offset, user: user, type: type, to: CellPacking.cell(row: dayRow, slot: CellPacking.daySlot),
                endingAt: (day + 1) * AggregateWindow.dayMs)
            add(input, offset: offset, user: user, type: type, to: CellPacking.cell(row: weekRow, slot: CellPacking.weekSlot),
                endingAt: (week + 7) * AggregateWindow.dayMs)
        }
        return .applied
    }

    /// Adds the event to a cell unless the cell already includes it (stored by an earlier incarnation after a
    /// partial flush).
    private mutating func add(_ input: AggregateInput, offset: Int64, user: UInt32, type: UInt32, to key: UInt64, endingAt end: Int64) {
        let index: Int
        if let open = cellIndex[key] {
            index = Int(open)
            guard offset > cells[index].lastOffset else { return }
        } else {
            index = cells.count
            cellIndex[key] = Int32(index)
            cells.append(CellAccumulator(key: key))
            cellsEndingAt[end, default: []].append(key)
        }
        cells[index].add(
            type: type, user: user, userName: input.userID, playMs: input.playMs, priceMicros: input.priceMicros,
            offset: offset)
        if !cells[index].dirty {
            cells[index].dirty = true
            dirty.append(Int32(index))
        }
    }

    /// Days since 1970 of the event's day and of its ISO week's Monday.
    static func dayAndWeek(_ timeMs: Int64) -> (day: Int64, week: Int64) {
        let day = AggregateWindow(.day, containing: timeMs).startMs / AggregateWindow.dayMs
        // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
        return (day, day - ((day + 3) % 7 + 7) % 7)
    }

    /// The value ids an event counts under: the whole stream, its user, and each non-empty attribute.
    private mutating func valueIDs(of input: AggregateInput, user: UInt32, type: UInt32) -> EventValueIDs {
        var ids = EventValueIDs()
        ids.append(values.id(.all, EventsAggregateTable.allValue))
        ids.append(user)
        if type != .max { ids.append(type) }
        if !input.page.isEmpty { ids.append(values.id(.page, input.page)) }
        if !input.songID.isEmpty { ids.append(values.id(.song, input.songID)) }
        if !input.itemID.isEmpty { ids.append(values.id(.item, input.itemID)) }
        return ids
    }

    private mutating func valueIDs(of input: AggregateInput) -> EventValueIDs {
        let user = values.id(.user, input.userID)
        let type = input.eventType.isEmpty ? UInt32.max : values.id(.eventType, input.eventType)
        return valueIDs(of: input, user: user, type: type)
    }

    /// `{dimension}#{value}#{date}` of a packed row.
    func rowKey(_ row: UInt64) -> String {
        values.rowPrefixes[Int(CellPacking.value(ofRow: row))] + rowDate(row)
    }

    /// The `{date}` part of a packed row's key.
    func rowDate(_ row: UInt64) -> String {
        let start = CellPacking.dayIndex(ofRow: row) * AggregateWindow.dayMs
        return AggregateWindow(granularity: CellPacking.isWeek(row: row) ? .week : .day, startMs: start).rowDate
    }

    /// The packed row of a row key (interning its value); `nil` when the key is not an aggregate row's.
    mutating func packedRow(_ rowKey: String) -> UInt64? {
        guard let first = rowKey.firstIndex(of: "#"), let last = rowKey.lastIndex(of: "#"), first < last,
            let dimension = EventsAggregateTable.Dimension(rawValue: String(rowKey[..<first]))
        else { return nil }
        let value = EventsAggregateTable.unescape(rowKey[rowKey.index(after: first)..<last])
        let date = rowKey[rowKey.index(after: last)...]
        let id = values.id(dimension, value)
        if let day = EventsAggregateTable.dayStart(date) {
            return CellPacking.row(value: id, dayIndex: day / AggregateWindow.dayMs, week: false)
        }
        if let week = EventsAggregateTable.weekStart(date) {
            return CellPacking.row(value: id, dayIndex: week / AggregateWindow.dayMs, week: true)
        }
        return nil
    }
}

/// The up to six value ids of one event, without a heap allocation.
struct EventValueIDs {
    private var storage: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0)
    private(set) var count = 0

    mutating func append(_ id: UInt32) {
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: id, toByteOffset: count * 4, as: UInt32.self) }
        count += 1
    }

    subscript(index: Int) -> UInt32 {
        withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index * 4, as: UInt32.self) }
    }
}
