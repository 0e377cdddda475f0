import struct Foundation.Data
public import PipelineBigtable
public import PipelineTables

extension PartitionAggregator {
    /// What one flush writes: the changed cells and finalisation marks first, the checkpoint only after they are
    /// durable.
    public struct Flush: Sendable {
        public var entries: [BigtableMutationEntry]
        /// `nil` when nothing new was handled since the last checkpoint.
        public var checkpoint: BigtableMutationEntry?
        public var cellsWritten: Int
        public var windowsFinalised: Int
    }

    /// The mutations for everything changed since the last flush, plus finalisation of the windows the watermark
    /// has passed (those are then dropped from memory: any later event for them is late).
    ///
    /// Call ``checkpointed()`` once the flush is durable.
    public mutating func flush() -> Flush {
        var byRow: [UInt64: [BigtableMutation]] = [:]
        let qualifiers = CellQualifiers(partition: partition)
        for index in dirty.lazy.map(Int.init) {
            cells[index].dirty = false
            // Read through the array in place: copying the cell out would retain its arrays and set.
            let key = cells[index].key
            let window = CellPacking.window(ofCell: key)
            let value = cells[index].encoded(values: values)
            byRow[CellPacking.row(ofCell: key), default: []].append(
                .setCell(
                    family: window.granularity.family, qualifier: qualifiers.stats[Int(CellPacking.slot(ofCell: key))],
                    timestampMicros: window.startMs * 1000, value: value))
        }
        let cellsWritten = dirty.count
        dirty.removeAll(keepingCapacity: true)
        let (finalised, daysFinalised) = finalise(into: &byRow, qualifiers: qualifiers)
        var dates: [UInt64: String] = [:]
        // Sorted by packed row (deterministic, and far cheaper than comparing key bytes); MutateRows needs no order.
        let entries = byRow.sorted { $0.key < $1.key }.map { row, mutations in
            let date = row & ((1 << 27) - 1)
            let key = values.rowPrefixes[Int(CellPacking.value(ofRow: row))] + dates.cached(date) { rowDate(row) }
            return BigtableMutationEntry(rowKey: key, mutations: mutations)
        }
        let checkpoint =
            lastOffset > lastCheckpointOffset
            ? EventsAggregateTable.checkpointEntry(
                topic: topic, partition: partition, offset: lastOffset, maxEventTimeMs: maxEventTimeMs)
            : nil
        // Checked when a day or week closes (its O(state) scan is then negligible per event).
        if daysFinalised { compactValuesIfSparse() }
        return Flush(entries: entries, checkpoint: checkpoint, cellsWritten: cellsWritten, windowsFinalised: finalised)
    }

    /// Marks final, and drops, every open cell whose window ended at or before the watermark.
    /// - Returns: the cells finalised, and whether a day or week was among them.
    private mutating func finalise(
        into byRow: inout [UInt64: [BigtableMutation]], qualifiers: CellQualifiers
    ) -> (cells: Int, daysOrWeeks: Bool) {
        let watermark = watermarkMs
        guard watermark != .min else { return (0, false) }
        var finalised = 0
        var daysOrWeeks = false
        for end in cellsEndingAt.keys where end <= watermark {
            for key in cellsEndingAt.removeValue(forKey: end)! where removeCell(key) {
                let window = CellPacking.window(ofCell: key)
                byRow[CellPacking.row(ofCell: key), default: []].append(
                    .setCell(
                        family: EventsAggregateTable.metadata,
                        qualifier: qualifiers.final[Int(CellPacking.slot(ofCell: key))],
                        timestampMicros: window.startMs * 1000, value: Data(String(watermark).utf8)))
                finalised += 1
                daysOrWeeks = daysOrWeeks || window.granularity != .hour
            }
        }
        if finalised > 0 { loadedRows = loadedRows.filter { $0.value > watermark } }
        return (finalised, daysOrWeeks)
    }

