import PipelineKafka
import Testing

/// The deployments run consumers with `partition.assignment.strategy=cooperative-sticky`: a member joining takes
/// partitions one incremental rebalance at a time, and the others keep consuming the rest. The rebalance callback
/// must then use the incremental assign/unassign calls (a plain assign is refused under the COOPERATIVE protocol,
/// and no partition would move), and the offsets of the partitions given up must still be committed before they
/// move (commit on revoke), or the next owner re-reads them.
@Suite(.timeLimit(.minutes(3))) struct CooperativeRebalanceTests {
    private func consumer(_ cluster: TestCluster, group: String) throws -> KafkaConsumer {
        var client = cluster.client
        client.properties = ["partition.assignment.strategy": "cooperative-sticky"]
        // The auto-commit timer far in the future: progress is stored only by the commits made when partitions are
        // revoked (the rebalance callback's own, and librdkafka's at unassign, since enable.auto.commit is on).
        // A session timeout above the default 6 s: on a loaded machine (a parallel build) a member evicted for a
        // missed heartbeat loses its assignment, and lost partitions cannot be committed: that would be a re-read
        // this test must not mistake for a broken commit on revoke.
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: group, sessionTimeout: .seconds(12), commitInterval: .seconds(600),
                maximumBatchSize: 50),
            logger: cluster.logger)
        try consumer.subscribe(["coop"])
        return consumer
    }

    @Test func aJoiningMemberTakesOnlySomePartitionsAndStartsAfterTheCommittedWork() async throws {
        let cluster = try TestCluster()
        try cluster.broker.createTopic("coop", partitions: 4)
        try await cluster.fill(topic: "coop", count: 200)

        let first = try consumer(cluster, group: "g-coop")
        let consumed = try await drain(first, count: 200)
        #expect(consumed.count == 200)
        #expect(first.assignment.count == 4)

        // A second member joins; both keep polling, which is where librdkafka runs the rebalance callbacks.
        let second = try consumer(cluster, group: "g-coop")
        let end = ContinuousClock.now.advanced(by: .seconds(120))
        while second.assignment.isEmpty || first.assignment.count + second.assignment.count != 4,
            ContinuousClock.now < end
        {
            #expect(try await first.nextBatch(timeout: .milliseconds(100)).isEmpty)
            #expect(try await second.nextBatch(timeout: .milliseconds(100)).isEmpty, "re-read committed work")
        }
        #expect(!second.assignment.isEmpty)
        #expect(!first.assignment.isEmpty, "cooperative: the first member keeps some partitions")
        #expect(Set(first.assignment).isDisjoint(with: second.assignment))

        // Nothing the first member finished is delivered again: the revoke committed it before the move.
        let again = try await drain(second, count: 1, deadline: .seconds(3))
        #expect(again.isEmpty)
        let admin = try KafkaAdmin(client: cluster.client, logger: cluster.logger)
        for offsets in try await admin.offsets(topic: "coop", group: "g-coop")
        where second.assignment.contains(offsets.partition) {
            #expect(offsets.committed == offsets.high, "\(offsets.partition) committed before it moved")
        }

        // New messages reach both members; then the first member's events show an incremental revoke.
        try await cluster.fill(topic: "coop", count: 100, from: 200)
        async let fromFirst = drain(first, count: 100, deadline: .seconds(10))
        async let fromSecond = drain(second, count: 100, deadline: .seconds(10))
        let total = try await fromFirst.count + fromSecond.count
        #expect(total == 100)
        await second.close()
        await first.close()
        var revoked: [[TopicPartition]] = []
        for await event in first.events {
            if case .revoked(let partitions) = event { revoked.append(partitions) }
        }
        let firstRevoke = try #require(revoked.first)
        #expect(firstRevoke.count < 4, "an eager rebalance would have revoked all four partitions")
    }
}
