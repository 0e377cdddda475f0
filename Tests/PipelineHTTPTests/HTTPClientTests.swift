import HTTPTestSupport
import PipelineHTTP
import Testing

@Suite("HTTPClient against loopback servers", .timeLimit(.minutes(1)))
struct HTTPClientTests {
    @Test("GET sends headers and returns status, multi-valued case-insensitive headers and body")
    func get() async throws {
        let server = try LoopbackServer { request in
            .response(
                status: 200,
                headers: [("X-Echo", request.header("x-token") ?? "-"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")],
                body: Array("path=\(request.target)".utf8))
        }
        let client = try TestClient.make()
        let response = try await client.execute(
            HTTPClientRequest(url: server.baseURL + "/items?limit=2", headers: ["X-Token": "t0ken"]))
        #expect(response.status == 200)
        #expect(response.bodyText == "path=/items?limit=2")
        #expect(response.headers["x-echo"] == "t0ken")
        #expect(response.headers["X-ECHO"] == "t0ken")
        #expect(response.headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        let received = try #require(server.requests.first)
        #expect(received.method == "GET")
        #expect(received.header("user-agent") == "tributary/1")
    }

    @Test("POST, PUT and DELETE send method, body and content type; statuses are responses, not errors")
    func postPutDelete() async throws {
        let server = try LoopbackServer { request in
            .response(
                status: request.method == "DELETE" ? 404 : 201,
                headers: [("Content-Type", request.header("content-type") ?? "none")],
                body: Array("\(request.method):\(request.bodyText)".utf8))
        }
        let client = try TestClient.make()
        let body = String(repeating: "x", count: 5000)  // above libcurl's 1 KiB `Expect: 100-continue` threshold
        let post = try await client.execute(
            HTTPClientRequest(
                method: .post, url: server.baseURL + "/post", headers: ["Content-Type": "application/json"],
                body: Array(body.utf8)))
        #expect(post.status == 201)
        #expect(post.bodyText == "POST:" + body)
        #expect(post.headers["content-type"] == "application/json")
        let put = try await client.execute(
            HTTPClientRequest(method: .put, url: server.baseURL + "/put", body: Array("v".utf8)))
        #expect(put.bodyText == "PUT:v")
        let delete = try await client.execute(HTTPClientRequest(method: .delete, url: server.baseURL + "/d"))
        #expect(delete.status == 404)
        #expect(delete.bodyText == "DELETE:")
        let emptyPost = try await client.execute(HTTPClientRequest(method: .post, url: server.baseURL + "/e"))
        #expect(emptyPost.bodyText == "POST:")
        #expect(server.requests.allSatisfy { $0.header("expect") == nil })
    }

    @Test("a body over the cap aborts with tooLarge, whether announced by Content-Length or streamed")
    func bodyCap() async throws {
        let big = [UInt8](repeating: 0x61, count: 256 * 1024)
        let streamed = Array("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".utf8) + big
        let server = try LoopbackServer { request in
            request.target == "/announced" ? .response(status: 200, body: big) : .raw(streamed)
        }
        let client = try TestClient.make(.init(maximumResponseBytes: 64 * 1024))
        for path in ["/announced", "/streamed"] {
            let error = await TestClient.failure { () async throws(HTTPClientError) in
                try await client.execute(HTTPClientRequest(url: server.baseURL + path))
            }
            #expect(error?.kind == .tooLarge, "\(path): \(String(describing: error))")
            #expect(error?.isRetriable == false)
        }
        // A per-request cap overrides the client's.
        let allowed = try await client.execute(
            HTTPClientRequest(url: server.baseURL + "/announced", maximumResponseBytes: big.count))
        #expect(allowed.body.count == big.count)
    }

    @Test("a server that never answers hits the total timeout, bounded")
    func totalTimeout() async throws {
        let server = try LoopbackServer { _ in .hang }
        let client = try TestClient.make()
        let started = ContinuousClock.now
        let error = await TestClient.failure { () async throws(HTTPClientError) in
            try await client.execute(HTTPClientRequest(url: server.baseURL + "/slow", timeout: .seconds(1)))
        }
        let elapsed = ContinuousClock.now - started
        #expect(error?.kind == .timeout)
        #expect(error?.isRetriable == true)
        // Bounded by the 1 s timeout, not by the server: the upper bound leaves room for a loaded machine.
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("a body shorter than its Content-Length is a retriable protocol error")
    func truncatedBody() async throws {
        let server = try LoopbackServer { _ in
            .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\nonly this".utf8))
        }
        let client = try TestClient.make()
        let error = await TestClient.failure { () async throws(HTTPClientError) in
            try await client.execute(HTTPClientRequest(url: server.baseURL + "/t"))
        }
        #expect(error?.kind == .protocol)
        #expect(error?.curlCode == 18)  // CURLE_PARTIAL_FILE
        #expect(error?.isRetriable == true)
    }

    @Test("cancelling the task removes the transfer and throws cancelled at once")
    func cancellation() async throws {
        let server = try LoopbackServer { _ in .hang }
        let client = try TestClient.make()
        let url = server.baseURL + "/wait"
        let task = Task {
            await TestClient.failure { () async throws(HTTPClientError) in
                try await client.execute(HTTPClientRequest(url: url, timeout: .seconds(30)))
            }
        }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let started = ContinuousClock.now
        task.cancel()
        let error = await task.value
        // Far below the request's 30 s timeout: the cancellation, not the timeout, ended it.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(error?.kind == .cancelled)

        // A task cancelled before it starts never sends anything.
        let before = server.requests.count
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await TestClient.failure { () async throws(HTTPClientError) in
                try await client.execute(HTTPClientRequest(url: url))
            }
        }
        #expect(await early.value?.kind == .cancelled)
        #expect(server.requests.count == before)
    }

    @Test("fifty concurrent requests all complete, in parallel")
    func concurrency() async throws {
        let server = try LoopbackServer { request in .delayed(.milliseconds(200), .text("echo \(request.target)")) }
        let client = try TestClient.make()
        let started = ContinuousClock.now
        let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<50 {
                group.addTask {
                    (index, try await client.execute(HTTPClientRequest(url: server.baseURL + "/\(index)")).bodyText)
                }
            }
            var bodies: [Int: String] = [:]
            for try await (index, body) in group { bodies[index] = body }
            return bodies
        }
        #expect(bodies.count == 50)
        #expect((0..<50).allSatisfy { bodies[$0] == "echo /\($0)" })
        // Sequentially this would take 10 s.
        // One after another they would take 50 × 200 ms = 10 s.
        #expect(ContinuousClock.now - started < .seconds(8))
    }

    @Test("bad URLs, schemes and headers fail with typed errors before anything is sent")
    func invalidRequests() async throws {
        let client = try TestClient.make()
        for url in ["ftp://127.0.0.1/file", "file:///etc/passwd", "not a url", "http://"] {
            let error = await TestClient.failure { () async throws(HTTPClientError) in
                try await client.execute(HTTPClientRequest(url: url))
            }
            #expect(error?.kind == .invalidURL, "\(url): \(String(describing: error))")
        }
        let injected = await TestClient.failure { () async throws(HTTPClientError) in
            try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:1/", headers: ["X-Evil": "a\r\nHost: elsewhere"]))
        }
        #expect(injected?.kind == .invalidRequest)
    }

    @Test("a refused connection is a retriable connect error")
    func connectionRefused() async throws {
        let client = try TestClient.make()
        let error = await TestClient.failure { () async throws(HTTPClientError) in
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error?.kind == .connect)
        #expect(error?.isRetriable == true)
    }

    @Test("redirects are not followed by default")
    func redirectsOff() async throws {
        let server = try LoopbackServer { _ in .response(status: 302, headers: [("Location", "http://127.0.0.1:1/x")]) }
        let client = try TestClient.make()
        let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/r"))
        #expect(response.status == 302)
        #expect(response.headers["location"] == "http://127.0.0.1:1/x")
    }
}
