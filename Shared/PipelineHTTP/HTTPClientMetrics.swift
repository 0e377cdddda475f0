import Metrics
import Synchronization

/// The client's metrics, created once per label set and cached.
///
/// Dimensions are bounded by construction: `target` is a constant the caller picks (`"salesforce"`), `method` a
/// method token, `status_class` one of `1xx`…`5xx` or `error`, `kind` an ``HTTPClientError/Kind``. The URL never
/// becomes a label.
final class HTTPClientMetrics: Sendable {
    /// `tributary_http_client_request_duration_seconds`: one sample per finished request, success or not.
    static let durationLabel = "tributary_http_client_request_duration_seconds"
    /// `tributary_http_client_errors_total`: failed transfers (not HTTP error statuses) by kind.
    static let errorsLabel = "tributary_http_client_errors_total"

    private let factory: any MetricsFactory
    private let timers = Mutex<[String: Timer]>([:])
    private let counters = Mutex<[String: Counter]>([:])

    /// Creates the metrics on a factory (tests pass `MetricsTestKit`'s; services the bootstrapped one).
    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Records how one request ended.
    func record(target: String, method: HTTPMethod, duration: Duration, result: Result<Int, HTTPClientError>) {
        let statusClass: String
        switch result {
        case .success(let status): statusClass = (100...599).contains(status) ? "\(status / 100)xx" : "other"
        case .failure: statusClass = "error"
        }
        let dimensions = [("target", target), ("method", method.rawValue), ("status_class", statusClass)]
        let timer = self.timers.withLock { timers in
            let key = dimensions.map(\.1).joined(separator: "\u{1F}")
            if let timer = timers[key] { return timer }
            let timer = Timer(label: Self.durationLabel, dimensions: dimensions, factory: self.factory)
            timers[key] = timer
            return timer
        }
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        if case .failure(let error) = result {
            let errorDimensions = [("target", target), ("kind", error.kind.rawValue)]
            let counter = self.counters.withLock { counters in
                let key = errorDimensions.map(\.1).joined(separator: "\u{1F}")
                if let counter = counters[key] { return counter }
                let counter = Counter(label: Self.errorsLabel, dimensions: errorDimensions, factory: self.factory)
                counters[key] = counter
                return counter
            }
            counter.increment()
        }
    }
}
