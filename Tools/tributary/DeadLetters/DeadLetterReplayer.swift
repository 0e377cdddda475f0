import Logging
import PipelineKafka
import PipelineMessages
import PipelineStage

/// Produces dead letters' original records back to their source topics and waits until all are acknowledged.
struct DeadLetterReplayer {
    let client: KafkaClientConfiguration
    let logger: Logger

    /// - Returns: The number of records replayed.
    /// - Throws: The first delivery error; then nothing is committed and a rerun replays the same letters again.
    func replay(_ entries: [DeadLetterLog.Entry], from deadLetterTopic: String) async throws -> Int {
        guard !entries.isEmpty else { return 0 }
        let producer = try KafkaProducer(configuration: .init(client: client), logger: logger)
        var topics: [String: ProducerTopic] = [:]
        let tracker = DeliveryTracker()
        for entry in entries {
            let letter = entry.letter
            let topic = try topics[letter.topic] ?? producer.topic(letter.topic)
            topics[letter.topic] = topic
            let headers = ReplayHeaders.headers(
                replayCount: letter.replayCount + 1, stage: letter.stage,
                deadLetter: "\(deadLetterTopic)/\(entry.partition)/\(entry.offset)")
            try await producer.send(
                to: topic, key: letter.originalKey, value: letter.originalValue, headers: headers, tracker: tracker)
        }
        let report = await tracker.report()
        await producer.close(timeout: .seconds(10))
        if let error = report.firstError { throw error }
        return entries.count
    }
}
