public import PipelineHTTP

/// Tokens for the workload's own service account from the GCE/GKE metadata server.
public struct MetadataServerCredentials: GoogleCredentials {
    /// The metadata server's host, which Google's libraries also use unless `GCE_METADATA_HOST` overrides it.
    public static let defaultHost = "metadata.google.internal"

    private let url: String
    private let client: HTTPClient
    private let retrier: HTTPRetrier

    /// Creates credentials; nothing is contacted until the first token is needed.
    /// - Parameters:
    ///   - host: `host` or `host:port` of the metadata server (the value of `GCE_METADATA_HOST` when set).
    ///   - scopes: Scopes to ask for; `nil` takes the scopes the instance was granted (GCE ignores the parameter
    ///     for the default account, GKE Workload Identity honours it).
    ///   - client: The HTTP client.
    ///   - retrier: Retries for transient failures; the metadata server is local and quick.
    public init(
        host: String = MetadataServerCredentials.defaultHost, scopes: [String]? = nil, client: HTTPClient,
        retrier: HTTPRetrier = HTTPRetrier(policy: RetryPolicy(maximumAttempts: 3, retryServerErrors: true))
    ) {
        var url = "http://\(host)/computeMetadata/v1/instance/service-accounts/default/token"
        if let scopes, !scopes.isEmpty { url += "?scopes=" + FormEncoding.component(scopes.joined(separator: ",")) }
        self.url = url
        self.client = client
        self.retrier = retrier
    }

    public var logDescription: String { "metadata server \(URLRedaction.redact(self.url))" }

    /// Asks the metadata server for the default service account's token.
    /// - Throws: ``GoogleAuthError``: `transport` (not on GCP, server down), `rejected`, `badStatus`,
    ///   `invalidResponse`.
    public func fetchToken() async throws(GoogleAuthError) -> GoogleAccessToken {
        let request = HTTPClientRequest(
            url: self.url, headers: ["Metadata-Flavor": "Google"], timeout: .seconds(10),
            connectTimeout: .seconds(3), maximumResponseBytes: 64 * 1024, target: "gce-metadata")
        let response: HTTPClientResponse
        do {
            response = try await self.client.execute(request, retrier: self.retrier)
        } catch {
            throw .transport(error)
        }
        return try TokenResponse.parse(response, receivedAt: .now, endpoint: "the metadata server")
    }
}
