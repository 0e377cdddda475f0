import PipelineKafka
import Testing

@Suite(.timeLimit(.minutes(1))) struct AdminTests {
    @Test func watermarksAndPartitionCounts() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("admin-topic", partitions: 4)
        try await cluster.fill(topic: "admin-topic", count: 40)
        let admin = try KafkaAdmin(client: cluster.client, logger: cluster.logger)
        #expect(try await admin.partitionCount(topic: "admin-topic") == 4)
        let offsets = try await admin.offsets(topic: "admin-topic", group: "nobody")
        #expect(offsets.count == 4)
        #expect(offsets.map(\.high).reduce(0, +) == 40)
        #expect(offsets.allSatisfy { $0.committed == nil && $0.lag == $0.high })
    }

    @Test func createTopicsAgainstABrokerThatNeverAnswersTimesOut() async throws {
        let cluster = try TestCluster()
        let admin = try KafkaAdmin(client: cluster.client, logger: cluster.logger)
        let started = ContinuousClock.now
        await #expect(throws: KafkaError.self) {
            try await admin.createTopics([TopicSpecification(name: "x", partitions: 1)], timeout: .seconds(1))
        }
        #expect(ContinuousClock.now - started < .seconds(15))
    }
}
