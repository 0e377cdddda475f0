internal import GRPCCore
internal import GRPCNIOTransportHTTP2Posix

/// Builds the two HTTP/2 transports (data and admin) for an endpoint.
///
/// Two defences keep long runs of small RPCs alive against servers that PING on every RPC
/// (the emulator; see ``HTTP2PingFilter``):
/// 1. ``HTTP2PingResponder`` answers PINGs before NIOHTTP2's rate limiter sees them, so the
///    connection is not closed with ENHANCE_YOUR_CALM after ~200 RPCs;
/// 2. a service config with `waitForReady` and a transparent retry on UNAVAILABLE, so an RPC
///    that still meets a closing connection is retried on a fresh one. Only idempotent methods
///    get the retry: every SetCell carries an explicit timestamp, CreateTable's
///    ALREADY_EXISTS counts as success, and ReadModifyWriteRow/CheckAndMutateRow are left out.
struct BigtableTransports {
    let data: HTTP2ClientTransport.Posix
    let admin: HTTP2ClientTransport.Posix

    /// - Parameter caFile: trust roots for Google's endpoints (PEM bundle); `nil` uses the system store.
    init(endpoint: BigtableConfiguration.Endpoint, caFile: String? = nil) throws {
        switch endpoint {
        case .emulator(let host, let port):
            data = try Self.transport(host: host, port: port, tls: false, caFile: nil)
            admin = try Self.transport(host: host, port: port, tls: false, caFile: nil)
        case .google(let dataHost, let adminHost, let port):
            data = try Self.transport(host: dataHost, port: port, tls: true, caFile: caFile)
            admin = try Self.transport(host: adminHost, port: port, tls: true, caFile: caFile)
        }
    }

    /// TLS with full verification (chain and host name) against the system store or the given CA bundle.
    private static func tls(caFile: String?) -> HTTP2ClientTransport.Posix.TransportSecurity {
        .tls { tls in
            tls.serverCertificateVerification = .fullVerification
            if let caFile { tls.trustRoots = .certificates([.file(path: caFile, format: .pem)]) }
        }
    }

    private static func transport(
        host: String, port: Int, tls: Bool, caFile: String?
    ) throws -> HTTP2ClientTransport.Posix {
        let config = HTTP2ClientTransport.Posix.Config.defaults { config in
            config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
                HTTP2PingResponder.install(on: channel)
            }
            // Reconnect quickly: a dropped connection should cost milliseconds, not the
            // default 1 s first backoff.
            config.backoff = .init(initial: .milliseconds(50), max: .seconds(5), multiplier: 1.6, jitter: 0.2)
            if tls {
                // Google's frontends allow 30 s keepalives and drop idle connections silently;
                // gRPC-Go servers (the emulator) reject pings more often than every 5 min.
                config.connection.keepalive = .init(time: .seconds(30), timeout: .seconds(10), allowWithoutCalls: false)
            }
        }
        return try HTTP2ClientTransport.Posix(
            target: .dns(host: host, port: port),
            transportSecurity: tls ? Self.tls(caFile: caFile) : .plaintext,
            config: config,
            serviceConfig: serviceConfig)
    }

    /// `waitForReady` everywhere; retries on UNAVAILABLE for the idempotent methods only.
    static var serviceConfig: ServiceConfig {
        let retry = RetryPolicy(
            maxAttempts: 5, initialBackoff: .milliseconds(20), maxBackoff: .seconds(1), backoffMultiplier: 2,
            retryableStatusCodes: [.unavailable])
        let dataService = "google.bigtable.v2.Bigtable"
        let retried: [MethodConfig.Name] =
            ["ReadRows", "SampleRowKeys", "MutateRow", "MutateRows", "PingAndWarm"].map {
                MethodConfig.Name(service: dataService, method: $0)
            } + [MethodConfig.Name(service: "google.bigtable.admin.v2.BigtableTableAdmin")]
        let notRetried = ["CheckAndMutateRow", "ReadModifyWriteRow"].map {
            MethodConfig.Name(service: dataService, method: $0)
        }
        return ServiceConfig(methodConfig: [
            MethodConfig(names: retried, waitForReady: true, executionPolicy: .retry(retry)),
            MethodConfig(names: notRetried, waitForReady: true),
        ])
    }
}
