import SalesforceRecords
import Testing

@Suite struct SalesforceFieldNameTests {
    @Test(arguments: [
        ("Id", "id"),
        ("AnnualRevenue", "annual_revenue"),
        ("SystemModstamp", "system_modstamp"),
        ("Lifetime_Value__c", "lifetime_value__c"),
        ("NPS__c", "nps__c"),
        ("BillingAddress.City", "billing_address.city"),
        ("HTTPStatus", "http_status"),
        ("AccountID", "account_id"),
        ("Score2Level", "score2_level"),
        ("already_snake", "already_snake"),
    ])
    func normalizes(apiName: String, expected: String) {
        #expect(SalesforceFieldName.normalized(apiName) == expected)
    }

    @Test func recordKeyRoundTrips() {
        let key = SalesforceRecordKey(object: "Account", id: "001000000000001AAA")
        #expect(key.description == "Account#001000000000001AAA")
        #expect(SalesforceRecordKey(key.description) == key)
        #expect(SalesforceRecordKey("Account") == nil)
        #expect(SalesforceRecordKey("#001") == nil)
        #expect(SalesforceRecordKey("Account#") == nil)
    }
}
