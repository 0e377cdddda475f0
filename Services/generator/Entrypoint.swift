import Glibc
import PipelineRuntime

/// `generator`: the load tester. Each mode is a subcommand with its own folder.
@main enum Entrypoint {
    static let table = SubcommandTable(
        program: "generator",
        summary: "Synthetic, seeded data for the pipeline: the load tester.",
        subcommands: [
            Subcommand("events", summary: "Clickstream events to events.raw at a chosen rate, with bad records."),
            Subcommand("salesforce-api", summary: "A Salesforce REST API simulator serving a seeded org (OAuth, SOQL, faults)."),
            Subcommand("cdc", summary: "The seeded org's Change Data Capture events to salesforce.cdc, then exit."),
        ])

    static func main() async {
        await table.dispatch { name, arguments in
            switch name {
            case "events": await EventsCommand.run(arguments: arguments)
            case "salesforce-api": await SalesforceAPICommand.run(arguments: arguments)
            case "cdc": await CDCCommand.run(arguments: arguments)
            default: exit(2)
            }
        }
    }
}
