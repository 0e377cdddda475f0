internal import BigtableProto
internal import GRPCCore
internal import GRPCNIOTransportHTTP2Posix
public import Logging
public import ServiceLifecycle

/// The one owner of Tributary's gRPC connections to Bigtable (data and admin APIs).
///
/// Lifecycle: create it, then keep ``run()`` running (it is a `Service`, so a `ServiceGroup`
/// can own it, or use ``withBigtableClient(configuration:accessTokenProvider:logger:_:)``)
/// while calling the data and admin methods from any task. Every method is safe to call
/// concurrently; RPCs made before the connection is up wait for it (`waitForReady`).
public final class BigtableClient: Sendable {
    /// The configuration the client was built with.
    public let configuration: BigtableConfiguration
    let logger: Logger
    let metrics: BigtableMetrics
    let data: Google_Bigtable_V2_Bigtable.Client<HTTP2ClientTransport.Posix>
    let admin: Google_Bigtable_Admin_V2_BigtableTableAdmin.Client<HTTP2ClientTransport.Posix>
    let dataClient: GRPCClient<HTTP2ClientTransport.Posix>
    private let adminClient: GRPCClient<HTTP2ClientTransport.Posix>

    /// Creates the client; no connection is made until ``run()`` starts.
    ///
    /// - Parameters:
    ///   - configuration: endpoint, ids, timeouts and retry policy.
    ///   - accessTokenProvider: required for Google's endpoints; optional with the emulator,
    ///     where it is still used when given (tests check the header that way).
    ///   - logger: where the client logs (at `info` or below).
    /// - Throws: `.configuration` when a Google endpoint has no token provider or the
    ///   transport cannot be set up.
    public init(
        configuration: BigtableConfiguration, accessTokenProvider: (any BigtableAccessTokenProvider)? = nil,
        logger: Logger
    ) throws(BigtableError) {
        if !configuration.endpoint.isEmulator && accessTokenProvider == nil {
            throw BigtableError(.configuration, message: "Google's Bigtable endpoints need an access token provider")
        }
        let interceptors: [any ClientInterceptor] = accessTokenProvider.map {
            [BigtableAuthorizationInterceptor(provider: $0)]
        } ?? []
        let transports: BigtableTransports
        do {
            transports = try BigtableTransports(endpoint: configuration.endpoint, caFile: configuration.caFile)
        } catch {
            throw BigtableError(.configuration, message: "cannot create the gRPC transport: \(error)")
        }
        self.configuration = configuration
        self.logger = logger
        self.metrics = BigtableMetrics()
        self.dataClient = GRPCClient(transport: transports.data, interceptors: interceptors)
        self.adminClient = GRPCClient(transport: transports.admin, interceptors: interceptors)
        self.data = Google_Bigtable_V2_Bigtable.Client(wrapping: dataClient)
        self.admin = Google_Bigtable_Admin_V2_BigtableTableAdmin.Client(wrapping: adminClient)
    }

    /// Maintains the connections until ``shutdown()`` (or graceful shutdown of the service
    /// group) and the RPCs in flight finish.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await self.dataClient.runConnections() }
                group.addTask { try await self.adminClient.runConnections() }
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
    }

    /// Stops accepting new RPCs; ``run()`` returns once those in flight complete.
    public func shutdown() {
        dataClient.beginGracefulShutdown()
        adminClient.beginGracefulShutdown()
    }

    // MARK: - Shared helpers for the API extensions

    /// Call options for one attempt with the given deadline.
    func callOptions(timeout: Duration) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = timeout
        options.waitForReady = true
        return options
    }

    /// The `x-goog-request-params` routing header Bigtable's frontends use to route a data
    /// request to the table's cluster and app profile.
    func routingMetadata(tableName: String) -> Metadata {
        var params = "table_name=" + Self.percentEncode(tableName)
        if !configuration.appProfileID.isEmpty {
            params += "&app_profile_id=" + Self.percentEncode(configuration.appProfileID)
        }
        var metadata = Metadata()
        metadata.addString(params, forKey: "x-goog-request-params")
        return metadata
    }

    private static func percentEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}

extension BigtableClient: Service {}

/// Runs `body` with a connected client, then shuts the client down.
///
/// For tools and tests; services put the client in their `ServiceGroup` instead.
public func withBigtableClient<Result: Sendable>(
    configuration: BigtableConfiguration, accessTokenProvider: (any BigtableAccessTokenProvider)? = nil,
    logger: Logger, _ body: @Sendable (BigtableClient) async throws -> Result
) async throws -> Result {
    let client = try BigtableClient(
        configuration: configuration, accessTokenProvider: accessTokenProvider, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
        group.addTask { try await client.run() }
        defer { client.shutdown() }
        let result = try await body(client)
        client.shutdown()
        try await group.waitForAll()
        return result
    }
}
