internal import CRdKafka
public import Logging

/// Reads a range of one partition outside any consumer group: for rebuilding state a stage keeps per partition
/// (the transformer's recent event ids) from the log itself, so that state survives restarts and rebalances.
public enum KafkaPartitionReader {
    /// Reads the messages with offsets in `range` (clamped to what the broker still has), in batches.
    ///
    /// - Parameters:
    ///   - body: Called per batch; batches may hold messages past `range.upperBound`, which the body must skip
    ///     (compare `message.offset`).
    ///   - timeout: The longest the whole read may take; what was read by then is all the body gets.
    /// - Returns: The number of messages inside `range` that were handed to `body`.
    public static func read(
        client: KafkaClientConfiguration, topic: String, partition: Int32, range: Range<Int64>,
        timeout: Duration = .seconds(30), logger: Logger, _ body: (ConsumedBatch) throws -> Void
    ) async throws -> Int {
        guard !range.isEmpty else { return 0 }
        var properties = client.baseProperties().filter { $0.0 != "statistics.interval.ms" }
        properties += [
            ("group.id", "tributary-partition-reader"), ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"), ("enable.partition.eof", "true"),
            // A start below the log's first offset (retention removed it) reads from the first offset still there.
            // librdkafka's default, `latest`, would jump to the end and hand back nothing: the chaos suite found
            // duplicate-id windows rebuilt empty that way once the local broker's retention had trimmed a partition.
            ("auto.offset.reset", "earliest"),
        ]
        properties += client.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let conf = try RDKafkaConf.make(properties)
        let context = ClientContext(logger: logger, role: "partition-reader")
        context.install(on: conf)
        let handle = SendablePointer(raw: try RDKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf))
        let blocking = BlockingQueue(label: "tributary.kafka.partition-reader")
        defer { withExtendedLifetime(context) {} }
        let list = TopicPartition.makeList([(TopicPartition(topic: topic, partition: partition), range.lowerBound)])
        rd_kafka_assign(handle.raw, list)
        rd_kafka_topic_partition_list_destroy(list)
        let queue = SendablePointer(raw: rd_kafka_queue_get_consumer(handle.raw) ?? rd_kafka_queue_get_main(handle.raw))

        var delivered = 0
        var batchID: UInt64 = 0
        let deadline = ContinuousClock.now.advanced(by: timeout)
        reading: while ContinuousClock.now < deadline {
            let capacity = 1_000
            let fetched = await blocking.run {
                let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
                let count = rd_kafka_consume_batch_queue(queue.raw, 200, buffer, capacity)
                return (ReaderMessages(buffer: buffer), max(count, 0))
            }
            let buffer = fetched.0.buffer
            var kept = 0
            var reachedEnd = false
            for index in 0..<fetched.1 {
                let message = buffer[index]!
                if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    buffer[kept] = message
                    kept += 1
                    if message.pointee.offset + 1 >= range.upperBound { reachedEnd = true }
                } else {
                    // Partition EOF: nothing more to read below the high watermark.
                    if message.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { reachedEnd = true }
                    rd_kafka_message_destroy(message)
                }
            }
            batchID += 1
            let batch = ConsumedBatch(id: batchID, messages: buffer, count: kept)
            delivered += batch.reduce(0) { $0 + (range.contains($1.offset) ? 1 : 0) }
            try body(batch)
            if reachedEnd { break reading }
        }
        rd_kafka_queue_destroy(queue.raw)
        await blocking.run {
            rd_kafka_consumer_close(handle.raw)
            rd_kafka_destroy(handle.raw)
        }
        return delivered
    }
}

/// Moves the fetched message array from the blocking queue back to the caller.
/// `@unchecked Sendable`: ownership moves with it; only one side touches the buffer at a time.
private struct ReaderMessages: @unchecked Sendable {
    let buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
}
