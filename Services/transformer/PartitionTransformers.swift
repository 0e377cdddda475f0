import ClickstreamTransform
import Logging
import PipelineKafka
import PipelineMessages

/// One `EventTransformer` per partition this instance processes, each with its partition's recent event ids.
///
/// Duplicates land on the same partition as their original (same key), so per-partition windows are exact. Each
/// `events.raw` partition's clean events go to one `events.clean` partition (``cleanPartition(of:)``) and carry their
/// raw position (`raw_partition`, `raw_offset`). When a partition shows up that has no transformer yet (start,
/// rebalance), its window is rebuilt from that output: the accepted ids, at the raw offsets they were accepted at.
/// What counts as accepted is what was accepted then: re-judging the raw log with the rules the new instance runs
/// would let a record rejected under old rules shadow its own replay as a "duplicate" (the dead-letter replay after
/// a rule change). Only the loop's task touches this type.
final class PartitionTransformers {
    /// By partition number only: the transformer reads one topic, and building a `TopicPartition` per record would
    /// cost a topic-name string and its hash on the hot path.
    private var transformers: [Int32: EventTransformer] = [:]
    private let rules: QualityRules
    private let configuration: EventTransformer.Configuration
    private let client: KafkaClientConfiguration
    private let admin: KafkaAdmin
    private let cleanTopic: String
    private let rebuildDepth: Int
    private let logger: Logger
    /// Partition counts, learned with the first partition: `events.raw`'s and `events.clean`'s, and how many
    /// `events.raw` partitions share one `events.clean` partition at most.
    private var rawPartitions: Int32 = 0
    private var cleanPartitions: Int32 = 0
    private var sharing = 1

    init(
        rules: QualityRules, pipelineVersion: String, client: KafkaClientConfiguration, cleanTopic: String,
        rebuildDepth: Int, logger: Logger
    ) throws {
        self.rules = rules
        configuration = EventTransformer.Configuration(
            pipelineVersion: pipelineVersion, windowCapacity: max(rebuildDepth, rules.uniqueWindow ?? 0, 1_000))
        self.client = client
        admin = try KafkaAdmin(client: client, logger: logger)
        self.cleanTopic = cleanTopic
        self.rebuildDepth = rebuildDepth
        self.logger = logger
    }

    var all: [EventTransformer] { Array(transformers.values) }

    /// The `events.clean` partition for a record of a raw partition. With as many partitions or fewer, the same
    /// number, folded; with more (production sizes the writers wider than the transformers), one of the partitions
    /// `p, p + raw, p + 2·raw, …` chosen by the key, so one user still lands on one clean partition and each clean
    /// partition still holds one raw partition's events. Valid once ``transformer(for:)`` returned for a record of
    /// that partition.
    func cleanPartition(of message: ConsumedMessage) -> Int32 {
        let raw = message.partition
        guard cleanPartitions > rawPartitions else { return raw % cleanPartitions }
        let choices = Self.spread(raw, raw: rawPartitions, clean: cleanPartitions)
        guard choices > 1 else { return raw }
        let hash = message.withKey { key in key.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 } }
        return raw + Int32(hash % UInt32(choices)) * rawPartitions
    }

    /// How many clean partitions raw partition `p` spreads over: those of `p, p + raw, …` below `clean`.
    static func spread(_ p: Int32, raw: Int32, clean: Int32) -> Int32 {
        (clean - 1 - p) / raw + 1
    }

    /// The transformer for a record's partition, its window rebuilt first if this is the partition's first record.
    func transformer(for message: ConsumedMessage) async throws -> EventTransformer {
        if let existing = transformers[message.partition] { return existing }
        if cleanPartitions == 0 { try await learnPartitionCounts(rawTopic: message.topic) }
        let transformer = EventTransformer(
            rules: rules, configuration: configuration, sourcePartition: message.partition)
        try await rebuild(transformer.window, rawPartition: message.partition)
        transformers[message.partition] = transformer
        return transformer
    }

    private func learnPartitionCounts(rawTopic: String) async throws {
        guard let clean = try await admin.partitionCount(topic: cleanTopic), clean > 0 else {
            throw TransformerStartError(
                description: "topic \(cleanTopic) does not exist: create the topics first (`tributary topics create`)")
        }
        let raw = try await admin.partitionCount(topic: rawTopic) ?? clean
        rawPartitions = Int32(raw)
        cleanPartitions = Int32(clean)
        sharing = (raw + clean - 1) / clean
        if clean < raw {
            logger.warning(
                """
                events.clean has fewer partitions than events.raw: several raw partitions share one clean partition, \
                and rebuilding a duplicate-id window reads correspondingly more
                """,
                metadata: ["kafka.clean_partitions": "\(clean)", "kafka.raw_partitions": "\(raw)"])
        }
    }

    /// Fills `window` with the ids the transformer accepted from `rawPartition`, read back from the end of the
    /// `events.clean` partitions that hold its events (the last `rebuildDepth` records per raw partition sharing
    /// one, from each).
    private func rebuild(_ window: EventIDWindow, rawPartition: Int32) async throws {
        guard rebuildDepth > 0 else { return }
        let partitions: [Int32] =
            cleanPartitions > rawPartitions
            ? (0..<Self.spread(rawPartition, raw: rawPartitions, clean: cleanPartitions)).map { rawPartition + $0 * rawPartitions }
            : [rawPartition % cleanPartitions]
        let clock = ContinuousClock()
        let began = clock.now
        var read = 0
        var remembered = 0
        for partition in partitions {
            // Only the partitions that hold this raw partition's events: one round trip each, not one per partition
            // of the topic for every assigned partition.
            let ends = try await admin.watermarks(topic: cleanTopic, partition: partition)
            let start = max(ends.low, ends.high - Int64(rebuildDepth * sharing))
            guard start < ends.high else { continue }
            read += try await KafkaPartitionReader.read(
                client: client, topic: cleanTopic, partition: partition, range: start..<ends.high, logger: logger
            ) { batch in
                for record in batch where record.offset >= start && record.offset < ends.high {
                    guard let event = record.withValue({ try? CleanEvent(decoding: $0) }),
                        event.rawPartition == rawPartition, !event.eventID.isEmpty
                    else { continue }
                    window.remember(event.eventID, acceptedAt: event.rawOffset)
                    remembered += 1
                }
            }
        }
        logger.info(
            "duplicate-id window rebuilt from the transformer's output",
            metadata: [
                "kafka.partition": "\(rawPartition)", "kafka.clean_partitions": "\(partitions)", "records": "\(read)",
                "accepted_ids": "\(remembered)", "seconds": "\(began.duration(to: clock.now))",
            ])
    }
}

/// The transformer cannot start work: the message says what to fix.
struct TransformerStartError: Error, CustomStringConvertible {
    let description: String
}
