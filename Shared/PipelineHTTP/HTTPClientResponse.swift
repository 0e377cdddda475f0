/// A complete HTTP response. Any status is a response, not an error: callers decide what a 404 means.
public struct HTTPClientResponse: Sendable {
    /// The status code of the final response (after any followed redirects).
    public var status: Int
    /// The final response's header fields in arrival order.
    public var headers: HTTPHeaders
    /// The body, at most the request's size cap.
    public var body: [UInt8]

    /// Creates a response (the client builds these; tests and fakes may too).
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8, invalid sequences replaced.
    public var bodyText: String { String(decoding: self.body, as: UTF8.self) }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(self.status) }
}
