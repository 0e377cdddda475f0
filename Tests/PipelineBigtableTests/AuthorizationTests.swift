import BigtableProto
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import PipelineBigtable
import Synchronization
import Testing

/// The client sends `authorization: Bearer <token>` from its token provider, checked at a
/// plaintext gRPC server of our own on 127.0.0.1 that records request metadata.
@Suite("Access tokens")
struct AuthorizationTests {
    final class FakeTokens: BigtableAccessTokenProvider {
        let calls = Atomic<Int>(0)
        func accessToken() async throws -> String {
            let call = calls.add(1, ordering: .relaxed).newValue
            return "token-\(call)"
        }
    }

    struct FailingTokens: BigtableAccessTokenProvider {
        struct Failure: Error {}
        func accessToken() async throws -> String { throw Failure() }
    }

    /// A Bigtable data service that records each MutateRows call's headers and accepts its entries.
    final class RecordingBigtable: Google_Bigtable_V2_Bigtable.ServiceProtocol {
        let headers = Mutex<[(authorization: [String], routing: [String])]>([])

        func mutateRows(
            request: ServerRequest<Google_Bigtable_V2_MutateRowsRequest>, context: ServerContext
        ) async throws -> StreamingServerResponse<Google_Bigtable_V2_MutateRowsResponse> {
            headers.withLock {
                $0.append((
                    Array(request.metadata[stringValues: "authorization"]),
                    Array(request.metadata[stringValues: "x-goog-request-params"])
                ))
            }
            let count = request.message.entries.count
            return StreamingServerResponse { writer in
                var response = Google_Bigtable_V2_MutateRowsResponse()
                response.entries = (0..<count).map { index in
                    var entry = Google_Bigtable_V2_MutateRowsResponse.Entry()
                    entry.index = Int64(index)
                    entry.status = Google_Rpc_Status()
                    return entry
                }
                try await writer.write(response)
                return [:]
            }
        }

        func readRows(request: ServerRequest<Google_Bigtable_V2_ReadRowsRequest>, context: ServerContext) async throws
            -> StreamingServerResponse<Google_Bigtable_V2_ReadRowsResponse>
        { throw RPCError(code: .unimplemented, message: "fake") }
        func sampleRowKeys(request: ServerRequest<Google_Bigtable_V2_SampleRowKeysRequest>, context: ServerContext)
            async throws -> StreamingServerResponse<Google_Bigtable_V2_SampleRowKeysResponse>
        { throw RPCError(code: .unimplemented, message: "fake") }
        func mutateRow(request: ServerRequest<Google_Bigtable_V2_MutateRowRequest>, context: ServerContext) async throws
            -> ServerResponse<Google_Bigtable_V2_MutateRowResponse>
        { throw RPCError(code: .unimplemented, message: "fake") }
        func checkAndMutateRow(
            request: ServerRequest<Google_Bigtable_V2_CheckAndMutateRowRequest>, context: ServerContext
        ) async throws -> ServerResponse<Google_Bigtable_V2_CheckAndMutateRowResponse> {
            throw RPCError(code: .unimplemented, message: "fake")
        }
        func pingAndWarm(request: ServerRequest<Google_Bigtable_V2_PingAndWarmRequest>, context: ServerContext)
            async throws -> ServerResponse<Google_Bigtable_V2_PingAndWarmResponse>
        { throw RPCError(code: .unimplemented, message: "fake") }
        func readModifyWriteRow(
            request: ServerRequest<Google_Bigtable_V2_ReadModifyWriteRowRequest>, context: ServerContext
        ) async throws -> ServerResponse<Google_Bigtable_V2_ReadModifyWriteRowResponse> {
            throw RPCError(code: .unimplemented, message: "fake")
        }
    }

    /// Runs a fake server on 127.0.0.1 and a client with `tokens` pointed at it.
    func withFakeServer(
        tokens: any BigtableAccessTokenProvider,
        _ body: @Sendable (BigtableClient, RecordingBigtable) async throws -> Void
    ) async throws {
        let service = RecordingBigtable()
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [service])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            let port = try #require(try await transport.listeningAddress.ipv4).port
            let configuration = BigtableConfiguration(
                projectID: "p", instanceID: "i", appProfileID: "writer",
                endpoint: .emulator(host: "127.0.0.1", port: port), retryPolicy: .none)
            do {
                try await withBigtableClient(
                    configuration: configuration, accessTokenProvider: tokens, logger: Logger(label: "auth-test")
                ) { client in try await body(client, service) }
            } catch {
                server.beginGracefulShutdown()
                throw error
            }
            server.beginGracefulShutdown()
        }
    }

    @Test("every RPC carries a fresh Bearer token and the routing header")
    func bearerHeader() async throws {
        let tokens = FakeTokens()
        try await withFakeServer(tokens: tokens) { client, service in
            let entry = BigtableMutationEntry(
                rowKey: "r", mutations: [.setCell(family: "f", qualifier: "q", timestampMillis: 1, value: "v")])
            let first = try await client.mutateRows(table: "t", entries: [entry])
            let second = try await client.mutateRows(table: "t", entries: [entry, entry])
            #expect(first == [.ok])
            #expect(second == [.ok, .ok])
            let seen = service.headers.withLock { $0 }
            #expect(seen.map(\.authorization) == [["Bearer token-1"], ["Bearer token-2"]])
            #expect(
                seen.first?.routing == ["table_name=projects%2Fp%2Finstances%2Fi%2Ftables%2Ft&app_profile_id=writer"])
        }
    }

    @Test("a failing token provider fails the RPC as UNAUTHENTICATED without reaching the server")
    func failingProvider() async throws {
        try await withFakeServer(tokens: FailingTokens()) { client, service in
            let entry = BigtableMutationEntry(rowKey: "r", mutations: [.deleteFromRow])
            let statuses = try await client.mutateRows(table: "t", entries: [entry])
            #expect(statuses.map(\.code) == [.unauthenticated])
            #expect(service.headers.withLock { $0.isEmpty })
        }
    }
}
