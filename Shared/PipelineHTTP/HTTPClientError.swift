/// The one error type of the HTTP layer: what went wrong, libcurl's code, and whether a retry may help.
///
/// Messages never contain the request URL's path or query (they may be secrets); at most scheme and host.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Broad classes a caller branches on; ``curlCode`` keeps the exact libcurl value for logs.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// DNS, TCP or proxy connection failed.
        case connect
        /// The connect or total deadline passed.
        case timeout
        /// TLS handshake or certificate verification failed.
        case tls
        /// The response body (or header block) exceeded its cap.
        case tooLarge
        /// The calling task was cancelled or the client shut down.
        case cancelled
        /// The URL is malformed or uses a scheme other than http/https.
        case invalidURL
        /// The request itself is unusable (a header with CR/LF, for example).
        case invalidRequest
        /// The peer broke HTTP: truncated body, garbage reply, reset mid-transfer.
        case `protocol`
        /// Anything else libcurl reports (out of memory, internal errors).
        case other
    }

    public var kind: Kind
    /// libcurl's `CURLcode` (0 when the error is ours, as for a cancellation).
    public var curlCode: Int32
    /// What happened, without secrets.
    public var message: String
    /// A fresh attempt may succeed (connection and timeout failures, a peer that dropped the connection).
    public var isRetriable: Bool

    /// Creates an error.
    public init(kind: Kind, curlCode: Int32 = 0, message: String, isRetriable: Bool? = nil) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
        self.isRetriable = isRetriable ?? Self.defaultRetriable(kind)
    }

    public var description: String {
        self.curlCode == 0 ? "\(self.kind): \(self.message)" : "\(self.kind) (curl \(self.curlCode)): \(self.message)"
    }

    /// The error for a cancelled request.
    public static let cancelled = HTTPClientError(kind: .cancelled, message: "the request was cancelled")

    private static func defaultRetriable(_ kind: Kind) -> Bool {
        switch kind {
        case .connect, .timeout, .protocol: true
        case .tls, .tooLarge, .cancelled, .invalidURL, .invalidRequest, .other: false
        }
    }
}
