import Foundation
import Logging
import PipelineBigtable
import PipelineRuntime
import PipelineTables

/// `tributary query events --user U [--from T] [--to T] [--limit N] [--json]`.
///
/// One prefix/range scan of `events_fact`: the row key puts a user's events together, newest first, so the time
/// range becomes a key range and `--limit` stops the scan early.
enum QueryEventsCommand {
    struct Configuration: Sendable {
        var user: String
        var fromMs: Int64?
        var toMs: Int64?
        var limit: Int
        var json: Bool
        var bigtable: BigtableOptions
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary query events",
        summary: """
            Prints a user's events from events_fact, newest first. --from/--to take epoch milliseconds, an ISO-8601 \
            UTC time (2026-01-01T10:00:00Z) or a date (2026-01-01); --from is inclusive, --to exclusive.
            """,
        configuration: { reader in
            let user = reader.requiredString("user", help: "The user id.")
            let from = reader.optionalString("from", help: "Earliest event time (inclusive).")
            let to = reader.optionalString("to", help: "Latest event time (exclusive).")
            let limit = reader.int("limit", default: 20, help: "Most events to print.", range: 1...1_000_000)
            let json = reader.bool("json", help: "Print a JSON array instead of a table.")
            let bigtable = BigtableOptions.read(from: reader)
            let fromMs = from.flatMap(TimeText.parse)
            let toMs = to.flatMap(TimeText.parse)
            reader.require(from == nil || fromMs != nil, "--from: \"\(from ?? "")\" is not a time (epoch ms, ISO-8601 or a date)")
            reader.require(to == nil || toMs != nil, "--to: \"\(to ?? "")\" is not a time (epoch ms, ISO-8601 or a date)")
            return Configuration(user: user, fromMs: fromMs, toMs: toMs, limit: limit, json: json, bigtable: bigtable)
        },
        body: { configuration, logger in
            let client = try BigtableConnection.client(options: configuration.bigtable, logger: logger)
            let rows = try await withConnected(client) {
                try await client.readRows(
                    table: EventsFactTable.name,
                    rows: EventsFactTable.userRange(userID: configuration.user, fromMs: configuration.fromMs, toMs: configuration.toMs),
                    filter: .latestOnly, limit: configuration.limit)
            }
            let facts = rows.compactMap(FactRow.init)
            print(configuration.json ? EventsPrinter.json(facts) : EventsPrinter.table(facts, user: configuration.user))
            return 0
        })
}
