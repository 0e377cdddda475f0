public import PipelineHTTP

/// The one error type of Google authentication: what failed, the HTTP status when there was one, and whether a
/// later attempt may succeed. Messages never contain key material or tokens.
public struct GoogleAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Broad classes a caller branches on.
    public enum Kind: String, Sendable, Equatable {
        /// The service-account key file is missing, unreadable, not JSON, or lacks a usable key.
        case invalidKeyFile
        /// The credentials are of a type this library does not handle (for example `authorized_user`).
        case unsupportedCredentials
        /// Signing the JWT failed.
        case signing
        /// The token request failed in transport; ``transport`` has the HTTP error.
        case transport
        /// The token endpoint refused the credentials (401 or 403).
        case rejected
        /// The token endpoint answered with another non-2xx status.
        case badStatus
        /// The answer was not the expected token JSON.
        case invalidResponse
    }

    public var kind: Kind
    /// The token endpoint's HTTP status, when it answered.
    public var status: Int?
    /// What happened, without secrets.
    public var message: String
    /// The HTTP layer's error for ``Kind/transport``.
    public var transport: HTTPClientError?
    /// A later attempt may succeed (transport failures that are retriable, 429, 5xx).
    public var isRetriable: Bool

    /// Creates an error.
    public init(
        kind: Kind, status: Int? = nil, message: String, transport: HTTPClientError? = nil, isRetriable: Bool = false
    ) {
        self.kind = kind
        self.status = status
        self.message = message
        self.transport = transport
        self.isRetriable = isRetriable
    }

    public var description: String {
        self.status.map { "\(self.kind) (HTTP \($0)): \(self.message)" } ?? "\(self.kind): \(self.message)"
    }

    /// Wraps a transport failure.
    static func transport(_ error: HTTPClientError) -> GoogleAuthError {
        GoogleAuthError(
            kind: .transport, message: "token request failed: \(error)", transport: error,
            isRetriable: error.isRetriable)
    }
}
