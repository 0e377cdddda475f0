import Foundation
import Logging
import PipelineHTTP
import PipelineRuntime
import SalesforceModel
import Testing

@testable import Generator

/// The simulator on a real loopback socket, called with the libcurl client the extractor uses.
@Suite("Salesforce simulator over HTTP", .timeLimit(.minutes(2)))
struct SimulatorServerTests {
    static let logger = Logger(label: "simulator-test")

    static func serve() throws -> (SalesforceSimulator, OperationsServer, String) {
        let sim = SimulatorTests.simulator()
        let server = try SimulatorServer.start(
            sim, host: "127.0.0.1", port: 0, metrics: MetricsRegistry(service: "simulator-test"), logger: logger)
        return (sim, server, "http://127.0.0.1:\(server.port!)")
    }

    @Test("token, query and nextRecordsUrl over the wire; a truncated body fails the transfer")
    func overTheWire() async throws {
        let (sim, server, base) = try Self.serve()
        let client = try HTTPClient(logger: Self.logger)
        let tokenResponse = try await client.execute(HTTPClientRequest(
            method: .post, url: base + "/services/oauth2/token",
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array("grant_type=client_credentials&client_id=id&client_secret=secret".utf8)))
        #expect(tokenResponse.status == 200)
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(tokenResponse.body)) as? [String: Any])?["access_token"] as? String)
        #expect((try JSONSerialization.jsonObject(with: Data(tokenResponse.body)) as? [String: Any])?["instance_url"] as? String == base)

        let soql = "SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > 2020-01-01T00:00:00Z ORDER BY SystemModstamp, Id"
        var url = base + "/services/data/v62.0/query?q=" + soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var rows = 0
        var usage: [String] = []
        while true {
            let page = try await client.execute(HTTPClientRequest(
                url: url, headers: ["Authorization": "Bearer \(token)", "Sforce-Query-Options": "batchSize=200"]))
            #expect(page.status == 200)
            usage.append(page.headers["Sforce-Limit-Info"] ?? "")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(page.body)) as? [String: Any])
            rows += (body["records"] as? [Any])?.count ?? 0
            guard let next = body["nextRecordsUrl"] as? String else { break }
            url = base + next
        }
        let expected = SimulatorTests.org.state(asOf: SimulatorTests.org.configuration.baseTimeMs).records["Lead"]!
            .filter { !$0.isDeleted }.count
        #expect(rows == expected)
        #expect(usage.last == "api-usage=\(usage.count)/1000")

        sim.arm(.truncated, count: 1)
        await #expect(throws: HTTPClientError.self) {
            _ = try await client.execute(HTTPClientRequest(
                url: base + "/services/data/v62.0/sobjects/Lead/describe", headers: ["Authorization": "Bearer \(token)"]))
        }
        let after = try await client.execute(HTTPClientRequest(
            url: base + "/services/data/v62.0/sobjects/Lead/describe", headers: ["Authorization": "Bearer \(token)"]))
        #expect(after.status == 200)
        await server.stop()
    }
}
