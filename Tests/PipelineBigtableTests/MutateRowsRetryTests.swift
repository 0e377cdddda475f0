import GRPCCore
import PipelineBigtable
import Synchronization
import Testing

/// `mutateRowsRetrying` re-sends only the failed retriable entries, reports permanent and
/// still-failing ones, and throws when the RPC as a whole keeps failing (fake server).
@Suite("MutateRows retries")
struct MutateRowsRetryTests {
    static let fast = BigtableRetryPolicy(
        initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5), totalTimeout: .seconds(10), maxAttempts: 4)

    static func entries(_ keys: [String]) -> [BigtableMutationEntry] {
        keys.map {
            BigtableMutationEntry(
                rowKey: $0, mutations: [.setCell(family: "f", qualifier: "q", timestampMillis: 7, value: "v")])
        }
    }

    @Test("only failed retriable entries are re-sent; permanent failures are reported at once")
    func retriesOnlyFailedEntries() async throws {
        let seen = Mutex<[String: Int]>([:])
        let service = FakeBigtable { keys in
            keys.map { key in
                let count = seen.withLock { counts -> Int in
                    counts[key, default: 0] += 1
                    return counts[key]!
                }
                if key.hasPrefix("flaky") && count <= 2 { return .unavailable }
                if key.hasPrefix("busy") && count == 1 { return .resourceExhausted }
                if key.hasPrefix("bad") { return .notFound }
                return .ok
            }
        }
        let keys = ["a", "flaky-1", "b", "bad-1", "busy-1", "flaky-2", "c"]
        try await FakeBigtable.with(service, retryPolicy: Self.fast) { client in
            let result = try await client.mutateRowsRetrying(table: "t", entries: Self.entries(keys))
            #expect(result.failedEntries.map(\.index) == [3])
            #expect(result.failedEntries.map(\.status.code) == [.notFound])
            #expect(result.attempts == 3)
        }
        let sent = service.requests.withLock { $0.map(\.rowKeys) }
        #expect(sent == [keys, ["flaky-1", "busy-1", "flaky-2"], ["flaky-1", "flaky-2"]])
    }

    @Test("entries still failing when attempts run out are reported with their last status")
    func givesUp() async throws {
        let service = FakeBigtable { keys in keys.map { $0 == "down" ? .unavailable : .ok } }
        try await FakeBigtable.with(service, retryPolicy: Self.fast) { client in
            let result = try await client.mutateRowsRetrying(table: "t", entries: Self.entries(["x", "down", "y"]))
            #expect(result.failedEntries.map(\.index) == [1])
            #expect(result.failedEntries.first?.status.code == .unavailable)
            #expect(result.attempts == 4)
        }
        #expect(service.requests.withLock { $0.count } == 4)
    }

    @Test("a whole RPC failing until the end throws a retriable retriesExhausted error")
    func rpcKeepsFailing() async throws {
        let service = FakeBigtable { _ in throw RPCError(code: .resourceExhausted, message: "fake overload") }
        try await FakeBigtable.with(service, retryPolicy: Self.fast) { client in
            await #expect {
                _ = try await client.mutateRowsRetrying(table: "t", entries: Self.entries(["x", "y"]))
            } throws: { error in
                guard let error = error as? BigtableError else { return false }
                return error.kind == .retriesExhausted && error.isRetriable && error.status?.code == .resourceExhausted
            }
        }
        #expect(service.requests.withLock { $0.count } == 4)
    }
}
