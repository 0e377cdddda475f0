import Foundation
import Logging
import PipelineBigtable
import PipelineRuntime
import PipelineTables

/// `tributary query aggregates --dimension D --value V [--from T] [--to T] [--granularity hour|day|week] [--json]`.
///
/// One prefix scan of `events_aggregate` (`{dimension}#{value}#`, only the granularity's family and the
/// finalisation marks), then the per-partition cells of each window summed: partitions' user sets are disjoint, so
/// the distinct-user total is exact.
enum QueryAggregatesCommand {
    struct Configuration: Sendable {
        var dimension: EventsAggregateTable.Dimension
        var value: String
        var fromMs: Int64?
        var toMs: Int64?
        var granularity: AggregateGranularity
        var table: String
        var json: Bool
        var bigtable: BigtableOptions
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary query aggregates",
        summary: """
            Prints the aggregates of one dimension value from events_aggregate, one line per window: events, \
            distinct users, play length sum and max, price sum and max, counts per event type, and whether the \
            window is final. --from/--to take epoch milliseconds, an ISO-8601 UTC time or a date; a window is \
            listed when it starts in [from, to).
            """,
        configuration: { reader in
            let dimensions = EventsAggregateTable.Dimension.allCases.map(\.rawValue)
            let dimensionText = reader.requiredString(
                "dimension", help: "One of \(dimensions.joined(separator: ", ")).")
            let value = reader.optionalString("value", help: "The value, e.g. a song id (default for --dimension all: all).")
            let from = reader.optionalString("from", help: "Earliest window start (inclusive).")
            let to = reader.optionalString("to", help: "Latest window start (exclusive).")
            let granularityText = reader.string("granularity", default: "day", help: "hour, day or week.")
            let table = reader.string("table", default: EventsAggregateTable.name, help: "The aggregate table.")
            let json = reader.bool("json", help: "Print a JSON array instead of a table.")
            let bigtable = BigtableOptions.read(from: reader)
            let dimension = EventsAggregateTable.Dimension(rawValue: dimensionText)
            let granularity = AggregateGranularity(rawValue: granularityText)
            reader.require(dimension != nil, "--dimension: \"\(dimensionText)\" is not one of \(dimensions.joined(separator: ", "))")
            reader.require(granularity != nil, "--granularity: \"\(granularityText)\" is not hour, day or week")
            reader.require(value != nil || dimension == .all, "--value is required for --dimension \(dimensionText)")
            let fromMs = from.flatMap(TimeText.parse)
            let toMs = to.flatMap(TimeText.parse)
            reader.require(from == nil || fromMs != nil, "--from: \"\(from ?? "")\" is not a time (epoch ms, ISO-8601 or a date)")
            reader.require(to == nil || toMs != nil, "--to: \"\(to ?? "")\" is not a time (epoch ms, ISO-8601 or a date)")
            return Configuration(
                dimension: dimension ?? .all, value: value ?? EventsAggregateTable.allValue, fromMs: fromMs, toMs: toMs,
                granularity: granularity ?? .day, table: table, json: json, bigtable: bigtable)
        },
        body: { configuration, logger in
            let client = try BigtableConnection.client(options: configuration.bigtable, logger: logger)
            let family = configuration.granularity.family
            let rows = try await withConnected(client) {
                try await client.readRows(
                    table: configuration.table,
                    rows: .prefix(EventsAggregateTable.rowPrefix(configuration.dimension, configuration.value)),
                    filter: .chain([
                        .familyNameRegex("^(\(family)|\(EventsAggregateTable.metadata))$"), .latestOnly,
                    ]))
            }
            let windows = rows.flatMap(EventsAggregateTable.totals(of:)).filter { totals in
                totals.window.granularity == configuration.granularity
                    && totals.window.startMs >= (configuration.fromMs ?? .min)
                    && totals.window.startMs < (configuration.toMs ?? .max)
            }.sorted { $0.window.startMs < $1.window.startMs }
            print(configuration.json ? AggregatesPrinter.json(windows) : AggregatesPrinter.table(windows))
            return 0
        })
}
