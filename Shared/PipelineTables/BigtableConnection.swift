import GoogleAuth
public import Logging
public import PipelineBigtable
import PipelineHTTP
import PipelineRuntime

/// Builds the Bigtable client a service uses: plaintext to the emulator, or TLS to Google with Application
/// Default Credentials (a service-account key in `GOOGLE_APPLICATION_CREDENTIALS`, else the metadata server).
public enum BigtableConnection {
    public static func client(options: BigtableOptions, logger: Logger) throws -> BigtableClient {
        let configuration = try options.configuration()
        guard !configuration.endpoint.isEmulator else {
            return try BigtableClient(configuration: configuration, logger: logger)
        }
        let source = try GoogleAccessTokenSource.applicationDefault(
            environment: ProcessEnvironment.current(), scopes: GoogleScopes.bigtable,
            client: try HTTPClient(logger: logger), logger: logger)
        return try BigtableClient(configuration: configuration, accessTokenProvider: source, logger: logger)
    }
}

extension GoogleAccessTokenSource: BigtableAccessTokenProvider {}
