import Glibc
import PipelineRuntime

/// `tributary`: the operator's command. Each subcommand lives in its own folder.
@main enum Entrypoint {
    static let table = SubcommandTable(
        program: "tributary",
        summary: "Operate a Tributary pipeline: a local broker, relays and benchmarks, the whole local stack.",
        subcommands: [
            Subcommand("up", summary: "Run the whole pipeline locally (broker, services) and print a summary."),
            Subcommand("query", summary: "Read stored events from Bigtable (query events --user U)."),
            Subcommand("broker", summary: "Host the local Kafka-protocol broker (in memory, for development)."),
            Subcommand("relay", summary: "Copy one topic to another through a consumer group (at-least-once)."),
            Subcommand("bench", summary: "Measure the Kafka layer against a bare librdkafka relay in C."),
            Subcommand("status", summary: "Per stage: instances, events/s, lag in messages and seconds, dead letters, alerts."),
            Subcommand("topics", summary: "Create the pipeline's topics on a Kafka cluster (topics create)."),
            Subcommand("dlq", summary: "List dead letters by reason, and replay them to their source topic."),
            Subcommand("fuzz", summary: "Fuzz every decoder of outside input; print executions, rejections, crashes."),
        ])

    static func main() async {
        await table.dispatch { name, arguments in
            switch name {
            case "up": await UpCommand.main.run(arguments: arguments)
            case "broker": await BrokerCommand.main.run(arguments: arguments)
            case "query": await QueryCommand.run(arguments: arguments)
            case "relay": await RelayCommand.main.run(arguments: arguments)
            case "bench": await BenchCommand.main.run(arguments: arguments)
            case "status": await StatusCommand.main.run(arguments: arguments)
            case "topics": await TopicsCommand.run(arguments: arguments)
            case "dlq": await DeadLetterCommand.run(arguments: arguments)
            case "fuzz": await FuzzCommand.main.run(arguments: arguments)
            default: exit(2)
            }
        }
    }
}
