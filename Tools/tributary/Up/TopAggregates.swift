import PipelineBigtable
import PipelineTables

/// The few lines `tributary up` ends with: the day's top pages and songs, read back from `events_aggregate`.
enum TopAggregates {
    /// Top `limit` values of `dimension` by events on the busiest day stored, as printable lines.
    static func lines(
        client: BigtableClient, dimension: EventsAggregateTable.Dimension, limit: Int = 5
    ) async throws -> [String] {
        let rows = try await client.readRows(
            table: EventsAggregateTable.name, rows: .prefix(dimension.rawValue + "#"),
            filter: .chain([.family(EventsAggregateTable.dailyStats), .latestOnly]))
        // (day, value) → events and users, summed over partitions.
        var byDay: [String: [(value: String, events: UInt64, users: Int)]] = [:]
        for row in rows {
            let key = String(decoding: row.key, as: UTF8.self)
            let parts = key.split(separator: "#", omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for totals in EventsAggregateTable.totals(of: row) where totals.window.granularity == .day {
                byDay[String(parts[2]), default: []].append(
                    (EventsAggregateTable.unescape(parts[1]), totals.count, totals.distinctUsers))
            }
        }
        guard let (day, values) = byDay.max(by: { $0.value.reduce(0) { $0 + $1.events } < $1.value.reduce(0) { $0 + $1.events } })
        else { return ["no \(dimension.rawValue) aggregates yet"] }
        let top = values.sorted { ($0.events, $1.value) > ($1.events, $0.value) }.prefix(limit)
        return ["top \(dimension.rawValue)s on \(day) (events, distinct users):"]
            + top.map { "  \($0.value): \($0.events) events, \($0.users) users" }
    }
}
