import PipelineMessages
import SalesforceExtraction
import Testing

@Suite struct RecordMappingTests {
    @Test func mapsARowToASnakeCaseRecordChange() throws {
        let row = try #require(
            try JSONParser.parse(
                #"{"attributes":{"type":"Account","url":"/x"},"Id":"001000000000001AAA","AnnualRevenue":1500000.50,"#
                    + #""IsDeleted":false,"Name":"Acme","Lifetime_Value__c":null,"SystemModstamp":"2026-11-30T12:00:00.000+0000","#
                    + #""BillingAddress":{"City":"Oslo"}}"#
            ).object)
        let mapped = try RecordMapping.map(row, object: "Account", requestID: "r1")
        #expect(mapped.watermark == Watermark(modstampMs: 1_796_040_000_000, id: "001000000000001AAA"))
        let change = mapped.change
        #expect(change.operation == .upsert)
        #expect(change.source == .batch)
        #expect(change.fullRecord)
        #expect(change.requestID == "r1")
        #expect(change.sourceTimestampMs == 1_796_040_000_000)
        #expect(
            change.fields == [
                FieldValue(name: "id", value: "001000000000001AAA"), FieldValue(name: "annual_revenue", value: "1500000.50"),
                FieldValue(name: "is_deleted", value: "false"), FieldValue(name: "name", value: "Acme"),
                FieldValue(name: "lifetime_value__c", value: nil),
                FieldValue(name: "system_modstamp", value: "2026-11-30T12:00:00.000+0000"),
                FieldValue(name: "billing_address.city", value: "Oslo"),
            ])
        #expect(RecordMapping.key(of: change) == "Account#001000000000001AAA")
        #expect(try RecordChange(decoding: change.encode()) == change)
    }

    @Test func deletedRowsBecomeDeletes() throws {
        let row = try #require(
            try JSONParser.parse(#"{"Id":"003000000000001AAA","IsDeleted":true,"SystemModstamp":"2026-11-30T12:00:00Z"}"#).object)
        let change = try RecordMapping.map(row, object: "Contact").change
        #expect(change.operation == .delete)
        #expect(change.changeType == .delete)
    }

    @Test(arguments: [
        (#"{"SystemModstamp":"2026-11-30T12:00:00Z"}"#, "missing_id"),
        (#"{"Id":"x","SystemModstamp":"2026-11-30T12:00:00Z"}"#, "missing_id"),
        (#"{"Id":"003000000000001AAA"}"#, "missing_timestamp"),
        (#"{"Id":"003000000000001AAA","SystemModstamp":"2026-11-30T12:00:00Z","N":"a\u0000b"}"#, "bad_field"),
        (#"{"Id":"003000000000001AAA","SystemModstamp":"2026-11-30T12:00:00Z","N":[1]}"#, "bad_field"),
        (#"{"attributes":{"type":"User"},"Id":"003000000000001AAA","SystemModstamp":"2026-11-30T12:00:00Z"}"#, "wrong_object"),
    ])
    func badRowsAreRefusedWithAReason(json: String, reason: String) throws {
        let row = try #require(try JSONParser.parse(json).object)
        #expect(throws: RecordMappingError.self) { try RecordMapping.map(row, object: "Contact") }
        do { _ = try RecordMapping.map(row, object: "Contact") } catch { #expect(error.reason == reason) }
    }

    @Test func watermarkRoundTripAndOrder() {
        let mark = Watermark(modstampMs: 5, id: "001000000000001AAA")
        #expect(Watermark(json: Array(mark.json.utf8)) == mark)
        #expect(Watermark(json: Array(#"{"modstamp":5,"id":"' OR 1=1"}"#.utf8)) == nil)
        #expect(Watermark(json: Array("garbage".utf8)) == nil)
        #expect(mark < Watermark(modstampMs: 5, id: "001000000000002AAA"))
        #expect(Watermark(modstampMs: 5, id: "zzz000000000002AAA") < Watermark(modstampMs: 6, id: "001000000000001AAA"))
    }
}
