import Logging
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import SalesforceModel

/// `generator cdc`: sends the seeded org's Change Data Capture events for a time window to `salesforce.cdc`,
/// in commit order, then flushes, prints a summary and exits.
enum CDCCommand {
    static let summary = """
        Sends the Change Data Capture stream of the seeded org (the same org `generator salesforce-api` serves, \
        given the same org options) for commits in (--from, --to] to salesforce.cdc as ChangeEvent messages, in \
        commit order, keyed by the first record id (the object name for GAP_OVERFLOW): CREATE, UPDATE (changed \
        fields only), DELETE, UNDELETE, multi-change transactions, merged events with several recordIds, GAP_* \
        events and GAP_OVERFLOW. Flushes and prints a summary (events by change type); --expect prints those \
        counts as JSON without sending.
        """

    static func run(arguments: [String]) async -> Never {
        await CommandMain(
            name: "generator", command: "generator cdc", summary: summary, defaultLogLevel: .info,
            configuration: CDCConfiguration.init(reader:),
            body: { configuration, logger in
                let org = SalesforceOrg(configuration: configuration.org)
                let (from, to) = configuration.window
                let events = org.changeEvents(after: from, through: to)
                let counts = CDCCounts(events: events)
                if configuration.expect {
                    print(counts.json(from: from, to: to))
                    return 0
                }
                let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
                let producer = try KafkaProducer(configuration: .init(client: client), logger: logger)
                let topic = try producer.topic(configuration.topic)
                let tracker = DeliveryTracker()
                for event in events {
                    try await producer.send(to: topic, key: Array(key(of: event).utf8), value: event.encode(),
                                            tracker: tracker)
                }
                let report = await tracker.report()
                let flushed = await producer.close(timeout: .seconds(30))
                guard flushed, report.failed == 0, report.delivered == events.count else {
                    logger.error("change events not delivered",
                                 metadata: ["delivered": "\(report.delivered)", "failed": "\(report.failed)",
                                            "error": "\(report.firstError.map { "\($0)" } ?? "none")"])
                    return 1
                }
                print(configuration.json ? counts.json(from: from, to: to) : counts.text(topic: configuration.topic))
                return 0
            }
        ).run(arguments: arguments)
    }

    /// The first record id; the object name for `GAP_OVERFLOW` (it has no ids).
    static func key(of event: ChangeEvent) -> String { event.recordIDs.first ?? event.entityName }
}

/// Events of a window by change type, plus merged and transaction counts.
struct CDCCounts {
    var byType: [ChangeType: Int] = [:]
    var events = 0
    var merged = 0
    var recordIds = 0

    init(events: [ChangeEvent]) {
        self.events = events.count
        for event in events {
            byType[event.changeType, default: 0] += 1
            if event.recordIDs.count > 1 { merged += 1 }
            recordIds += event.recordIDs.count
        }
    }

    static func name(_ type: ChangeType) -> String {
        switch type {
        case .unspecified: "UNSPECIFIED"
        case .create: "CREATE"
        case .update: "UPDATE"
        case .delete: "DELETE"
        case .undelete: "UNDELETE"
        case .gapCreate: "GAP_CREATE"
        case .gapUpdate: "GAP_UPDATE"
        case .gapDelete: "GAP_DELETE"
        case .gapUndelete: "GAP_UNDELETE"
        case .gapOverflow: "GAP_OVERFLOW"
        }
    }

    func json(from: Int64, to: Int64) -> String {
        let types = ChangeType.allCases.filter { $0 != .unspecified }
            .map { "\(JSONText.quoted(Self.name($0))):\(byType[$0] ?? 0)" }.joined(separator: ",")
        return "{\"from\":\(from),\"to\":\(to),\"events\":\(events),\"merged\":\(merged),\"recordIds\":\(recordIds),"
            + "\"byType\":{\(types)}}"
    }

    func text(topic: String) -> String {
        let types = ChangeType.allCases.filter { byType[$0] != nil }.map { "\(Self.name($0)) \(byType[$0]!)" }
        return "sent \(events) change events to \(topic) (\(merged) merged): " + types.joined(separator: ", ")
    }
}
