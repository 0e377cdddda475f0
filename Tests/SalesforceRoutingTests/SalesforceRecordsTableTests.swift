import BigtableTestSupport
import Foundation
import PipelineBigtable
import PipelineMessages
import PipelineTables
import Testing

/// The `salesforce_records` mapping, written to and read back from a real emulator.
@Suite(.timeLimit(.minutes(2))) struct SalesforceRecordsTableTests {
    static let id = "001000000000001AAA"

    static func cdc(
        _ type: ChangeType, at time: Int64, _ fields: [String: String?], operation: RecordChange.Operation = .upsert,
        full: Bool = false
    ) -> RecordChange {
        RecordChange(
            object: "Account", id: id, operation: operation,
            fields: fields.sorted { $0.key < $1.key }.map { FieldValue(name: $0.key, value: $0.value) }, fullRecord: full,
            source: .cdc, sourceTimestampMs: time, changeType: type, commitNumber: 7, commitUser: "005000000000001AAA",
            transactionKey: "tx-\(time)", sequenceNumber: 1)
    }

    static func batch(at time: Int64, _ fields: [String: String?], deleted: Bool = false) -> RecordChange {
        RecordChange(
            object: "Account", id: id, operation: deleted ? .delete : .upsert,
            fields: fields.sorted { $0.key < $1.key }.map { FieldValue(name: $0.key, value: $0.value) }, fullRecord: true,
            source: .batch, sourceTimestampMs: time, requestID: "req-1")
    }

    /// Writes the changes, one request each in the given order, and reads the row back.
    func apply(_ changes: [RecordChange]) async throws -> SalesforceRecordRow? {
        try await BigtableEmulator.withClient { client, _ in
            try await client.createTableIfMissing(SalesforceRecordsTable.name, families: SalesforceRecordsTable.families)
            for change in changes {
                let result = try await client.mutateRowsRetrying(
                    table: SalesforceRecordsTable.name, entries: [try SalesforceRecordsTable.entry(for: change)])
                #expect(result.failedEntries.isEmpty)
            }
            let rows = try await client.readRows(
                table: SalesforceRecordsTable.name, rows: .keys([SalesforceRecordsTable.rowKey(object: "Account", id: Self.id)]))
            return rows.first.flatMap(SalesforceRecordRow.init)
        }
    }

    @Test func anOlderBatchRecordDeliveredAfterACDCChangeDoesNotOverwriteIt() async throws {
        let row = try await apply([
            Self.batch(at: 1_000, ["name": "Acme", "rating": "Cold", "phone": "1"]),
            Self.cdc(.update, at: 3_000, ["rating": "Hot"]),
            // Read at 2_000 (before the CDC change), delivered after it.
            Self.batch(at: 2_000, ["name": "Acme Corp", "rating": "Warm", "phone": "2"]),
        ])
        let record = try #require(row)
        #expect(record.fields == ["name": "Acme Corp", "rating": "Hot", "phone": "2"])
        #expect(record.changeType == "UPDATE")
        #expect(record.source == "cdc")
        #expect(record.meta["transaction_key"] == "tx-3000")
        #expect(record.meta["request_id"] == nil)
        #expect(record.history.map(\.timestampMs) == [3_000, 2_000, 1_000])
        #expect(record.history[0].fields == ["rating": "Hot"])
        #expect(record.history[2].fields["rating"] == "Cold")
    }

    @Test func nullsAreCellsSoHistoryKeepsThemAndFullRecordsClearUnlistedColumns() async throws {
        let row = try await apply([
            Self.cdc(.create, at: 1_000, ["name": "Acme", "phone": "1", "fax": "9"], full: true),
            Self.cdc(.update, at: 2_000, ["phone": nil]),
            // A full record without fax: fax reads as null from then on, though its cell stays in the history.
            Self.batch(at: 3_000, ["name": "Acme", "phone": nil]),
            Self.cdc(.update, at: 4_000, ["name": "Acme 2"]),
        ])
        let record = try #require(row)
        #expect(record.fields == ["name": "Acme 2", "phone": String?.none, "fax": String?.none])
        #expect(record.history.first { $0.timestampMs == 2_000 }?.fields == ["phone": String?.none])
        #expect(record.history.first { $0.timestampMs == 1_000 }?.fields["fax"] == "9")
        #expect(record.meta["full_record"] == nil)
    }

    @Test func deleteSetsTheFlagAtItsTimeAndUndeleteClearsIt() async throws {
        let deleted = try #require(
            try await apply([
                Self.cdc(.create, at: 1_000, ["name": "Acme"], full: true),
                Self.cdc(.delete, at: 2_000, [:], operation: .delete),
                // An older batch row arriving late cannot resurrect it.
                Self.batch(at: 1_500, ["name": "Acme"]),
            ]))
        #expect(deleted.deleted)
        #expect(deleted.changeType == "DELETE")
        #expect(deleted.fields == ["name": "Acme"])
        let restored = try #require(
            try await apply([
                Self.cdc(.create, at: 1_000, ["name": "Acme"], full: true),
                Self.cdc(.delete, at: 2_000, [:], operation: .delete),
                Self.cdc(.undelete, at: 3_000, ["name": "Acme"]),
            ]))
        #expect(!restored.deleted)
        #expect(restored.changeType == "UNDELETE")
        let batchDeleted = try #require(try await apply([Self.batch(at: 5_000, ["name": "Gone"], deleted: true)]))
        #expect(batchDeleted.deleted)
        #expect(batchDeleted.source == "batch")
        #expect(batchDeleted.meta["request_id"] == "req-1")
    }

    @Test func writingAChangeAgainChangesNothing() async throws {
        let once = try await apply([Self.cdc(.update, at: 2_000, ["rating": "Hot"]), Self.batch(at: 1_000, ["rating": "Cold"])])
        let twice = try await apply([
            Self.cdc(.update, at: 2_000, ["rating": "Hot"]), Self.batch(at: 1_000, ["rating": "Cold"]),
            Self.cdc(.update, at: 2_000, ["rating": "Hot"]), Self.batch(at: 1_000, ["rating": "Cold"]),
        ])
        #expect(once == twice)
    }

    @Test func rejectsChangesNoRowShouldHold() {
        func reason(_ mutate: (inout RecordChange) -> Void) -> String? {
            var change = Self.cdc(.update, at: 1_000, ["a": "b"])
            mutate(&change)
            do {
                _ = try SalesforceRecordsTable.entry(for: change)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason { _ in } == nil)
        #expect(reason { $0.object = "Account#x" } == "invalid_record_key")
        #expect(reason { $0.id = "" } == "invalid_record_key")
        #expect(reason { $0.sourceTimestampMs = 0 } == "invalid_timestamp")
        #expect(reason { $0.operation = .unspecified } == "unknown_operation")
        #expect(reason { $0.fields = [FieldValue(name: "", value: "x")] } == "invalid_field_name")
    }
}
