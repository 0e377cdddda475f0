import Logging
import Metrics
import PipelineHTTP

/// Helpers shared by the client tests.
enum TestClient {
    /// A client that logs nowhere and records metrics nowhere (unless given a factory).
    static func make(_ configuration: HTTPClient.Configuration = .init()) throws -> HTTPClient {
        try HTTPClient(
            configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            metricsFactory: NOOPMetricsHandler.instance)
    }

    /// Runs `body`, returning the typed error it throws, or `nil` if it succeeded.
    static func failure(
        _ body: () async throws(HTTPClientError) -> HTTPClientResponse
    ) async -> HTTPClientError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }
}
