import Glibc
import PipelineRuntime

/// `extractor`: Salesforce REST extraction into salesforce.records, and file ingestion.
@main enum Entrypoint {
    static let table = SubcommandTable(
        program: "extractor",
        summary: "Salesforce records (REST API or files) to salesforce.records.",
        subcommands: [
            Subcommand("run", summary: "Incremental passes every --poll-interval and pipeline.batch requests, until SIGTERM."),
            Subcommand("once", summary: "One incremental pass (and, with --batch-requests, the waiting requests), then exit."),
            Subcommand("file", summary: "Ingest a CSV or JSON-lines file of records; bad lines are dead-lettered."),
        ])

    static func main() async {
        await table.dispatch { name, arguments in
            switch name {
            case "run": await RunCommand.run(arguments: arguments)
            case "once": await OnceCommand.run(arguments: arguments)
            case "file": await FileCommand.run(arguments: arguments)
            default: exit(2)
            }
        }
    }
}
