public import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The at-least-once loop every Kafka-to-Kafka stage runs: fetch a batch, process it into outputs, and mark it
/// done only when librdkafka has reported every output delivered.
///
/// Batches are pipelined: the loop fetches the next batch while earlier batches' outputs are still in flight, up
/// to `maximumInFlightBatches` (the backpressure bound). Offsets advance per partition only past batches that are
/// all done (`KafkaConsumer.markDone`), so a crash at any moment redelivers, and never skips, unfinished work.
///
/// A delivery failure stops the loop with that error after the batches in flight settle: the failed batch is
/// not committed, so a restarted instance processes it again. On graceful shutdown (or ``stop()``) the loop
/// stops fetching, waits for the outputs in flight, and commits what is done before returning.
public final class ConsumeProduceLoop: Sendable {
    public struct Configuration: Sendable {
        /// Batches whose outputs may be awaiting delivery reports at once.
        public var maximumInFlightBatches: Int
        /// How long one fetch waits for messages.
        public var pollTimeout: Duration
        /// How long the final drain may wait for outstanding delivery reports.
        public var drainTimeout: Duration

        public init(
            maximumInFlightBatches: Int = 8, pollTimeout: Duration = .milliseconds(100),
            drainTimeout: Duration = .seconds(20)
        ) {
            self.maximumInFlightBatches = maximumInFlightBatches
            self.pollTimeout = pollTimeout
            self.drainTimeout = drainTimeout
        }
    }

    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let configuration: Configuration
    private let logger: Logger
    private let window: InFlightWindow
    private let running = RunningFlag()
    private let failure = Mutex<KafkaError?>(nil)
    private let inFlight: Gauge

    public init(consumer: KafkaConsumer, producer: KafkaProducer, configuration: Configuration = Configuration(), logger: Logger) {
        self.consumer = consumer
        self.producer = producer
        self.configuration = configuration
        self.logger = logger
        window = InFlightWindow(capacity: configuration.maximumInFlightBatches)
        inFlight = Gauge(label: "tributary_pipeline_inflight_batches")
    }

    /// Asks the loop to finish: it stops fetching, drains and commits, then `run` returns.
    public func stop() { running.stop() }

    /// Runs until graceful shutdown, cancellation, ``stop()`` or a delivery failure.
    /// - Parameter process: Turns one batch into outputs sent through the `BatchOutput`. Bad records are the
    ///   closure's business (dead-letter them as outputs); an error thrown here stops the loop, and the batch it
    ///   was processing is not marked done.
    /// - Throws: The first delivery failure, or what `process` threw.
    public func run(_ process: (ConsumedBatch, BatchOutput) async throws -> Void) async throws {
        do {
            try await fetchAndProcess(process)
        } catch {
            await drain()
            throw error
        }
        await drain()
        if let failed = failure.withLock({ $0 }) { throw failed }
        do {
            try await consumer.commit()
        } catch {
            logger.info("kafka final commit failed; uncommitted batches will be redelivered", metadata: ["kafka.error": "\(error)"])
        }
    }

    private func fetchAndProcess(_ process: (ConsumedBatch, BatchOutput) async throws -> Void) async throws {
        while running.isRunning, !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let failed = failure.withLock({ $0 }) { throw failed }
            await window.acquire()
            let batch: ConsumedBatch
            do {
                batch = try await consumer.nextBatch(timeout: configuration.pollTimeout)
            } catch {
                window.release()
                throw error
            }
            guard !batch.isEmpty else {
                window.release()
                continue
            }
            inFlight.record(window.inUse)
            let abandoned = RunningFlag()
            let tracker = makeTracker(for: batch, abandoned: abandoned)
            do {
                try await process(batch, BatchOutput(producer: producer, tracker: tracker))
            } catch {
                // Outputs already sent still settle and free the slot, but the batch must not count as done.
                abandoned.stop()
                tracker.seal()
                throw error
            }
            tracker.seal()
        }
    }

    /// - Parameter abandoned: stopped when processing failed part-way, so the batch is not marked done.
    private func makeTracker(for batch: ConsumedBatch, abandoned: RunningFlag) -> DeliveryTracker {
        DeliveryTracker { [self] report in
            if report.succeeded, abandoned.isRunning {
                consumer.markDone(batch)
            } else if let error = report.firstError {
                self.failure.withLock { $0 = $0 ?? error }
                logger.error(
                    "kafka delivery failed; the batch stays uncommitted",
                    metadata: ["kafka.error": "\(error)", "kafka.failed": "\(report.failed)"])
            }
            window.release()
        }
    }

    /// Waits (bounded) until every batch handed out has its delivery reports.
    private func drain() async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.drainTimeout)
        while window.inUse > 0, clock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if window.inUse > 0 {
            logger.warning("kafka outputs still in flight at shutdown; their batches will be redelivered",
                           metadata: ["kafka.batches": "\(window.inUse)"])
        }
    }
}
