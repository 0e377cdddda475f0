internal import CRdKafka
public import Logging
import Metrics
import PipelineRuntime
import Synchronization

/// The one owner of a librdkafka consumer-group handle, handing out messages in batches.
///
/// At-least-once by construction: `enable.auto.offset.store` is off, and an offset is stored (then committed
/// by the background auto-commit, on revoke and on close) only after the caller marks its batch done —
/// which it does once the batch's outputs are durable. Fetching runs on a dedicated dispatch queue, so
/// blocking polls and the rebalance callback (which commits) never hold a cooperative-pool thread.
public final class KafkaConsumer: Sendable {
    private let handle: SendablePointer
    private let queue: SendablePointer
    private let context: ClientContext
    private let fetcher: BlockingQueue
    private let ledger: Mutex<OffsetLedger>
    private let nextBatchID = Atomic<UInt64>(1)
    private let paused = Atomic<Bool>(false)
    private let closed = RunningFlag()
    /// Whether `close` gave up waiting, and so who destroys the handle.
    private let closeState = ConsumerCloseState()
    private let configuration: KafkaConsumerConfiguration
    private let logger: Logger
    private let metrics: ConsumerMetrics
    private let eventStream: AsyncStream<ConsumerEvent>
    private let eventSink: AsyncStream<ConsumerEvent>.Continuation

    /// Rebalances and errors, for services that react to them (buffered: the newest 256 are kept).
    public var events: AsyncStream<ConsumerEvent> { eventStream }

    /// - Throws: `KafkaError` of kind `.configuration` or `.clientCreation`.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        metrics = ConsumerMetrics()
        ledger = Mutex(OffsetLedger())
        (eventStream, eventSink) = AsyncStream.makeStream(of: ConsumerEvent.self, bufferingPolicy: .bufferingNewest(256))
        fetcher = BlockingQueue(label: "tributary.kafka.consumer")

