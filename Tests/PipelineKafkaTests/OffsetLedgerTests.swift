@testable import PipelineKafka
import Testing

@Suite struct OffsetLedgerTests {
    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test func inOrderCompletionAdvancesEachTime() {
        var ledger = OffsetLedger()
        ledger.assign([p0])
        ledger.register(batch: 1, nextOffsets: [p0: 10])
        ledger.register(batch: 2, nextOffsets: [p0: 20])
        #expect(ledger.complete(batch: 1, partitions: [p0]).map(\.1) == [10])
        #expect(ledger.complete(batch: 2, partitions: [p0]).map(\.1) == [20])
        #expect(ledger.inFlightBatches == 0)
    }

    @Test func laterBatchDoneFirstWaitsForEarlierOne() {
        var ledger = OffsetLedger()
        ledger.assign([p0])
        ledger.register(batch: 1, nextOffsets: [p0: 10])
        ledger.register(batch: 2, nextOffsets: [p0: 20])
        ledger.register(batch: 3, nextOffsets: [p0: 30])
        #expect(ledger.complete(batch: 2, partitions: [p0]).isEmpty)
        #expect(ledger.complete(batch: 3, partitions: [p0]).isEmpty)
        // Batch 1 finishing releases everything up to batch 3 at once.
        #expect(ledger.complete(batch: 1, partitions: [p0]).map(\.1) == [30])
    }

    @Test func partitionsAdvanceIndependently() {
        var ledger = OffsetLedger()
        ledger.assign([p0, p1])
        ledger.register(batch: 1, nextOffsets: [p0: 5, p1: 7])
        ledger.register(batch: 2, nextOffsets: [p1: 9])
        #expect(ledger.complete(batch: 2, partitions: [p1]).isEmpty)
        let advanced = Dictionary(uniqueKeysWithValues: ledger.complete(batch: 1, partitions: [p0, p1]))
        #expect(advanced == [p0: 5, p1: 9])
    }

    @Test func revokedPartitionIgnoresLateCompletion() {
        var ledger = OffsetLedger()
        ledger.assign([p0])
        ledger.register(batch: 1, nextOffsets: [p0: 10])
        ledger.revoke([p0])
        #expect(ledger.complete(batch: 1, partitions: [p0]).isEmpty)
        // Messages fetched for a partition we no longer own are not tracked either.
        ledger.register(batch: 2, nextOffsets: [p0: 20])
        #expect(ledger.complete(batch: 2, partitions: [p0]).isEmpty)
    }

    @Test func reassignedPartitionStartsFresh() {
        var ledger = OffsetLedger()
        ledger.assign([p0])
        ledger.register(batch: 1, nextOffsets: [p0: 10])
        ledger.revoke([p0])
        ledger.assign([p0])
        ledger.register(batch: 5, nextOffsets: [p0: 12])
        #expect(ledger.complete(batch: 5, partitions: [p0]).map(\.1) == [12])
    }
}
