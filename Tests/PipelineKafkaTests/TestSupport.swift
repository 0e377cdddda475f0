import Logging
import PipelineKafka
import Testing

/// A fresh in-process broker per test, so tests never share state.
struct TestCluster {
    let broker: LocalBroker
    let logger: Logger

    init(brokers: Int = 1) throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        self.logger = logger
        broker = try LocalBroker(brokers: brokers, logger: logger)
    }

    var client: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "test", statisticsInterval: nil)
    }

    func producer(properties: [String: String] = [:], maximumQueuedMessages: Int = 100_000) throws -> KafkaProducer {
        var client = client
        client.properties = properties
        return try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                client: client, linger: .milliseconds(1), maximumQueuedMessages: maximumQueuedMessages),
            logger: logger)
    }

    /// Keeps the configuration's default session timeout: with 2 s the mock broker never assigned partitions.
    func consumer(group: String, topics: [String], batchSize: Int = 500) throws -> KafkaConsumer {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: group, maximumBatchSize: batchSize),
            logger: logger)
        try consumer.subscribe(topics)
        return consumer
    }

    /// Produces `count` messages `m-<i>` keyed `k-<i % 7>` and waits until all are delivered.
    func fill(topic: String, count: Int, from start: Int = 0) async throws {
        let producer = try producer()
        let handle = try producer.topic(topic)
        let tracker = DeliveryTracker()
        for index in start..<(start + count) {
            try await producer.send(
                to: handle, key: Array("k-\(index % 7)".utf8), value: Array("m-\(index)".utf8), tracker: tracker)
        }
        let report = await tracker.report()
        #expect(report.delivered == count)
        await producer.close(timeout: .seconds(5))
    }
}

/// Reads until `count` messages arrived or the deadline passed, marking each batch done if asked.
func drain(
    _ consumer: KafkaConsumer, count: Int, markDone: Bool = true, deadline: Duration = .seconds(30)
) async throws -> [String] {
    var values: [String] = []
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while values.count < count, clock.now < end {
        let batch = try await consumer.nextBatch(timeout: .milliseconds(200))
        for message in batch { values.append(String(decoding: message.value, as: UTF8.self)) }
        if markDone { consumer.markDone(batch) }
    }
    return values
}
