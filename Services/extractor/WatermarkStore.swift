import Logging
import PipelineKafka
import SalesforceExtraction

/// Each object's watermark, kept durably on a compacted topic (`salesforce.watermarks`, key = object, value =
/// ``Watermark/json``) and read back at start by scanning it: the last value per key wins, so the store is
/// correct whether or not the broker has compacted yet.
///
/// ``advance(_:to:)`` is called only after every record up to the watermark is acknowledged by Kafka, and
/// returns only once the watermark itself is; a crash in between re-reads those records (duplicates are fine,
/// the writer is idempotent) and never skips any.
actor WatermarkStore {
    private let producer: KafkaProducer
    private let topic: ProducerTopic
    private var marks: [String: Watermark]
    private let logger: Logger

    private init(producer: KafkaProducer, topic: ProducerTopic, marks: [String: Watermark], logger: Logger) {
        self.producer = producer
        self.topic = topic
        self.marks = marks
        self.logger = logger
    }

    /// Reads every partition of `topicName` from its low to its high offset.
    static func load(
        client: KafkaClientConfiguration, producer: KafkaProducer, topicName: String, logger: Logger
    ) async throws -> WatermarkStore {
        let admin = try KafkaAdmin(client: client, logger: logger)
        var latest: [String: (offset: Int64, mark: Watermark?)] = [:]
        for partition in try await admin.offsets(topic: topicName) where partition.high > partition.low {
            _ = try await KafkaPartitionReader.read(
                client: client, topic: topicName, partition: partition.partition.partition,
                range: partition.low..<partition.high, logger: logger
            ) { batch in
                for message in batch where message.offset < partition.high {
                    guard let key = message.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                    let mark = Watermark(json: message.value)
                    if mark == nil, !message.value.isEmpty {
                        logger.warning("unreadable watermark ignored", metadata: ["salesforce.object": "\(key)"])
                    }
                    if (latest[key]?.offset ?? -1) < message.offset { latest[key] = (message.offset, mark) }
                }
            }
        }
        let marks = latest.compactMapValues(\.mark)
        for (object, mark) in marks.sorted(by: { $0.key < $1.key }) {
            logger.info("watermark loaded", metadata: ["salesforce.object": "\(object)", "salesforce.watermark": "\(mark)"])
        }
        return WatermarkStore(producer: producer, topic: try producer.topic(topicName), marks: marks, logger: logger)
    }

    func watermark(_ object: String) -> Watermark? { marks[object] }

    var all: [String: Watermark] { marks }

    /// Stores a new watermark and waits for Kafka to acknowledge it. Never moves one backwards.
    func advance(_ object: String, to mark: Watermark) async throws {
        if let current = marks[object], mark <= current { return }
        try await producer.sendAndWait(to: topic, key: Array(object.utf8), value: Array(mark.json.utf8))
        marks[object] = mark
    }
}
