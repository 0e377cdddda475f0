import SalesforceExtraction
import Testing

@Suite struct SOQLQueryTests {
    let account = ObjectDescription(
        name: "Account",
        fields: [
            .init(name: "Id", type: "id"), .init(name: "Name", type: "string"),
            .init(name: "SystemModstamp", type: "datetime"), .init(name: "IsDeleted", type: "boolean"),
            .init(name: "Lifetime_Value__c", type: "currency"), .init(name: "BillingAddress", type: "address"),
        ])

    @Test func incrementalQueryBreaksTiesOnTheSameStampByID() throws {
        let fields = account.extractableFieldNames
        #expect(fields == ["Id", "Name", "SystemModstamp", "IsDeleted", "Lifetime_Value__c"])
        let first = try SOQLQuery.incremental(account, fields: fields, after: nil)
        #expect(first == "SELECT Id, Name, SystemModstamp, IsDeleted, Lifetime_Value__c FROM Account ORDER BY SystemModstamp, Id")
        let next = try SOQLQuery.incremental(
            account, fields: ["Id", "SystemModstamp"],
            after: Watermark(modstampMs: 1_764_504_000_123, id: "001000000000001AAA"))
        #expect(
            next == "SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp > 2025-11-30T12:00:00.123Z OR "
                + "(SystemModstamp = 2025-11-30T12:00:00.123Z AND Id > '001000000000001AAA') ORDER BY SystemModstamp, Id")
    }

    @Test func sinceAndIDQueries() throws {
        let since = try SOQLQuery.since(account, fields: ["Id"], sinceMs: 0)
        #expect(since == "SELECT Id FROM Account WHERE SystemModstamp >= 1970-01-01T00:00:00.000Z ORDER BY SystemModstamp, Id")
        let ids = try SOQLQuery.byIDs(account, fields: ["Id", "Name"], ids: ["001000000000001AAA", "001000000000002"])
        #expect(ids == "SELECT Id, Name FROM Account WHERE Id IN ('001000000000001AAA', '001000000000002') ORDER BY SystemModstamp, Id")
    }

    @Test(arguments: [
        "Name, (SELECT Id FROM Contacts)", "Name FROM User --", "Id' OR Name != '", "Na me", "1Name", "Name_",
        "Name__c__c", "Name__", "", "Näme", String(repeating: "A", count: 81),
    ])
    func injectionThroughAFieldNameIsRefused(field: String) {
        #expect(!SOQLIdentifier.isValid(field))
        let hostile = ObjectDescription(
            name: "Account",
            fields: [.init(name: "Id", type: "id"), .init(name: "SystemModstamp", type: "datetime"), .init(name: field, type: "string")])
        #expect(!hostile.extractableFieldNames.contains(field))
        #expect(throws: SOQLError.self) { try SOQLQuery.incremental(hostile, fields: ["Id", field], after: nil) }
    }

    @Test func injectionThroughTheObjectNameIsRefused() {
        for name in ["Account WHERE Id != null", "Account;", "User--", "Account, Contact"] {
            let hostile = ObjectDescription(
                name: name, fields: [.init(name: "Id", type: "id"), .init(name: "SystemModstamp", type: "datetime")])
            #expect(throws: SOQLError.self) { try SOQLQuery.incremental(hostile, fields: ["Id"], after: nil) }
        }
    }

    @Test func undescribedFieldsAndHostileIDsAreRefused() {
        #expect(throws: SOQLError.self) { try SOQLQuery.incremental(account, fields: ["Id", "Password"], after: nil) }
        #expect(throws: SOQLError.self) {
            try SOQLQuery.byIDs(account, fields: ["Id"], ids: ["001000000000001AAA", "x') OR Id != ('"])
        }
        #expect(throws: SOQLError.self) {
            try SOQLQuery.incremental(account, fields: ["Id"], after: Watermark(modstampMs: 0, id: "' OR ''='"))
        }
        #expect(throws: SOQLError.self) {
            try SOQLQuery.byIDs(account, fields: ["Id"], ids: Array(repeating: "001000000000001AAA", count: 201))
        }
    }

    @Test func validNamesPass() {
        for name in ["Id", "AccountId", "Lifetime_Value__c", "NPS__c", "Account__r", "Custom_Object__mdt", "A1_b2"] {
            #expect(SOQLIdentifier.isValid(name), "\(name)")
        }
    }
}
