import Logging
import PipelineAggregation
import PipelineBigtable
import PipelineKafka
import PipelineRuntime
import PipelineTables
import ServiceLifecycle
import Synchronization

/// The aggregator's loop: fetch a batch, apply it to the owning partitions' in-memory windows, write the changed
/// cells, dead-letter late events, write the partitions' checkpoints, then mark the batch done — one batch at a time,
/// so a partition's cells are always written in offset order and a revoke never finds a half-written batch.
///
/// Partition state is (re)loaded from Bigtable when a partition first shows up, and again whenever a batch does not
/// continue where this instance left off (someone else processed the partition meanwhile). See
/// ``PartitionAggregator`` for why the result is exact.
struct Aggregator: Service {
    let configuration: AggregatorConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let bigtable: BigtableClient
    let health: HealthState
    let logger: Logger

    func run() async throws {
        do {
            if configuration.bigtable.createTables {
                try await bigtable.ensureTable(
                    configuration.table, families: EventsAggregateTable.families, logger: logger)
            }
            let store = AggregateStore(
                bigtable: bigtable, table: configuration.table, rowsPerWrite: configuration.rowsPerWrite,
                maxInFlightWrites: configuration.maxInFlightWrites,
                outageRetryInterval: configuration.outageRetryInterval, health: health, logger: logger)
            let batches = BatchAggregation(
                configuration: configuration, store: store, producer: producer,
                deadLetters: try producer.topic(configuration.deadLetterTopic), logger: logger)
            let revoked = RevokedPartitions()
            let consumer = consumer
            let watcher = Task {
                for await event in consumer.events {
                    if case .revoked(let partitions) = event { revoked.add(partitions) }
                }
            }
            defer { watcher.cancel() }
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                // Memory only: correctness does not depend on seeing revokes in time (see BatchAggregation.state).
                batches.forget(revoked.take())
                let batch = try await consumer.nextBatch(timeout: .milliseconds(100))
                guard !batch.isEmpty else { continue }
                try await batches.process(batch)
                consumer.markDone(batch)
            }
        } catch {
            await closeClients()
            throw error
        }
        do { try await consumer.commit() } catch { logger.info("final commit failed", metadata: ["error": "\(error)"]) }
        await closeClients()
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
