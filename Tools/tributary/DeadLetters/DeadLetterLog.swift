import Logging
import PipelineKafka
import PipelineMessages

/// Reads the dead-letter topic: every letter with its own position, and how far each reason was replayed.
///
/// Replay progress is a consumer group per reason and stage, `tributary-dlq-replay.<reason>.<stage>`, whose
/// committed offset on each dead-letter partition means "every letter of this reason from this stage below here was
/// handled" (replayed, or passed over on purpose: before `--since`, at `--max-replays`). One group per stage, so that
/// replaying one stage's letters (`--stage`) never passes over another's, and selections never overlap. The group
/// never joins or consumes; `tributary dlq replay` commits it after the replayed records are acknowledged, so a
/// second replay starts where the last one stopped and nothing is sent twice. Versions before the per-stage groups
/// kept one group per reason, `tributary-dlq-replay.<reason>`; its position still counts.
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

    static func replayGroup(reason: String, stage: String) -> String { "tributary-dlq-replay.\(reason).\(stage)" }
    /// The per-reason group of earlier versions.
    static func legacyReplayGroup(reason: String) -> String { "tributary-dlq-replay.\(reason)" }

    /// Every letter still in the log, up to `end` (partition → offset; the high watermark when absent), in
    /// partition and offset order.
    func read(until end: [Int32: Int64] = [:], undecodable: inout Int) async throws -> [Entry] {
        var entries: [Entry] = []
        var broken = 0
        for offsets in try await admin.offsets(topic: topic) {
            let partition = offsets.partition.partition
            let last = min(offsets.high, end[partition] ?? offsets.high)
            guard offsets.low < last else { continue }
            let range = offsets.low..<last
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

    /// How far one reason's letters from one stage were handled, by partition: the later of the stage's group and
    /// the reason's group of earlier versions.
    func replayed(reason: String, stage: String) async throws -> [Int32: Int64] {
        var result: [Int32: Int64] = [:]
        for group in [Self.legacyReplayGroup(reason: reason), Self.replayGroup(reason: reason, stage: stage)] {
            for offsets in try await admin.offsets(topic: topic, group: group) {
                if let committed = offsets.committed {
                    result[offsets.partition.partition] = max(result[offsets.partition.partition] ?? 0, committed)
                }
            }
        }
        return result
    }

    /// Whether `entry` lies below its reason and stage's replay progress.
    func wasReplayed(_ entry: Entry, progress: inout [String: [Int32: Int64]]) async throws -> Bool {
        let key = entry.letter.reason + "\u{0}" + entry.letter.stage
        if progress[key] == nil { progress[key] = try await replayed(reason: entry.letter.reason, stage: entry.letter.stage) }
        return entry.offset < progress[key]![entry.partition, default: Int64.min]
    }
}
