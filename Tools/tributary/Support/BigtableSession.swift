import PipelineBigtable
import PipelineRuntime

/// Runs `body` while the client's connections are maintained (its `run()` in a child task), then shuts the client
/// down and waits for it: the one-shot commands' way to use the Bigtable client outside a service group. An error
/// that means "nothing answered" or "no credentials" is turned into one that says where it looked and what to set.
///
/// First a quick TCP look at the endpoint (``TCPProbe``), so a command pointed at nothing says so in seconds.
func withConnected<R: Sendable>(_ client: BigtableClient, _ body: @Sendable () async throws -> R) async throws -> R {
    let endpoint = client.configuration.endpoint
    let (host, port): (String, Int) =
        switch endpoint {
        case .emulator(let host, let port): (host, port)
        case .google(let dataHost, _, let port): (dataHost, port)
        }
    if let failure = TCPProbe.failure(host: host, port: port, timeout: .seconds(5)) {
        throw BigtableReachError(unreachable: endpoint, reason: failure)
    }
    do {
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { client.shutdown() }  // also on the error path, so the child task ends
            let result = try await body()
            client.shutdown()
            try await group.waitForAll()
            return result
        }
    } catch let error as BigtableError {
        throw BigtableReachError(error, endpoint: client.configuration.endpoint) ?? error
    }
}

/// Bigtable could not be reached, or no credentials were found: which endpoint or which sources, and the fix.
struct BigtableReachError: Error, CustomStringConvertible {
    let description: String

    init(unreachable endpoint: BigtableConfiguration.Endpoint, reason: String) {
        switch endpoint {
        case .emulator(let host, let port):
            description = """
                cannot reach the Bigtable emulator at \(host):\(port) (BIGTABLE_EMULATOR_HOST): \(reason); is it \
                running? (`tributary up` starts one)
                """
        case .google(let dataHost, _, let port):
            description = """
                cannot reach Bigtable at \(dataHost):\(port): \(reason); check the network path to Google, or set \
                BIGTABLE_EMULATOR_HOST=host:port for the local emulator
                """
        }
    }

    init?(_ error: BigtableError, endpoint: BigtableConfiguration.Endpoint) {
        let environment = ProcessEnvironment.current()
        if error.kind == .authentication {
            let keyFile = environment["GOOGLE_APPLICATION_CREDENTIALS"].map { "set to \($0)" } ?? "not set"
            let metadata = environment["GCE_METADATA_HOST"] ?? "metadata.google.internal"
            description = """
                no usable Google credentials: tried GOOGLE_APPLICATION_CREDENTIALS (\(keyFile)), then the metadata \
                server (\(metadata)); set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or \
                BIGTABLE_EMULATOR_HOST=host:port for the local emulator (\(error))
                """
            return
        }
        guard let code = error.status?.code, code == .unavailable || code == .deadlineExceeded else { return nil }
        switch endpoint {
        case .emulator(let host, let port):
            description = """
                cannot reach the Bigtable emulator at \(host):\(port) (BIGTABLE_EMULATOR_HOST): is it running? \
                (`tributary up` starts one) (\(error))
                """
        case .google(let dataHost, _, let port):
            description = """
                cannot reach Bigtable at \(dataHost):\(port): check the network path to Google, or set \
                BIGTABLE_EMULATOR_HOST=host:port for the local emulator (\(error))
                """
        }
    }
}
