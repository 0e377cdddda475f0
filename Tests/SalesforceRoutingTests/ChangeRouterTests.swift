import PipelineMessages
import SalesforceRecords
import SalesforceRouting
import Testing

@Suite struct ChangeRouterTests {
    static let a = "001000000000001AAA"
    static let b = "001000000000002AAA"
    static let c = "001000000000003AAA"

    static func event(
        _ type: ChangeType, ids: [String] = [a], at time: Int64 = 1_000, commit: Int64 = 1, tx: String = "tx",
        seq: Int32 = 1, fields: [FieldValue] = []
    ) -> ChangeEvent {
        ChangeEvent(
            entityName: "Account", changeType: type, recordIDs: ids, commitTimestampMs: time, commitNumber: commit,
            commitUser: "005000000000001AAA", transactionKey: tx, sequenceNumber: seq, fields: fields)
    }

    let router = ChangeRouter(configuration: .init(overflowMarginMs: 2_000, maximumIDsPerRequest: 2, instance: "router-0"))

    @Test func fansAMergedUpdateOutPerRecord() throws {
        let routed = try router.route(
            Self.event(.update, ids: [Self.a, Self.b, Self.c], fields: [FieldValue(name: "Rating", value: "Hot")]),
            position: 0, nowMs: 9)
        #expect(routed.records.map(\.id) == [Self.a, Self.b, Self.c])
        #expect(routed.requests.isEmpty)
        for change in routed.records {
            #expect(change.object == "Account")
            #expect(change.operation == .upsert)
            #expect(!change.fullRecord)
            #expect(change.source == .cdc)
            #expect(change.sourceTimestampMs == 1_000)
            #expect(change.changeType == .update)
            #expect(change.transactionKey == "tx")
            #expect(change.fields == [FieldValue(name: "rating", value: "Hot")])
        }
    }

