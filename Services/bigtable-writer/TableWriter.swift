import Logging
import Metrics
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import PipelineStage
import PipelineTables
import ServiceLifecycle
import Synchronization

/// The writer's loop: each consumed batch becomes one write job (decode, MutateRows per table, dead letters, mark
/// done), with at most `maxInFlightWrites` jobs at once.
///
/// While Bigtable is unavailable (a write gives up with a retryable error) the job is parked, the consumer is paused
/// — librdkafka then drops its prefetched messages instead of growing them — and this loop keeps polling, so the
/// instance stays in its group, and retries the parked writes every `outageRetryInterval` until one succeeds. So an
/// outage delays and never loses: nothing is marked done before its rows are written (or dead-lettered).
struct TableWriter: Service {
    let configuration: WriterConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let bigtable: BigtableClient
    let health: HealthState
    let logger: Logger

    func run() async throws {
        do {
            // Start-up waits (Bigtable not answering yet) end on SIGTERM: nothing was consumed, so that is a clean stop.
            try await cancelWhenGracefulShutdown {
                for source in configuration.sources {
                    if configuration.bigtable.createTables {
                        try await bigtable.ensureTable(source.table, families: source.families, logger: logger)
                    } else {
                        // A missing table is the deployment's fault: say so now, not as a rejected write per record.
                        try await bigtable.verifyTable(source.table, families: source.families, logger: logger)
                    }
                }
            }
        } catch where Task.isShuttingDownGracefully {
            logger.info("stopped before the tables were ready; nothing was consumed")
            await closeClients()
            return
        }
        let meter = configuration.exitAfter.map { RunMeter(limit: $0) }
        let jobs = WriteJobRunner(
            bigtable: bigtable, producer: producer, consumer: consumer,
            deadLetters: try producer.topic(configuration.deadLetterTopic), meter: meter, logger: logger)
        let window = InFlightWindow(capacity: configuration.maxInFlightWrites)
        do {
            try await withThrowingDiscardingTaskGroup { group in
                while !Task.isShuttingDownGracefully, !Task.isCancelled, meter?.isDone != true {
                    if let failure = jobs.fatalError { throw failure }
                    if jobs.outage.isActive {
                        try await rideOutOutage(jobs: jobs)
                        continue
                    }
                    if consumer.isPaused {
                        consumer.resume()
                        health.markHealthy("bigtable")
                        logger.notice("bigtable writes succeed again; consuming")
                    }
                    await window.acquire()
                    let batch: ConsumedBatch
                    do {
                        batch = try await consumer.nextBatch(timeout: .milliseconds(100))
                    } catch {
                        window.release()
                        throw error
                    }
                    guard !batch.isEmpty else {
                        window.release()
                        continue
                    }
                    meter?.start()
                    group.addTask {
                        defer { window.release() }
                        await jobs.run(WriteJob(batch: batch, routes: configuration.routes))
                    }
                }
            }
        } catch {
            await closeClients()
            throw error
        }
        if let failure = jobs.fatalError {
            await closeClients()
            throw failure
        }
        do { try await consumer.commit() } catch { logger.info("final commit failed", metadata: ["error": "\(error)"]) }
        if jobs.parkedCount > 0 {
            ShutdownBudget.shared.abandon("\(jobs.parkedCount) write jobs parked while Bigtable refused them")
        }
        await closeClients()
        if let line = meter?.reportLine(service: "bigtable-writer") { print(line) }
    }

    /// Paused consumption with polling (to stay in the group), and a retry of the parked writes now and then.
    private func rideOutOutage(jobs: WriteJobRunner) async throws {
        if !consumer.isPaused {
            consumer.pause()
            health.markUnhealthy("bigtable", reason: "Bigtable writes are failing; consumption paused")
            if let fault = jobs.environmentFault {
                // Not a record's fault and not a blip: someone must fix the table, the role or the credentials.
                logger.error(
                    "bigtable refuses every write for a reason no record causes: pausing consumption until it is fixed",
                    metadata: ["error": "\(fault)"])
            } else {
                logger.warning("bigtable unavailable: pausing consumption and retrying parked writes")
            }
        }
        // Paused partitions deliver nothing; this keeps the group session alive and serves rebalances.
        let stray = try await consumer.nextBatch(timeout: .milliseconds(100))
        if !stray.isEmpty { jobs.park(WriteJob(batch: stray, routes: configuration.routes)) }
        try? await Task.sleep(for: configuration.outageRetryInterval)
        await jobs.retryParked()
    }

    /// Closes the Kafka clients; the Bigtable client is a service of its own and stops with the group, after this.
    private func closeClients() async {
        await consumer.close()
        await producer.close(timeout: .seconds(10))
    }
}

extension TableWriter: CustomStringConvertible {
    /// What ServiceLifecycle logs for this service.
    var description: String { "table-writer" }
}
