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
        var byRow: [String: [BigtableMutation]] = [:]
        for key in dirty {
            guard let cell = cells[key] else { continue }
            byRow[key.rowKey, default: []].append(
                .setCell(
                    family: key.window.granularity.family,
                    qualifier: EventsAggregateTable.qualifier(key.window, partition: partition),
                    timestampMillis: key.window.startMs, value: cell.encoded()))
        }
        let cellsWritten = dirty.count
        dirty.removeAll(keepingCapacity: true)
        var finalised = 0
        let watermark = watermarkMs
        if watermark != .min {
            for key in cells.keys where key.window.endMs <= watermark {
                byRow[key.rowKey, default: []].append(
                    .setCell(
                        family: EventsAggregateTable.metadata,
                        qualifier: EventsAggregateTable.finalQualifier(key.window, partition: partition),
                        timestampMillis: key.window.startMs, value: String(watermark)))
                cells[key] = nil
                finalised += 1
            }
            loadedRows = loadedRows.filter { $0.value > watermark }
        }
        let entries = byRow.sorted { $0.key < $1.key }.map { BigtableMutationEntry(rowKey: $0.key, mutations: $0.value) }
        let checkpoint =
            lastOffset > lastCheckpointOffset
            ? EventsAggregateTable.checkpointEntry(
                topic: topic, partition: partition, offset: lastOffset, maxEventTimeMs: maxEventTimeMs)
            : nil
        return Flush(entries: entries, checkpoint: checkpoint, cellsWritten: cellsWritten, windowsFinalised: finalised)
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
