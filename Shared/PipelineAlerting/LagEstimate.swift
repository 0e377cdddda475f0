/// One partition's lag for a consumer group, in messages and in time.
public struct PartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var committed: Int64?
    public var high: Int64
    public var messages: Int64
    /// Age of the oldest unprocessed message (the one at the committed offset); 0 when caught up.
    public var seconds: Double

    public init(topic: String, partition: Int32, committed: Int64?, high: Int64, messages: Int64, seconds: Double) {
        self.topic = topic
        self.partition = partition
        self.committed = committed
        self.high = high
        self.messages = messages
        self.seconds = seconds
    }

    /// Lag from the offsets and the timestamp of the message at the committed offset.
    ///
    /// - Parameters:
    ///   - oldestUnprocessedTimestampMs: The timestamp of the message at `committed` (or at `low` when the group
    ///     has no offset); `nil` when it could not be read (then the lag in time is unknown and reported as 0).
    public static func estimate(
        topic: String, partition: Int32, low: Int64, high: Int64, committed: Int64?,
        oldestUnprocessedTimestampMs: Int64?, nowMs: Int64
    ) -> PartitionLag {
        let position = max(committed ?? low, low)
        let messages = max(0, high - position)
        var seconds = 0.0
        if messages > 0, let timestamp = oldestUnprocessedTimestampMs, timestamp > 0 {
            seconds = Double(max(0, nowMs - timestamp)) / 1000
        }
        return PartitionLag(
            topic: topic, partition: partition, committed: committed, high: high, messages: messages, seconds: seconds)
    }
}

/// A consumer group's lag: messages summed over its partitions, time as the worst partition's.
public struct GroupLag: Sendable, Equatable {
    public var group: String
    public var topic: String
    public var partitions: [PartitionLag]
    /// False when the group has never committed anything on the topic (not started yet).
    public var hasOffsets: Bool { partitions.contains { $0.committed != nil } }
    public var messages: Int64 { partitions.reduce(0) { $0 + $1.messages } }
    public var seconds: Double { partitions.map(\.seconds).max() ?? 0 }

    public init(group: String, topic: String, partitions: [PartitionLag]) {
        self.group = group
        self.topic = topic
        self.partitions = partitions
    }
}

/// The pipeline's consumer groups and the topic each reads: what the lag watch and `tributary status` look at.
public struct WatchedGroup: Sendable, Equatable, Hashable {
    public var service: String
    public var group: String
    public var topic: String

    public init(service: String, group: String, topic: String) {
        self.service = service
        self.group = group
        self.topic = topic
    }

    /// The SPEC's stages with their default group names.
    public static let pipeline: [WatchedGroup] = [
        WatchedGroup(service: "transformer", group: "transformer", topic: "events.raw"),
        WatchedGroup(service: "bigtable-writer", group: "bigtable-writer", topic: "events.clean"),
        WatchedGroup(service: "aggregator", group: "aggregator", topic: "events.clean"),
        WatchedGroup(service: "cdc-router", group: "cdc-router", topic: "salesforce.cdc"),
        WatchedGroup(service: "extractor", group: "extractor", topic: "pipeline.batch"),
    ]

    /// Parses `service:group:topic` or `group:topic` (the service is then the group), comma-separated.
    public static func parse(_ text: String) -> [WatchedGroup]? {
        var result: [WatchedGroup] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":").map { $0.trimmingSpaces }
            switch parts.count {
            case 2: result.append(WatchedGroup(service: parts[0], group: parts[0], topic: parts[1]))
            case 3: result.append(WatchedGroup(service: parts[0], group: parts[1], topic: parts[2]))
            default: return nil
            }
        }
        return result
    }
}
