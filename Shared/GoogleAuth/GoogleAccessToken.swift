/// An OAuth2 access token and when to stop using it.
public struct GoogleAccessToken: Sendable, Equatable {
    /// The bearer token; a secret, never log it.
    public var value: String
    /// `Bearer` for every Google token endpoint.
    public var tokenType: String
    /// When the token expires, on the monotonic clock.
    public var expiresAt: ContinuousClock.Instant

    /// Creates a token.
    public init(value: String, tokenType: String, expiresAt: ContinuousClock.Instant) {
        self.value = value
        self.tokenType = tokenType
        self.expiresAt = expiresAt
    }
}

/// Where tokens come from: a service-account key, the metadata server, or a test double.
public protocol GoogleCredentials: Sendable {
    /// Fetches a fresh token from the source (no caching; ``GoogleAccessTokenSource`` caches).
    /// - Throws: ``GoogleAuthError``.
    func fetchToken() async throws(GoogleAuthError) -> GoogleAccessToken

    /// What to log about these credentials (a service-account email, "metadata server"), never a secret.
    var logDescription: String { get }
}

/// OAuth2 scopes Tributary asks for.
public enum GoogleScopes {
    /// Read and write table data, manage tables: what the Bigtable writer and the query command need.
    public static let bigtable = [
        "https://www.googleapis.com/auth/bigtable.data", "https://www.googleapis.com/auth/bigtable.admin.table",
    ]
}
