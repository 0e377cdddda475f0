import ClickstreamTransform
import Logging
import PipelineKafka
import PipelineMessages

/// One `EventTransformer` per partition this instance processes, each with its partition's recent event ids.
///
/// Duplicates land on the same partition as their original (same key), so per-partition windows are exact. When a
/// partition shows up that has no transformer yet (start, rebalance), its window is rebuilt from the log: the
/// `rebuildDepth` records before the first record handed to us are re-read and observed (checked, ids remembered,
/// nothing produced). Only the loop's task touches this type.
final class PartitionTransformers {
    /// By partition number only: the transformer reads one topic, and building a `TopicPartition` per record would
    /// cost a topic-name string and its hash on the hot path.
    private var transformers: [Int32: EventTransformer] = [:]
    private let rules: QualityRules
    private let configuration: EventTransformer.Configuration
    private let client: KafkaClientConfiguration
    private let rebuildDepth: Int
    private let logger: Logger

    init(rules: QualityRules, pipelineVersion: String, client: KafkaClientConfiguration, rebuildDepth: Int, logger: Logger) {
        self.rules = rules
        configuration = EventTransformer.Configuration(
            pipelineVersion: pipelineVersion, windowCapacity: max(rebuildDepth, rules.uniqueWindow ?? 0, 1_000))
        self.client = client
        self.rebuildDepth = rebuildDepth
        self.logger = logger
    }

    var all: [EventTransformer] { Array(transformers.values) }

    /// The transformer for a record's partition, rebuilt from the log first if this is the partition's first record.
    func transformer(for message: ConsumedMessage) async throws -> EventTransformer {
        if let existing = transformers[message.partition] { return existing }
        let partition = message.topicPartition
        let transformer = EventTransformer(rules: rules, configuration: configuration)
        let start = max(0, message.offset - Int64(rebuildDepth))
        if start < message.offset {
            let clock = ContinuousClock()
            let began = clock.now
            let observed = try await KafkaPartitionReader.read(
                client: client, topic: partition.topic, partition: partition.partition, range: start..<message.offset,
                logger: logger
            ) { batch in
                for record in batch where record.offset < message.offset {
                    record.withValue { bytes in
                        guard let raw = try? RawEvent(decoding: bytes) else { return }
                        raw.payload.withUnsafeBytes {
                            _ = transformer.observe(
                                payload: $0, receivedTimeMs: raw.receivedTimeMs, position: record.offset)
                        }
                    }
                }
            }
            logger.info(
                "duplicate-id window rebuilt from the log",
                metadata: [
                    "kafka.partition": "\(partition)", "records": "\(observed)",
                    "seconds": "\(began.duration(to: clock.now))",
                ])
        }
        transformers[message.partition] = transformer
        return transformer
    }
}