        // The rebalance callback needs the consumer, which does not exist yet: route through a box.
        let owner = ConsumerBox()
        let (metrics, sink) = (metrics, eventSink)
        context = ClientContext(
            logger: logger, role: "consumer",
            offsetReset: { partition, text in
                // With `auto.offset.reset` earliest or latest, librdkafka only logs this; it is data skipped.
                Self.reportSkipped(
                    partition, KafkaError(kind: .offsetOutOfRange, message: text), metrics: metrics, logger: logger, events: sink)
            }
        ) { handle, error, partitions in
            owner.consumer?.rebalance(handle: handle, error: error, partitions: partitions)
        }
        let conf = try RDKafkaConf.make(configuration.librdkafkaProperties())
        context.install(on: conf)
        rd_kafka_conf_set_rebalance_cb(conf) { handle, error, partitions, opaque in
            guard let handle, let partitions, let context = ClientContext.from(opaque) else { return }
            context.rebalance?(handle, error, partitions)
        }
        let raw = try RDKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf)
        // Serve errors, statistics and rebalances from the consumer queue, which nextBatch polls.
        rd_kafka_poll_set_consumer(raw)
        handle = SendablePointer(raw: raw)
        queue = SendablePointer(raw: rd_kafka_queue_get_consumer(raw))
        owner.set(self)
        logger.info(
            "kafka consumer started",
            metadata: ["kafka.group": "\(configuration.groupID)", "kafka.librdkafka": "\(String(cString: rd_kafka_version_str()))"])
    }

    deinit {
        eventSink.finish()
        // A close given up may still be running on the fetch queue; then it destroys the handle when it returns.
        guard closeState.release() else { return }
        Self.destroy(handle: handle, queue: queue)
    }

    /// Joins the group for these topics.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let result = rd_kafka_subscribe(handle.raw, list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(kind: .consume, response: result) }
    }

    /// Waits up to `timeout` for messages and returns those available, at most `maximumBatchSize`.
    ///
    /// An empty batch means nothing arrived in time. Errors librdkafka reports meanwhile go to `events`,
    /// the log and metrics; they do not end the stream.
    /// - Throws: `.closed` after `close()`.
    public func nextBatch(timeout: Duration = .milliseconds(100)) async throws(KafkaError) -> ConsumedBatch {
        guard closed.isRunning else { throw KafkaError(kind: .closed, message: "consumer closed") }
        let capacity = configuration.maximumBatchSize
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let queue = queue
        let fetched = await fetcher.run {
            let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
            let count = rd_kafka_consume_batch_queue(queue.raw, milliseconds, buffer, capacity)
            return (SendableMessages(buffer: buffer), max(count, 0))
        }
        return takeBatch(fetched.0.buffer, count: fetched.1)
    }

    /// Separates error events from data and registers the data batch with the ledger.
    private func takeBatch(
        _ buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, count: Int
    ) -> ConsumedBatch {
        var kept = 0
        for index in 0..<count {
            let message = buffer[index]!
            if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                report(errorMessage: message)
                rd_kafka_message_destroy(message)
            } else {
                buffer[kept] = message
                kept += 1
            }
        }
        let batch = ConsumedBatch(id: nextBatchID.wrappingAdd(1, ordering: .relaxed).oldValue, messages: buffer, count: kept)
        if kept > 0 {
            ledger.withLock { $0.register(batch: batch.id, nextOffsets: batch.nextOffsets) }
            metrics.recordConsumed(batch.topicCounts)
            StageCounters.consumed.add(Int64(kept), ordering: .relaxed)
            metrics.batchSize.record(kept)
        }
        return batch
    }

    /// A position moved past records that were never delivered: never silent.
    private static func reportSkipped(
        _ partition: TopicPartition, _ error: KafkaError, metrics: ConsumerMetrics, logger: Logger,
        events: AsyncStream<ConsumerEvent>.Continuation
    ) {
        metrics.offsetResets.increment()
        logger.error(
            "kafka offset reset: messages may have been skipped",
            metadata: ["kafka.partition": "\(partition)", "kafka.error": "\(error)"])
        events.yield(.offsetReset(partition, error))
    }

    private func report(errorMessage message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let code = message.pointee.err
        let error = KafkaError(
            kind: code == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ? .offsetOutOfRange : .consume, response: code)
        if code == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, let topic = message.pointee.rkt {
            let partition = TopicPartition(topic: String(cString: rd_kafka_topic_name(topic)), partition: message.pointee.partition)
            Self.reportSkipped(partition, error, metrics: metrics, logger: logger, events: eventSink)
        } else {
            metrics.errors.increment()
            logger.info("kafka consumer error", metadata: ["kafka.error": "\(error)"])
            eventSink.yield(.error(error))
        }
    }

    /// Marks a batch's messages processed: their outputs are durable, so their offsets may be committed.
    ///
    /// Batches may be marked in any order; a partition's offset advances only past batches that are all done.
    /// Marking a batch whose partitions were revoked meanwhile does nothing (the new owner re-reads them).
    public func markDone(_ batch: ConsumedBatch) {
        guard batch.count > 0 else { return }
        metrics.recordProcessing(since: batch.fetchedAt)
        let advanced = ledger.withLock { $0.complete(batch: batch.id, partitions: batch.nextOffsets.keys) }
        guard !advanced.isEmpty else { return }
        let list = TopicPartition.makeList(advanced)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_offsets_store(handle.raw, list)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            // Happens when a rebalance revoked the partition between our check and the store.
            logger.debug("kafka offsets not stored", metadata: ["kafka.error": "\(KafkaError(kind: .commit, response: result))"])
        }
    }

    /// Commits stored offsets now and waits for the broker's answer (auto-commit does this periodically).
    public func commit() async throws(KafkaError) {
        let handle = handle
        let result = await fetcher.run { rd_kafka_commit(handle.raw, nil, 0) }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR || result == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(kind: .commit, response: result)
        }
    }

    /// Partitions currently assigned to this instance.
    public var assignment: [TopicPartition] { ledger.withLock { Array($0.assigned) } }

    /// Batches handed out and not yet marked done.
    public var inFlightBatches: Int { ledger.withLock { $0.inFlightBatches } }

    /// Stops fetching from every assigned partition (and those assigned later) until `resume()`:
    /// the backpressure a service applies when its sink is slow or down.
    public func pause() {
        paused.store(true, ordering: .relaxed)
        setPaused(true, partitions: assignment)
    }

    public func resume() {
        paused.store(false, ordering: .relaxed)
        setPaused(false, partitions: assignment)
    }

    public var isPaused: Bool { paused.load(ordering: .relaxed) }

    private func setPaused(_ pause: Bool, partitions: [TopicPartition]) {
        guard !partitions.isEmpty else { return }
        let list = TopicPartition.makeList(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        _ = pause ? rd_kafka_pause_partitions(handle.raw, list) : rd_kafka_resume_partitions(handle.raw, list)
    }

    /// Leaves the group: commits what is done, revokes, and stops. Unfinished batches will be redelivered.
    ///
    /// librdkafka's close waits for a join in progress to finish before it can leave, which can take up to
    /// `session.timeout.ms` or more on a loaded broker; a shutdown must not. After `timeout` the close is given up
    /// (logged): the group notices the member is gone at its session timeout, and anything done but not yet
    /// committed is redelivered, which every stage tolerates (at-least-once, idempotent writes).
    /// During a service's shutdown the wait is also bounded by what is left of the shutdown budget
    /// (``ShutdownBudget``, keeping a second for the steps after it), and a close given up is recorded there, so
    /// the service exits with ``ServiceExitCode/abandoned``.
    /// - Returns: False when the close did not finish within `timeout`.
    @discardableResult
    public func close(timeout requested: Duration = .seconds(10)) async -> Bool {
        guard closed.isRunning else { return true }
        closed.stop()
        let timeout = ShutdownBudget.shared.allowance(cap: requested, reserve: .seconds(1))
        let (handle, queue, context, closeState) = (handle, queue, context, closeState)
        // librdkafka's own close (it serves the final revoke, whose commit is synchronous) on the fetch queue; the
        // wait stops at the deadline. The closure keeps the callbacks' context alive for as long as it runs.
        let result = await fetcher.run(within: timeout) {
            let result = withExtendedLifetime(context) { rd_kafka_consumer_close(handle.raw) }
            if closeState.closeFinished() { Self.destroy(handle: handle, queue: queue) }
            return result
        }
        if let result, result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.info("kafka consumer close reported an error", metadata: ["kafka.error": "\(KafkaError(kind: .commit, response: result))"])
        }
        let finished = result != nil || !closeState.giveUp()
        eventSink.finish()
        if finished {
            logger.info("kafka consumer closed", metadata: ["kafka.group": "\(configuration.groupID)"])
        } else {
            logger.warning(
                "kafka consumer close gave up: the group drops this member at its session timeout, uncommitted work is redelivered",
                metadata: ["kafka.group": "\(configuration.groupID)", "timeout": "\(timeout)"])
            ShutdownBudget.shared.abandon("kafka consumer close (group \(configuration.groupID))")
        }
        return finished
    }

    private static func destroy(handle: SendablePointer, queue: SendablePointer) {
        rd_kafka_queue_destroy(queue.raw)
        rd_kafka_destroy(handle.raw)
    }

    // MARK: - Rebalance (runs on the fetch queue, inside librdkafka's poll)

    fileprivate func rebalance(
        handle: OpaquePointer, error: rd_kafka_resp_err_t, partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) {
        let changed = TopicPartition.array(from: partitions)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        switch error {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            ledger.withLock { $0.assign(changed) }
            if cooperative {
                if let failure = rd_kafka_incremental_assign(handle, partitions) { _ = KafkaError(kind: .consume, consuming: failure) }
            } else {
                rd_kafka_assign(handle, partitions)
            }
            if paused.load(ordering: .relaxed) { setPaused(true, partitions: changed) }
            metrics.rebalances.increment()
            logger.info("kafka partitions assigned", metadata: ["kafka.partitions": "\(changed.map(\.description))"])
            eventSink.yield(.assigned(changed))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            // Commit what is done before giving the partitions up, so the next owner starts right after it.
            let commitResult = rd_kafka_commit(handle, nil, 0)
            ledger.withLock { $0.revoke(changed) }
            if cooperative {
                if let failure = rd_kafka_incremental_unassign(handle, partitions) { _ = KafkaError(kind: .consume, consuming: failure) }
            } else {
                rd_kafka_assign(handle, nil)
            }
            metrics.rebalances.increment()
            logger.info(
                "kafka partitions revoked",
                metadata: [
                    "kafka.partitions": "\(changed.map(\.description))",
                    "kafka.commit": "\(String(cString: rd_kafka_err2name(commitResult)))",
                ])
            eventSink.yield(.revoked(changed))
        default:
            ledger.withLock { $0.revokeAll() }
            rd_kafka_assign(handle, nil)
            let failure = KafkaError(kind: .consume, response: error, context: "rebalance")
            logger.info("kafka rebalance error", metadata: ["kafka.error": "\(failure)"])
            eventSink.yield(.error(failure))
        }
    }
}

