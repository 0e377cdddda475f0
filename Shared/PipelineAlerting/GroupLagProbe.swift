public import Logging
public import PipelineKafka
import PipelineRuntime

/// Measures consumer groups' lag in messages and in seconds against the cluster: committed offsets and high
/// watermarks from ``KafkaAdmin``, then the timestamp of the message at each lagging partition's committed offset
/// (the oldest unprocessed one). Shared by `alerting` and `tributary status`.
public struct GroupLagProbe: Sendable {
    public let admin: KafkaAdmin
    public let client: KafkaClientConfiguration
    public let logger: Logger

    public init(admin: KafkaAdmin, client: KafkaClientConfiguration, logger: Logger) {
        self.admin = admin
        self.client = client
        self.logger = logger
    }

    /// Every group's lag; a group whose topic does not exist comes back with no partitions.
    public func measure(_ groups: [WatchedGroup]) async throws -> [GroupLag] {
        var measured: [(WatchedGroup, [PartitionOffsets])] = []
        var readFrom: [WatchedGroup: [TopicPartition: Int64]] = [:]
        for watched in groups {
            try Task.checkCancellation()
            let offsets = try await admin.offsets(topic: watched.topic, group: watched.group)
            measured.append((watched, offsets))
            for offset in offsets where offset.lag > 0 && offset.committed != nil {
                let position = max(offset.committed ?? offset.low, offset.low)
                readFrom[watched, default: [:]][offset.partition] = position
            }
        }
        // Groups on the same topic sit at different offsets: one read (one short-lived client) per lagging group.
        var timestamps: [WatchedGroup: [TopicPartition: Int64]] = [:]
        for (watched, wanted) in readFrom {
            try Task.checkCancellation()
            timestamps[watched] = try await KafkaPartitionReader.timestamps(
                client: client, positions: wanted, logger: logger)
        }
        let nowMs = WallClock.milliseconds()
        return measured.map { watched, offsets in
            GroupLag(
                group: watched.group, topic: watched.topic,
                partitions: offsets.map { offset in
                    PartitionLag.estimate(
                        topic: offset.partition.topic, partition: offset.partition.partition, low: offset.low,
                        high: offset.high, committed: offset.committed,
                        oldestUnprocessedTimestampMs: timestamps[watched]?[offset.partition], nowMs: nowMs)
                })
        }
    }
}
