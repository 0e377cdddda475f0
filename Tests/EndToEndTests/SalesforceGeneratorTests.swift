import Foundation
import PipelineKafka
import PipelineMessages
import SalesforceModel
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `generator salesforce-api` and `generator cdc` as users run them: separate processes, the CDC stream through a
/// real local broker, both checked against the same seeded `SalesforceOrg`.
@Suite(.timeLimit(.minutes(3))) struct SalesforceGeneratorTests {
    static let orgArguments = ["--seed", "9", "--records", "40", "--changes", "150"]
    static let org = SalesforceOrg(configuration: .init(seed: 9, recordsPerObject: 40, changes: 150))

    static func call(_ method: String, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> (status: Int, json: Any?, headers: [AnyHashable: Any])
    {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data), http?.allHeaderFields ?? [:])
    }

    @Test func simulatorProcessServesTheSeededOrgAndFollowsItsClock() async throws {
        let addressFile = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString)").path
        let sim = try Spawned(
            "generator",
            ["salesforce-api", "--listen", "127.0.0.1:0", "--address-file", addressFile, "--metrics-port", "0",
             "--daily-api-limit", "50"] + Self.orgArguments)
        var base: String?
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while base == nil, ContinuousClock.now < deadline {
            base = (try? String(contentsOfFile: addressFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if base == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let url = try #require(base, "no address file: \(sim.stderr)")
        #expect(sim.stdout.contains(url))

        let token = try await Self.call(
            "POST", url + "/services/oauth2/token",
            body: "grant_type=client_credentials&client_id=tributary-extractor&client_secret=tributary-secret")
        let access = try #require((token.json as? [String: Any])?["access_token"] as? String)

        func count(_ object: String) async throws -> (Int, String?) {
            let q = "SELECT Id FROM \(object)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let response = try await Self.call("GET", url + "/services/data/v62.0/queryAll?q=" + q, token: access)
            #expect(response.status == 200)
            return ((response.json as? [String: Any])?["totalSize"] as? Int ?? -1,
                    response.headers["Sforce-Limit-Info"] as? String)
        }
        let c = Self.org.configuration
        let (before, usage) = try await count("Opportunity")
        #expect(before == Self.org.state(asOf: c.baseTimeMs).records["Opportunity"]!.count)
        #expect(usage == "api-usage=1/50")
        let moved = try await Self.call("POST", url + "/_sim/clock", body: "{\"asOf\": \(c.endTimeMs)}")
        #expect(moved.status == 200)
        #expect(try await count("Opportunity").0 == Self.org.state(asOf: c.endTimeMs).records["Opportunity"]!.count)
        let stats = try await Self.call("GET", url + "/_sim/stats")
        #expect((stats.json as? [String: Any])?["apiUsage"] as? Int == 2)

        sim.signal(SIGTERM)
        #expect(await sim.exitCode(within: .seconds(20)) == 0, "\(sim.stderr)")
    }

    @Test func cdcStreamReachesTheBrokerInCommitOrderPerKey() async throws {
        let broker = try await BrokerProcess()
        let cdc = try Spawned("generator", ["cdc", "--json"] + Self.orgArguments, environment: broker.environment)
        #expect(await cdc.exitCode(within: .seconds(60)) == 0, "\(cdc.stderr)")
        let expected = Self.org.changeEvents
        let summary = try #require(cdc.lastJSON)
        #expect(summary["events"] as? Int == expected.count)
        let byType = try #require(summary["byType"] as? [String: Int])
        #expect(byType["GAP_OVERFLOW"] == 1 && byType["UNDELETE", default: 0] > 0)

        let consumer = try KafkaConsumer(
            configuration: .init(client: broker.client, groupID: "cdc-check"), logger: broker.logger)
        try consumer.subscribe(["salesforce.cdc"])
        var received: [(key: String, partition: Int32, event: ChangeEvent)] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while received.count < expected.count, ContinuousClock.now < deadline {
            for message in try await consumer.nextBatch(timeout: .milliseconds(200)) {
                let event = try message.withValue { try ChangeEvent(decoding: $0) }
                received.append((String(decoding: message.key ?? [], as: UTF8.self), message.partition, event))
            }
        }
        await consumer.close()
        #expect(received.count == expected.count)
        // Every event exactly once, keyed by its first record id (the object for GAP_OVERFLOW)…
        #expect(Set(received.map { $0.event.encode() }) == Set(expected.map { $0.encode() }))
        #expect(received.allSatisfy { $0.key == ($0.event.recordIDs.first ?? $0.event.entityName) })
        // …and within each partition in the model's commit order.
        let position = Dictionary(uniqueKeysWithValues: expected.enumerated().map { ($1.encode(), $0) })
        for partition in Set(received.map(\.partition)) {
            let order = received.filter { $0.partition == partition }.map { position[$0.event.encode()]! }
            #expect(order == order.sorted())
        }

        let expect = try Spawned("generator", ["cdc", "--expect"] + Self.orgArguments)
        await expect.expectCleanExit(within: .seconds(30))
        #expect(expect.lastJSON?["events"] as? Int == expected.count)
    }
}
