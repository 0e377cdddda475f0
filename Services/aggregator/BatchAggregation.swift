import Logging
import Metrics
import PipelineAggregation
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineStage
import PipelineTables

/// Applies consumed batches to the per-partition aggregators and makes the result durable, in the order exactness
/// needs: dead letters (when a batch is applied), then at a flush the changed cells, then checkpoints; the caller
/// marks the flushed batches done only after that.
///
/// Several batches may be applied before one flush: a hot cell (a popular page's day) is then written once per
/// flush instead of once per batch, which is most of the aggregator's cost (`tributary bench aggregate`).
///
/// Only the aggregator loop's task uses it, one batch at a time.
final class BatchAggregation {
    private let configuration: AggregatorConfiguration
    private let client: KafkaClientConfiguration
    private let store: AggregateStore
    private let producer: KafkaProducer
    private let deadLetters: ProducerTopic
    private let logger: Logger
    private let metrics = AggregatorMetrics()
    private var partitions: [TopicPartition: PartitionAggregator] = [:]
    /// Per partition, the event ids of the records before `next`, the next offset to apply (``RecentEventIDs``).
    private var recentIDs: [TopicPartition: (window: RecentEventIDs, next: Int64)] = [:]
    /// Partitions with changes not yet flushed, in the order they were first touched.
    private var unflushed: [TopicPartition] = []

    init(
        configuration: AggregatorConfiguration, client: KafkaClientConfiguration, store: AggregateStore,
        producer: KafkaProducer, deadLetters: ProducerTopic, logger: Logger
    ) {
        self.configuration = configuration
        self.client = client
        self.store = store
        self.producer = producer
        self.deadLetters = deadLetters
        self.logger = logger
    }

    /// Drops the state of partitions this instance no longer owns (it is reloaded if they come back).
    func forget(_ revoked: Set<TopicPartition>) {
        for partition in revoked {
            partitions[partition] = nil
            recentIDs[partition] = nil
        }
    }

