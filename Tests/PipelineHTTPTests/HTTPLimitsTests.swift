import Foundation
import HTTPTestSupport
import PipelineHTTP
import PipelineRuntime
import Testing

/// The limits every outbound exchange runs under, against loopback servers that misbehave on purpose, and the
/// shared `--http-*` options that set them.
@Suite struct HTTPLimitsTests {
    @Test("a chunked body, which announces no size, is cut off at the cap; one under the cap arrives whole")
    func chunkedBodyCap() async throws {
        let chunk = Array(String(format: "%x\r\n", 16 * 1024).utf8) + [UInt8](repeating: 0x62, count: 16 * 1024) + [13, 10]
        let head = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8)
        let big = head + Array(repeating: chunk, count: 16).flatMap { $0 } + Array("0\r\n\r\n".utf8)
        let short = head + Array(repeating: chunk, count: 2).flatMap { $0 } + Array("0\r\n\r\n".utf8)
        let server = try LoopbackServer { request in .raw(request.target == "/big" ? big : short) }
        let client = try TestClient.make(.init(maximumResponseBytes: 64 * 1024))

        let error = await TestClient.failure { () async throws(HTTPClientError) in
            try await client.execute(HTTPClientRequest(url: server.baseURL + "/big"))
        }
        #expect(error?.kind == .tooLarge, "\(String(describing: error))")
        #expect(error?.message.contains("size cap") == true)
        let small = try await client.execute(HTTPClientRequest(url: server.baseURL + "/small"))
        #expect(small.body.count == 32 * 1024)
    }

    @Test("a body that keeps trickling in never resets the total deadline")
    func tricklingBodyHitsTheTotalTimeout() async throws {
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n".utf8)
        let server = try LoopbackServer { _ in .trickle(head, byte: 0x63, interval: .milliseconds(50)) }
        defer { server.stop() }
        let client = try TestClient.make(.init(timeout: .seconds(1)))
        let started = ContinuousClock.now
        let error = await TestClient.failure { () async throws(HTTPClientError) in
            try await client.execute(HTTPClientRequest(url: server.baseURL + "/slowloris"))
        }
        #expect(error?.kind == .timeout, "\(String(describing: error))")
        // Bytes arrived all along, yet the 1 s deadline held: without it the body would take hours. The bound is
        // loose because a loaded CI machine (every suite at once, two cores) has delayed this past 25 s.
        #expect(ContinuousClock.now - started < .seconds(90))
    }

    @Test("a connect that gets no answer fails at the connect deadline, long before the total one")
    func connectTimeout() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        // The total deadline far above the bound below: a loaded CI machine has taken 37 s to report the 300 ms one.
        let client = try TestClient.make(.init(connectTimeout: .milliseconds(300), timeout: .seconds(600)))
        let started = ContinuousClock.now
        let error = await TestClient.failure { () async throws(HTTPClientError) in
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(listener.port)/"))
        }
        #expect(error?.kind == .timeout, "\(String(describing: error))")
        #expect(error?.isRetriable == true)
        #expect(ContinuousClock.now - started < .seconds(120), "the 600 s total deadline, not the connect one, ended it")
    }

    @Test("--http-* flags and HTTP_* variables set the client's CA file, deadlines and body cap")
    func options() throws {
        let reader = ConfigReader(
            arguments: ["--http-ca-file", "/etc/tributary/ca.pem", "--http-max-response-bytes", "2048"],
            environment: ["HTTP_CONNECT_TIMEOUT": "2s", "HTTP_TIMEOUT": "7s"], command: "test", summary: "")
        let options = HTTPOptions.read(from: reader, defaultTimeout: .seconds(10), defaultMaximumResponseBytes: 1 << 20)
        guard case .proceed = try reader.finish() else { Issue.record("help instead of options"); return }
        let configuration = options.configuration()
        #expect(configuration.caFile == "/etc/tributary/ca.pem")
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.timeout == .seconds(7))
        #expect(configuration.maximumResponseBytes == 2048)

        // Without a timeout option the service's own deadline (the base configuration's) stays.
        let extractorLike = ConfigReader(arguments: [], environment: [:], command: "test", summary: "")
        let defaults = HTTPOptions.read(from: extractorLike, defaultTimeout: nil, defaultMaximumResponseBytes: 4096)
        #expect(!extractorLike.helpText().contains("--http-timeout"))
        let kept = defaults.configuration(.init(timeout: .seconds(60)))
        #expect(kept.timeout == .seconds(60))
        #expect(kept.caFile == nil)
        #expect(kept.connectTimeout == .seconds(5))
        #expect(kept.maximumResponseBytes == 4096)

        let bad = ConfigReader(
            arguments: ["--http-max-response-bytes", "10"], environment: [:], command: "test", summary: "")
        _ = HTTPOptions.read(from: bad, defaultTimeout: .seconds(1), defaultMaximumResponseBytes: 4096)
        #expect(throws: ConfigurationError.self) { try bad.finish() }
    }
}

/// A listener whose accept queue is full and that never accepts, so the kernel drops further SYNs: a connect to
/// it hangs the way one to a black-holed address does, but on loopback.
private final class FullBacklogListener {
    let port: Int
    private var descriptors: [Int32] = []

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 0) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        descriptors.append(fd)
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        // Backlog 0 holds one finished handshake; a few more connects fill it and queue up behind it.
        for _ in 0..<3 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
            descriptors.append(filler)
        }
        usleep(100_000)
    }

    func close() { for fd in descriptors { Glibc.close(fd) } }
}