    @Test func mapsCreateDeleteAndUndelete() throws {
        let create = try router.route(Self.event(.create, fields: [FieldValue(name: "Name", value: "Acme")]), position: 0, nowMs: 0)
        #expect(create.records.first?.fullRecord == true)
        #expect(create.records.first?.operation == .upsert)
        let delete = try router.route(Self.event(.delete, at: 2_000, tx: "t2"), position: 1, nowMs: 0)
        #expect(delete.records.first?.operation == .delete)
        // Salesforce sets these two on delete; the event carries no fields.
        #expect(
            delete.records.first?.fields == [
                FieldValue(name: "is_deleted", value: "true"),
                FieldValue(name: "system_modstamp", value: "1970-01-01T00:00:02.000+0000"),
            ])
        let undelete = try router.route(
            Self.event(.undelete, at: 3_000, tx: "t3", fields: [FieldValue(name: "Name", value: "Acme")]), position: 2, nowMs: 0)
        #expect(undelete.records.first?.operation == .upsert)
        #expect(undelete.records.first?.changeType == .undelete)
        #expect(undelete.records.first?.fullRecord == true)
        let late = try router.route(Self.event(.delete, at: 1_780_000_000_050, tx: "t4"), position: 3, nowMs: 0)
        #expect(late.records.first?.fields.last?.value == "2026-05-28T20:26:40.050+0000")
    }

    @Test func asksForExactlyTheGappedRecordsInChunks() throws {
        let routed = try router.route(Self.event(.gapUpdate, ids: [Self.a, Self.b, Self.c], at: 5_000), position: 0, nowMs: 77)
        #expect(routed.records.isEmpty)
        #expect(routed.requests.map(\.recordIDs) == [[Self.a, Self.b], [Self.c]])
        for request in routed.requests {
            #expect(request.object == "Account")
            #expect(request.reason == .gap)
            #expect(request.sinceMs == 0)
            #expect(request.requestedBy == "router-0")
            #expect(request.requestedTimeMs == 77)
        }
        #expect(Set(routed.requests.map(\.requestID)).count == 2)
        // A redelivery asks again under the same ids, so the extractor can tell.
        let again = try ChangeRouter(configuration: router.configuration).route(
            Self.event(.gapUpdate, ids: [Self.a, Self.b, Self.c], at: 5_000), position: 0, nowMs: 78)
        #expect(again.requests.map(\.requestID) == routed.requests.map(\.requestID))
    }

    @Test func asksForTheObjectSinceAnOverflowAndForAllOfItOnAWildcard() throws {
        let overflow = try router.route(
            ChangeEvent(entityName: "Lead", changeType: .gapOverflow, commitTimestampMs: 50_000, transactionKey: "big"),
            position: 0, nowMs: 0)
        #expect(overflow.records.isEmpty)
        #expect(overflow.requests.count == 1)
        #expect(overflow.requests.first?.object == "Lead")
        #expect(overflow.requests.first?.recordIDs == [])
        #expect(overflow.requests.first?.sinceMs == 48_000)
        #expect(overflow.requests.first?.reason == .overflow)
        let wildcard = try router.route(
            Self.event(.update, ids: ["001*"], fields: [FieldValue(name: "Rating", value: "x")]), position: 1, nowMs: 0)
        #expect(wildcard.records.isEmpty)
        #expect(wildcard.requests.map(\.sinceMs) == [0])
        #expect(wildcard.requests.map(\.recordIDs) == [[]])
    }

    @Test func dropsExactDuplicatesButRoutesARedeliveredRecordAgain() throws {
        let update = Self.event(.update, ids: [Self.a, Self.b], fields: [FieldValue(name: "Rating", value: "Hot")])
        #expect(try router.route(update, position: 10, nowMs: 0).records.count == 2)
        // The same change again at another offset: a duplicate, for each record.
        let duplicate = try router.route(update, position: 11, nowMs: 0)
        #expect(duplicate.records.isEmpty)
        #expect(duplicate.duplicates == 2)
        // The same record at its own offset (a redelivery): its first outputs may be lost, so route it again.
        #expect(try router.route(update, position: 10, nowMs: 0).records.count == 2)
        // Same transaction, next sequence number: a different change.
        var next = update
        next.sequenceNumber = 2
        #expect(try router.route(next, position: 12, nowMs: 0).records.count == 2)
    }

    @Test func neverEmitsAnOlderChangeAfterANewerOneButReReadsTheRecord() throws {
        _ = try router.route(
            Self.event(.update, at: 2_000, commit: 5, tx: "new", fields: [FieldValue(name: "Rating", value: "Hot")]),
            position: 0, nowMs: 0)
        let older = try router.route(
            Self.event(.update, ids: [Self.a, Self.b], at: 1_000, commit: 4, tx: "old", fields: [FieldValue(name: "Phone", value: "1")]),
            position: 1, nowMs: 0)
        #expect(older.records.map(\.id) == [Self.b])
        #expect(older.stale == 1)
        #expect(older.requests.map(\.recordIDs) == [[Self.a]])
        // Same millisecond: the commit number orders, then the sequence number.
        let sameMs = try router.route(
            Self.event(.update, at: 2_000, commit: 5, tx: "new", seq: 2, fields: [FieldValue(name: "Phone", value: "2")]),
            position: 2, nowMs: 0)
        #expect(sameMs.records.map(\.id) == [Self.a])
        let earlierCommit = try router.route(
            Self.event(.update, at: 2_000, commit: 3, tx: "other", fields: [FieldValue(name: "Phone", value: "3")]),
            position: 3, nowMs: 0)
        #expect(earlierCommit.records.isEmpty)
        #expect(earlierCommit.stale == 1)
    }

    @Test func aRouterRebuiltByObservingTheLogJudgesLikeTheOriginal() throws {
        let history = [
            Self.event(.create, at: 1_000, tx: "t1", fields: [FieldValue(name: "Name", value: "A")]),
            Self.event(.update, at: 2_000, tx: "t2", fields: [FieldValue(name: "Name", value: "B")]),
            ChangeEvent(entityName: "Account", changeType: .update, recordIDs: ["bad"], commitTimestampMs: 1, transactionKey: "x"),
        ]
        let rebuilt = ChangeRouter()
        for (offset, event) in history.enumerated() { rebuilt.observe(event, position: Int64(offset)) }
        #expect(rebuilt.sequencer.count == 1)
        // A duplicate of offset 1 at offset 3, an older change, and the next new change.
        #expect(try rebuilt.route(history[1], position: 3, nowMs: 0).duplicates == 1)
        #expect(try rebuilt.route(Self.event(.update, at: 1_500, tx: "t9"), position: 4, nowMs: 0).stale == 1)
        #expect(try rebuilt.route(Self.event(.delete, at: 3_000, tx: "t3"), position: 5, nowMs: 0).records.count == 1)
    }

    @Test func reReadsRecordsWhoseBodyHadDiffFields() throws {
        var event = Self.event(.update, fields: [FieldValue(name: "Description", value: "@@ patch"), FieldValue(name: "Rating", value: "Hot")])
        event.diffFields = ["Description"]
        let routed = try router.route(event, position: 0, nowMs: 0)
        #expect(routed.records.first?.fields == [FieldValue(name: "rating", value: "Hot")])
        #expect(routed.requests.map(\.recordIDs) == [[Self.a]])
    }

    @Test func aRejectedEventLeavesTheStateAlone() {
        #expect(throws: CDCRejection.self) {
            try router.route(Self.event(.delete, fields: [FieldValue(name: "Name", value: "x")]), position: 0, nowMs: 0)
        }
        #expect(router.sequencer.count == 0)
    }
}

@Suite struct RecordSequencerTests {
    @Test func forgetsTheRecordsSeenLongestAgoWhenFull() {
        let sequencer = RecordSequencer(capacity: 2, recentPerRecord: 2)
        let order = ChangeOrder(commitTimestampMs: 1, commitNumber: 1, sequenceNumber: 1)
        for (index, record) in ["r1", "r2", "r3"].enumerated() {
            #expect(sequencer.admit(record: record, transactionKey: "t", sequenceNumber: 1, order: order, position: Int64(index)) == .fresh)
        }
        #expect(sequencer.count == 2)
        // r1 was forgotten: its duplicate passes (the writer's cells absorb it); r3's is still caught.
        #expect(sequencer.admit(record: "r1", transactionKey: "t", sequenceNumber: 1, order: order, position: 9) == .fresh)
        #expect(sequencer.admit(record: "r3", transactionKey: "t", sequenceNumber: 1, order: order, position: 9) == .duplicate)
    }
}
