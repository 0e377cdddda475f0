import PipelineHTTP
import PipelineRuntime

/// HTTP from the other side: response headers the HTTP client reads (`Retry-After`, each header line) and
/// requests the operations server (`/metrics`, `/healthz`, fault injection) reads from anyone who connects.
enum HTTPFuzzTargets {
    static let all = [retryAfter, headerLine, operationsRequest]

    /// A fixed "now" (2026-12-01), so date-form delays are deterministic.
    static let nowSeconds: Int64 = 1_796_083_200

    static let retryAfter = FuzzTarget(
        name: "http.retry-after", summary: "RetryAfter.delay on a Retry-After value (delay-seconds or HTTP-date)",
        seeds: FuzzTarget.utf8([
            "120", " 0 ", "Fri, 31 Dec 1999 23:59:59 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
            "Tue, 01 Dec 2026 00:00:30 GMT", "99999999999999999999999",
        ]),
        tokens: FuzzTarget.utf8(["GMT", "Mon", "Feb", ", ", ":", "-", "60", "1970", "9999", "00:00:00"]),
        maximumInputBytes: 256
    ) { bytes in
        .optional(
            RetryAfter.delay(from: String(decoding: bytes, as: UTF8.self), now: nowSeconds), kind: "unreadable",
            meaning: "neither delay-seconds nor an HTTP-date: the retry policy's own backoff applies",
            contract: { $0 >= .zero ? nil : "a negative delay" })
    }

    static let headerLine = FuzzTarget(
        name: "http.header-line", summary: "HTTPHeaderLine on one response header line from libcurl",
        seeds: FuzzTarget.utf8([
            "HTTP/1.1 503 Service Unavailable\r\n", "Retry-After: 120\r\n", "Sforce-Limit-Info: api-usage=1/15000\r\n",
            "Content-Type:application/json;charset=UTF-8\r\n", "X-Empty:\r\n",
        ]),
        maximumInputBytes: 1024
    ) { bytes in
        let line = bytes.withUnsafeBytes { HTTPHeaderLine($0) }
        switch line {
        case .statusLine: return .accepted
        case .ignored:
            return .rejection(kind: "ignored", message: "not a status line or a field with a name: skipped")
        case .field(let name, let value):
            let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            guard !name.isEmpty, let first = name.first, let last = name.last, !isSpace(first), !isSpace(last) else {
                return .failed("a field name that is empty or untrimmed")
            }
            if let first = value.first, let last = value.last, isSpace(first) || isSpace(last) {
                return .failed("a field value that is untrimmed")
            }
            return .accepted
        }
    }

    /// A request fed whole, and again in two reads split inside it: both parsers must agree (the server reads
    /// whatever the socket gives).
    static let operationsRequest = FuzzTarget(
        name: "http.operations-request", summary: "HTTPRequestParser (operations server) on request bytes",
        seeds: FuzzTarget.utf8([
            "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9090\r\nAccept: */*\r\n\r\n",
            "POST /faults/drop?rate=0.5 HTTP/1.0\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
            "GET /healthz HTTP/1.1\r\n\r\n",
        ]),
        tokens: FuzzTarget.utf8([
            "\r\n", "\r\n\r\n", "Content-Length: ", "Transfer-Encoding: chunked", "HTTP/1.1", "HTTP/2", " /", "?", "GET ",
            "Content-Length: 99999999999999999999\r\n", "Content-Length: 1\r\nContent-Length: 2\r\n",
        ]),
        maximumInputBytes: 2048
    ) { bytes in
        // Limits below the input size, so inputs reach them (the server's are 8 KiB and 1 MiB).
        let limits = HTTPLimits(maxHeaderBytes: 1024, maxBodyBytes: 512)
        var whole = HTTPRequestParser(limits: limits)
        let outcome = whole.consume(bytes)
        var split = HTTPRequestParser(limits: limits)
        let cut = bytes.count / 3
        var splitOutcome = split.consume(bytes[..<cut])
        if splitOutcome == .needMoreData { splitOutcome = split.consume(bytes[cut...]) }
        guard splitOutcome == outcome else { return .failed("the request read in two parts parses differently") }
        switch outcome {
        case .complete: return .accepted
        case .needMoreData:
            return .rejection(kind: "incomplete", message: "no blank line or not all of the body yet: the server reads on")
        case .reject(let status, let reason):
            return .rejection(kind: "status \(status)", message: reason)
        }
    }
}
