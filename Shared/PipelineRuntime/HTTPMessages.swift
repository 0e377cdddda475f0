/// A parsed request to the operations endpoint.
public struct HTTPRequest: Sendable, Equatable {
    /// The method, upper case as sent (`GET`, `POST`).
    public var method: String
    /// The path without the query, for example `/faults/drop`.
    public var path: String
    /// The raw query after `?`, if any.
    public var query: String?
    /// Header fields in arrival order; names lowercased.
    public var headers: [(name: String, value: String)]
    /// The body (bounded by the server's limit).
    public var body: [UInt8]

    /// Creates a request.
    public init(
        method: String, path: String, query: String? = nil, headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first header with this (case-insensitive) name.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return self.headers.first { $0.name == lowered }?.value
    }

    /// The query's `name=value` pairs, percent-decoded (`+` is a space); later duplicates win.
    public var queryItems: [String: String] {
        guard let query else { return [:] }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(parts[0])
            items[name] = parts.count > 1 ? PercentDecoding.decode(parts[1]) : ""
        }
        return items
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var bodyText: String { String(decoding: self.body, as: UTF8.self) }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// A response from a route handler.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// The `Content-Type` header.
    public var contentType: String
    /// Extra headers; `Content-Length` and `Connection` are added by the server.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]
    /// Fault injection for test servers: announce the whole body in `Content-Length` but send only this many
    /// bytes of it before closing, as a connection cut mid-response looks to the client.
    public var truncateBodyAt: Int?

    /// Creates a response.
    public init(
        status: Int, contentType: String, headers: [(name: String, value: String)] = [], body: [UInt8],
        truncateBodyAt: Int? = nil
    ) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
        self.truncateBodyAt = truncateBodyAt
    }

    /// A `text/plain` response; a trailing newline is added when missing so `curl` output looks right.
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        let body = text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        return HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(body.utf8))
    }

    /// An `application/json` response from already encoded JSON text.
    public static func json(_ json: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", body: Array(json.utf8))
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.contentType == rhs.contentType && lhs.body == rhs.body
            && lhs.truncateBodyAt == rhs.truncateBodyAt
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    /// The response's bytes on the wire, always with `Connection: close` (one request per connection).
    /// - Parameter includeBody: `false` for `HEAD`, which keeps `Content-Length` but sends no body.
    func serialized(includeBody: Bool = true) -> [UInt8] {
        var head = "HTTP/1.1 \(self.status) \(HTTPStatus.reason(self.status))\r\n"
        head += "Content-Type: \(self.contentType)\r\nContent-Length: \(self.body.count)\r\nConnection: close\r\n"
        for (name, value) in self.headers where !Self.isFramingHeader(name) {
            head += "\(HeaderSanitizing.token(name)): \(HeaderSanitizing.value(value))\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes += self.body.prefix(max(0, self.truncateBodyAt ?? self.body.count)) }
        return bytes
    }

    private static func isFramingHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "content-length" || lowered == "connection" || lowered == "transfer-encoding"
            || lowered == "content-type"
    }
}

/// Reason phrases for the statuses the server and its handlers use.
enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}

/// Keeps handler-supplied header names and values from injecting extra header lines.
enum HeaderSanitizing {
    static func token(_ name: String) -> String {
        String(name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }

    static func value(_ value: String) -> String {
        String(value.filter { $0 != "\r" && $0 != "\n" })
    }
}

/// `%XX` and `+` decoding for query strings.
enum PercentDecoding {
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
