@testable import PipelineKafka
import Testing

@Suite(.timeLimit(.minutes(2))) struct PartitionReaderTests {
    /// A range that starts below the log's first offset reads what is still there. The local broker keeps about
    /// 5 MiB per partition, so 8 MiB of 16 KiB records trims the partition's start.
    @Test func aRangeBelowTheLogStartReadsFromTheFirstOffsetLeft() async throws {
        let cluster = try TestCluster()
        try await Self.fillTrimmed(cluster)

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

    /// A group whose committed offset the broker no longer has: librdkafka moves it to the first offset left and
    /// only logs it; the consumer turns that into an error log, a metric and an `offsetReset` event.
    @Test func aGroupPositionBelowTheLogStartIsReportedAsSkipped() async throws {
        let cluster = try TestCluster()
        try await Self.fillTrimmed(cluster)
        let admin = try KafkaAdmin(client: cluster.client, logger: cluster.logger)
        let partition = TopicPartition(topic: "trimmed", partition: 0)
        try await admin.commitOffsets(group: "behind", offsets: [partition: 10])
        let consumer = try cluster.consumer(group: "behind", topics: ["trimmed"])
        var firstOffset: Int64?
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while firstOffset == nil, ContinuousClock.now < deadline {
            firstOffset = try await consumer.nextBatch(timeout: .milliseconds(200)).first?.offset
        }
        let low = try #require(try await admin.offsets(topic: "trimmed").first).low
        #expect(firstOffset == low)
        var reported: TopicPartition?
        for await event in consumer.events {
            if case .offsetReset(let where_, _) = event {
                reported = where_
                break
            }
        }
        #expect(reported == partition)
        await consumer.close()
    }

    @Test func offsetResetNoticesAreParsedFromLibrdkafkasLogLine() {
        let line = "[thrd:main]: events.clean [6]: offset reset (at offset 30657, broker 1) to cached BEGINNING offset "
            + "35806: fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
        #expect(OffsetResetNotice(line)?.partition == TopicPartition(topic: "events.clean", partition: 6))
        // No position yet (a new group): nothing skipped.
        #expect(OffsetResetNotice("[thrd:main]: t [0]: offset reset (at offset INVALID, broker 1) to BEGINNING: no previously committed offset available: Offset out of range") == nil)
        #expect(OffsetResetNotice("[thrd:main]: t [0]: fetch backoff") == nil)
    }

    /// 8 MiB of 16 KiB records into one partition: the local broker keeps about 5 MiB, so the start is trimmed.
    static func fillTrimmed(_ cluster: TestCluster) async throws {
        try cluster.broker.createTopic("trimmed", partitions: 1)
        let producer = try cluster.producer()
        let handle = try producer.topic("trimmed")
        let tracker = DeliveryTracker()
        let value = [UInt8](repeating: 0x61, count: 16 * 1024)
        for _ in 0..<512 { try await producer.send(to: handle, key: nil, value: value, tracker: tracker) }
        #expect(await tracker.report().delivered == 512)
        await producer.close(timeout: .seconds(5))
    }
}
