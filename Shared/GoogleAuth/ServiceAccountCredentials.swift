public import PipelineHTTP

/// Tokens for a service account from its JSON key file: a signed JWT traded at the key's `token_uri`.
public struct ServiceAccountCredentials: GoogleCredentials {
    private let key: ServiceAccountKey
    private let scopes: [String]
    private let client: HTTPClient
    private let retrier: HTTPRetrier
    private let wallClockSeconds: @Sendable () -> Int64

    /// Loads the key file now, so a bad file fails at start-up rather than at the first write.
    /// - Parameters:
    ///   - keyFile: Path of the JSON key (what `GOOGLE_APPLICATION_CREDENTIALS` names).
    ///   - scopes: OAuth2 scopes for the token; Bigtable data and table admin by default.
    ///   - client: The HTTP client to reach the token endpoint with.
    ///   - retrier: Retries for transient failures and 429/5xx; minting a token twice is harmless.
    ///   - wallClockSeconds: Seconds since the epoch for the JWT's `iat` (injected by tests).
    /// - Throws: ``GoogleAuthError`` `invalidKeyFile` or `unsupportedCredentials`.
    public init(
        keyFile: String, scopes: [String] = GoogleScopes.bigtable, client: HTTPClient,
        retrier: HTTPRetrier = HTTPRetrier(policy: RetryPolicy(maximumAttempts: 3, retryServerErrors: true)),
        wallClockSeconds: @escaping @Sendable () -> Int64 = HTTPRetrier.systemWallClockSeconds
    ) throws(GoogleAuthError) {
        self.key = try ServiceAccountKey.load(path: keyFile)
        self.scopes = scopes
        self.client = client
        self.retrier = retrier
        self.wallClockSeconds = wallClockSeconds
    }

    /// The service account's email.
    public var logDescription: String { "service account \(self.key.clientEmail)" }

    /// Signs a fresh assertion and exchanges it at `token_uri`.
    /// - Throws: ``GoogleAuthError``: `signing`, `transport`, `rejected` (a 401/403, such as a revoked key),
    ///   `badStatus` or `invalidResponse`.
    public func fetchToken() async throws(GoogleAuthError) -> GoogleAccessToken {
        let assertion = try JWTAssertion.make(key: self.key, scopes: self.scopes, issuedAt: self.wallClockSeconds())
        let body = FormEncoding.encode([
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion),
        ])
        let request = HTTPClientRequest(
            method: .post, url: self.key.tokenURI,
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"], body: body,
            timeout: .seconds(15), maximumResponseBytes: 64 * 1024, target: "google-oauth")
        let response: HTTPClientResponse
        do {
            response = try await self.client.execute(request, retrier: self.retrier)
        } catch {
            throw .transport(error)
        }
        return try TokenResponse.parse(response, receivedAt: .now, endpoint: "the token endpoint")
    }
}
