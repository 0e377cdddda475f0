import Logging
import PipelineKafka
import PipelineMessages
import SalesforceRouting

/// One `ChangeRouter` per partition this instance routes, each holding that partition's ordering and duplicate
/// state, rebuilt from the log whenever it may not match the records before the one being routed.
///
/// The state must reflect exactly the partition's records just before the current one: then a redelivered
/// record is never taken for its own duplicate, and the checks hold across restarts. So the router is rebuilt
/// (the `rebuildDepth` events before the record are re-read and observed, nothing produced) when a partition shows
/// up the first time, and when its offsets jump — backwards after a rebalance or a failed batch redelivers, or
/// forwards past records another instance routed meanwhile. Only the loop's task touches this type.
final class PartitionRouters {
    private struct Slot {
        let router: ChangeRouter
        var nextOffset: Int64
    }

    /// Small forward jumps are normal (transaction markers take offsets); a larger one means missed records.
    static let toleratedGap: Int64 = 16

    private var slots: [Int32: Slot] = [:]
    private let configuration: ChangeRouter.Configuration
    private let recordsRemembered: Int
    private let client: KafkaClientConfiguration
    private let rebuildDepth: Int
    private let logger: Logger

    init(
        configuration: ChangeRouter.Configuration, recordsRemembered: Int, client: KafkaClientConfiguration,
        rebuildDepth: Int, logger: Logger
    ) {
        self.configuration = configuration
        self.recordsRemembered = recordsRemembered
        self.client = client
        self.rebuildDepth = rebuildDepth
        self.logger = logger
    }

    /// The router for a record's partition, rebuilt from the log first when needed; call ``routed(_:)`` after.
    func router(for message: ConsumedMessage) async throws -> ChangeRouter {
        if let slot = slots[message.partition], message.offset >= slot.nextOffset,
            message.offset <= slot.nextOffset + Self.toleratedGap
        {
            return slot.router
        }
        let router = ChangeRouter(
            configuration: configuration, sequencer: RecordSequencer(capacity: recordsRemembered))
        let start = max(0, message.offset - Int64(rebuildDepth))
        if start < message.offset {
            let clock = ContinuousClock()
            let began = clock.now
            logger.debug(
                "rebuilding routing state from the log",
                metadata: ["kafka.partition": "\(message.topicPartition)", "kafka.from": "\(start)", "kafka.offset": "\(message.offset)"])
            let observed = try await KafkaPartitionReader.read(
                client: client, topic: message.topic, partition: message.partition, range: start..<message.offset,
                logger: logger
            ) { batch in
                for record in batch where record.offset < message.offset {
                    let event = record.withValue { try? ChangeEvent(decoding: $0) }
                    if let event { router.observe(event, position: record.offset) }
                }
            }
            logger.info(
                "routing state rebuilt from the log",
                metadata: [
                    "kafka.partition": "\(message.topicPartition)", "kafka.offset": "\(message.offset)",
                    "records": "\(observed)", "seconds": "\(began.duration(to: clock.now))",
                ])
        }
        slots[message.partition] = Slot(router: router, nextOffset: message.offset)
        return router
    }

    /// Notes that a record was routed, so the next one of its partition is expected right after it.
    func routed(_ message: ConsumedMessage) {
        slots[message.partition]?.nextOffset = message.offset + 1
    }
}