    /// Removes an open cell (the last one takes its place); `false` when it is not open.
    private mutating func removeCell(_ key: UInt64) -> Bool {
        guard let index = cellIndex.removeValue(forKey: key).map(Int.init) else { return false }
        let last = cells.removeLast()
        if index < cells.count {
            cells[index] = last
            cellIndex[last.key] = Int32(index)
        }
        return true
    }

    /// Renumbers the values when fewer than half of them are still referenced, so a long-running partition's
    /// memory follows its open windows rather than every user it ever saw (a week holds its users until it ends).
    mutating func compactValuesIfSparse() {
        guard values.count > 1024 else { return }
        var live: [UInt32: UInt32] = [:]
        var compacted = ValueTable()
        func renumber(_ id: UInt32) -> UInt32 {
            if let new = live[id] { return new }
            let new = compacted.id(values.dimensions[Int(id)], values.names[Int(id)])
            live[id] = new
            return new
        }
        // Counting first keeps the common case (most values live) free of rebuilding.
        var referenced = Set<UInt32>()
        for cell in cells {
            referenced.insert(CellPacking.value(ofRow: CellPacking.row(ofCell: cell.key)))
            cell.users.forEach { referenced.insert($0) }
            for (type, _) in cell.countByType { referenced.insert(type) }
        }
        for row in loadedRows.keys { referenced.insert(CellPacking.value(ofRow: row)) }
        guard referenced.count * 2 < values.count else { return }

        var moved: [UInt64: UInt64] = [:]
        cellIndex.removeAll(keepingCapacity: true)
        for index in cells.indices {
            let key = cells[index].key
            let row = CellPacking.row(ofCell: key)
            let newKey = CellPacking.cell(
                row: CellPacking.row(row, withValue: renumber(CellPacking.value(ofRow: row))),
                slot: CellPacking.slot(ofCell: key))
            cells[index].key = newKey
            cells[index].users.remap(renumber)
            cells[index].countByType = cells[index].countByType.map { (renumber($0.type), $0.count) }
            cellIndex[newKey] = Int32(index)
            moved[key] = newKey
        }
        cellsEndingAt = cellsEndingAt.mapValues { $0.compactMap { moved[$0] } }
        loadedRows = Dictionary(
            uniqueKeysWithValues: loadedRows.map { row, end in
                (CellPacking.row(row, withValue: renumber(CellPacking.value(ofRow: row))), end)
            })
        values = compacted
    }

    /// Records that the last flush (cells and checkpoint) is durable.
    public mutating func checkpointed() { lastCheckpointOffset = lastOffset }

    /// Stored cells of this partition in a row read back from Bigtable.
    public func storedCells(of row: BigtableRow) -> [(window: AggregateWindow, cell: AggregateCell)] {
        EventsAggregateTable.totals(of: row).compactMap { totals in
            totals.partitions[partition].map { (totals.window, $0) }
        }
    }
}

/// A partition's column qualifiers by cell slot (hours 0–23, day, week), made once per flush.
private struct CellQualifiers {
    let stats: [Data]
    let final: [Data]

    init(partition: Int32) {
        var stats: [Data] = []
        var final: [Data] = []
        for hour in 0..<24 {
            let window = AggregateWindow(granularity: .hour, startMs: Int64(hour) * AggregateWindow.hourMs)
            stats.append(Data(EventsAggregateTable.qualifier(window, partition: partition).utf8))
            final.append(Data(EventsAggregateTable.finalQualifier(window, partition: partition).utf8))
        }
        for granularity in [AggregateGranularity.day, .week] {
            let window = AggregateWindow(granularity: granularity, startMs: 0)
            stats.append(Data(EventsAggregateTable.qualifier(window, partition: partition).utf8))
            final.append(Data(EventsAggregateTable.finalQualifier(window, partition: partition).utf8))
        }
        self.stats = stats
        self.final = final
    }
}

extension Dictionary {
    fileprivate mutating func cached(_ key: Key, _ make: () -> Value) -> Value {
        if let value = self[key] { return value }
        let value = make()
        self[key] = value
        return value
    }
}
