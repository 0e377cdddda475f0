import Logging
import PipelineAggregation
import PipelineBigtable
import PipelineKafka
import PipelineRuntime
import PipelineTables
import ServiceLifecycle
import Synchronization

/// The aggregator's loop: fetch a batch, apply it to the owning partitions' in-memory windows and dead-letter its late
/// events; every `--flush-events` events or `--flush-interval` (and at shutdown) write the changed cells, then the
/// partitions' checkpoints, then mark the flushed batches done — one flush at a time, so a partition's cells are
/// always written in offset order. A crash loses only unflushed memory: those batches were not committed.
///
/// Partition state is (re)loaded from Bigtable when a partition first shows up, and again whenever a batch does not
/// continue where this instance left off (someone else processed the partition meanwhile). See
/// ``PartitionAggregator`` for why the result is exact.
struct Aggregator: Service {
    let configuration: AggregatorConfiguration
    /// For re-reading the input log when a partition's duplicate window is rebuilt.
    let client: KafkaClientConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let bigtable: BigtableClient
    let health: HealthState
    let logger: Logger

    func run() async throws {
        let meter = configuration.exitAfter.map { RunMeter(limit: $0) }
        do {
            do {
                // Start-up waits end on SIGTERM: nothing was consumed yet, so that is a clean stop.
                try await cancelWhenGracefulShutdown {
                    if configuration.bigtable.createTables {
                        try await bigtable.ensureTable(
                            configuration.table, families: EventsAggregateTable.families, logger: logger)
                    } else {
                        // A missing table is the deployment's fault: a clear start-up error, not failing writes.
                        try await bigtable.verifyTable(
                            configuration.table, families: EventsAggregateTable.families, logger: logger)
                    }
                }
            } catch where Task.isShuttingDownGracefully {
                logger.info("stopped before the table was ready; nothing was consumed")
                await closeClients()
                return
            }
            let store = AggregateStore(
                bigtable: bigtable, table: configuration.table, rowsPerWrite: configuration.rowsPerWrite,
                maxInFlightWrites: configuration.maxInFlightWrites,
                outageRetryInterval: configuration.outageRetryInterval, health: health, logger: logger)
            let batches = BatchAggregation(
                configuration: configuration, client: client, store: store, producer: producer,
                deadLetters: try producer.topic(configuration.deadLetterTopic), logger: logger)
            let revoked = RevokedPartitions()
            let consumer = consumer
            let watcher = Task {
                for await event in consumer.events {
                    if case .revoked(let partitions) = event { revoked.add(partitions) }
                }
            }
            defer { watcher.cancel() }
            var pending = PendingBatches()
            while !Task.isShuttingDownGracefully, !Task.isCancelled, meter?.isDone != true {
                // Memory only: correctness does not depend on seeing revokes in time (see BatchAggregation.state).
                batches.forget(revoked.take())
                let batch = try await consumer.nextBatch(timeout: .milliseconds(100))
                if !batch.isEmpty {
                    meter?.start()
                    try await batches.apply(batch)
                    pending.add(batch)
                    meter?.record(batch.count)
                }
                if pending.isDue(events: configuration.flushEvents, interval: configuration.flushInterval) {
                    try await flush(&pending, batches)
                }
            }
            try await flush(&pending, batches)
            meter?.finish()
        } catch {
            await closeClients()
            throw error
        }
        do { try await consumer.commit() } catch { logger.info("final commit failed", metadata: ["error": "\(error)"]) }
        await closeClients()
        if let line = meter?.reportLine(service: "aggregator") { print(line) }
    }

    /// Writes what the pending batches changed, then marks them done (their offsets may be committed).
    private func flush(_ pending: inout PendingBatches, _ batches: BatchAggregation) async throws {
        guard !pending.isEmpty else { return }
        try await batches.flush()
        for batch in pending.take() { consumer.markDone(batch) }
    }

    /// Closes the Kafka clients; the Bigtable client is a service of its own and stops with the group, after this.
    private func closeClients() async {
        await consumer.close()
        await producer.close(timeout: .seconds(10))
    }
}

extension Aggregator: CustomStringConvertible {
    /// What ServiceLifecycle logs for this service.
    var description: String { "aggregator" }
}

/// Partitions revoked since the loop last looked, filled from the consumer's event stream.
final class RevokedPartitions: Sendable {
    private let partitions = Mutex<Set<TopicPartition>>([])

    func add(_ revoked: [TopicPartition]) { partitions.withLock { $0.formUnion(revoked) } }

    func take() -> Set<TopicPartition> { partitions.withLock { taken in defer { taken = [] }; return taken } }
}

/// Batches applied in memory but not yet flushed, and when the oldest arrived.
struct PendingBatches {
    private var batches: [ConsumedBatch] = []
    private var events = 0
    private var since: ContinuousClock.Instant?

    var isEmpty: Bool { batches.isEmpty }

    mutating func add(_ batch: ConsumedBatch) {
        batches.append(batch)
        events += batch.count
        since = since ?? .now
    }

    func isDue(events limit: Int, interval: Duration) -> Bool {
        guard let since else { return false }
        return events >= limit || since.duration(to: .now) >= interval
    }

    mutating func take() -> [ConsumedBatch] {
        defer { self = PendingBatches() }
        return batches
    }
}
