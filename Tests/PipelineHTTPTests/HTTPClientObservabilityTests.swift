import HTTPTestSupport
import InMemoryLogging
import Logging
import MetricsTestKit
import PipelineHTTP
import Testing

@Suite("HTTPClient logs and metrics", .timeLimit(.minutes(1)))
struct HTTPClientObservabilityTests {
    /// A Slack-style webhook path: the secret is the path itself.
    private static let secretPath = "/services/T000SECRET/B000SECRET/XXXXsecretXXXX"

    @Test("failed requests are logged with the redacted URL only; errors never quote the path")
    func noSecretsInLogs() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in logs })
        logger.logLevel = .trace
        let client = try HTTPClient(logger: logger, metricsFactory: TestMetrics())
        let hanging = try LoopbackServer { _ in .hang }
        let truncating = try LoopbackServer { _ in .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab".utf8)) }
        let urls = [
            "http://127.0.0.1:1" + Self.secretPath + "?token=abc",  // refused
            hanging.baseURL + Self.secretPath,  // timeout
            truncating.baseURL + Self.secretPath,  // protocol
            "http://user:pa55@127.0.0.1:1" + Self.secretPath,  // credentials in the authority
        ]
        var errors: [HTTPClientError] = []
        for url in urls {
            do {
                _ = try await client.execute(HTTPClientRequest(url: url, timeout: .milliseconds(500), target: "slack"))
            } catch {
                errors.append(error)
            }
        }
        #expect(errors.count == urls.count)
        let entries = logs.entries
        #expect(entries.count == urls.count)
        for entry in entries {
            let line = "\(entry.message) \(entry.metadata)"
            #expect(!line.contains("SECRET"), "log line leaks the path: \(line)")
            #expect(!line.contains("token=abc"))
            #expect(!line.contains("pa55"))
            #expect(entry.metadata["http.url"]?.description.hasSuffix("/…") == true)
        }
        for error in errors {
            #expect(!error.description.contains("SECRET"), "error leaks the path: \(error)")
        }
    }

    @Test("redactedURL keeps scheme, host and port only")
    func redaction() {
        #expect(URLRedaction.redact("https://hooks.slack.com/services/T/B/x") == "https://hooks.slack.com/…")
        #expect(URLRedaction.redact("HTTP://u:p@Example.com:8080/a?b#c") == "http://Example.com:8080/…")
        #expect(URLRedaction.redact("https://example.com") == "https://example.com/")
        #expect(URLRedaction.redact("https://example.com/") == "https://example.com/")
        #expect(URLRedaction.redact("https://example.com?token=1") == "https://example.com/…")
        #expect(URLRedaction.redact("/relative/secret") == URLRedaction.unparsable)
        #expect(URLRedaction.redact("https:///secret") == URLRedaction.unparsable)
        #expect(HTTPClientRequest(url: "https://h/x").redactedURL == "https://h/…")
    }

    @Test("durations by target, method and status class; errors by kind; never the URL")
    func metrics() async throws {
        let metrics = TestMetrics()
        let client = try HTTPClient(
            logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), metricsFactory: metrics)
        let server = try LoopbackServer { request in .text("x", status: request.target == "/missing" ? 404 : 200) }
        _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/ok", target: "salesforce"))
        _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/ok", target: "salesforce"))
        _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/missing", target: "salesforce"))
        _ = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/x", target: "salesforce"))

        let label = "tributary_http_client_request_duration_seconds"
        let ok = try metrics.expectTimer(label, [("target", "salesforce"), ("method", "GET"), ("status_class", "2xx")])
        #expect(ok.values.count == 2)
        let missing = try metrics.expectTimer(
            label, [("target", "salesforce"), ("method", "GET"), ("status_class", "4xx")])
        #expect(missing.values.count == 1)
        let failed = try metrics.expectTimer(
            label, [("target", "salesforce"), ("method", "GET"), ("status_class", "error")])
        #expect(failed.values.count == 1)
        let errors = try metrics.expectCounter(
            "tributary_http_client_errors_total", [("target", "salesforce"), ("kind", "connect")])
        #expect(errors.totalValue == 1)
        let allDimensions = metrics.timers.flatMap(\.dimensions) + metrics.counters.flatMap(\.dimensions)
        #expect(!allDimensions.contains { $0.1.contains("127.0.0.1") || $0.1.contains("/") })
    }
}
