/// Where a batch's outputs go: sends through the producer, all tracked by the batch's one `DeliveryTracker`,
/// so the batch is marked done exactly when every output it produced is durable.
public struct BatchOutput: Sendable {
    let producer: KafkaProducer
    let tracker: DeliveryTracker

    /// Sends bytes that stay valid for the whole call (for example a consumed message's key).
    public func send(
        to topic: ProducerTopic, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader] = [], timestampMs: Int64 = 0
    ) async throws(KafkaError) {
        try await producer.send(
            to: topic, key: key, value: value, headers: headers, timestampMs: timestampMs, tracker: tracker)
    }

    /// Sends a new value under a consumed message's key (read in place, not copied in Swift), to `partition` when
    /// given, else to the key's partition.
    public func send(
        to topic: ProducerTopic, keyOf message: ConsumedMessage, value: [UInt8], headers: [KafkaHeader] = [],
        partition: Int32? = nil, timestampMs: Int64 = 0
    ) async throws(KafkaError) {
        let tracker = tracker
        try await producer.waitingForSpace(topic: topic.name) {
            message.withKey { key in
                value.withUnsafeBytes { bytes in
                    producer.trySend(
                        to: topic, key: key.baseAddress == nil ? nil : key, value: bytes, headers: headers,
                        partition: partition, timestampMs: timestampMs, tracker: tracker)
                }
            }
        }
    }

    /// Sends byte arrays.
    public func send(
        to topic: ProducerTopic, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [], timestampMs: Int64 = 0
    ) async throws(KafkaError) {
        try await producer.send(
            to: topic, key: key, value: value, headers: headers, timestampMs: timestampMs, tracker: tracker)
    }

    /// Sends a consumed message's key and value unchanged, straight from librdkafka's buffers (no copy in Swift).
    public func forward(_ message: ConsumedMessage, to topic: ProducerTopic) async throws(KafkaError) {
        let tracker = tracker
        try await producer.waitingForSpace(topic: topic.name) {
            message.withKey { key in
                message.withValue { value in
                    producer.trySend(
                        to: topic, key: key.baseAddress == nil ? nil : key, value: value, headers: [], partition: nil,
                        timestampMs: 0, tracker: tracker)
                }
            }
        }
    }
}