    /// Applies a batch in memory and sends its dead letters (durable on return); the cells wait for ``flush()``.
    func apply(_ batch: ConsumedBatch) async throws {
        var order: [TopicPartition] = []
        var groups: [TopicPartition: [(index: Int, input: AggregateInput?, offset: Int64, id: UInt64?)]] = [:]
        var rejects: [(index: Int, reason: String, detail: String)] = []
        for (index, message) in batch.enumerated() {
            let partition = message.topicPartition
            if groups[partition] == nil { order.append(partition) }
            if ReplayHeaders.isReplay(forAnotherStageThan: "aggregator", message) {
                // Another stage's dead letter sent back (a bigtable-writer reject): this stage counted it already.
                groups[partition, default: []].append((index, nil, message.offset, nil))
                continue
            }
            do {
                let event = try message.withValue { try CleanEvent(decoding: $0) }
                if event.userID.isEmpty {
                    groups[partition, default: []].append((index, nil, message.offset, nil))
                    rejects.append((index, "missing_key_field", "a CleanEvent without user_id"))
                } else if !EventsFactTable.eventTimes.contains(event.eventTimeMs) {
                    // Never from the transformer (its rules bound the time), but anything can be produced here: a
                    // time past year 9999 would overflow the cell timestamp and move the watermark out of reach.
                    groups[partition, default: []].append((index, nil, message.offset, nil))
                    rejects.append(
                        (index, "out_of_range", "event_time_ms \(event.eventTimeMs) is outside 1970-01-01…9999-12-31"))
                } else {
                    groups[partition, default: []].append(
                        (index, AggregateInput(event), message.offset,
                         Self.duplicateKey(event, replayed: ReplayHeaders.count(of: message) > 0)))
                }
            } catch {
                groups[partition, default: []].append((index, nil, message.offset, nil))
                rejects.append(
                    (index, (error as? MessageDecodingError)?.reason ?? "undecodable_message",
                     "events.clean record is not a CleanEvent: \(error)"))
            }
        }
        // Rejects of records handled before (redelivered) are not sent again.
        var repeated: Set<Int> = []
        for partition in order {
            let items = groups[partition]!
            var state = try await self.state(for: partition, firstOffset: items[0].offset)
            var recent = try await recentIDs(for: partition, next: state.lastOffset + 1)
            let events = items.compactMap { item in item.input.map { (input: $0, offset: item.offset) } }
            let rows = state.rowsToLoad(events)
            if !rows.isEmpty {
                let stored = try await store.rows(rows, partition: partition.partition)
                for key in rows {
                    let cells = stored[key].map { state.storedCells(of: $0) } ?? []
                    state.load(rowKey: key, cells: cells)
                }
                metrics.rowsLoaded.increment(by: rows.count)
            }
            var applied = 0
            for item in items {
                // Records at or below the last applied offset are redeliveries the state skips whole; the window
                // already holds them.
                if item.offset > state.lastOffset, let id = item.id, recent != nil {
                    let copy = recent!.contains(id, before: item.offset)
                    recent!.record(id, at: item.offset)
                    if copy {
                        _ = state.skip(offset: item.offset)
                        metrics.duplicates.increment()
                        continue
                    }
                }
                guard let input = item.input else {
                    if !state.skip(offset: item.offset) { repeated.insert(item.index) }
                    continue
                }
                switch state.apply(input, offset: item.offset) {
                case .applied:
                    applied += 1
                case .alreadyApplied:
                    metrics.redelivered.increment()
                case .late(let watermark):
                    metrics.late.increment()
                    rejects.append(
                        (item.index, "late_event", state.lateDetail(eventTimeMs: input.eventTimeMs, watermarkMs: watermark)))
                }
            }
            metrics.applied.increment(by: applied)
            if let recent { recentIDs[partition] = (recent, state.lastOffset + 1) }
            partitions[partition] = state
            if !unflushed.contains(partition) { unflushed.append(partition) }
        }
        rejects.removeAll { repeated.contains($0.index) }
        try await deadLetter(rejects, from: batch)
    }

    /// Writes every change applied since the last flush: cells first, then the partitions' checkpoints. Partitions
    /// forgotten meanwhile (revoked) are not written; their batches are redelivered to the new owner.
    func flush() async throws {
        let started = ContinuousClock.now
        var entries: [BigtableMutationEntry] = []
        var checkpoints: [BigtableMutationEntry] = []
        let touched = unflushed.filter { partitions[$0] != nil }
        for partition in touched {
            let flush = partitions[partition]!.flush()
            entries += flush.entries
            if let checkpoint = flush.checkpoint { checkpoints.append(checkpoint) }
            metrics.cellsWritten.increment(by: flush.cellsWritten)
            metrics.windowsFinalised.increment(by: flush.windowsFinalised)
        }
        try await store.write(entries)
        try await store.write(checkpoints)
        for partition in touched { partitions[partition]?.checkpointed() }
        unflushed.removeAll()
        metrics.openCells.record(partitions.values.reduce(0) { $0 + $1.openCells })
        metrics.flushLatency.recordNanoseconds(started.duration(to: .now).nanoseconds)
    }