/// Lets the rebalance callback, created before the consumer, find it; set once right after init.
private final class ConsumerBox: Sendable {
    private let reference = Mutex<KafkaConsumerReference?>(nil)
    var consumer: KafkaConsumer? { reference.withLock { $0?.consumer } }
    func set(_ consumer: KafkaConsumer) { reference.withLock { $0 = KafkaConsumerReference(consumer: consumer) } }
}

/// Weak, so the callback does not keep the consumer alive.
private struct KafkaConsumerReference: Sendable {
    weak var consumer: KafkaConsumer?
}

/// Carries the message buffer from the fetch queue back to the caller.
/// `@unchecked Sendable`: ownership moves with it; only one side touches the buffer at a time.
private struct SendableMessages: @unchecked Sendable {
    let buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
}

/// Consumer metrics, created once per consumer with bounded labels.
final class ConsumerMetrics: Sendable {
    /// One counter per topic, created on first use (a consumer reads a handful of topics).
    private let consumed = Mutex<[String: Counter]>([:])
    let batchSize = Recorder(label: CoreMetricNames.batchSize)
    /// From fetch to `markDone`: decoding, the stage's work and the outputs' acknowledgement, per batch.
    let processing = Timer(label: CoreMetricNames.processingSeconds)
    let errors = Counter(label: "tributary_kafka_consumer_errors_total")
    let offsetResets = Counter(label: "tributary_kafka_consumer_offset_resets_total")
    let rebalances = Counter(label: "tributary_kafka_consumer_rebalances_total")

    func recordProcessing(since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        processing.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func recordConsumed(_ counts: [String: Int]) {
        for (topic, count) in counts {
            let counter = consumed.withLock { counters in
                if let existing = counters[topic] { return existing }
                let created = Counter(label: CoreMetricNames.consumed, dimensions: [("topic", topic)])
                counters[topic] = created
                return created
            }
            counter.increment(by: count)
        }
    }
}
