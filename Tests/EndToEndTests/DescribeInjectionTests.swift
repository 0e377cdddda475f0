import Foundation
import Testing

/// `extractor once` against an org whose describe response names fields built to rewrite the query: the run
/// succeeds with the safe fields only, and no query the extractor sent carries any part of the hostile names.
@Suite(.timeLimit(.minutes(3))) struct DescribeInjectionTests {
    static let hostileFields = [
        "Name, (SELECT Id FROM User)", "Id FROM Account WHERE 1=1 --", "Name' OR '1'='1", #"Name" OR "1"="1"#,
        "Annual Revenue", "Name;DELETE",
    ]

    @Test func hostileDescribedFieldsNeverReachTheQuery() async throws {
        let broker = try await BrokerProcess()
        let org = try FakeSalesforce(rows: FakeSalesforce.accounts(30))
        org.state.withLock { $0.extraDescribedFields = Self.hostileFields }
        let run = try await org.extractOnce(broker)
        #expect(run.code == 0, "\(run.process.stderr.suffix(2_000))")
        #expect(latest(try await broker.recordChanges()) == org.expected)

        let queries = org.server.requests.filter { $0.target.contains("/queryAll") }.compactMap { request in
            request.target.split(separator: "=", maxSplits: 1).last.map(String.init)?.removingPercentEncoding
        }
        #expect(!queries.isEmpty)
        for query in queries {
            #expect(query.hasPrefix("SELECT Id, IsDeleted, Name, AnnualRevenue, SystemModstamp FROM Account"), "\(query)")
            for fragment in ["User", "1=1", "--", "'1'", "\"", ";", "DELETE", "Annual Revenue"] {
                #expect(!query.contains(fragment), "\(fragment) in \(query)")
            }
        }
    }
}
