import Testing

@testable import PipelineRuntime

@Suite("HTTPRequestParser")
struct HTTPRequestParserTests {
    private func feed(_ text: String, limits: HTTPLimits = HTTPLimits(), chunk: Int = .max)
        -> HTTPRequestParser.Outcome
    {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = HTTPRequestParser.Outcome.needMoreData
        var bytes = Array(text.utf8)[...]
        repeat {
            outcome = parser.consume(bytes.prefix(chunk))
            bytes = bytes.dropFirst(chunk)
        } while outcome == .needMoreData && !bytes.isEmpty
        return outcome
    }

    @Test("parses method, path, query, headers and a body, even byte by byte")
    func parsesIncrementally() {
        let text = "POST /faults/drop?count=2&x=a%20b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        for chunk in [1, 7, .max] {
            guard case .complete(let request) = self.feed(text, chunk: chunk) else {
                Issue.record("incomplete with chunk \(chunk)")
                continue
            }
            #expect(request.method == "POST")
            #expect(request.path == "/faults/drop")
            #expect(request.queryItems == ["count": "2", "x": "a b"])
            #expect(request.header("HOST") == "x")
            #expect(request.bodyText == "hello")
        }
    }

    @Test("waits for the whole body")
    func waitsForBody() {
        #expect(self.feed("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort") == .needMoreData)
    }

    @Test(
        "rejects what it does not support",
        arguments: [
            ("GET /x HTTP/2.0\r\n\r\n", 505),
            ("GET http://x/ HTTP/1.1\r\n\r\n", 400),
            ("get / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
            ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413),
        ])
    func rejects(text: String, status: Int) {
        guard case .reject(let got, _) = self.feed(text) else {
            Issue.record("accepted \(text.debugDescription)")
            return
        }
        #expect(got == status)
    }

    @Test("an oversized head is rejected without waiting for its end")
    func oversizedHead() {
        let limits = HTTPLimits(maxHeaderBytes: 64)
        let text = "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 100)
        guard case .reject(let status, _) = self.feed(text, limits: limits, chunk: 10) else {
            Issue.record("not rejected")
            return
        }
        #expect(status == 431)
    }
}
