internal import CRdKafka
import Dispatch
public import Logging
import Metrics
import PipelineRuntime
import Synchronization

/// A topic a producer writes to, resolved once so sends skip the name lookup.
public struct ProducerTopic: Sendable {
    public let name: String
    let handle: SendablePointer
    /// `tributary_produced_total{topic}`.
    let produced: Counter
}

/// The one owner of a librdkafka producer handle.
///
/// Sends never block: a full local queue makes `send` wait (backpressure) rather than fail or drop.
/// Delivery reports are served by a poll loop on a dedicated dispatch queue, off Swift's cooperative pool,
/// and resolve each message's `DeliveryTracker`.
public final class KafkaProducer: Sendable {
    private let handle: SendablePointer
    private let context: ClientContext
    private let topics = Mutex<[String: ProducerTopic]>([:])
    private let running = RunningFlag()
    private let poller: BlockingQueue
    private let logger: Logger
    private let queueFullWaits: Counter

    /// - Throws: `KafkaError` of kind `.configuration` or `.clientCreation`.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.logger = logger
        context = ClientContext(logger: logger, role: "producer")
        queueFullWaits = Counter(label: "tributary_kafka_producer_queue_full_waits_total")
        let conf = try RDKafkaConf.make(configuration.librdkafkaProperties())
        context.install(on: conf)
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
            guard let message, let opaque = message.pointee._private else { return }
            let error = message.pointee.err
            DeliveryTracker.resolve(
                opaque: opaque, error: error == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(kind: .delivery, response: error))
        }
        handle = SendablePointer(raw: try RDKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf))
        poller = BlockingQueue(label: "tributary.kafka.producer.poll")
        logger.info("kafka producer started", metadata: ["kafka.librdkafka": "\(String(cString: rd_kafka_version_str()))"])
        startPolling()
    }

    deinit {
        running.stop()
        // Topic handles must be released before the client is destroyed.
        for topic in topics.withLock({ $0.values }) { rd_kafka_topic_destroy(topic.handle.raw) }
        rd_kafka_destroy(handle.raw)
    }

    private func startPolling() {
        let handle = handle
        poller.queue.async { [running] in
            while running.isRunning {
                rd_kafka_poll(handle.raw, 100)
            }
        }
    }

    /// Resolves a topic by name, creating librdkafka's topic handle on first use.
    public func topic(_ name: String) throws(KafkaError) -> ProducerTopic {
        let result: Result<ProducerTopic, KafkaError> = topics.withLock { topics in
            if let existing = topics[name] { return .success(existing) }
            guard let raw = rd_kafka_topic_new(handle.raw, name, nil) else {
                return .failure(KafkaError(kind: .configuration, response: rd_kafka_last_error(), context: name))
            }
            let topic = ProducerTopic(
                name: name, handle: SendablePointer(raw: raw),
                produced: Counter(label: CoreMetricNames.produced, dimensions: [("topic", name)]))
            topics[name] = topic
            return .success(topic)
        }
        return try result.get()
    }

    /// Hands one message to librdkafka, waiting while its local queue is full.
    ///
    /// Returns once librdkafka has a copy; durability is reported later through `tracker`.
    /// - Parameters:
    ///   - key: the partitioning key; `nil` for none.
    ///   - value: the payload; `nil` sends a tombstone.
    ///   - partition: an explicit partition, or `nil` for the partitioner (by key).
    ///   - timestampMs: the record timestamp, or 0 for now.
    /// - Throws: `KafkaError` when librdkafka refuses the message for a reason other than a full queue,
    ///   or `.closed` once the producer is shutting down.
    public func send(
        to topic: ProducerTopic, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader] = [], partition: Int32? = nil, timestampMs: Int64 = 0, tracker: DeliveryTracker
    ) async throws(KafkaError) {
        try await waitingForSpace(topic: topic.name) {
            trySend(
                to: topic, key: key, value: value, headers: headers, partition: partition,
                timestampMs: timestampMs, tracker: tracker)
        }
    }

    /// Convenience for byte arrays.
    public func send(
        to topic: ProducerTopic, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [],
        partition: Int32? = nil, timestampMs: Int64 = 0, tracker: DeliveryTracker
    ) async throws(KafkaError) {
        // librdkafka copies the bytes inside trySend, so nothing borrowed outlives one attempt.
        try await waitingForSpace(topic: topic.name) {
            Self.withOptionalBytes(key) { keyBytes in
                Self.withOptionalBytes(value) { valueBytes in
                    trySend(
                        to: topic, key: keyBytes, value: valueBytes, headers: headers, partition: partition,
                        timestampMs: timestampMs, tracker: tracker)
                }
            }
        }
    }

    /// Repeats `attempt` while librdkafka's queue is full: waiting is the backpressure, never a drop.
    func waitingForSpace(
        topic: String, _ attempt: () -> rd_kafka_resp_err_t
    ) async throws(KafkaError) {
        var backoff: Duration = .microseconds(200)
        while true {
            let result = attempt()
            if result == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            guard result == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                throw KafkaError(kind: .delivery, response: result, context: topic)
            }
            guard running.isRunning else { throw KafkaError(kind: .closed, message: "producer closed") }
            queueFullWaits.increment()
            // The poll loop frees space as delivery reports arrive.
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .milliseconds(20))
        }
    }

    /// Sends one message and waits for its delivery report.
    public func sendAndWait(
        to topic: ProducerTopic, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = []
    ) async throws(KafkaError) {
        let tracker = DeliveryTracker()
        try await send(to: topic, key: key, value: value, headers: headers, tracker: tracker)
        let report = await tracker.report()
        if let error = report.firstError { throw error }
    }

    private static func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }

    func trySend(
        to topic: ProducerTopic, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader], partition: Int32?, timestampMs: Int64, tracker: DeliveryTracker
    ) -> rd_kafka_resp_err_t {
        let headerList = headers.isEmpty ? nil : Self.makeHeaders(headers)
        let opaque = tracker.register()
        let result = tributary_produce(
            handle.raw, topic.handle.raw, partition ?? RD_KAFKA_PARTITION_UA,
            key?.baseAddress, key?.count ?? 0, value?.baseAddress, value?.count ?? 0,
            headerList, timestampMs, opaque)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            tracker.unregister()
            if let headerList { rd_kafka_headers_destroy(headerList) }
        } else {
            topic.produced.increment()
            StageCounters.produced.add(1, ordering: .relaxed)
        }
        return result
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
        let list = rd_kafka_headers_new(headers.count)!
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(list, header.name, -1, bytes.baseAddress, bytes.count)
                }
            } else {
                _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
            }
        }
        return list
    }

    /// Messages still in librdkafka's queues (not yet delivered or failed).
    public var queuedMessages: Int { Int(rd_kafka_outq_len(handle.raw)) }

    /// Waits until every queued message has a delivery report, or the timeout passes.
    /// - Returns: `true` when nothing remains queued.
    @discardableResult
    public func flush(timeout: Duration) async -> Bool {
        let handle = handle
        let milliseconds = Int32(clamping: timeout.milliseconds)
        // A separate queue: the poll loop occupies `poller` until shutdown.
        return await BlockingQueue(label: "tributary.kafka.producer.flush").run {
            rd_kafka_flush(handle.raw, milliseconds) == RD_KAFKA_RESP_ERR_NO_ERROR
        }
    }

    /// Flushes, then stops the poll loop. Further sends fail with `.closed`.
    ///
    /// During a service's shutdown the flush also ends with the shutdown budget (``ShutdownBudget``, keeping half a
    /// second for the steps after it); messages still undelivered then are given up and recorded there: their
    /// inputs were never marked done, so they are redelivered.
    /// - Parameter undeliveredIsLostWork: whether undelivered messages are outputs of consumed input (false for
    ///   heartbeats, whose loss is no lost work).
    /// - Returns: `true` when every message was reported on before the timeout.
    @discardableResult
    public func close(timeout requested: Duration, undeliveredIsLostWork: Bool = true) async -> Bool {
        let timeout = ShutdownBudget.shared.allowance(cap: requested, reserve: .milliseconds(500))
        let flushed = await flush(timeout: timeout)
        if !flushed {
            logger.warning("kafka producer closed with undelivered messages", metadata: ["kafka.queued": "\(queuedMessages)"])
            if undeliveredIsLostWork, ShutdownBudget.shared.deadline != nil {
                ShutdownBudget.shared.abandon("kafka producer close (\(queuedMessages) messages undelivered)")
            }
        }
        running.stop()
        // The poll loop exits within one poll timeout; waiting for it keeps callbacks from outliving us.
        await poller.run {}
        return flushed
    }
}
