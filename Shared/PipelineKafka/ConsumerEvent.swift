/// Something a service may want to react to besides messages: rebalances and consumer errors.
public enum ConsumerEvent: Sendable {
    /// Partitions this instance now owns.
    case assigned([TopicPartition])
    /// Partitions taken away; done offsets were committed, unfinished batches will be redelivered elsewhere.
    case revoked([TopicPartition])
    /// The committed offset was outside the log (the broker dropped old data, or the topic was recreated),
    /// so `auto.offset.reset` moved the position: messages may have been skipped. Never silent.
    case offsetReset(TopicPartition, KafkaError)
    /// Any other error librdkafka reported on the consumer (usually transient; it retries by itself).
    case error(KafkaError)
}
