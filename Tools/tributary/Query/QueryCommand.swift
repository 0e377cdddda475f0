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
        ])

    static func run(arguments: [String]) async -> Never {
        let selection: SubcommandTable.Selection
        do {
            selection = try table.select(arguments)
        } catch {
            ProcessEnvironment.printError("tributary query: \(error.message)\nSee 'tributary query --help'.")
            exit(2)
        }
        switch selection {
        case .help(let text):
            print(text, terminator: "")
            exit(0)
        case .run(let name, let rest):
            switch name {
            case "events": await QueryEventsCommand.main.run(arguments: rest)
            case "aggregates": await QueryAggregatesCommand.main.run(arguments: rest)
            default: exit(2)
            }
        }
    }
}
