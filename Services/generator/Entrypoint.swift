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
        let selection: SubcommandTable.Selection
        do {
            selection = try table.select(ProcessEnvironment.arguments)
        } catch {
            ProcessEnvironment.printError("generator: \(error.message)\nSee 'generator --help'.")
            exit(2)
        }
        switch selection {
        case .help(let text):
            print(text, terminator: "")
            exit(0)
        case .run(let name, let arguments):
            switch name {
            case "events": await EventsCommand.run(arguments: arguments)
            default: exit(2)
            }
        }
    }
}
