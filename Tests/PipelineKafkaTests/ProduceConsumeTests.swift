import PipelineKafka
import Testing

@Suite(.timeLimit(.minutes(2))) struct ProduceConsumeTests {
    @Test func roundTripKeepsKeysHeadersAndPerPartitionOrder() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("round-trip", partitions: 3)
        let producer = try cluster.producer()
        let topic = try producer.topic("round-trip")
        let tracker = DeliveryTracker()
        for index in 0..<300 {
            try await producer.send(
                to: topic, key: Array("user-\(index % 5)".utf8), value: Array("v\(index)".utf8),
                headers: [KafkaHeader(name: "index", string: "\(index)")], tracker: tracker)
        }
        let report = await tracker.report()
        #expect(report.delivered == 300 && report.failed == 0)

        let consumer = try cluster.consumer(group: "g-round-trip", topics: ["round-trip"])
        var seen: [String: [Int]] = [:]
        var partitionsByKey: [String: Set<Int32>] = [:]
        var total = 0
        let end = ContinuousClock.now.advanced(by: .seconds(30))
        while total < 300, ContinuousClock.now < end {
            let batch = try await consumer.nextBatch()
            for message in batch {
                let key = String(decoding: message.key ?? [], as: UTF8.self)
                let index = Int(String(decoding: message.value.dropFirst(), as: UTF8.self))!
                #expect(message.header("index") == .some(Array("\(index)".utf8)))
                seen[key, default: []].append(index)
                partitionsByKey[key, default: []].insert(message.partition)
                total += 1
            }
            consumer.markDone(batch)
        }
        #expect(total == 300)
        for (key, indices) in seen {
            #expect(indices == indices.sorted(), "per-key order kept for \(key)")
            #expect(partitionsByKey[key]?.count == 1, "one key, one partition")
        }
        await consumer.close()
        await producer.close(timeout: .seconds(5))
    }

    @Test func fullLocalQueueMakesTheSenderWaitInsteadOfFailing() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("backpressure", partitions: 1)
        let producer = try cluster.producer(maximumQueuedMessages: 10)
        let topic = try producer.topic("backpressure")
        let tracker = DeliveryTracker()
        for index in 0..<5_000 {
            try await producer.send(to: topic, key: nil, value: Array("\(index)".utf8), tracker: tracker)
        }
        let report = await tracker.report()
        #expect(report.delivered == 5_000)
        await producer.close(timeout: .seconds(5))
        let admin = try KafkaAdmin(client: cluster.client, logger: cluster.logger)
        let offsets = try await admin.offsets(topic: "backpressure")
        #expect(offsets.map(\.high) == [5_000])
    }

    @Test func deliveryFailureIsReportedNotSwallowed() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("failing", partitions: 1)
        cluster.broker.setTopicError(topic: "failing", errorCode: 29)  // TOPIC_AUTHORIZATION_FAILED
        let producer = try cluster.producer(properties: ["message.timeout.ms": "1500"])
        let topic = try producer.topic("failing")
        let tracker = DeliveryTracker()
        try await producer.send(to: topic, key: nil, value: Array("x".utf8), tracker: tracker)
        let report = await tracker.report()
        #expect(report.failed == 1)
        #expect(report.firstError != nil)
        await producer.close(timeout: .seconds(1))
    }
}
