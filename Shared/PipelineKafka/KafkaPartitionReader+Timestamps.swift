internal import CRdKafka
public import Logging

extension KafkaPartitionReader {
    /// The timestamps of the first message at or after each position, read outside any consumer group with one
    /// client for all partitions: what lag in seconds is computed from (the oldest unprocessed message's age).
    ///
    /// - Parameters:
    ///   - positions: Partition → offset to read (a group's committed offset).
    ///   - timeout: The longest the whole read may take; partitions not answered by then are missing.
    /// - Returns: Partition → epoch-millisecond timestamp, for partitions that had a message there.
    public static func timestamps(
        client: KafkaClientConfiguration, positions: [TopicPartition: Int64], timeout: Duration = .seconds(10),
        logger: Logger
    ) async throws -> [TopicPartition: Int64] {
        guard !positions.isEmpty else { return [:] }
        var properties = client.baseProperties().filter { $0.0 != "statistics.interval.ms" }
        properties += [
            ("group.id", "tributary-lag-probe"), ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"), ("enable.partition.eof", "true"),
            // One message per partition is all that is needed.
            ("fetch.max.bytes", "1048576"), ("max.partition.fetch.bytes", "65536"),
            // A committed offset below the log's start: the oldest unprocessed message is the first one left.
            ("auto.offset.reset", "earliest"),
        ]
        properties += client.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let conf = try RDKafkaConf.make(properties)
        let context = ClientContext(logger: logger, role: "lag-probe")
        context.install(on: conf)
        let handle = SendablePointer(raw: try RDKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf))
        let blocking = BlockingQueue(label: "tributary.kafka.lag-probe")
        defer { withExtendedLifetime(context) {} }
        let list = TopicPartition.makeList(positions.map { ($0.key, $0.value) })
        rd_kafka_assign(handle.raw, list)
        rd_kafka_topic_partition_list_destroy(list)
        let queue = SendablePointer(raw: rd_kafka_queue_get_consumer(handle.raw) ?? rd_kafka_queue_get_main(handle.raw))

        var found: [TopicPartition: Int64] = [:]
        var finished = Set<TopicPartition>()
        let deadline = ContinuousClock.now.advanced(by: timeout)
        // Cancellation ends the read early (a service shutting down must not wait out the timeout).
        while finished.count < positions.count, ContinuousClock.now < deadline, !Task.isCancelled {
            let batch: [(TopicPartition, Int64?, Bool)] = await blocking.run {
                let capacity = 500
                let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
                defer { buffer.deallocate() }
                let count = max(0, rd_kafka_consume_batch_queue(queue.raw, 200, buffer, capacity))
                var result: [(TopicPartition, Int64?, Bool)] = []
                for index in 0..<count {
                    let message = buffer[index]!
                    defer { rd_kafka_message_destroy(message) }
                    guard let topic = message.pointee.rkt else { continue }
                    let partition = TopicPartition(
                        topic: String(cString: rd_kafka_topic_name(topic)), partition: message.pointee.partition)
                    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
                        let value = rd_kafka_message_timestamp(message, &type)
                        result.append((partition, type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : value, true))
                    } else if message.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                        result.append((partition, nil, true))
                    }
                }
                return result
            }
            for (partition, timestamp, done) in batch where !finished.contains(partition) {
                if let timestamp { found[partition] = timestamp }
                if done { finished.insert(partition) }
            }
        }
        rd_kafka_queue_destroy(queue.raw)
        await blocking.run {
            rd_kafka_consumer_close(handle.raw)
            rd_kafka_destroy(handle.raw)
        }
        return found
    }
}
