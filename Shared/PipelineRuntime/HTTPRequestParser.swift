/// Size limits for requests to the operations endpoint.
public struct HTTPLimits: Sendable, Equatable {
    /// The request line plus headers; larger heads get `431`.
    public var maxHeaderBytes: Int
    /// The body; larger `Content-Length` gets `413`.
    public var maxBodyBytes: Int

    /// Creates limits; the defaults (8 KiB head, 1 MiB body) suit scrapes and small control requests.
    public init(maxHeaderBytes: Int = 8 * 1024, maxBodyBytes: Int = 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}

/// An incremental HTTP/1.x request parser with hard limits, free of I/O so it can be tested byte by byte.
///
/// Supports exactly what the operations endpoint needs: one request per connection, an origin-form target and a
/// `Content-Length` body. Chunked bodies are refused with `501` rather than half-supported. Package-visible so
/// the fuzz suite can feed it bytes.
package struct HTTPRequestParser {
    /// What to do after feeding bytes.
    package enum Outcome: Equatable {
        /// Read more bytes.
        case needMoreData
        /// A whole request arrived.
        case complete(HTTPRequest)
        /// The request is invalid or too large: answer with this status and close.
        case reject(status: Int, reason: String)
    }

    let limits: HTTPLimits
    private var buffer: [UInt8] = []
    /// Where the `\r\n\r\n` search resumes, so bytes are not rescanned after every read.
    private var searchFrom = 0
    private var head: (request: HTTPRequest, bodyStart: Int, bodyLength: Int)?

    package init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Feeds bytes read from the connection.
    package mutating func consume(_ bytes: some Collection<UInt8>) -> Outcome {
        self.buffer.append(contentsOf: bytes)
        if self.head == nil {
            guard let headEnd = self.findHeadEnd() else {
                if self.buffer.count > self.limits.maxHeaderBytes {
                    return .reject(
                        status: 431, reason: "request header larger than \(self.limits.maxHeaderBytes) bytes")
                }
                return .needMoreData
            }
            if headEnd > self.limits.maxHeaderBytes {
                return .reject(status: 431, reason: "request header larger than \(self.limits.maxHeaderBytes) bytes")
            }
            switch self.parseHead(self.buffer[..<(headEnd - 4)]) {
            case .success(let parsed):
                self.head = (parsed.request, headEnd, parsed.bodyLength)
            case .failure(let rejection):
                return .reject(status: rejection.status, reason: rejection.reason)
            }
        }
        guard let head = self.head else { return .needMoreData }
        guard self.buffer.count - head.bodyStart >= head.bodyLength else { return .needMoreData }
        var request = head.request
        request.body = Array(self.buffer[head.bodyStart..<(head.bodyStart + head.bodyLength)])
        return .complete(request)
    }

    /// The index just past `\r\n\r\n`, if present.
    private mutating func findHeadEnd() -> Int? {
        let crlfcrlf: [UInt8] = [13, 10, 13, 10]
        var index = max(0, self.searchFrom - 3)
        while index + 4 <= self.buffer.count {
            if self.buffer[index] == 13, self.buffer[index..<(index + 4)].elementsEqual(crlfcrlf) {
                return index + 4
            }
            index += 1
        }
        self.searchFrom = self.buffer.count
        return nil
    }

    private struct Rejection: Error {
        var status: Int
        var reason: String
    }

    private func parseHead(_ bytes: ArraySlice<UInt8>) -> Result<(request: HTTPRequest, bodyLength: Int), Rejection> {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else {
            return .failure(Rejection(status: 400, reason: "empty request"))
        }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            return .failure(Rejection(status: 400, reason: "malformed request line"))
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .failure(Rejection(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are supported"))
        }
        guard parts[1].hasPrefix("/") else {
            return .failure(Rejection(status: 400, reason: "request target must be a path"))
        }
        let target = parts[1]
        let path = target.prefix(while: { $0 != "?" })
        let query = path.count < target.count ? String(target[target.index(after: path.endIndex)...]) : nil

        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                !line[..<colon].contains(where: { $0 == " " || $0 == "\t" })
            else { return .failure(Rejection(status: 400, reason: "malformed header line")) }
            let value = line[line.index(after: colon)...].trimmingSpacesAndTabs()
            headers.append((String(line[..<colon]).lowercased(), value))
        }

        if headers.contains(where: { $0.name == "transfer-encoding" }) {
            return .failure(Rejection(status: 501, reason: "chunked request bodies are not supported"))
        }
        let lengths = Set(headers.filter { $0.name == "content-length" }.map(\.value))
        var bodyLength = 0
        if !lengths.isEmpty {
            guard lengths.count == 1, let only = lengths.first, !only.isEmpty, only.utf8.count <= 18,
                only.allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(only)
            else { return .failure(Rejection(status: 400, reason: "invalid Content-Length")) }
            guard length <= self.limits.maxBodyBytes else {
                return .failure(Rejection(status: 413, reason: "body larger than \(self.limits.maxBodyBytes) bytes"))
            }
            bodyLength = length
        }
        let request = HTTPRequest(method: String(parts[0]), path: String(path), query: query, headers: headers)
        return .success((request, bodyLength))
    }
}

extension Substring {
    /// The text without surrounding spaces and tabs, as a `String`.
    func trimmingSpacesAndTabs() -> String {
        String(self).trimmingSpaces()
    }
}