    /// The partition's aggregator; (re)loaded from Bigtable when this instance has none or when the batch does not
    /// continue where it left off — then another instance processed the partition meanwhile and memory is stale.
    private func state(for partition: TopicPartition, firstOffset: Int64) async throws -> PartitionAggregator {
        // Taken out of the dictionary while a batch is applied (`apply` puts it back), so mutating it does not copy
        // every open cell (copy on write). An error in between ends the service, so nothing is left half-applied.
        if let state = partitions.removeValue(forKey: partition), firstOffset <= state.lastOffset + 1 { return state }
        let checkpoint = try await store.checkpoint(topic: partition.topic, partition: partition.partition)
        if checkpoint == nil {
            // Written before any cell, so "no checkpoint" always means "nothing stored for this partition".
            try await store.write([
                EventsAggregateTable.checkpointEntry(
                    topic: partition.topic, partition: partition.partition, offset: -1, maxEventTimeMs: .min)
            ])
        }
        metrics.partitionsLoaded.increment()
        logger.info(
            "partition state loaded",
            metadata: [
                "kafka.partition": "\(partition)", "aggregator.checkpoint_offset": "\(checkpoint?.offset ?? -1)",
                "aggregator.first_offset": "\(firstOffset)",
            ])
        return PartitionAggregator(
            topic: partition.topic, partition: partition.partition, allowedLatenessMs: configuration.allowedLatenessMs,
            maxEventLeadMs: configuration.maxEventLeadMs, checkpoint: checkpoint)
    }

    /// The partition's duplicate window, continuing at offset `next`; rebuilt from the log (the `depth` offsets
    /// before `next`) when this instance has none or it ends elsewhere. `nil` when the check is off.
    private func recentIDs(for partition: TopicPartition, next: Int64) async throws -> RecentEventIDs? {
        guard configuration.duplicateWindow > 0 else { return nil }
        // Taken out of the dictionary, so the caller's mutations do not copy the whole window (copy on write);
        // the caller puts it back after the batch. Lost on an error, it is rebuilt from the log next time.
        if let known = recentIDs.removeValue(forKey: partition), known.next == next { return known.window }
        var window = RecentEventIDs(depth: Int64(configuration.duplicateWindow))
        let start = max(0, next - window.depth)
        let clock = ContinuousClock()
        let began = clock.now
        let read = try await KafkaPartitionReader.read(
            client: client, topic: partition.topic, partition: partition.partition, range: start..<next, logger: logger
        ) { batch in
            for record in batch where record.offset >= start && record.offset < next {
                guard let event = record.withValue({ try? CleanEvent(decoding: $0) }),
                    let id = Self.duplicateKey(event, replayed: ReplayHeaders.count(of: record) > 0)
                else { continue }
                window.record(id, at: record.offset)
            }
        }
        logger.info(
            "duplicate window rebuilt from the log",
            metadata: [
                "kafka.partition": "\(partition)", "kafka.from": "\(start)", "kafka.next": "\(next)", "records": "\(read)",
                "seconds": "\(began.duration(to: clock.now))",
            ])
        return window
    }

    /// What identifies an event for the duplicate check: its id, hashed; `nil` for events without one.
    ///
    /// A replayed dead letter (`tributary dlq replay` of a late event, after the allowed lateness was raised) is
    /// checked against other replays only: its original was remembered too, but it was not counted, so only another
    /// replay of the same event (its copy's letter, or the same letter replayed again) makes it a copy. Such ids are
    /// kept under a second, disjoint key.
    private static func duplicateKey(_ event: CleanEvent, replayed: Bool) -> UInt64? {
        guard !event.eventID.isEmpty else { return nil }
        let id = RecentEventIDs.hash(event.eventID)
        return replayed ? id ^ 0x5245_504C_4159_0000 : id
    }

    /// Sends dead letters and waits until they are durable.
    private func deadLetter(_ rejects: [(index: Int, reason: String, detail: String)], from batch: ConsumedBatch) async throws {
        guard !rejects.isEmpty else { return }
        let tracker = DeliveryTracker()
        for reject in rejects {
            let message = batch[reject.index]
            let letter = DeadLetter(consumed: message, stage: "aggregator", reason: reject.reason, detail: reject.detail)
            try await producer.send(to: deadLetters, key: message.key, value: letter.encode(), tracker: tracker)
            metrics.deadLetters.record(reason: reject.reason)
        }
        let report = await tracker.report()
        if let error = report.firstError { throw error }
    }
}

extension Duration {
    /// Whole nanoseconds, for swift-metrics timers.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
