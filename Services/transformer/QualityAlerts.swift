import ClickstreamTransform
import Logging
import PipelineKafka
import PipelineMessages
import PipelineRuntime

/// Turns quality-check failure rates into Alerts on pipeline.alerts: FIRING when a check fails more often than its
/// `mostly` allows over the stats window (all partitions of this instance together), RESOLVED when it recovers.
/// Edge-triggered, so a storm is one alert; alerting deduplicates across instances by the alert key.
final class QualityAlerts {
    private let rules: QualityRules
    private let producer: KafkaProducer
    private let topic: ProducerTopic
    private let instance: String
    private let logger: Logger
    private var firing: Set<String> = []

    init(rules: QualityRules, producer: KafkaProducer, topic: ProducerTopic, instance: String, logger: Logger) {
        self.rules = rules
        self.producer = producer
        self.topic = topic
        self.instance = instance
        self.logger = logger
    }

    func evaluate(_ transformers: [EventTransformer], nowMs: Int64) async {
        var evaluations: [String: UInt64] = [:]
        var failures: [String: UInt64] = [:]
        for transformer in transformers {
            for total in transformer.stats.totals(nowMs: nowMs) {
                evaluations[total.check, default: 0] += total.evaluations
                failures[total.check, default: 0] += total.failures
            }
        }
        for rule in rules.rules {
            guard let mostly = rule.mostly, let evaluated = evaluations[rule.name], evaluated >= 100 else { continue }
            let rate = Double(failures[rule.name] ?? 0) / Double(evaluated)
            let failing = rate > 1 - mostly
            guard failing != firing.contains(rule.name) else { continue }
            if failing { firing.insert(rule.name) } else { firing.remove(rule.name) }
            let percent = JSONText.number(rate * 100, digits: 2)
            let alert = Alert(
                key: "quality#\(rule.name)", severity: .warning, status: failing ? .firing : .resolved,
                source: instance,
                summary: failing
                    ? "Data-quality check \(rule.name) fails for \(percent)% of events (allowed: \(JSONText.number((1 - mostly) * 100, digits: 2))%)"
                    : "Data-quality check \(rule.name) is back within its threshold (\(percent)%)",
                detail: "\(failures[rule.name] ?? 0) of \(evaluated) events failed \(rule.name) (reason \(rule.reason)) in the window",
                labels: ["stage": "transformer", "check": rule.name, "reason": rule.reason], timeMs: nowMs)
            do {
                try await producer.sendAndWait(to: topic, key: Array(alert.key.utf8), value: alert.encode())
                logger.notice("quality alert", metadata: ["alert.key": "\(alert.key)", "alert.status": "\(alert.status)"])
            } catch {
                logger.warning("quality alert not delivered", metadata: ["alert.key": "\(alert.key)", "error": "\(error)"])
            }
        }
    }
}
