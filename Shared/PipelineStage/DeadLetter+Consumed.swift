public import PipelineKafka
public import PipelineMessages
import PipelineRuntime

extension DeadLetter {
    /// The dead letter for a consumed record a stage gave up on: the original key and value byte for byte, where
    /// it came from, and why. `tributary dlq replay` can send it back to its topic once the cause is fixed.
    public init(consumed message: ConsumedMessage, stage: String, reason: String, detail: String, replayCount: UInt32 = 0) {
        self.init(
            originalKey: message.key, originalValue: message.value, topic: message.topic,
            partition: message.partition, offset: message.offset, originalTimestampMs: message.timestampMs ?? 0,
            stage: stage, reason: reason, detail: detail, timeMs: WallClock.milliseconds(), replayCount: replayCount)
    }
}
