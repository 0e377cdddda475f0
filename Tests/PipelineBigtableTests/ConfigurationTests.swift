import Foundation
import Logging
@testable import PipelineBigtable
import Testing

@Suite("Configuration, retry policy and request shaping")
struct ConfigurationTests {
    @Test("BIGTABLE_EMULATOR_HOST selects the emulator; absence selects Google")
    func endpointFromEnvironment() throws {
        #expect(try BigtableConfiguration.endpoint(environment: [:]) == .production)
        #expect(
            try BigtableConfiguration.endpoint(environment: ["BIGTABLE_EMULATOR_HOST": "127.0.0.1:8086"])
                == .emulator(host: "127.0.0.1", port: 8086))
        #expect(
            try BigtableConfiguration.endpoint(environment: ["BIGTABLE_EMULATOR_HOST": "[::1]:9000"])
                == .emulator(host: "::1", port: 9000))
        for bad in ["localhost", ":80", "host:0", "host:x", "host:70000"] {
            #expect(throws: BigtableError.self) {
                try BigtableConfiguration.endpoint(environment: ["BIGTABLE_EMULATOR_HOST": bad])
            }
        }
    }

    @Test("names, defaults and the mutation cap")
    func names() {
        var config = BigtableConfiguration(projectID: "p", instanceID: "i")
        #expect(config.tableName("t") == "projects/p/instances/i/tables/t")
        #expect(config.maxMutationsPerRequest == 10_000)
        config.maxMutationsPerRequest = 1_000_000
        #expect(config.maxMutationsPerRequest == BigtableConfiguration.mutationsPerRequestCeiling)
        #expect(BigtableConfiguration.mutationsPerRequestCeiling < 100_000)
    }

    @Test("Google endpoints refuse to start without a token provider")
    func tokenRequired() {
        #expect(throws: BigtableError.self) {
            _ = try BigtableClient(
                configuration: BigtableConfiguration(projectID: "p", instanceID: "i"), logger: .init(label: "t"))
        }
    }

    @Test("backoff grows exponentially, is capped, and jitter only shortens it")
    func backoff() {
        let policy = BigtableRetryPolicy(
            initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), multiplier: 2, jitter: 0.5)
        #expect(policy.backoff(beforeRetry: 1, unitRandom: 0) == .milliseconds(100))
        #expect(policy.backoff(beforeRetry: 2, unitRandom: 0) == .milliseconds(200))
        #expect(policy.backoff(beforeRetry: 4, unitRandom: 0) == .milliseconds(800))
        #expect(policy.backoff(beforeRetry: 5, unitRandom: 0) == .seconds(1))
        #expect(policy.backoff(beforeRetry: 50, unitRandom: 0) == .seconds(1))
        #expect(policy.backoff(beforeRetry: 2, unitRandom: 1) == .milliseconds(100))
    }

    @Test("retriable statuses")
    func retriable() {
        for code in [BigtableStatusCode.unavailable, .deadlineExceeded, .aborted, .resourceExhausted] {
            #expect(BigtableStatus(code: code).isRetriable)
        }
        for code in [BigtableStatusCode.notFound, .invalidArgument, .permissionDenied, .failedPrecondition] {
            #expect(!BigtableStatus(code: code).isRetriable)
        }
        #expect(BigtableStatus(code: .internal, message: "Received RST_STREAM with error code 2").isRetriable)
        #expect(!BigtableStatus(code: .internal, message: "corrupt tablet").isRetriable)
    }

    @Test("batches respect the mutation cap and keep oversized entries alone")
    func batches() {
        func entry(_ mutations: Int) -> BigtableMutationEntry {
            BigtableMutationEntry(
                rowKey: "r", mutations: Array(repeating: .deleteFromRow, count: mutations))
        }
        let entries = [entry(3), entry(3), entry(5), entry(20), entry(1), entry(1)]
        #expect(BigtableClient.batches(entries, maxMutations: 10) == [0..<2, 2..<3, 3..<4, 4..<6])
        #expect(BigtableClient.batches([], maxMutations: 10) == [])
    }

    @Test("prefix scans end at the prefix's successor")
    func prefixSuccessor() {
        #expect(BigtableRowSet.Range.prefixSuccessor(Data("abc".utf8)) == Data("abd".utf8))
        #expect(BigtableRowSet.Range.prefixSuccessor(Data([0x61, 0xFF, 0xFF])) == Data([0x62]))
        #expect(BigtableRowSet.Range.prefixSuccessor(Data([0xFF])) == nil)
    }

    @Test("SetCell requires explicit millisecond-precision timestamps")
    func timestamps() {
        let bad = BigtableMutationEntry(
            rowKey: "r", mutations: [.setCell(family: "f", qualifier: Data(), timestampMicros: 1_500, value: Data())])
        #expect(throws: BigtableError.self) { try bad.validate() }
        let serverTime = BigtableMutationEntry(
            rowKey: "r", mutations: [.setCell(family: "f", qualifier: Data(), timestampMicros: -1, value: Data())])
        #expect(throws: BigtableError.self) { try serverTime.validate() }
    }
}
