import PipelineKafka
import Testing

@Suite(.timeLimit(.minutes(2))) struct OffsetCommitTests {
    @Test func onlyBatchesMarkedDoneAreCommitted() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("partial", partitions: 1)
        try await cluster.fill(topic: "partial", count: 100)

        // Mark done only until 40 messages are covered, then stop: the rest had "failed outputs".
        let first = try cluster.consumer(group: "g-partial", topics: ["partial"], batchSize: 10)
        var marked = 0
        let end = ContinuousClock.now.advanced(by: .seconds(30))
        while marked < 40, ContinuousClock.now < end {
            let batch = try await first.nextBatch()
            guard !batch.isEmpty else { continue }
            first.markDone(batch)
            marked += batch.count
        }
        // Fetch (and leave undone) whatever else is there.
        _ = try await first.nextBatch(timeout: .milliseconds(300))
        #expect(await first.close(), "a close with the broker answering finishes")

        let admin = try KafkaAdmin(client: cluster.client, logger: cluster.logger)
        let committed = try await admin.offsets(topic: "partial", group: "g-partial")
        #expect(committed.first?.committed == Int64(marked))

        // The next member of the group starts right after the last done message: nothing lost.
        let second = try cluster.consumer(group: "g-partial", topics: ["partial"])
        let values = try await drain(second, count: 100 - marked)
        #expect(values.first == "m-\(marked)")
        #expect(values.count == 100 - marked)
        await second.close()
    }

    @Test func relayWithFailedOutputCommitsNothingAndRedeliversLater() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("relay-in", partitions: 1)
        try cluster.broker.createTopic("relay-out", partitions: 1)
        try await cluster.fill(topic: "relay-in", count: 20)
        cluster.broker.setTopicError(topic: "relay-out", errorCode: 29)

        let producer = try cluster.producer(properties: ["message.timeout.ms": "1500"])
        let out = try producer.topic("relay-out")
        let consumer = try cluster.consumer(group: "g-relay", topics: ["relay-in"])
        var relayed = 0
        while relayed < 20 {
            let batch = try await consumer.nextBatch()
            guard !batch.isEmpty else { continue }
            let tracker = DeliveryTracker()
            for message in batch {
                try await producer.send(to: out, key: message.key, value: message.value, tracker: tracker)
            }
            let report = await tracker.report()
            #expect(!report.succeeded)
            if report.succeeded { consumer.markDone(batch) }
            relayed += batch.count
        }
        await consumer.close()
        let admin = try KafkaAdmin(client: cluster.client, logger: cluster.logger)
        #expect(try await admin.offsets(topic: "relay-in", group: "g-relay").first?.committed == nil)

        // Once the sink recovers, a restarted relay gets all 20 again.
        cluster.broker.setTopicError(topic: "relay-out", errorCode: 0)
        let again = try cluster.consumer(group: "g-relay", topics: ["relay-in"])
        let values = try await drain(again, count: 20)
        #expect(values == (0..<20).map { "m-\($0)" })
        await again.close()
        await producer.close(timeout: .seconds(2))
    }

    @Test func pausedConsumerFetchesNothingUntilResumed() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("paused", partitions: 2)
        let consumer = try cluster.consumer(group: "g-paused", topics: ["paused"])
        // Wait for the assignment so the pause applies to real partitions.
        let end = ContinuousClock.now.advanced(by: .seconds(20))
        while consumer.assignment.isEmpty, ContinuousClock.now < end {
            _ = try await consumer.nextBatch(timeout: .milliseconds(100))
        }
        consumer.pause()
        try await cluster.fill(topic: "paused", count: 10)
        var whilePaused = 0
        for _ in 0..<5 { whilePaused += try await consumer.nextBatch(timeout: .milliseconds(100)).count }
        #expect(whilePaused == 0)
        consumer.resume()
        let values = try await drain(consumer, count: 10)
        #expect(values.count == 10)
        await consumer.close()
    }

    /// A close that cannot finish (the broker stops answering: the final commit and the leave never come back) is
    /// given up after its timeout, so a service's shutdown stays bounded; unbounded it waited out the requests.
    @Test func closeGivesUpWhenTheBrokerStopsAnswering() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("stuck", partitions: 1)
        try await cluster.fill(topic: "stuck", count: 10)
        let consumer = try cluster.consumer(group: "g-stuck", topics: ["stuck"])
        let batch = try await drain(consumer, count: 10)
        #expect(batch.count == 10)
        try cluster.broker.setRoundTripTime(broker: 1, milliseconds: 120_000)
        let start = ContinuousClock.now
        let finished = await consumer.close(timeout: .seconds(1))
        let took = ContinuousClock.now - start
        #expect(!finished)
        // Loose on purpose (a loaded machine): the unanswered requests would have held it for two minutes.
        #expect(took < .seconds(60), "close took \(took)")
        try cluster.broker.setRoundTripTime(broker: 1, milliseconds: 0)
    }
}
