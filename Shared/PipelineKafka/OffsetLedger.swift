/// Decides which offsets may be stored for commit as batches are marked done, possibly out of order.
///
/// A consumer hands out batches in order; a service may finish them out of order (pipelined sinks). An offset
/// is only safe to commit when every earlier message of that partition is done too, so each partition keeps
/// its in-flight batches in consumption order and advances over the finished prefix only. Revoking a
/// partition forgets its in-flight batches: their late completions are ignored, and the new owner re-reads
/// from the last committed offset (at-least-once). Pure state, no I/O: unit-tested on its own.
struct OffsetLedger {
    private struct InFlight {
        var batch: UInt64
        /// One past the batch's highest offset in this partition: the offset to commit once done.
        var nextOffset: Int64
        var done: Bool
    }

    private var inFlight: [TopicPartition: [InFlight]] = [:]
    private(set) var assigned: Set<TopicPartition> = []

    mutating func assign(_ partitions: [TopicPartition]) {
        assigned.formUnion(partitions)
    }

    mutating func revoke(_ partitions: [TopicPartition]) {
        for partition in partitions {
            assigned.remove(partition)
            inFlight[partition] = nil
        }
    }

    mutating func revokeAll() {
        assigned.removeAll()
        inFlight.removeAll()
    }

    /// Records a consumed batch; partitions no longer assigned are skipped (their messages are stale).
    mutating func register(batch: UInt64, nextOffsets: [TopicPartition: Int64]) {
        for (partition, nextOffset) in nextOffsets where assigned.contains(partition) {
            inFlight[partition, default: []].append(InFlight(batch: batch, nextOffset: nextOffset, done: false))
        }
    }

    /// Marks a batch done and returns, per partition, the offset now safe to store (if it advanced).
    mutating func complete(batch: UInt64, partitions: some Sequence<TopicPartition>) -> [(TopicPartition, Int64)] {
        var advanced: [(TopicPartition, Int64)] = []
        for partition in partitions {
            guard var queue = inFlight[partition],
                let position = queue.firstIndex(where: { $0.batch == batch })
            else { continue }
            queue[position].done = true
            let finishedPrefix = queue.prefix { $0.done }
            if let last = finishedPrefix.last {
                advanced.append((partition, last.nextOffset))
                queue.removeFirst(finishedPrefix.count)
            }
            inFlight[partition] = queue
        }
        return advanced
    }

    /// Batches handed out and not yet done, across partitions.
    var inFlightBatches: Int {
        Set(inFlight.values.flatMap { $0.map(\.batch) }).count
    }
}
