internal import Metrics

/// Request latency and error metrics (names as in PipelineRuntime's `CoreMetricNames`, which this module does not
/// import), with bounded labels: the method (a fixed set) and, for
/// errors, the status code name (17 values).
struct BigtableMetrics: Sendable {
    /// The RPCs the client makes; the raw value is the metric label.
    enum Method: String, Sendable, CaseIterable {
        case mutateRows = "MutateRows"
        case readRows = "ReadRows"
        case createTable = "CreateTable"
        case getTable = "GetTable"
        case listTables = "ListTables"
        case deleteTable = "DeleteTable"
        case modifyColumnFamilies = "ModifyColumnFamilies"
    }

    private let durations: [Method: Timer]
    private let entriesRetried: Counter
    private let entriesFailed: Counter

    init() {
        var durations: [Method: Timer] = [:]
        for method in Method.allCases {
            durations[method] = Timer(
                label: "tributary_bigtable_request_duration_seconds", dimensions: [("method", method.rawValue)],
                preferredDisplayUnit: .seconds)
        }
        self.durations = durations
        self.entriesRetried = Counter(label: "tributary_bigtable_mutation_entries_retried_total")
        self.entriesFailed = Counter(label: "tributary_bigtable_mutation_entries_failed_total")
    }

    /// Records one RPC attempt's duration and, when it failed, its status code.
    func record(_ method: Method, since start: ContinuousClock.Instant, error: BigtableError?) {
        durations[method]?.recordInterval(since: start)
        if let error {
            // Created on demand: errors are rare and the label set is bounded (7 × 17).
            Counter(
                label: "tributary_bigtable_request_errors_total",
                dimensions: [("method", method.rawValue), ("code", error.status?.code.name ?? "CLIENT")]
            ).increment()
        }
    }

    /// Counts MutateRows entries sent again after a retriable failure.
    func recordRetried(entries: Int) { entriesRetried.increment(by: entries) }

    /// Counts MutateRows entries given up on (reported back for dead-lettering).
    func recordFailed(entries: Int) { entriesFailed.increment(by: entries) }
}

extension Timer {
    fileprivate func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
