import Glibc
import Logging
import PipelineAlerting
import PipelineKafka
import PipelineRuntime

/// `tributary status [--json] [--once]`: per stage, live instances, events/s in and out, lag in messages and
/// seconds, dead letters and open alerts; refreshed in place on a terminal until Ctrl-C.
enum StatusCommand {
    struct Configuration: Sendable {
        var json: Bool
        var once: Bool
        var interval: Duration
        var aliveWithin: Duration
        var groups: [WatchedGroup]
        var kafka: KafkaOptions
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary status",
        summary: """
            Shows each stage of the pipeline: instances alive (heartbeats on pipeline.status), events per second in \
            and out (from their counters), consumer lag in messages and in seconds (the age of the oldest \
            unprocessed message of each group), dead letters and open alerts (pipeline.alerts). On a terminal the \
            table refreshes in place until Ctrl-C; --json prints one JSON object and exits.
            """,
        configuration: { reader in
            let json = reader.bool("json", help: "Print one JSON object and exit.")
            let once = reader.bool("once", help: "Print the table once and exit (the default when not on a terminal).")
            let interval = reader.duration("interval", default: .seconds(2), help: "Refresh interval on a terminal.")
            let aliveWithin = reader.duration(
                "alive-within", default: .seconds(20), help: "An instance whose last heartbeat is older counts as gone.")
            let groupsText = reader.string(
                "groups", env: "ALERTING_GROUPS",
                default: WatchedGroup.pipeline.map { "\($0.service):\($0.group):\($0.topic)" }.joined(separator: ","),
                help: "Consumer groups per stage: service:group:topic or group:topic, comma-separated.")
            let groups = WatchedGroup.parse(groupsText)
            reader.require(groups != nil, "--groups: \"\(groupsText)\" is not a list of [service:]group:topic")
            let kafka = KafkaOptions.read(from: reader, clientID: "tributary-status")
            return Configuration(
                json: json, once: once, interval: interval, aliveWithin: aliveWithin, groups: groups ?? [], kafka: kafka)
        },
        body: { configuration, logger in
            let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
            let refresh = !configuration.json && !configuration.once && isatty(STDOUT_FILENO) == 1
            repeat {
                let snapshot = try await PipelineSnapshot.gather(
                    client: client, groups: configuration.groups, aliveWithin: configuration.aliveWithin, logger: logger)
                if configuration.json {
                    print(StatusPrinter.json(snapshot))
                } else if refresh {
                    // Home the cursor and clear the screen: the table redraws in place.
                    print("\u{1B}[H\u{1B}[2J" + StatusPrinter.table(snapshot) + "\n\n(refreshing every "
                        + DurationText.render(configuration.interval) + "; Ctrl-C to stop)")
                } else {
                    print(StatusPrinter.table(snapshot))
                }
                if refresh { try await Task.sleep(for: configuration.interval) }
            } while refresh && !Task.isCancelled
            return 0
        })
}
