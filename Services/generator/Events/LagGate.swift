import Logging
import PipelineKafka
import Synchronization

/// The generator's closed loop: holds sending back while a consumer group lags too far behind on the topic.
///
/// Useful on any cluster to find the pipeline's sustainable rate, and needed on the local broker, which keeps only
/// about 5 MiB per partition: a consumer that falls further behind would find its data gone.
final class LagGate: Sendable {
    private let admin: KafkaAdmin
    private let topic: String
    private let group: String
    let maxLag: Int
    private let logger: Logger
    /// The last lag read; `Int.max` until the first reading.
    private let lastLag = Atomic<Int>(Int.max)

    init(client: KafkaClientConfiguration, topic: String, group: String, maxLag: Int, logger: Logger) throws {
        admin = try KafkaAdmin(client: client, logger: logger)
        self.topic = topic
        self.group = group
        self.maxLag = maxLag
        self.logger = logger
    }

    /// The group's lag at the last reading, `nil` before the first.
    var lag: Int? {
        let value = lastLag.load(ordering: .relaxed)
        return value == Int.max ? nil : value
    }

    /// Reads the lag now.
    func refresh() async {
        do {
            let offsets = try await admin.offsets(topic: topic, group: group)
            lastLag.store(Int(offsets.reduce(0) { $0 + $1.lag }), ordering: .relaxed)
        } catch {
            logger.info("lag reading failed; holding the last value", metadata: ["kafka.error": "\(error)"])
        }
    }

    /// Returns once the lag leaves `room` messages below `maxLag`, re-reading it every `interval`;
    /// `false` if told to stop.
    func waitUntilCaughtUp(room: Int, interval: Duration = .milliseconds(250), shouldStop: () -> Bool) async -> Bool {
        var warned = false
        while !shouldStop() {
            await refresh()
            if let lag, lag + room <= maxLag { return true }
            if !warned {
                logger.notice(
                    "holding back: consumer lag above --max-lag",
                    metadata: ["kafka.group": "\(group)", "kafka.lag": "\(lag.map(String.init) ?? "unknown")", "max_lag": "\(maxLag)"])
                warned = true
            }
            try? await Task.sleep(for: interval)
        }
        return false
    }
}
