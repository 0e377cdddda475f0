/// One HTTP request: what to send and how long to wait for it.
///
/// The URL may hold secrets (a Slack webhook's path, a query token), so the client never logs it whole; callers
/// log ``redactedURL`` instead.
public struct HTTPClientRequest: Sendable {
    /// The method; `GET` by default.
    public var method: HTTPMethod
    /// The absolute `http://` or `https://` URL.
    public var url: String
    /// Header fields to send. `Content-Length` and `Host` are set by the client.
    public var headers: HTTPHeaders
    /// The body to send; empty sends none (a `POST` then sends `Content-Length: 0`).
    public var body: [UInt8]
    /// The whole exchange's deadline (connect, send, wait, receive); `nil` uses the client's default.
    public var timeout: Duration?
    /// The connect phase's deadline (DNS, TCP, TLS); `nil` uses the client's default.
    public var connectTimeout: Duration?
    /// The most body bytes accepted; `nil` uses the client's default.
    /// More aborts with ``HTTPClientError/Kind/tooLarge``.
    public var maximumResponseBytes: Int?
    /// A bounded metric label naming the remote system (`"salesforce"`, `"slack"`); never derived from the URL.
    public var target: String

    /// Creates a request.
    public init(
        method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
        timeout: Duration? = nil, connectTimeout: Duration? = nil, maximumResponseBytes: Int? = nil,
        target: String = "default"
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.target = target
    }

    /// The URL without path, query or credentials, safe for logs: `https://hooks.slack.com/…`.
    public var redactedURL: String { URLRedaction.redact(self.url) }
}
