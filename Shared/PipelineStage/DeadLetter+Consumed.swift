public import PipelineKafka
public import PipelineMessages
import PipelineRuntime

extension DeadLetter {
    /// The dead letter for a consumed record a stage gave up on: the original key and value byte for byte (a null
    /// key or value stays null, so a replay sends a tombstone back, not empty bytes), where it came from, and why. `tributary dlq replay` can send it back to its topic once the cause is fixed.
    ///
    /// A record that `dlq replay` sent and that fails again keeps counting: its letter's `replay_count` is the one
    /// the replay carried (``ReplayHeaders/count``), so a letter that keeps failing shows it and stops being
    /// replayed at `--max-replays`.
    public init(consumed message: ConsumedMessage, stage: String, reason: String, detail: String) {
        self.init(
            originalKey: message.key, originalValue: message.valueOrNull, topic: message.topic,
            partition: message.partition, offset: message.offset, originalTimestampMs: message.timestampMs ?? 0,
            stage: stage, reason: reason, detail: detail, timeMs: WallClock.milliseconds(),
            replayCount: ReplayHeaders.count(of: message))
    }
}
