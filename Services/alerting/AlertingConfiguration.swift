import Glibc
import PipelineAlerting
import PipelineHTTP
import PipelineKafka
import PipelineMessages
import PipelineRuntime

/// What alerting is told, from flags and `ALERTING_*` environment variables.
struct AlertingConfiguration: Sendable {
    enum MinimumSeverity: String, CaseIterable, Sendable {
        case info, warning, critical

        var severity: Alert.Severity {
            switch self {
            case .info: .info
            case .warning: .warning
            case .critical: .critical
            }
        }
    }

    /// The Slack-compatible incoming webhook (a secret: redacted in the start-up log, never logged).
    var webhookURL: String?
    /// A second webhook for critical alerts (a pager channel); `nil` sends them to `webhookURL`.
    var criticalWebhookURL: String?
    var minimumSeverity: MinimumSeverity
    var renotifyInterval: Duration
    var silences: SilenceList
    var groups: [WatchedGroup]
    var lagThreshold: Duration
    var lagInterval: Duration
    var heartbeatTimeout: Duration
    var deadLetterWindow: Duration
    var deadLetterRate: Double
    var deadLetterRatio: Double
    var queueCapacity: Int
    var webhookSpacing: Duration
    var maximumBackoff: Duration
    var alertsTopic: String
    var statusTopic: String
    var deadLetterTopic: String
    var instance: String
    /// Outbound HTTPS to the webhooks: CA bundle, deadlines, response cap (Slack answers `ok`).
    var http: HTTPOptions
    var kafka: KafkaOptions

    init(reader: ConfigReader) {
        reader.section = "Alerting"
        webhookURL = reader.optionalString(
            "webhook-url", env: "ALERTING_WEBHOOK_URL",
            help: "Slack-compatible incoming webhook; without it notifications are only logged.", secret: true)
        criticalWebhookURL = reader.optionalString(
            "critical-webhook-url", env: "ALERTING_CRITICAL_WEBHOOK_URL",
            help: "Webhook for critical alerts (e.g. a paging channel); default: --webhook-url.", secret: true)
        minimumSeverity = reader.enumeration(
            "min-severity", env: "ALERTING_MIN_SEVERITY", default: MinimumSeverity.info,
            help: "Alerts below this severity are tracked and logged but not sent.")
        renotifyInterval = reader.duration(
            "renotify-interval", env: "ALERTING_RENOTIFY_INTERVAL", default: .seconds(3600),
            help: "An alert still open is sent again after this long (0 never).")
        let silenceText = reader.string(
            "silence", env: "ALERTING_SILENCE", default: "",
            help: "Alert keys not to send, comma-separated; `prefix*` matches a prefix, `key@EPOCH_MS` ends at a time.")
        let parsedSilences = SilenceList(parsing: silenceText)
        reader.require(parsedSilences != nil, "--silence: \"\(silenceText)\" is not a list of KEY[*][@EPOCH_MS]")
        silences = parsedSilences ?? SilenceList()
        let groupsText = reader.string(
            "groups", env: "ALERTING_GROUPS",
            default: WatchedGroup.pipeline.map { "\($0.service):\($0.group):\($0.topic)" }.joined(separator: ","),
            help: "Consumer groups to watch for lag: service:group:topic or group:topic, comma-separated.")
        let parsedGroups = WatchedGroup.parse(groupsText)
        reader.require(parsedGroups != nil, "--groups: \"\(groupsText)\" is not a list of [service:]group:topic")
        groups = parsedGroups ?? []
        lagThreshold = reader.duration(
            "lag-threshold", env: "ALERTING_LAG_THRESHOLD", default: .seconds(60),
            help: "Alert when a group's oldest unprocessed message is older than this.")
        lagInterval = reader.duration(
            "lag-interval", env: "ALERTING_LAG_INTERVAL", default: .seconds(15), help: "How often lag is measured.")
        heartbeatTimeout = reader.duration(
            "heartbeat-timeout", env: "ALERTING_HEARTBEAT_TIMEOUT", default: .seconds(30),
            help: "Alert when an instance sends no heartbeat on pipeline.status for this long.")
        deadLetterWindow = reader.duration(
            "dead-letter-window", env: "ALERTING_DEAD_LETTER_WINDOW", default: .seconds(300),
            help: "Window over which dead-letter rates are computed, per stage.")
        deadLetterRate = reader.double(
            "dead-letter-rate", env: "ALERTING_DEAD_LETTER_RATE", default: 10,
            help: "Alert when a stage dead-letters more records per second than this over the window.",
            range: 0...1e9)
        deadLetterRatio = reader.double(
            "dead-letter-ratio", env: "ALERTING_DEAD_LETTER_RATIO", default: 0.05,
            help: "Alert when a stage dead-letters more than this fraction of what it consumed over the window.",
            range: 0...1)
        queueCapacity = reader.int(
            "queue-capacity", env: "ALERTING_QUEUE_CAPACITY", default: 1_000,
            help: "Notifications held per webhook while it is down; more are counted and dropped.",
            range: 1...1_000_000)
        webhookSpacing = reader.duration(
            "webhook-spacing", env: "ALERTING_WEBHOOK_SPACING", default: .seconds(1),
            help: "Least time between two posts to a webhook (Slack allows about one per second).")
        maximumBackoff = reader.duration(
            "max-backoff", env: "ALERTING_MAX_BACKOFF", default: .seconds(30),
            help: "Longest wait between retries while the webhook fails.")
        alertsTopic = reader.string(
            "alerts-topic", env: "ALERTING_ALERTS_TOPIC", default: PipelineTopic.pipelineAlerts.rawValue,
            help: "Alerts from the services (and alerting's own, for tributary status).")
        statusTopic = reader.string(
            "status-topic", env: "ALERTING_STATUS_TOPIC", default: PipelineTopic.pipelineStatus.rawValue,
            help: "Heartbeats.")
        deadLetterTopic = reader.string(
            "dead-letter-topic", env: "ALERTING_DEAD_LETTER_TOPIC",
            default: PipelineTopic.eventsDeadLetter.rawValue, help: "Dead letters, counted per stage.")
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostname = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        instance = reader.string(
            "instance", env: "ALERTING_INSTANCE", default: "alerting@\(hostname)",
            help: "This instance's name as the source of its own alerts.")
        http = HTTPOptions.read(from: reader, defaultTimeout: .seconds(10), defaultMaximumResponseBytes: 1 << 20)
        kafka = KafkaOptions.read(from: reader, clientID: "alerting", defaultGroup: "alerting")
    }
}
