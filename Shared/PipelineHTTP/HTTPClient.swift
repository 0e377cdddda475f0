public import Metrics
public import Logging

/// The one HTTP client of the pipeline, over libcurl (the only importer of `CCurl`).
///
/// Every client owns one curl multi handle driven by its own OS thread, so many requests share connections and
/// run concurrently without blocking Swift's cooperative pool; each request's task is resumed from that thread.
/// Limits are always on: connect and total deadlines, a response size cap, http/https only, no redirects unless
/// configured, TLS verification. Create one client per process (or per remote system) and share it.
///
/// The client never logs a full URL; it logs ``HTTPClientRequest/redactedURL``.
public final class HTTPClient: Sendable {
    /// The defaults and limits in force.
    public let configuration: Configuration
    private let loop: CurlMultiLoop
    private let metrics: HTTPClientMetrics
    /// Internal so extensions in other files (retries) log through it.
    let logger: Logger

    /// Creates a client and starts its thread.
    /// - Parameters:
    ///   - configuration: Defaults and limits.
    ///   - logger: Where failures are logged, at `debug` (callers decide what deserves more).
    ///   - metricsFactory: Where metrics go; `nil` uses the process's bootstrapped `MetricsSystem`.
    /// - Throws: ``HTTPClientError`` of kind `other` when libcurl or the thread cannot start.
    public init(
        configuration: Configuration = Configuration(), logger: Logger, metricsFactory: (any MetricsFactory)? = nil
    ) throws(HTTPClientError) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = HTTPClientMetrics(factory: metricsFactory ?? MetricsSystem.factory)
        self.loop = try CurlMultiLoop.start(maximumConnectionsPerHost: configuration.maximumConnectionsPerHost)
    }

    deinit {
        self.loop.shutdown()
    }

    /// Sends a request and waits for the whole response.
    ///
    /// Any HTTP status is a response; only transport failures throw. Cancelling the calling task removes the
    /// transfer at once and throws ``HTTPClientError/cancelled``.
    /// - Parameter request: What to send, with optional per-request deadlines and size cap.
    /// - Returns: Status, headers and body.
    /// - Throws: ``HTTPClientError``, with `isRetriable` set for failures a fresh attempt may cure.
    public func execute(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let started = ContinuousClock.now
        let result = await self.perform(request)
        let duration = ContinuousClock.now - started
        self.metrics.record(
            target: request.target, method: request.method, duration: duration, result: result.map(\.status))
        switch result {
        case .success(let response):
            self.logger.trace(
                "http request finished",
                metadata: [
                    "http.target": "\(request.target)", "http.method": "\(request.method)",
                    "http.url": "\(request.redactedURL)", "http.status": "\(response.status)",
                ])
            return response
        case .failure(let error):
            self.logger.debug(
                "http request failed",
                metadata: [
                    "http.target": "\(request.target)", "http.method": "\(request.method)",
                    "http.url": "\(request.redactedURL)", "error.kind": "\(error.kind)",
                    "curl.code": "\(error.curlCode)", "error.message": "\(error.message)",
                ])
            throw error
        }
    }

    private func perform(_ request: HTTPClientRequest) async -> Result<HTTPClientResponse, HTTPClientError> {
        guard !Task.isCancelled else { return .failure(.cancelled) }
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(request: request, configuration: self.configuration)
        } catch {
            return .failure(error)
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.loop.submit(transfer, continuation: continuation)
            }
        } onCancel: {
            self.loop.cancel(transfer)
        }
    }
}
