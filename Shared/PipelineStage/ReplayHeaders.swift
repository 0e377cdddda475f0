public import PipelineKafka

/// The headers `tributary dlq replay` puts on a record it sends back to its source topic, and what a stage reads
/// from them.
///
/// A replay goes back to the topic the letter came from, and every stage reading that topic sees it; only the stage
/// that dead-lettered it should act on it. On `events.clean` that matters: a record the bigtable-writer rejected was
/// already counted by the aggregator, and counting its replay would count the event twice.
public enum ReplayHeaders {
    /// How many times the record has been replayed (the letter's `replay_count` + 1), decimal text.
    public static let count = "tributary-replay-count"
    /// The stage whose dead letter this is (`DeadLetter.stage`): the one stage meant to process the replay.
    public static let stage = "tributary-replay-stage"
    /// Where the letter was: `topic/partition/offset` of the dead-letter topic.
    public static let deadLetter = "tributary-dead-letter"

    /// The replay count a record carries; 0 for a record that is not a replay (or a count that does not parse).
    public static func count(of message: ConsumedMessage) -> UInt32 {
        guard case .some(.some(let value)) = message.header(count) else { return 0 }
        return UInt32(String(decoding: value, as: UTF8.self)) ?? 0
    }

    /// Whether the record is a replay of another stage's dead letter, which `stage` must pass over.
    public static func isReplay(forAnotherStageThan stage: String, _ message: ConsumedMessage) -> Bool {
        guard case .some(.some(let value)) = message.header(Self.stage) else { return false }
        return !value.elementsEqual(stage.utf8)
    }

    /// The headers of a replayed letter.
    public static func headers(replayCount: UInt32, stage: String, deadLetter: String) -> [KafkaHeader] {
        [
            KafkaHeader(name: count, value: Array(String(replayCount).utf8)),
            KafkaHeader(name: Self.stage, value: Array(stage.utf8)),
            KafkaHeader(name: Self.deadLetter, value: Array(deadLetter.utf8)),
        ]
    }
}
