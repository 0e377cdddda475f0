import SalesforceModel
import Testing

@testable import Generator

@Suite("SOQL parser")
struct SOQLParserTests {
    static let org = SalesforceOrg(configuration: .init(recordsPerObject: 20, changes: 20))

    func plan(_ soql: String) throws(SOQLError) -> SOQLPlan { try SOQLPlan(try SOQLParser.parse(soql), org: Self.org) }

    func error(_ soql: String) -> SOQLError? {
        do throws(SOQLError) {
            _ = try plan(soql)
            return nil
        } catch {
            return error
        }
    }

    @Test("the extractor's incremental query parses, both datetime literal forms")
    func incremental() throws {
        let q = try SOQLParser.parse(
            "SELECT Id, Name, SystemModstamp FROM Account WHERE SystemModstamp > 2026-11-30T12:00:00.000Z "
                + "ORDER BY SystemModstamp, Id ASC LIMIT 2000")
        let ms = SalesforceTime.parseDateTime("2026-11-30T12:00:00Z")!
        #expect(q.fields == ["Id", "Name", "SystemModstamp"])
        #expect(q.object == "Account")
        #expect(q.condition == .comparison(field: "SystemModstamp", op: .greater, value: .dateTime(ms)))
        #expect(q.orderBy == [SOQLOrder(field: "SystemModstamp", descending: false), SOQLOrder(field: "Id", descending: false)])
        #expect(q.limit == 2000)
        let short = try SOQLParser.parse("select Id from Account where SystemModstamp >= 2026-11-30T12:00:00Z")
        #expect(short.condition == .comparison(field: "SystemModstamp", op: .greaterOrEqual, value: .dateTime(ms)))
    }

    @Test("AND, OR, parentheses and IN lists nest as written")
    func conditions() throws {
        let q = try SOQLParser.parse(
            "SELECT Id FROM Contact WHERE (SystemModstamp = 2026-11-30T00:00:00Z AND Id > '003A') OR Id IN ('003B','003C')")
        guard case .or(.and(.comparison("SystemModstamp", .equal, _), .comparison("Id", .greater, .string("003A"))),
                       .inList("Id", [.string("003B"), .string("003C")]))? = q.condition
        else {
            Issue.record("unexpected tree \(String(describing: q.condition))")
            return
        }
    }

    @Test("escaped quotes stay inside the literal")
    func escapes() throws {
        let q = try SOQLParser.parse(#"SELECT Id FROM Contact WHERE LastName = 'O\'Brien' AND Title != 'a\\b'"#)
        #expect(q.condition == .and(.comparison(field: "LastName", op: .equal, value: .string("O'Brien")),
                                    .comparison(field: "Title", op: .notEqual, value: .string(#"a\b"#))))
    }

    @Test("injection attempts and anything outside the grammar are MALFORMED_QUERY", arguments: [
        "SELECT Name FROM User-- FROM Account",
        "SELECT Name FROM User--, Id FROM Account",
        "SELECT Id FROM Account WHERE Name = 'x' OR '1'='1'",
        "SELECT Id FROM Account WHERE Name = 'unterminated",
        "SELECT Id FROM Account; DELETE FROM Account",
        "SELECT Id FROM Account /* comment */",
        "SELECT FROM Account",
        "SELECT Id, FROM Account",
        "SELECT Id FROM Account WHERE",
        "SELECT Id FROM Account WHERE Id IN ()",
        "SELECT Id FROM Account LIMIT -1",
        "SELECT Id FROM Account LIMIT 10 LIMIT 10",
        "SELECT Id FROM Account ORDER BY",
        "SELECT Id FROM Account WHERE Name = \"double\"",
        "SELECT Id FROM Account WHERE (Id = 'a'",
        "DELETE Id FROM Account",
        "SELECT Id FROM Account WHERE Name LIKE 'a%'",
        "SELECT COUNT() FROM Account",
        "SELECT Id FROM Account WHERE Name = 'a' \\",
    ])
    func rejected(_ soql: String) {
        #expect(error(soql)?.code == "MALFORMED_QUERY", "\(soql)")
    }

    @Test("unknown fields and objects, and literals of the wrong type, are refused like Salesforce does")
    func validation() {
        #expect(error("SELECT Id, Nmae FROM Account")?.code == "INVALID_FIELD")
        #expect(error("SELECT Id FROM Account WHERE Bogus__c = 'x'")?.code == "INVALID_FIELD")
        #expect(error("SELECT Id FROM Widget__c")?.code == "INVALID_TYPE")
        #expect(error("SELECT Id FROM Account WHERE SystemModstamp > '2026-11-30T00:00:00Z'")?.code == "INVALID_FIELD")
        #expect(error("SELECT Id FROM Account WHERE Id = 5")?.code == "INVALID_FIELD")
        #expect(error("SELECT Id FROM Account WHERE SystemModstamp > 2026-11-30")?.code == "INVALID_FIELD")
        #expect(error("SELECT Id FROM Account ORDER BY Nope")?.code == "INVALID_FIELD")
        #expect(error("SELECT Id, Id FROM Account")?.code == "MALFORMED_QUERY")
    }

    @Test("names match case-insensitively and come back in canonical spelling")
    func canonicalNames() throws {
        let p = try plan("SELECT id, annualrevenue, customer_tier__c FROM account WHERE systemmodstamp > 2020-01-01T00:00:00Z")
        #expect(p.object.name == "Account")
        #expect(p.fields.map(\.name) == ["Id", "AnnualRevenue", "Customer_Tier__c"])
    }

    @Test("a plan filters, orders and limits records")
    func execution() throws {
        let state = Self.org.state(asOf: Self.org.configuration.endTimeMs)
        let accounts = state.records["Account"]!
        let cut = accounts.map(\.systemModstampMs).sorted()[accounts.count / 2]
        let p = try plan("SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp > \(SalesforceTime.soqlLiteral(cut)) "
            + "ORDER BY SystemModstamp DESC, Id LIMIT 5")
        let rows = p.run(on: accounts)
        let expected = accounts.filter { $0.systemModstampMs > cut }
            .sorted { ($0.systemModstampMs, $1.id) > ($1.systemModstampMs, $0.id) }.prefix(5)
        #expect(rows.map(\.id) == expected.map(\.id))
        let ids = Array(accounts.prefix(3).map(\.id))
        let byId = try plan("SELECT Id FROM Account WHERE Id IN ('\(ids.joined(separator: "','"))')")
        #expect(Set(byId.run(on: accounts).map(\.id)) == Set(ids))
    }
}
