internal import CRdKafka
public import Logging

/// A topic to create: name, partitions and replication.
public struct TopicSpecification: Sendable, Equatable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int

    public init(name: String, partitions: Int, replicationFactor: Int = 1) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
    }
}

/// A partition's offsets as the broker sees them, and a group's progress through it.
public struct PartitionOffsets: Sendable, Equatable {
    public var partition: TopicPartition
    /// First offset still in the log.
    public var low: Int64
    /// Next offset to be written (the high watermark).
    public var high: Int64
    /// The group's committed offset, `nil` when it has none.
    public var committed: Int64?

    /// Messages the group has not yet committed past; everything still in the log when it has no offset.
    public var lag: Int64 { Swift.max(0, high - (committed ?? low)) }
}

/// Administrative calls: topic creation, metadata, watermarks and group offsets.
///
/// Every call has a timeout because the local mock broker never answers some admin requests (CreateTopics,
/// DescribeConfigs, ListGroups…); blocking calls run on a dedicated queue, off the cooperative pool.
public final class KafkaAdmin: Sendable {
    private let handle: SendablePointer
    private let context: ClientContext
    let client: KafkaClientConfiguration
    let blocking = BlockingQueue(label: "tributary.kafka.admin")
    private let logger: Logger

    public init(client: KafkaClientConfiguration, logger: Logger) throws(KafkaError) {
        self.client = client
        self.logger = logger
        context = ClientContext(logger: logger, role: "admin")
        var properties = client.baseProperties()
        properties += client.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let conf = try RDKafkaConf.make(properties)
        context.install(on: conf)
        handle = SendablePointer(raw: try RDKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf))
    }

    deinit {
        rd_kafka_destroy(handle.raw)
    }

    /// Creates the topics that do not exist yet; existing ones are left alone (idempotent).
    /// - Throws: `.admin` with the first failure, or `.timeout` when the cluster does not answer.
    public func createTopics(_ topics: [TopicSpecification], timeout: Duration = .seconds(10)) async throws(KafkaError) {
        guard !topics.isEmpty else { return }
        let handle = handle
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let outcome: Result<Void, KafkaError> = await blocking.run {
            Self.createTopicsBlocking(handle: handle.raw, topics: topics, timeoutMs: milliseconds)
        }
        try outcome.get()
    }

    private static func createTopicsBlocking(
        handle: OpaquePointer, topics: [TopicSpecification], timeoutMs: Int32
    ) -> Result<Void, KafkaError> {
        var errorBuffer = [CChar](repeating: 0, count: 256)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for topic in topics {
            guard let newTopic = rd_kafka_NewTopic_new(
                topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errorBuffer, errorBuffer.count)
            else {
                return .failure(KafkaError(kind: .admin, message: "\(topic.name): \(RDKafkaConf.text(of: errorBuffer))"))
            }
            newTopics.append(newTopic)
        }
        let resultQueue = rd_kafka_queue_new(handle)!
        defer { rd_kafka_queue_destroy(resultQueue) }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)!
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errorBuffer, errorBuffer.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errorBuffer, errorBuffer.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, resultQueue)
        }
        // The request timeout bounds the answer; a little slack covers librdkafka's own scheduling.
        guard let event = rd_kafka_queue_poll(resultQueue, timeoutMs + 2_000) else {
            return .failure(KafkaError(kind: .timeout, message: "CreateTopics got no answer (the local broker never answers it)"))
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return .failure(KafkaError(kind: .admin, response: eventError, context: "CreateTopics"))
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            return .failure(KafkaError(kind: .admin, message: "CreateTopics: unexpected event"))
        }
        var count = 0
        let results = rd_kafka_CreateTopics_result_topics(result, &count)!
        for index in 0..<count {
            let code = rd_kafka_topic_result_error(results[index])
            if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                let name = String(cString: rd_kafka_topic_result_name(results[index]))
                return .failure(KafkaError(kind: .admin, response: code, context: name))
            }
        }
        return .success(())
    }

    /// The number of partitions of a topic, or `nil` when the cluster does not know it.
    public func partitionCount(topic: String, timeout: Duration = .seconds(5)) async throws(KafkaError) -> Int? {
        let handle = handle
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let outcome: Result<Int?, KafkaError> = await blocking.run {
            guard let topicHandle = rd_kafka_topic_new(handle.raw, topic, nil) else {
                return .failure(KafkaError(kind: .admin, response: rd_kafka_last_error(), context: topic))
            }
            defer { rd_kafka_topic_destroy(topicHandle) }
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let code = rd_kafka_metadata(handle.raw, 0, topicHandle, &metadata, milliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return .failure(KafkaError(kind: .admin, response: code, context: "metadata \(topic)"))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            guard metadata.pointee.topic_cnt > 0 else { return .success(nil) }
            let entry = metadata.pointee.topics[0]
            if entry.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { return .success(nil) }
            return .success(Int(entry.partition_cnt))
        }
        return try outcome.get()
    }

    /// Low and high watermarks of one partition.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(5)) async throws(KafkaError)
        -> (low: Int64, high: Int64)
    {
        let handle = handle
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let outcome: Result<(low: Int64, high: Int64), KafkaError> = await blocking.run {
            var low: Int64 = 0
            var high: Int64 = 0
            let code = rd_kafka_query_watermark_offsets(handle.raw, topic, partition, &low, &high, milliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError(kind: .admin, response: code, context: "watermarks \(topic)[\(partition)]"))
            }
            return .success((low, high))
        }
        return try outcome.get()
    }

    /// Low and high watermarks of every partition of `topic`, with `group`'s committed offsets when given.
    public func offsets(topic: String, group: String? = nil, timeout: Duration = .seconds(5)) async throws(KafkaError)
        -> [PartitionOffsets]
    {
        guard let count = try await partitionCount(topic: topic, timeout: timeout) else { return [] }
        var offsets: [PartitionOffsets] = []
        for partition in 0..<Int32(count) {
            let (low, high) = try await watermarks(topic: topic, partition: partition, timeout: timeout)
            offsets.append(
                PartitionOffsets(partition: TopicPartition(topic: topic, partition: partition), low: low, high: high, committed: nil))
        }
        guard let group else { return offsets }
        let committed = try await committedOffsets(group: group, partitions: offsets.map(\.partition), timeout: timeout)
        for index in offsets.indices { offsets[index].committed = committed[offsets[index].partition] }
        return offsets
    }

    /// A group's committed offsets, read with a short-lived client in that group (it does not join it).
    public func committedOffsets(
        group: String, partitions: [TopicPartition], timeout: Duration = .seconds(5)
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        var properties = client.baseProperties() + [("group.id", group)]
        properties += client.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let conf = try RDKafkaConf.make(properties)
        let groupClient = SendablePointer(raw: try RDKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf))
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let outcome: Result<[TopicPartition: Int64], KafkaError> = await blocking.run {
            defer { rd_kafka_destroy(groupClient.raw) }
            let list = TopicPartition.makeList(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let code = rd_kafka_committed(groupClient.raw, list, milliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError(kind: .admin, response: code, context: "committed offsets of \(group)"))
            }
            var result: [TopicPartition: Int64] = [:]
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                if element.offset >= 0 {
                    result[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] = element.offset
                }
            }
            return .success(result)
        }
        return try outcome.get()
    }
}
