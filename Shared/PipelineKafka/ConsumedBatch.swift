internal import CRdKafka

/// Messages handed out by one `KafkaConsumer.nextBatch` call, read in place from librdkafka's buffers.
///
/// The batch owns the librdkafka messages and destroys them when it is released, so keys and values are
/// never copied on the way in. Hand the batch back with `KafkaConsumer.markDone(_:)` once everything it
/// produced is durable.
///
/// `@unchecked Sendable`: the message array is written only while the batch is built, then read-only; the
/// messages themselves are immutable once librdkafka returns them.
public final class ConsumedBatch: @unchecked Sendable, RandomAccessCollection {
    public let id: UInt64
    private let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    public let count: Int
    /// One past the highest offset per partition: what committing this batch means.
    public let nextOffsets: [TopicPartition: Int64]
    private let topicNames: [OpaquePointer: String]
    /// Records per topic in this batch, for the per-topic consumed counter.
    let topicCounts: [String: Int]
    /// When the batch was fetched, for the processing-latency histogram.
    let fetchedAt = ContinuousClock.now

    init(id: UInt64, messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, count: Int) {
        self.id = id
        self.messages = messages
        self.count = count
        // Per message only pointer and integer compares: consecutive messages usually share a partition, and a
        // batch spans few partitions, so a short array beats hashing a topic name per message.
        var spans: [(topic: OpaquePointer, partition: Int32, next: Int64, count: Int)] = []
        var last = -1
        for index in 0..<count {
            let message = messages[index]!.pointee
            let topic = message.rkt!
            if last < 0 || spans[last].topic != topic || spans[last].partition != message.partition {
                if let found = spans.firstIndex(where: { $0.topic == topic && $0.partition == message.partition }) {
                    last = found
                } else {
                    spans.append((topic, message.partition, 0, 0))
                    last = spans.count - 1
                }
            }
            spans[last].next = Swift.max(spans[last].next, message.offset + 1)
            spans[last].count += 1
        }
        var names: [OpaquePointer: String] = [:]
        var offsets: [TopicPartition: Int64] = [:]
        var counts: [String: Int] = [:]
        for span in spans {
            let name = names[span.topic] ?? String(cString: rd_kafka_topic_name(span.topic))
            names[span.topic] = name
            offsets[TopicPartition(topic: name, partition: span.partition)] = span.next
            counts[name, default: 0] += span.count
        }
        topicCounts = counts
        topicNames = names
        nextOffsets = offsets
    }

    deinit {
        for index in 0..<count { rd_kafka_message_destroy(messages[index]) }
        messages.deallocate()
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> ConsumedMessage {
        precondition(position >= 0 && position < count, "message index out of range")
        return ConsumedMessage(batch: self, raw: messages[position]!)
    }

    func topicName(_ handle: OpaquePointer) -> String {
        topicNames[handle] ?? String(cString: rd_kafka_topic_name(handle))
    }
}

/// One consumed record, valid while its batch is alive (the message keeps it so).
public struct ConsumedMessage: Sendable {
    private let batch: ConsumedBatch
    /// Safe to share for the reason given on `ConsumedBatch`.
    private nonisolated(unsafe) let raw: UnsafeMutablePointer<rd_kafka_message_t>

    init(batch: ConsumedBatch, raw: UnsafeMutablePointer<rd_kafka_message_t>) {
        self.batch = batch
        self.raw = raw
    }

    public var topic: String { batch.topicName(raw.pointee.rkt) }
    public var partition: Int32 { raw.pointee.partition }
    public var offset: Int64 { raw.pointee.offset }
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// The record's timestamp in epoch milliseconds, if the broker sent one.
    public var timestampMs: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let value = rd_kafka_message_timestamp(raw, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : value
    }

    /// Calls `body` with the key bytes in place (empty when the record has no key).
    public func withKey<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: raw.pointee.key, count: raw.pointee.key_len))
    }

    /// Calls `body` with the payload bytes in place (empty for a tombstone).
    public func withValue<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: raw.pointee.payload, count: raw.pointee.len))
    }

    /// Async variant: the batch stays alive for the whole call, so the bytes stay valid across suspensions.
    public func withValue<R>(_ body: (UnsafeRawBufferPointer) async throws -> R) async rethrows -> R {
        defer { withExtendedLifetime(batch) {} }
        return try await body(UnsafeRawBufferPointer(start: raw.pointee.payload, count: raw.pointee.len))
    }

    /// A copy of the key, or `nil` when the record has none.
    public var key: [UInt8]? {
        raw.pointee.key == nil ? nil : withKey { Array($0) }
    }

    /// A copy of the payload.
    public var value: [UInt8] { withValue { Array($0) } }

    /// A copy of the payload, or `nil` for a tombstone (a null value, which Kafka tells apart from an empty one).
    public var valueOrNull: [UInt8]? {
        raw.pointee.payload == nil ? nil : value
    }

    /// The first header with this name; `.some(nil)` when it is present with a null value.
    public func header(_ name: String) -> [UInt8]?? {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(raw, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return nil }
        var value: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get_last(headers, name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        guard let value else { return .some(nil) }
        return .some(Array(UnsafeRawBufferPointer(start: value, count: size)))
    }

    /// All headers in order.
    public var headers: [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(raw, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var result: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            result.append(
                KafkaHeader(
                    name: name.map { String(cString: $0) } ?? "",
                    value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
            index += 1
        }
        return result
    }
}
