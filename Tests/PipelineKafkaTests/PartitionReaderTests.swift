import PipelineKafka
import Testing

@Suite(.timeLimit(.minutes(2))) struct PartitionReaderTests {
    /// A range that starts below the log's first offset reads what is still there. The local broker keeps about
    /// 5 MiB per partition, so 8 MiB of 16 KiB records trims the partition's start.
    @Test func aRangeBelowTheLogStartReadsFromTheFirstOffsetLeft() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("trimmed", partitions: 1)
        let producer = try cluster.producer()
        let handle = try producer.topic("trimmed")
        let tracker = DeliveryTracker()
        let value = [UInt8](repeating: 0x61, count: 16 * 1024)
        for _ in 0..<512 { try await producer.send(to: handle, key: nil, value: value, tracker: tracker) }
        #expect(await tracker.report().delivered == 512)
        await producer.close(timeout: .seconds(5))

        let offsets = try await KafkaAdmin(client: cluster.client, logger: cluster.logger).offsets(topic: "trimmed")
        let low = try #require(offsets.first).low
        let high = try #require(offsets.first).high
        #expect(high == 512)
        #expect(low > 0, "the broker kept everything; the test needs a trimmed partition")

        var seen: [Int64] = []
        let read = try await KafkaPartitionReader.read(
            client: cluster.client, topic: "trimmed", partition: 0, range: 0..<high, logger: cluster.logger
        ) { batch in
            for message in batch where message.offset < high { seen.append(message.offset) }
        }
        #expect(read == Int(high - low))
        #expect(seen == Array(low..<high))

        // The lag probe: a position below the start is answered with the first message left.
        let stamps = try await KafkaPartitionReader.timestamps(
            client: cluster.client, positions: [TopicPartition(topic: "trimmed", partition: 0): 0], logger: cluster.logger)
        #expect(stamps.count == 1)
    }
}
