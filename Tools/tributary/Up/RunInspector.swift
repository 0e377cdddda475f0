import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables

/// Reads a finished run's results back from where they landed: dead letters by reason, rows in Bigtable.
enum RunInspector {
    /// Every dead letter on events.dlq, counted by stage and reason.
    static func deadLetters(client: KafkaClientConfiguration, logger: Logger) async throws -> [String: [String: Int]] {
        let admin = try KafkaAdmin(client: client, logger: logger)
        let offsets = try await admin.offsets(topic: PipelineTopic.eventsDeadLetter.rawValue)
        let expected = offsets.reduce(Int64(0)) { $0 + $1.high - $1.low }
        guard expected > 0 else { return [:] }
        let consumer = try KafkaConsumer(
            configuration: .init(client: client, groupID: "tributary-up-inspect-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"),
            logger: logger)
        try consumer.subscribe([PipelineTopic.eventsDeadLetter.rawValue])
        var counts: [String: [String: Int]] = [:]
        var read: Int64 = 0
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while read < expected, ContinuousClock.now < deadline {
            let batch = try await consumer.nextBatch(timeout: .milliseconds(200))
            for message in batch {
                read += 1
                guard let letter = try? message.withValue({ try DeadLetter(decoding: $0) }) else {
                    counts["?", default: [:]]["undecodable", default: 0] += 1
                    continue
                }
                counts[letter.stage, default: [:]][letter.reason, default: 0] += 1
            }
        }
        await consumer.close()
        return counts
    }

    /// Rows in `events_fact` (keys only: one cell per row, values stripped).
    static func factRows(client: BigtableClient) async throws -> Int {
        try await client.readRows(
            table: EventsFactTable.name, rows: .all, filter: .chain([.cellsPerRowLimit(1), .stripValue]), limit: nil
        ) { rows in
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }
}
