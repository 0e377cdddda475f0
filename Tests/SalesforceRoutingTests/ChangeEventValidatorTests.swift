import PipelineMessages
import SalesforceRecords
import SalesforceRouting
import Testing

@Suite struct ChangeEventValidatorTests {
    static let account = "001000000000001AAA"

    static func update(_ mutate: (inout ChangeEvent) -> Void = { _ in }) -> ChangeEvent {
        var event = ChangeEvent(
            entityName: "Account", changeType: .update, recordIDs: [account], commitTimestampMs: 1_780_000_000_000,
            commitNumber: 42, commitUser: "005000000000001AAA", transactionKey: "tx-1", sequenceNumber: 1,
            fields: [FieldValue(name: "AnnualRevenue", value: "1200000"), FieldValue(name: "Lifetime_Value__c", value: nil)])
        mutate(&event)
        return event
    }

    func reason(_ event: ChangeEvent, allowed: Set<String>? = nil) -> String? {
        do {
            _ = try ChangeEventValidator(allowedObjects: allowed).check(event)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func acceptsAnUpdateAndNormalisesItsFields() throws {
        let checked = try ChangeEventValidator().check(Self.update { $0.nulledFields = ["Phone"] })
        #expect(checked.recordIDs == [Self.account])
        #expect(
            checked.fields == [
                FieldValue(name: "annual_revenue", value: "1200000"), FieldValue(name: "lifetime_value__c", value: nil),
                FieldValue(name: "phone", value: nil),
            ])
        #expect(!checked.hasDiffFields)
    }

    @Test func canonicalisesFifteenCharacterIdsAndDropsRepeats() throws {
        let checked = try ChangeEventValidator().check(
            Self.update { $0.recordIDs = ["001000000000001", Self.account, "001000000000001AAA", "001*"] })
        #expect(checked.recordIDs == [Self.account])
        #expect(checked.wildcardPrefixes == ["001"])
    }

    @Test func rejectsWhatSalesforceCannotSend() {
        #expect(reason(Self.update { $0.changeType = .unspecified }) == "unknown_change_type")
        #expect(reason(Self.update { $0.entityName = "Account; DROP" }) == "invalid_entity_name")
        #expect(reason(Self.update { $0.entityName = "" }) == "invalid_entity_name")
        #expect(reason(Self.update { $0.entityName = "Contact" }, allowed: ["Account"]) == "unknown_object")
        #expect(reason(Self.update { $0.recordIDs = [] }) == "missing_record_ids")
        #expect(reason(Self.update { $0.recordIDs = ["001"] }) == "invalid_record_id")
        #expect(reason(Self.update { $0.recordIDs = [Self.account, "001000000000001AA!"] }) == "invalid_record_id")
        #expect(reason(Self.update { $0.commitTimestampMs = 0 }) == "invalid_commit_timestamp")
        #expect(reason(Self.update { $0.commitTimestampMs = .max }) == "invalid_commit_timestamp")
        #expect(reason(Self.update { $0.transactionKey = "" }) == "missing_transaction_key")
        #expect(reason(Self.update { $0.changeType = .delete }) == "unexpected_fields")
        #expect(reason(Self.update { $0.changeType = .gapUpdate }) == "unexpected_fields")
        #expect(reason(Self.update { $0.fields = [FieldValue(name: "Name\u{7f}", value: "x")] }) == "invalid_field_name")
        #expect(reason(Self.update { $0.nulledFields = ["a.b.c"] }) == "invalid_field_name")
        #expect(
            reason(Self.update { $0.fields = [FieldValue(name: "AccountId", value: "1"), FieldValue(name: "AccountID", value: "2")] })
                == "duplicate_field")
        #expect(reason(Self.update { $0.nulledFields = ["AnnualRevenue"] }) == "duplicate_field")
        #expect(Set(CDCRejection.reasons).count == CDCRejection.reasons.count)
    }

    @Test func acceptsAnOverflowWithoutIdsAndGapsWithoutFields() {
        #expect(reason(ChangeEvent(entityName: "Lead", changeType: .gapOverflow, commitTimestampMs: 5, transactionKey: "t")) == nil)
        #expect(reason(Self.update { $0.changeType = .delete; $0.fields = [] }) == nil)
        #expect(reason(Self.update { $0.changeType = .gapCreate; $0.fields = [] }) == nil)
        #expect(reason(Self.update { $0.entityName = "Invoice_Line__c" }) == nil)
    }

    @Test func leavesDiffFieldsOut() throws {
        let checked = try ChangeEventValidator().check(
            Self.update { $0.fields.append(FieldValue(name: "Description", value: "@@ -1 +1 @@")); $0.diffFields = ["Description"] })
        #expect(checked.hasDiffFields)
        #expect(!checked.fields.contains { $0.name == "description" })
    }
}

@Suite struct SalesforceRecordIDTests {
    @Test(arguments: [
        ("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaAAA"),
        ("Aaaaaaaaaaaaaaa", "AaaaaaaaaaaaaaaBAA"),
        ("aaaaAaaaaaaaaaA", "aaaaAaaaaaaaaaAQAQ"),
        ("AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAA555"),
        ("001000000000001", "001000000000001AAA"),
    ])
    func addsTheCaseChecksum(short: String, long: String) {
        #expect(SalesforceRecordID.canonical(short) == long)
        #expect(SalesforceRecordID.canonical(long) == long)
    }

    @Test func rejectsWhatIsNotAnId() {
        for text in ["", "001", "001000000000001A", "001000000000001AAAA", "00100000000000-", "001000000000001AA "] {
            #expect(SalesforceRecordID.canonical(text) == nil)
        }
        #expect(SalesforceRecordID.wildcardPrefix("001*") == "001")
        #expect(SalesforceRecordID.wildcardPrefix("0011*") == nil)
        #expect(SalesforceRecordID.wildcardPrefix("00*") == nil)
    }
}
