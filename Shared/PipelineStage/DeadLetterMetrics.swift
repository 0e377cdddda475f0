import Metrics
import PipelineKafka
import Synchronization

/// `tributary_dead_letters_total{stage, reason}`: one counter per reason, created once (reasons are a bounded set
/// of codes, never free text).
public final class DeadLetterMetrics: Sendable {
    private let stage: String
    private let counters = Mutex<[String: Counter]>([:])

    public init(stage: String) {
        self.stage = stage
    }

    public func record(reason: String, count: Int = 1) {
        let counter = counters.withLock { counters in
            if let existing = counters[reason] { return existing }
            let created = Counter(label: "tributary_dead_letters_total", dimensions: [("stage", stage), ("reason", reason)])
            counters[reason] = created
            return created
        }
        counter.increment(by: count)
        StageCounters.deadLettered.add(Int64(count), ordering: .relaxed)
    }
}
