import PipelineAlerting
import PipelineHTTP
import PipelineKafka
import PipelineRuntime

/// `alerting`: pipeline.alerts, heartbeats, dead letters and consumer lag → Slack-compatible webhooks.
@main enum Entrypoint {
    static func main() async {
        await ServiceMain(
            service: "alerting",
            summary: """
                Consumes pipeline.alerts, pipeline.status and events.dlq, and watches the pipeline itself: consumer \
                lag in seconds (the age of each group's oldest unprocessed message), dead-letter rates per stage, \
                and services whose heartbeats stop. One open alert per key (duplicates folded, re-sent after \
                --renotify-interval), silences, severity routing; delivery to Slack-compatible incoming webhooks \
                through libcurl at about one message per second, honouring 429 Retry-After, retrying with backoff \
                and holding notifications in a bounded queue while the webhook is down.
                """,
            defaultMetricsPort: 9107,
            configuration: AlertingConfiguration.init(reader:),
            services: { context in
                let configuration = context.configuration
                let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
                let consumer = try KafkaConsumer(
                    configuration: .init(
                        client: client, groupID: configuration.kafka.group ?? "alerting", autoOffsetReset: "latest"),
                    logger: context.logger)
                try consumer.subscribe([configuration.alertsTopic, configuration.statusTopic, configuration.deadLetterTopic])
                let producer = try KafkaProducer(configuration: .init(client: client), logger: context.logger)
                let admin = try KafkaAdmin(client: client, logger: context.logger)
                let http = try HTTPClient(configuration: configuration.http.configuration(), logger: context.logger)
                var senders: [String: WebhookSender] = [:]
                for (route, url) in [
                    (AlertRouting.defaultRoute, configuration.webhookURL),
                    (AlertRouting.criticalRoute, configuration.criticalWebhookURL),
                ] {
                    guard let url, !url.isEmpty else { continue }
                    senders[route] = WebhookSender(
                        route: route, url: url, client: http, capacity: configuration.queueCapacity,
                        minimumSpacing: configuration.webhookSpacing, maximumBackoff: configuration.maximumBackoff,
                        logger: context.logger)
                }
                return [
                    Alerting(
                        configuration: configuration, consumer: consumer, producer: producer,
                        probe: GroupLagProbe(admin: admin, client: client, logger: context.logger), senders: senders,
                        logger: context.logger)
                ]
            }
        ).run()
    }
}
