import Dispatch
import Logging
import Testing

@testable import PipelineRuntime

@Suite("OperationsServer over real loopback sockets", .timeLimit(.minutes(1)))
struct OperationsServerTests {
    /// Starts a server on a free port, runs the body, and always stops the server.
    private func withServer(
        configuration: OperationsServer.Configuration = .init(host: "127.0.0.1", port: 0),
        _ body: (OperationsServer, RawHTTPClient) async throws -> Void
    ) async throws {
        let metrics = MetricsRegistry(service: "test-service", version: "9.9.9")
        let server = OperationsServer(
            configuration: configuration, metrics: metrics,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try server.start()
        let port = try #require(server.port)
        #expect(port > 0)
        do {
            try await body(server, RawHTTPClient(port: port))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("/healthz is 200 ok, then 503 with the reason once unhealthy, then ok again")
    func health() async throws {
        try await self.withServer { server, client in
            let ok = try client.request("GET", "/healthz")
            #expect(ok.status == 200)
            #expect(ok.body == "ok\n")
            server.health.markUnhealthy("kafka", reason: "broker unreachable")
            let bad = try client.request("GET", "/healthz")
            #expect(bad.status == 503)
            #expect(bad.body.contains("kafka: broker unreachable"))
            server.health.markHealthy("kafka")
            #expect(try client.request("GET", "/healthz").status == 200)
            server.health.markShuttingDown()
            let draining = try client.request("GET", "/healthz")
            #expect(draining.status == 503)
            #expect(draining.body.contains("shutting down"))
        }
    }

    /// Runs a blocking request on a Dispatch thread. /livez is answered by a task, so a test that blocked a
    /// cooperative thread waiting for it, beside another test doing the same, could starve a two-thread pool.
    private func request(_ port: Int, _ method: String, _ path: String) async throws -> RawHTTPClient.Response {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try RawHTTPClient(port: port).request(method, path) })
            }
        }
    }

    @Test("/livez stays 200 while /readyz turns 503 (a dependency down, then draining); /healthz answers as /readyz")
    func livenessAndReadiness() async throws {
        try await self.withServer { server, client in
            let port = client.port
            for path in ["/livez", "/readyz", "/healthz"] {
                #expect(try await self.request(port, "GET", path).status == 200, "\(path) while healthy")
            }
            server.health.markUnhealthy("bigtable", reason: "UNAVAILABLE")
            let live = try await self.request(port, "GET", "/livez")
            #expect(live.status == 200)
            #expect(live.body == "alive\n")
            let ready = try await self.request(port, "GET", "/readyz")
            #expect(ready.status == 503)
            #expect(ready.body.contains("bigtable: UNAVAILABLE"))
            let alias = try await self.request(port, "GET", "/healthz")
            #expect(alias.status == ready.status)
            #expect(alias.body == ready.body)
            server.health.markHealthy("bigtable")
            server.health.markShuttingDown()
            #expect(try await self.request(port, "GET", "/livez").status == 200)
            #expect(try await self.request(port, "GET", "/readyz").status == 503)
            #expect(try await self.request(port, "HEAD", "/livez").status == 200)
        }
    }

    @Test("/metrics has the Prometheus content type, swift-metrics counters, process and build metrics")
    func metrics() async throws {
        try await self.withServer { server, client in
            // Recorded through the swift-metrics factory API, without a process-wide bootstrap.
            let counter = server.metrics.factory.makeCounter(
                label: "tributary_test_events_total", dimensions: [("stage", "unit")])
            counter.increment(by: 3)
            let response = try client.request("GET", "/metrics")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.body.contains(#"tributary_test_events_total{stage="unit"} 3"#))
            #expect(response.body.contains(#"tributary_build_info{service="test-service",version="9.9.9"} 1"#))
            #expect(response.body.contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total "))
            #expect(response.body.contains("process_resident_memory_bytes "))
            #expect(response.body.contains("process_start_time_seconds "))
        }
    }

    @Test("unknown paths are 404, wrong methods 405 with Allow, HEAD has no body")
    func statuses() async throws {
        try await self.withServer { _, client in
            #expect(try client.request("GET", "/nope").status == 404)
            let post = try client.request("POST", "/metrics", body: "x")
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET, HEAD")
            let head = try client.request("HEAD", "/healthz")
            #expect(head.status == 200)
            #expect(head.headers["content-length"] == "3")
            #expect(head.body.isEmpty)
        }
    }

    @Test("an oversized header gets 431 and the server keeps serving")
    func oversizedHeader() async throws {
        try await self.withServer { _, client in
            let huge = "GET /healthz HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
            let rejected = try client.send(Array(huge.utf8))
            #expect(rejected.status == 431)
            #expect(try client.request("GET", "/healthz").status == 200)
        }
    }

    @Test("a silent client times out without blocking the next one for long")
    func slowClient() async throws {
        let configuration = OperationsServer.Configuration(
            host: "127.0.0.1", port: 0, readTimeout: .milliseconds(200), requestDeadline: .milliseconds(500))
        try await self.withServer(configuration: configuration) { _, client in
            let partial = try client.send(Array("GET /healthz HTTP/1.1\r\n".utf8))
            #expect(partial.status == 408)
            #expect(try client.request("GET", "/healthz").status == 200)
        }
    }

    @Test("custom POST routes receive path, query and body; prefixes and async handlers work")
    func customRoutes() async throws {
        try await self.withServer { server, client in
            server.register(method: "POST", path: "/topics") { request in
                .json(
                    #"{"created":"\#(request.bodyText)","partitions":"\#(request.queryItems["partitions"] ?? "")"}"#,
                    status: 201)
            }
            server.registerAsync(method: "POST", path: "/faults/*") { request in
                await Task.yield()
                return .text("fault \(request.path.dropFirst("/faults/".count)) body=\(request.bodyText)")
            }
            let created = try client.request("POST", "/topics?partitions=4", body: "events.raw")
            #expect(created.status == 201)
            #expect(created.headers["content-type"] == "application/json")
            #expect(created.body == #"{"created":"events.raw","partitions":"4"}"#)
            let fault = try client.request("POST", "/faults/drop-connections", body: "{}")
            #expect(fault.status == 200)
            #expect(fault.body == "fault drop-connections body={}\n")
            #expect(try client.request("GET", "/topics").status == 405)
        }
    }

    @Test("concurrent scrapes all succeed")
    func concurrentScrapes() async throws {
        try await self.withServer { _, client in
            let statuses = await withTaskGroup(of: Int.self, returning: [Int].self) { group in
                for _ in 0..<16 {
                    group.addTask { (try? client.request("GET", "/metrics").status) ?? -1 }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 16))
        }
    }

    @Test("stop closes the socket and a stopped server refuses to start again")
    func stopCloses() async throws {
        let server = OperationsServer(
            configuration: .init(host: "127.0.0.1", port: 0), metrics: MetricsRegistry(service: "s"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try server.start()
        try server.start()  // idempotent
        let port = try #require(server.port)
        await server.stop()
        #expect(server.port == nil)
        #expect(throws: RawHTTPClient.Failure.self) { try RawHTTPClient(port: port).request("GET", "/healthz") }
        let error = #expect(throws: OperationsServerError.self) { try server.start() }
        #expect(error?.kind == .stopped)
    }

    @Test("binding a busy port fails with a clear error")
    func busyPort() async throws {
        try await self.withServer { server, _ in
            let port = try #require(server.port)
            let second = OperationsServer(
                configuration: .init(host: "127.0.0.1", port: port), metrics: MetricsRegistry(service: "s"),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let error = #expect(throws: OperationsServerError.self) { try second.start() }
            #expect(error?.kind == .bindFailed)
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        }
    }
}

@Suite("HTTPResponse serialisation")
struct HTTPResponseSerializationTests {
    @Test("a truncated response promises the whole body but sends only its head")
    func truncated() {
        let response = HTTPResponse(status: 200, contentType: "application/json", body: Array("{\"a\":1}".utf8),
                                    truncateBodyAt: 3)
        let text = String(decoding: response.serialized(), as: UTF8.self)
        #expect(text.contains("Content-Length: 7\r\n"))
        #expect(text.hasSuffix("\r\n\r\n{\"a"))
        #expect(String(decoding: HTTPResponse.json("{}", status: 429).serialized(), as: UTF8.self)
            .hasPrefix("HTTP/1.1 429 Too Many Requests\r\n"))
    }
}
