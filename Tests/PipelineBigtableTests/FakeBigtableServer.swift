import BigtableProto
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import PipelineBigtable
import Synchronization
import Testing

/// A Bigtable data service of our own on 127.0.0.1 (plaintext): it records each MutateRows
/// request's headers and row keys and answers per entry as the test's behaviour says.
final class FakeBigtable: Google_Bigtable_V2_Bigtable.ServiceProtocol {
    /// Per-entry status codes for a request (in entry order), or a thrown RPCError for the call.
    typealias Behaviour = @Sendable (_ rowKeys: [String]) throws -> [BigtableStatusCode]

    struct Recorded: Sendable {
        var authorization: [String]
        var routing: [String]
        var rowKeys: [String]
    }

    let behaviour: Behaviour
    let requests = Mutex<[Recorded]>([])

    init(behaviour: @escaping Behaviour = { keys in keys.map { _ in .ok } }) {
        self.behaviour = behaviour
    }

    func mutateRows(
        request: ServerRequest<Google_Bigtable_V2_MutateRowsRequest>, context: ServerContext
    ) async throws -> StreamingServerResponse<Google_Bigtable_V2_MutateRowsResponse> {
        let keys = request.message.entries.map { String(decoding: $0.rowKey, as: UTF8.self) }
        requests.withLock {
            $0.append(
                Recorded(
                    authorization: Array(request.metadata[stringValues: "authorization"]),
                    routing: Array(request.metadata[stringValues: "x-goog-request-params"]), rowKeys: keys))
        }
        let codes = try behaviour(keys)
        return StreamingServerResponse { writer in
            var response = Google_Bigtable_V2_MutateRowsResponse()
            response.entries = codes.enumerated().map { index, code in
                var entry = Google_Bigtable_V2_MutateRowsResponse.Entry()
                entry.index = Int64(index)
                entry.status.code = code.rawValue
                entry.status.message = code == .ok ? "" : "fake \(code.name)"
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

    /// Serves `service` on a free 127.0.0.1 port and runs `body` with a client pointed at it.
    static func with(
        _ service: FakeBigtable, tokens: (any BigtableAccessTokenProvider)? = nil,
        retryPolicy: BigtableRetryPolicy = .none,
        _ body: @Sendable (BigtableClient) async throws -> Void
    ) async throws {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [service])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let port = try #require(try await transport.listeningAddress.ipv4).port
            let configuration = BigtableConfiguration(
                projectID: "p", instanceID: "i", appProfileID: "writer",
                endpoint: .emulator(host: "127.0.0.1", port: port), retryPolicy: retryPolicy)
            try await withBigtableClient(
                configuration: configuration, accessTokenProvider: tokens, logger: Logger(label: "fake-bigtable")
            ) { client in try await body(client) }
        }
    }
}
