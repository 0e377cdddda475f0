import Logging
import PipelineKafka
import PipelineMessages

/// Reads the dead-letter topic: every letter with its own position, and how far each reason was replayed.
///
/// Replay progress is a consumer group per reason, `tributary-dlq-replay.<reason>`, whose committed offset on each
/// dead-letter partition means "every letter of this reason below here was replayed". The group never joins or
/// consumes; `tributary dlq replay` commits it after the replayed records are acknowledged, so a second replay
/// starts where the last one stopped and nothing is sent twice.
struct DeadLetterLog {
    struct Entry {
        var partition: Int32
        var offset: Int64
        var letter: DeadLetter
    }

    let topic: String
    let admin: KafkaAdmin
    let client: KafkaClientConfiguration
    let logger: Logger

    static func replayGroup(reason: String) -> String { "tributary-dlq-replay.\(reason)" }

    /// Letters from `start` (partition → offset; the log start when absent) to the end, in partition order.
    func read(from start: [Int32: Int64] = [:], undecodable: inout Int) async throws -> [Entry] {
        var entries: [Entry] = []
        var broken = 0
        for offsets in try await admin.offsets(topic: topic) {
            let partition = offsets.partition.partition
            let first = max(offsets.low, start[partition] ?? offsets.low)
            guard first < offsets.high else { continue }
            let range = first..<offsets.high
            _ = try await KafkaPartitionReader.read(
                client: client, topic: topic, partition: partition, range: range, timeout: .seconds(120), logger: logger
            ) { batch in
                for message in batch where range.contains(message.offset) {
                    if let letter = message.withValue({ try? DeadLetter(decoding: $0) }) {
                        entries.append(Entry(partition: partition, offset: message.offset, letter: letter))
                    } else {
                        broken += 1
                    }
                }
            }
        }
        undecodable += broken
        return entries
    }

    /// The replay group's committed offsets for a reason, by partition.
    func replayed(reason: String) async throws -> [Int32: Int64] {
        var result: [Int32: Int64] = [:]
        for offsets in try await admin.offsets(topic: topic, group: Self.replayGroup(reason: reason)) {
            if let committed = offsets.committed { result[offsets.partition.partition] = committed }
        }
        return result
    }
}
