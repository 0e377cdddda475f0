import Foundation
import PipelineRuntime
import SalesforceModel
import Testing

@testable import Generator

/// The simulator's request handling, in process (the wire is covered by SimulatorServerTests).
@Suite("Salesforce simulator")
struct SimulatorTests {
    static let org = SalesforceOrg(configuration: .init(seed: 3, recordsPerObject: 500, changes: 200))

    static func simulator(limit: Int = 1_000, org: SalesforceOrg = org) -> SalesforceSimulator {
        SalesforceSimulator(
            org: org,
            settings: .init(clientID: "id", clientSecret: "secret", dailyAPILimit: limit,
                            tokenLifetime: .seconds(600), instanceURL: "http://127.0.0.1:1"),
            clockMs: org.configuration.baseTimeMs)
    }

    static func json(_ response: HTTPResponse) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(response.body))
    }

    static func token(_ sim: SalesforceSimulator) async throws -> String {
        let response = await sim.route(HTTPRequest(
            method: "POST", path: "/services/oauth2/token",
            body: Array("grant_type=client_credentials&client_id=id&client_secret=secret".utf8)))
        let body = try #require(json(response) as? [String: Any])
        return try #require(body["access_token"] as? String)
    }

    static func get(_ sim: SalesforceSimulator, _ path: String, query: String? = nil, token: String?,
                    headers: [(name: String, value: String)] = []) async -> HTTPResponse {
        var all = headers
        if let token { all.append(("authorization", "Bearer \(token)")) }
        return await sim.route(HTTPRequest(method: "GET", path: path, query: query, headers: all))
    }

    static func soql(_ text: String) -> String {
        "q=" + text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    static func limitInfo(_ response: HTTPResponse) -> String? {
        response.headers.first { $0.name == "Sforce-Limit-Info" }?.value
    }

    @Test("token: client credentials, refresh, bad secret; no or unknown token is 401 INVALID_SESSION_ID")
    func tokens() async throws {
        let sim = Self.simulator()
        let response = await sim.route(HTTPRequest(
            method: "POST", path: "/services/oauth2/token",
            body: Array("grant_type=client_credentials&client_id=id&client_secret=secret".utf8)))
        let body = try #require(Self.json(response) as? [String: Any])
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["instance_url"] as? String == "http://127.0.0.1:1")
        #expect(body["issued_at"] is String)
        let refresh = try #require(body["refresh_token"] as? String)
        let refreshed = await sim.route(HTTPRequest(
            method: "POST", path: "/services/oauth2/token",
            body: Array("grant_type=refresh_token&client_id=id&refresh_token=\(refresh)".utf8)))
        #expect(refreshed.status == 200)
        let bad = await sim.route(HTTPRequest(
            method: "POST", path: "/services/oauth2/token",
            body: Array("grant_type=client_credentials&client_id=id&client_secret=wrong".utf8)))
        #expect(bad.status == 400)
        for token in [nil, "forged"] {
            let denied = await Self.get(sim, "/services/data/v62.0/sobjects/Account/describe", token: token)
            #expect(denied.status == 401)
            #expect(String(decoding: denied.body, as: UTF8.self).contains("INVALID_SESSION_ID"))
        }
        let token = try #require(body["access_token"] as? String)
        #expect(await Self.get(sim, "/services/data/v62.0/sobjects/Account/describe", token: token).status == 200)
    }

    @Test("query pages follow nextRecordsUrl with batchSize, and queryAll adds the deleted rows")
    func pagination() async throws {
        let sim = Self.simulator()
        let token = try await Self.token(sim)
        let state = Self.org.state(asOf: Self.org.configuration.baseTimeMs)
        for (resource, includeDeleted) in [("query", false), ("queryAll", true)] {
            let expected = state.records["Contact"]!.filter { includeDeleted || !$0.isDeleted }
            var response = await Self.get(
                sim, "/services/data/v62.0/\(resource)",
                query: Self.soql("SELECT Id, IsDeleted, LastName, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id"),
                token: token, headers: [("sforce-query-options", "batchSize=200")])
            var ids: [String] = []
            var pages = 0
            while true {
                #expect(response.status == 200)
                let body = try #require(Self.json(response) as? [String: Any])
                #expect(body["totalSize"] as? Int == expected.count)
                let records = try #require(body["records"] as? [[String: Any]])
                #expect(records.count <= 200)
                ids += records.compactMap { $0["Id"] as? String }
                #expect(records.allSatisfy { ($0["attributes"] as? [String: Any])?["type"] as? String == "Contact" })
                pages += 1
                guard body["done"] as? Bool == false, let next = body["nextRecordsUrl"] as? String else { break }
                response = await Self.get(sim, next, token: token)
            }
            #expect(pages == (expected.count + 199) / 200)
            let sorted = expected.sorted { ($0.systemModstampMs, $0.id) < ($1.systemModstampMs, $1.id) }
            #expect(ids == sorted.map(\.id))
            #expect(expected.contains { $0.isDeleted } == includeDeleted)
        }
    }

    @Test("no more than 2,000 rows a page, whatever batchSize asks")
    func pageCap() async throws {
        let big = SalesforceOrg(configuration: .init(seed: 4, recordsPerObject: 2_100, changes: 10, overflow: false))
        let sim = Self.simulator(org: big)
        let token = try await Self.token(sim)
        let response = await Self.get(
            sim, "/services/data/v62.0/queryAll", query: Self.soql("SELECT Id FROM Case"), token: token,
            headers: [("Sforce-Query-Options", "batchSize=5000")])
        let body = try #require(Self.json(response) as? [String: Any])
        #expect((body["records"] as? [Any])?.count == 2_000)
        #expect(body["totalSize"] as? Int == 2_100)
        let next = try #require(body["nextRecordsUrl"] as? String)
        #expect(next.hasPrefix("/services/data/v62.0/query/0r8"))
        let rest = try #require(Self.json(await Self.get(sim, next, token: token)) as? [String: Any])
        #expect((rest["records"] as? [Any])?.count == 100 && rest["done"] as? Bool == true)
        #expect(await Self.get(sim, "/services/data/v62.0/query/0r8bogus-2000", token: token).status == 400)
    }

    @Test("rows render as Salesforce JSON: typed values, nulls, canonical names")
    func rendering() async throws {
        let sim = Self.simulator()
        let token = try await Self.token(sim)
        let state = Self.org.state(asOf: Self.org.configuration.baseTimeMs)
        let account = state.records["Account"]!.first { !$0.isDeleted && $0["AnnualRevenue"] != .null }!
        let response = await Self.get(
            sim, "/services/data/v62.0/query",
            query: Self.soql("SELECT id, AnnualRevenue, SystemModstamp, IsDeleted, ParentId FROM Account WHERE Id = '\(account.id)'"),
            token: token)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("\"AnnualRevenue\":\(account["AnnualRevenue"]!.text!)"))
        #expect(text.contains("\"SystemModstamp\":\"\(SalesforceTime.restDateTime(account.systemModstampMs))\""))
        #expect(text.contains("\"IsDeleted\":false"))
        #expect(text.contains("\"Id\":\"\(account.id)\""))
        #expect(text.contains("\"ParentId\":\(account["ParentId"]!.jsonLiteral)"))
    }

    @Test("bad SOQL is a 400 with Salesforce's error code")
    func queryErrors() async throws {
        let sim = Self.simulator()
        let token = try await Self.token(sim)
        for (soql, code) in [("SELECT Nope FROM Account", "INVALID_FIELD"), ("SELECT Id FROM Nope", "INVALID_TYPE"),
                             ("SELECT Name FROM User-- FROM Account", "MALFORMED_QUERY")] {
            let response = await Self.get(sim, "/services/data/v62.0/query", query: Self.soql(soql), token: token)
            #expect(response.status == 400)
            let errors = try #require(Self.json(response) as? [[String: Any]])
            #expect(errors.first?["errorCode"] as? String == code)
        }
    }

    @Test("describe lists the model's fields")
    func describe() async throws {
        let sim = Self.simulator()
        let token = try await Self.token(sim)
        let response = await Self.get(sim, "/services/data/v62.0/sobjects/Opportunity/describe", token: token)
        let body = try #require(Self.json(response) as? [String: Any])
        let fields = try #require(body["fields"] as? [[String: Any]])
        #expect(fields.compactMap { $0["name"] as? String } == Self.org.describe("Opportunity")!.fieldNames)
        #expect(fields.first { $0["name"] as? String == "Id" }?["updateable"] as? Bool == false)
        #expect(await Self.get(sim, "/services/data/v62.0/sobjects/Nope/describe", token: token).status == 404)
    }

    @Test("Sforce-Limit-Info counts every API call; past the allocation it is 403 REQUEST_LIMIT_EXCEEDED")
    func budget() async throws {
        let sim = Self.simulator(limit: 3)
        let token = try await Self.token(sim)
        for used in 1...3 {
            let response = await Self.get(sim, "/services/data/v62.0/limits", token: token)
            #expect(response.status == 200)
            #expect(Self.limitInfo(response) == "api-usage=\(used)/3")
        }
        let over = await Self.get(sim, "/services/data/v62.0/limits", token: token)
        #expect(over.status == 403)
        #expect(String(decoding: over.body, as: UTF8.self).contains("REQUEST_LIMIT_EXCEEDED"))
        #expect(Self.limitInfo(over) == "api-usage=3/3")
    }

    @Test("each fault spoils the next N API responses, then the API recovers")
    func faults() async throws {
        let sim = Self.simulator()
        var token = try await Self.token(sim)
        let path = "/services/data/v62.0/sobjects/Case/describe"

        sim.arm(.http429, count: 2, retryAfterSeconds: 7)
        for _ in 0..<2 {
            let response = await Self.get(sim, path, token: token)
            #expect(response.status == 429)
            #expect(response.headers.contains { $0.name == "Retry-After" && $0.value == "7" })
            #expect(Self.limitInfo(response) != nil)
        }
        #expect(await Self.get(sim, path, token: token).status == 200)

        sim.arm(.http503, count: 1, retryAfterSeconds: 2)
        #expect(await Self.get(sim, path, token: token).status == 503)

        sim.arm(.requestLimit, count: 1)
        #expect(await Self.get(sim, path, token: token).status == 403)
        #expect(await Self.get(sim, path, token: token).status == 200)

        sim.arm(.expiredToken, count: 1)
        #expect(await Self.get(sim, path, token: token).status == 401)
        #expect(await Self.get(sim, path, token: token).status == 401, "an expired token stays expired")
        token = try await Self.token(sim)
        #expect(await Self.get(sim, path, token: token).status == 200)

        sim.arm(.truncated, count: 1)
        let cut = await Self.get(sim, path, token: token)
        #expect(cut.status == 200 && cut.truncateBodyAt == cut.body.count / 2)
        #expect(await Self.get(sim, path, token: token).truncateBodyAt == nil)

        sim.arm(.slow, count: 1, delayMs: 300)
        let started = ContinuousClock.now
        #expect(await Self.get(sim, path, token: token).status == 200)
        #expect(ContinuousClock.now - started >= .milliseconds(300))

        let stats = try #require(
            try JSONSerialization.jsonObject(with: Data(sim.statsJSON().utf8)) as? [String: Any])
        let served = try #require(stats["faultsServed"] as? [String: Int])
        #expect(served == ["http-429": 2, "http-503": 1, "request-limit": 1, "expired-token": 1, "truncated": 1, "slow": 1])
    }

    @Test("the control API arms and clears faults and moves the clock; queries follow the clock")
    func control() async throws {
        let sim = Self.simulator()
        let token = try await Self.token(sim)
        let armed = sim.control(HTTPRequest(method: "POST", path: "/_sim/faults",
                                            body: Array(#"{"fault": "http-503", "count": 0, "retryAfterSeconds": 3}"#.utf8)))
        #expect(armed.status == 200)
        #expect(await Self.get(sim, "/services/data/v62.0/limits", token: token).status == 503)
        #expect(await Self.get(sim, "/services/data/v62.0/limits", token: token).status == 503)
        #expect(sim.control(HTTPRequest(method: "DELETE", path: "/_sim/faults")).status == 200)
        #expect(await Self.get(sim, "/services/data/v62.0/limits", token: token).status == 200)
        #expect(sim.control(HTTPRequest(method: "POST", path: "/_sim/faults", body: Array(#"{"fault":"nope"}"#.utf8))).status == 400)

        let c = Self.org.configuration
        func count() async throws -> Int {
            let response = await Self.get(sim, "/services/data/v62.0/queryAll", query: Self.soql("SELECT Id FROM Contact"),
                                          token: token)
            return try #require((Self.json(response) as? [String: Any])?["totalSize"] as? Int)
        }
        #expect(try await count() == Self.org.state(asOf: c.baseTimeMs).records["Contact"]!.count)
        let moved = sim.control(HTTPRequest(method: "POST", path: "/_sim/clock", body: Array("{\"asOf\": \(c.endTimeMs)}".utf8)))
        #expect(moved.status == 200)
        #expect(try await count() == Self.org.state(asOf: c.endTimeMs).records["Contact"]!.count)
        #expect(Self.org.state(asOf: c.endTimeMs).records["Contact"]!.count > Self.org.state(asOf: c.baseTimeMs).records["Contact"]!.count)
        let iso = sim.control(HTTPRequest(method: "POST", path: "/_sim/clock",
                                          body: Array("{\"asOf\": \"\(SalesforceTime.restDateTime(c.baseTimeMs))\"}".utf8)))
        #expect(String(decoding: iso.body, as: UTF8.self).contains("\"asOf\":\(c.baseTimeMs)"))
    }

    @Test("fault options parse as NAME[:count] lists")
    func faultOptions() {
        #expect(SimulatorFaults.parse("http-429:2,slow")?.map { "\($0.0.rawValue)=\($0.1)" } == ["http-429=2", "slow=1"])
        #expect(SimulatorFaults.parse("nope") == nil)
        #expect(SimulatorFaults.parse("slow:-1") == nil)
    }
}
