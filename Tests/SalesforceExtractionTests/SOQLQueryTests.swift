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

    /// Field (and object) names a hostile or broken describe response could carry to rewrite the query.
    static let hostileNames = [
        "Name, (SELECT Id FROM Contacts)", "Name, (SELECT Id FROM User)", "Id FROM Account WHERE 1=1 --",
        "Name FROM User --", "Id' OR Name != '", "Name' OR '1'='1", #"Name" OR "1"="1"#, "Na me", "Name\tId",
        "Name\nFROM User", "Name;DELETE", "Name/*x*/", "Name)", "1Name", "Name_", "Name__", "",
        "Näme", String(repeating: "A", count: 81), "Name___c", "__c", "Name__c.Id", "ns__Name__Other__c",
        "a__b__c__d__s", "Name__unknownsuffix", "Name__C", "SBQQ__Quote__c)", "_Name",
    ]

    @Test(arguments: hostileNames)
    func injectionThroughAFieldNameIsRefused(field: String) {
        #expect(!SOQLIdentifier.isValid(field))
        let hostile = ObjectDescription(
            name: "Account",
            fields: [.init(name: "Id", type: "id"), .init(name: "SystemModstamp", type: "datetime"), .init(name: field, type: "string")])
        #expect(!hostile.extractableFieldNames.contains(field))
        #expect(throws: SOQLError.self) { try SOQLQuery.incremental(hostile, fields: ["Id", field], after: nil) }
    }

    /// The path the extractor takes: a describe response's JSON, its extractable fields, the query. The hostile
    /// names are dropped, the query is exactly the safe one, and no fragment of them reaches it.
    @Test func aDescribeResponseNamingHostileFieldsYieldsOnlyTheSafeQuery() throws {
        var fields = [#"{"name":"Id","type":"id"}"#, #"{"name":"Name","type":"string"}"#,
                      #"{"name":"SystemModstamp","type":"datetime"}"#]
        for name in Self.hostileNames {
            fields.append(#"{"name":"\#(Self.jsonEscaped(name))","type":"string"}"#)
        }
        let json = #"{"name":"Account","fields":["# + fields.joined(separator: ",") + "]}"
        let description = try ObjectDescription(json: Array(json.utf8))
        #expect(description.fields.count == 3 + Self.hostileNames.count, "every hostile field was parsed, then skipped")
        #expect(description.extractableFieldNames == ["Id", "Name", "SystemModstamp"])
        let query = try SOQLQuery.incremental(description, fields: description.extractableFieldNames, after: nil)
        #expect(query == "SELECT Id, Name, SystemModstamp FROM Account ORDER BY SystemModstamp, Id")
        for fragment in ["User", "Contacts", "1=1", "--", "'", "\"", ";", "/*", "(", ")", "\n", "\t", "DELETE"] {
            #expect(!query.contains(fragment), "\(fragment)")
        }
        // Named explicitly (a batch request's field list), a hostile field is refused, not quoted.
        for name in Self.hostileNames {
            #expect(throws: SOQLError.self) { try SOQLQuery.since(description, fields: ["Id", name], sinceMs: 0) }
            #expect(throws: SOQLError.self) {
                try SOQLQuery.byIDs(description, fields: [name], ids: ["001000000000001AAA"])
            }
        }
    }

    @Test func aDescribeResponseWithAHostileObjectNameIsRefused() throws {
        for name in Self.hostileNames + ["Account WHERE Id != null", "Account, Contact", "User--"] {
            let json = #"{"name":"\#(Self.jsonEscaped(name))","fields":[{"name":"Id","type":"id"},{"name":"SystemModstamp","type":"datetime"}]}"#
            let description = try ObjectDescription(json: Array(json.utf8))
            #expect(description.name == name)
            #expect(throws: SOQLError.self) { try SOQLQuery.incremental(description, fields: ["Id"], after: nil) }
        }
    }

    /// The name as the inside of a JSON string literal.
    static func jsonEscaped(_ name: String) -> String {
        var text = ""
        for character in name {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            default: text.append(character)
            }
        }
        return text
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

    /// What managed packages and standard companions of custom objects are called in real orgs (EXTERNAL-FACTS
    /// §4.5): all legal, all passed into the SELECT and accepted in --objects.
    @Test func managedPackageAndOtherLegalNamesPass() throws {
        let names = [
            "SBQQ__Quote__c", "SBQQ__NetAmount__c", "npsp__Batch__c", "Loc__Latitude__s", "Loc__Longitude__s",
            "ns__Loc__Latitude__s", "Invoice__History", "Invoice__Share", "Invoice__Feed", "Settings__mdt",
            "Order_Placed__e", "Legacy_Order__x", "Sensor_Reading__b", "Invoice__ChangeEvent", "SBQQ__Quote__r",
            // Odd but legal: namespace `Name`, field `c`. It cannot break out of SOQL (letters and underscores).
            "Name__c__c",
        ]
        for name in names { #expect(SOQLIdentifier.isValid(name), "\(name)") }
        let description = ObjectDescription(
            name: "SBQQ__Quote__c",
            fields: ["Id", "SystemModstamp", "SBQQ__NetAmount__c", "Loc__Latitude__s"].map {
                ObjectDescription.Field(name: $0, type: "string")
            })
        #expect(description.extractableFieldNames.contains("SBQQ__NetAmount__c"))
        #expect(description.extractableFieldNames.contains("Loc__Latitude__s"))
        let query = try SOQLQuery.incremental(description, fields: description.extractableFieldNames, after: nil)
        #expect(query.contains("FROM SBQQ__Quote__c") && query.contains("SBQQ__NetAmount__c"), "\(query)")
    }

    /// Objects the REST query cannot page are refused by name with the reason, not queried on every pass.
    @Test func objectsTheQueryCannotServeAreRefusedWithAReason() {
        #expect(SOQLIdentifier.queryRefusal(object: "Sensor_Reading__b")?.contains("big object") == true)
        #expect(SOQLIdentifier.queryRefusal(object: "Order_Placed__e")?.contains("platform event") == true)
        #expect(SOQLIdentifier.queryRefusal(object: "AccountChangeEvent")?.contains("change event") == true)
        for object in ["Account", "SBQQ__Quote__c", "Legacy_Order__x", "Settings__mdt", "Invoice__History"] {
            #expect(SOQLIdentifier.queryRefusal(object: object) == nil, "\(object)")
        }
    }
}
