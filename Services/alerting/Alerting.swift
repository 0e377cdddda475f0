import Logging
import Metrics
import PipelineAlerting
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import ServiceLifecycle
import Synchronization

/// The alerting service: four loops over one ``AlertingState``.
///
/// - consume: pipeline.alerts (other services' alerts), pipeline.status (heartbeats and their counters) and
///   events.dlq (dead letters per stage);
/// - watch, every second: silent instances, dead-letter rates, reminders for open alerts;
/// - lag, every `--lag-interval`: each watched group's lag in seconds;
/// - one sender per webhook route.
///
/// Alerts raised here are also published on pipeline.alerts (so `tributary status` shows them) and skipped when
/// they come back, by their source.
struct Alerting: Service, CustomStringConvertible {
    let configuration: AlertingConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let probe: GroupLagProbe
    let senders: [String: WebhookSender]
    let logger: Logger

    var description: String { "alerting" }

    func run() async throws {
        let state = AlertingState(configuration: configuration, hasCriticalRoute: senders[AlertRouting.criticalRoute] != nil)
        let alertsTopic = try producer.topic(configuration.alertsTopic)
        if senders.isEmpty { logger.notice("no webhook configured: notifications are only logged") }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for sender in senders.values { group.addTask { await sender.run() } }
                group.addTask { await consume(state, alertsTopic: alertsTopic) }
                group.addTask { await watch(state, alertsTopic: alertsTopic) }
                group.addTask { await watchLag(state, alertsTopic: alertsTopic) }
            }
        }
        // What is still queued gets a last chance; what remains after that is logged, never dropped silently.
        // Every route drains while the Kafka clients close, so the shutdown takes the longest of these bounded
        // steps (at most 10 s) rather than their sum, well inside --shutdown-timeout.
        let stopping = ContinuousClock.now
        await withDiscardingTaskGroup { group in
            for sender in senders.values { group.addTask { await sender.drain(within: .seconds(5)) } }
            group.addTask { await consumer.close(timeout: .seconds(10)) }
            group.addTask { _ = await producer.close(timeout: .seconds(5)) }
        }
        logger.info("alerting stopped", metadata: ["shutdown.ms": "\((ContinuousClock.now - stopping).milliseconds)"])
    }

    // MARK: - Loops

    private func consume(_ state: AlertingState, alertsTopic: ProducerTopic) async {
        while !Task.isCancelled {
            let batch: ConsumedBatch
            do {
                batch = try await consumer.nextBatch(timeout: .milliseconds(200))
            } catch {
                if Task.isCancelled { return }
                logger.warning("consume failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            let nowMs = WallClock.milliseconds()
            for message in batch {
                switch message.topic {
                case configuration.alertsTopic:
                    guard let alert = message.withValue({ try? Alert(decoding: $0) })
                    else {
                        state.undecodable.increment()
                        continue
                    }
                    // Our own alerts come back here; they were handled when raised.
                    guard alert.source != configuration.instance else { continue }
                    handle(state.receive(alert, nowMs: nowMs))
                case configuration.statusTopic:
                    guard let status = message.withValue({ try? Status(decoding: $0) })
                    else {
                        state.undecodable.increment()
                        continue
                    }
                    if let resolved = state.observe(status, nowMs: nowMs, source: configuration.instance) {
                        await raise(resolved, state: state, topic: alertsTopic)
                    }
                default:
                    guard let letter = message.withValue({ try? DeadLetter(decoding: $0) })
                    else {
                        state.undecodable.increment()
                        continue
                    }
                    state.deadLetter(stage: letter.stage, reason: letter.reason, nowMs: nowMs)
                }
            }
            consumer.markDone(batch)
        }
    }

    private func watch(_ state: AlertingState, alertsTopic: ProducerTopic) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let nowMs = WallClock.milliseconds()
            let raised = state.checkWatches(nowMs: nowMs, source: configuration.instance)
            for alert in raised { await raise(alert, state: state, topic: alertsTopic) }
            handle(state.tick(nowMs: nowMs))
        }
    }

    private func watchLag(_ state: AlertingState, alertsTopic: ProducerTopic) async {
        while !Task.isCancelled {
            do {
                let lags = try await probe.measure(configuration.groups)
                for lag in lags {
                    state.recordLag(lag)
                    if let alert = state.checkLag(lag, nowMs: WallClock.milliseconds(), source: configuration.instance) {
                        await raise(alert, state: state, topic: alertsTopic)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("lag measurement failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.lagInterval)
        }
    }

    // MARK: - Alerts and notifications

    /// An alert this service raised: into the book now, and onto pipeline.alerts for everyone else.
    private func raise(_ alert: Alert, state: AlertingState, topic: ProducerTopic) async {
        logger.notice(
            "alert raised", metadata: ["alert.key": "\(alert.key)", "alert.status": "\(alert.status)", "alert.summary": "\(alert.summary)"])
        handle(state.receive(alert, nowMs: alert.timeMs))
        do {
            try await producer.sendAndWait(to: topic, key: Array(alert.key.utf8), value: alert.encode())
        } catch {
            logger.warning("alert not published", metadata: ["alert.key": "\(alert.key)", "error": "\(error)"])
        }
    }

    private func handle(_ notification: AlertNotification?) {
        guard let notification else { return }
        handle([notification])
    }

    private func handle(_ notifications: [AlertNotification]) {
        for notification in notifications {
            logger.notice(
                "alert notification",
                metadata: [
                    "alert.key": "\(notification.alert.key)", "alert.kind": "\(notification.kind.rawValue)",
                    "alert.route": "\(notification.route)", "alert.occurrences": "\(notification.occurrences)",
                ])
            Counter(label: "tributary_alerting_notifications_total", dimensions: [("kind", notification.kind.rawValue)])
                .increment()
            let sender = senders[notification.route] ?? senders[AlertRouting.defaultRoute]
            sender?.enqueue(SlackMessage.body(for: notification), key: notification.alert.key)
        }
    }
}
