import Glibc
import PipelineRuntime

/// `tributary query …`: reads what the pipeline stored in Bigtable.
enum QueryCommand {
    static let table = SubcommandTable(
        program: "tributary query",
        summary: "Read what the pipeline stored in Bigtable.",
        subcommands: [
            Subcommand("events", summary: "A user's events, newest first, optionally within a time range."),
            Subcommand("aggregates", summary: "One dimension value's aggregates per hour, day or week."),
            Subcommand("record", summary: "A Salesforce record's current fields and, with --history, its versions."),
        ])

    static func run(arguments: [String]) async -> Never {
        await table.dispatch(arguments) { name, arguments in
            switch name {
            case "events": await QueryEventsCommand.main.run(arguments: arguments)
            case "aggregates": await QueryAggregatesCommand.main.run(arguments: arguments)
            case "record": await QueryRecordCommand.main.run(arguments: arguments)
            default: exit(2)
            }
        }
    }
}
