import Logging
import PipelineAlerting
import PipelineKafka
import PipelineMessages
import PipelineRuntime

/// What `tributary status` shows, gathered from the cluster: heartbeats (pipeline.status), open alerts
/// (pipeline.alerts, folded by key) and each watched group's lag (``GroupLagProbe``).
struct PipelineSnapshot: Sendable {
    struct Stage: Sendable {
        var name: String
        var instancesAlive = 0
        var inPerSecond = 0.0
        var outPerSecond = 0.0
        var lagMessages: Int64 = 0
        var lagSeconds = 0.0
        var deadLetters: Int64 = 0
        var openAlerts = 0
        var groups: [GroupLag] = []
    }

    var timeMs: Int64
    var stages: [Stage]
    var groups: [GroupLag]
    var alerts: [Alert]

    /// Reads everything once.
    /// - Parameters:
    ///   - aliveWithin: An instance whose last heartbeat is older than this counts as gone.
    static func gather(
        client: KafkaClientConfiguration, groups: [WatchedGroup], aliveWithin: Duration, logger: Logger
    ) async throws -> PipelineSnapshot {
        let admin = try KafkaAdmin(client: client, logger: logger)
        let nowMs = WallClock.milliseconds()
        let lags = try await GroupLagProbe(admin: admin, client: client, logger: logger).measure(groups)
        let heartbeats: [Status] = try await TopicTail.read(
            PipelineTopic.pipelineStatus.rawValue, last: 5_000, admin: admin, client: client, logger: logger)
        let alertLog: [Alert] = try await TopicTail.read(
            PipelineTopic.pipelineAlerts.rawValue, last: 5_000, admin: admin, client: client, logger: logger)

        // Open alerts: the log folded by key, oldest first.
        var open: [String: Alert] = [:]
        for alert in alertLog { open[alert.key] = alert.status == .resolved ? nil : alert }
        let alerts = open.values.sorted { ($0.timeMs, $0.key) < ($1.timeMs, $1.key) }

        // Each instance's last two heartbeats give its rates.
        var byInstance: [String: [Status]] = [:]
        for status in heartbeats where status.kind == .heartbeat {
            byInstance[status.instance, default: []].append(status)
        }
        var stages: [String: Stage] = [:]
        for watched in groups { stages[watched.service] = Stage(name: watched.service) }
        let aliveMs = aliveWithin.components.seconds * 1000
        for (_, reports) in byInstance {
            let sorted = reports.sorted { $0.timeMs < $1.timeMs }
            guard let last = sorted.last else { continue }
            var stage = stages[last.service] ?? Stage(name: last.service)
            stage.deadLetters += last.counters["dead_letters"] ?? 0
            if nowMs - last.timeMs <= aliveMs, last.state != "stopping" {
                stage.instancesAlive += 1
                if sorted.count >= 2 {
                    let previous = sorted[sorted.count - 2]
                    let seconds = Double(last.timeMs - previous.timeMs) / 1000
                    if seconds > 0 {
                        stage.inPerSecond += Double((last.counters["consumed"] ?? 0) - (previous.counters["consumed"] ?? 0)) / seconds
                        stage.outPerSecond += Double((last.counters["produced"] ?? 0) - (previous.counters["produced"] ?? 0)) / seconds
                    }
                }
            }
            stages[last.service] = stage
        }
        for (watched, lag) in zip(groups, lags) {
            var stage = stages[watched.service] ?? Stage(name: watched.service)
            stage.groups.append(lag)
            stage.lagMessages += lag.messages
            stage.lagSeconds = max(stage.lagSeconds, lag.seconds)
            stages[watched.service] = stage
        }
        let groupService = Dictionary(groups.map { ($0.group, $0.service) }, uniquingKeysWith: { first, _ in first })
        for alert in alerts {
            let owner = alert.labels["stage"] ?? alert.labels["service"] ?? alert.labels["group"].flatMap { groupService[$0] }
                ?? String(alert.source.prefix { $0 != "@" })
            if var stage = stages[owner] {
                stage.openAlerts += 1
                stages[owner] = stage
            }
        }
        let order = groups.map(\.service)
        let sortedStages = stages.values.sorted {
            (order.firstIndex(of: $0.name) ?? Int.max, $0.name) < (order.firstIndex(of: $1.name) ?? Int.max, $1.name)
        }
        return PipelineSnapshot(timeMs: nowMs, stages: sortedStages, groups: lags, alerts: alerts)
    }
}

/// Reads the newest messages of a small topic (every partition's last `last`), decoded; undecodable ones skipped.
enum TopicTail {
    static func read<Message: PipelineMessage>(
        _ topic: String, last: Int64, admin: KafkaAdmin, client: KafkaClientConfiguration, logger: Logger
    ) async throws -> [Message] {
        var messages: [Message] = []
        for offsets in try await admin.offsets(topic: topic) where offsets.high > offsets.low {
            let range = max(offsets.low, offsets.high - last)..<offsets.high
            _ = try await KafkaPartitionReader.read(
                client: client, topic: topic, partition: offsets.partition.partition, range: range, timeout: .seconds(10),
                logger: logger
            ) { batch in
                for message in batch where range.contains(message.offset) {
                    if let decoded = message.withValue({ try? Message(decoding: $0) }) {
                        messages.append(decoded)
                    }
                }
            }
        }
        return messages
    }
}
