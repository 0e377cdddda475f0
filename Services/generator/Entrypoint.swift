import Glibc
import PipelineRuntime

/// `generator`: the load tester. Each mode is a subcommand with its own folder.
@main enum Entrypoint {
    static let table = SubcommandTable(
        program: "generator",
        summary: "Synthetic, seeded data for the pipeline: the load tester.",
        subcommands: [
            Subcommand("events", summary: "Clickstream events to events.raw at a chosen rate, with bad records.")
        ])

    static func main() async {
        await table.dispatch { name, arguments in
            switch name {
            case "events": await EventsCommand.run(arguments: arguments)
            default: exit(2)
            }
        }
    }
}
