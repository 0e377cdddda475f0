import CoreMetrics
public import Prometheus

/// The process's metrics: a Prometheus registry behind swift-metrics, plus build and process metrics.
///
/// Services record through the swift-metrics API (`Counter(label:)`, `Gauge`, `Timer`) once ``bootstrap()`` ran;
/// `/metrics` renders ``emit(into:)``. Tests can skip the global bootstrap and hand ``factory`` to swift-metrics
/// types (`Counter(label:dimensions:factory:)`), since swift-metrics allows only one bootstrap per process.
public final class MetricsRegistry: Sendable {
    /// The underlying registry, for metrics that need Prometheus-specific features (help texts, buckets).
    public let prometheus: PrometheusCollectorRegistry
    /// The swift-metrics factory backed by ``prometheus``.
    public let factory: PrometheusMetricsFactory
    /// The service name on `tributary_build_info`.
    public let service: String
    /// The version on `tributary_build_info`.
    public let version: String

    /// Creates a registry and sets `tributary_build_info{service, version}` to 1.
    /// - Parameters:
    ///   - service: The service name, for example `transformer`.
    ///   - version: The build's version, ``BuildInfo/version`` by default.
    ///   - registry: The Prometheus registry; a fresh one by default.
    public init(service: String, version: String = BuildInfo.version, registry: PrometheusCollectorRegistry = .init()) {
        self.prometheus = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets[CoreMetricNames.batchSize] = CoreMetricNames.batchSizeBuckets
        factory.durationHistogramBuckets[CoreMetricNames.endToEndLatency] = CoreMetricNames.endToEndLatencyBuckets
        self.factory = factory
        self.service = service
        self.version = version
        let descriptor = MetricNameDescriptor(
            namespace: "tributary", metricName: "build", unitName: "info",
            helpText: "Always 1; labels name the running service and its version.")
        registry.makeGauge(descriptor: descriptor, labels: [("service", service), ("version", version)]).set(to: 1.0)
    }

    /// Makes this registry the swift-metrics backend. Call once, from `main` only (``ServiceMain`` does).
    public func bootstrap() {
        MetricsSystem.bootstrap(self.factory)
    }

    /// Appends every metric in Prometheus text format 0.0.4, process metrics included (computed now).
    public func emit(into buffer: inout [UInt8]) {
        self.prometheus.emit(into: &buffer)
        ProcessMetrics.sample()?.emit(into: &buffer)
    }

    /// The exposition as a string, for tests and debugging.
    public func render() -> String {
        var buffer: [UInt8] = []
        self.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
