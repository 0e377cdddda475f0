import PipelineBigtable
import Synchronization
import Testing

/// The client sends `authorization: Bearer <token>` from its token provider, checked at a
/// gRPC server of our own on 127.0.0.1 that records request metadata.
@Suite("Access tokens")
struct AuthorizationTests {
    final class FakeTokens: BigtableAccessTokenProvider {
        let calls = Atomic<Int>(0)
        func accessToken() async throws -> String {
            "token-\(calls.add(1, ordering: .relaxed).newValue)"
        }
    }

    struct FailingTokens: BigtableAccessTokenProvider {
        struct Failure: Error {}
        func accessToken() async throws -> String { throw Failure() }
    }

    static let entry = BigtableMutationEntry(
        rowKey: "r", mutations: [.setCell(family: "f", qualifier: "q", timestampMillis: 1, value: "v")])

    @Test("every RPC carries a fresh Bearer token and the routing header")
    func bearerHeader() async throws {
        let service = FakeBigtable()
        try await FakeBigtable.with(service, tokens: FakeTokens()) { client in
            let first = try await client.mutateRows(table: "t", entries: [Self.entry])
            let second = try await client.mutateRows(table: "t", entries: [Self.entry, Self.entry])
            #expect(first == [.ok])
            #expect(second == [.ok, .ok])
        }
        let seen = service.requests.withLock { $0 }
        #expect(seen.map(\.authorization) == [["Bearer token-1"], ["Bearer token-2"]])
        #expect(seen.first?.routing == ["table_name=projects%2Fp%2Finstances%2Fi%2Ftables%2Ft&app_profile_id=writer"])
    }

    @Test("without a provider (emulator) no authorization header is sent")
    func noProvider() async throws {
        let service = FakeBigtable()
        try await FakeBigtable.with(service) { client in
            _ = try await client.mutateRows(table: "t", entries: [Self.entry])
        }
        #expect(service.requests.withLock { $0.map(\.authorization) } == [[]])
    }

    @Test("a failing token provider fails the RPC as UNAUTHENTICATED without reaching the server")
    func failingProvider() async throws {
        let service = FakeBigtable()
        try await FakeBigtable.with(service, tokens: FailingTokens()) { client in
            let statuses = try await client.mutateRows(table: "t", entries: [Self.entry])
            #expect(statuses.map(\.code) == [.unauthenticated])
        }
        #expect(service.requests.withLock { $0.isEmpty })
    }
}
