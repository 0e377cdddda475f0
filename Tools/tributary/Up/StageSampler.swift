import Logging
import PipelineKafka
import Synchronization

/// Follows each stage's progress through its consumer group's committed offsets while the run goes on, so the
/// summary can give each stage's throughput without scraping the services: events ÷ (last − first advance).
final class StageSampler: Sendable {
    struct Stage: Sendable {
        var name: String
        var topic: String
        var group: String
    }

    struct Progress: Sendable {
        var committed: Int64 = 0
        var firstAdvance: ContinuousClock.Instant?
        var lastAdvance: ContinuousClock.Instant?
        var startCommitted: Int64 = 0
        /// Events per second between the first and the last advance.
        var rate: Double {
            guard let first = firstAdvance, let last = lastAdvance, first < last else { return 0 }
            let (seconds, attoseconds) = first.duration(to: last).components
            return Double(committed - startCommitted) / (Double(seconds) + Double(attoseconds) * 1e-18)
        }
    }

    let stages: [Stage]
    private let admin: KafkaAdmin
    private let progress: Mutex<[String: Progress]>

    init(stages: [Stage], client: KafkaClientConfiguration, logger: Logger) throws {
        self.stages = stages
        admin = try KafkaAdmin(client: client, logger: logger)
        progress = Mutex(Dictionary(uniqueKeysWithValues: stages.map { ($0.name, Progress()) }))
    }

    subscript(stage: String) -> Progress { progress.withLock { $0[stage] ?? Progress() } }

    /// Samples every `interval` until cancelled.
    func run(interval: Duration = .milliseconds(500)) async {
        while !Task.isCancelled {
            await sample()
            try? await Task.sleep(for: interval)
        }
    }

    func sample() async {
        let clock = ContinuousClock()
        for stage in stages {
            guard let offsets = try? await admin.offsets(topic: stage.topic, group: stage.group) else { continue }
            let committed = offsets.reduce(Int64(0)) { $0 + ($1.committed ?? $1.low) }
            let now = clock.now
            progress.withLock { all in
                var entry = all[stage.name] ?? Progress()
                if entry.firstAdvance == nil {
                    if committed > 0 {
                        // The first sample that shows progress: count from the previous value.
                        entry.firstAdvance = now
                        entry.startCommitted = entry.committed
                    }
                }
                if committed > entry.committed, entry.firstAdvance != nil { entry.lastAdvance = now }
                entry.committed = committed
                all[stage.name] = entry
            }
        }
    }

    /// Whether every stage has committed everything written to its input topic.
    func drained() async -> Bool {
        for stage in stages {
            guard let offsets = try? await admin.offsets(topic: stage.topic, group: stage.group) else { return false }
            if offsets.contains(where: { ($0.committed ?? -1) < $0.high }) { return false }
        }
        return true
    }
}
