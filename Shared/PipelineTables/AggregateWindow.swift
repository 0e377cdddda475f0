/// The event-time windows of `events_aggregate`, all UTC: hours, days and ISO-8601 weeks (Monday to Sunday, week 1 is
/// the week with the year's first Thursday).
public enum AggregateGranularity: String, Sendable, Hashable, CaseIterable {
    case hour
    case day
    case week

    /// The column family holding this granularity's cells.
    public var family: String {
        switch self {
        case .hour: EventsAggregateTable.hourlyStats
        case .day: EventsAggregateTable.dailyStats
        case .week: EventsAggregateTable.weeklyStats
        }
    }
}

/// One window: its granularity and start, with the arithmetic the row keys and the watermark need.
public struct AggregateWindow: Sendable, Hashable {
    public static let hourMs: Int64 = 3_600_000
    public static let dayMs: Int64 = 86_400_000
    public static let weekMs: Int64 = 7 * dayMs

    public let granularity: AggregateGranularity
    /// Epoch milliseconds of the window's first instant.
    public let startMs: Int64

    /// The window of `granularity` that contains `timeMs`.
    public init(_ granularity: AggregateGranularity, containing timeMs: Int64) {
        self.granularity = granularity
        switch granularity {
        case .hour: startMs = Self.floor(timeMs, Self.hourMs)
        case .day: startMs = Self.floor(timeMs, Self.dayMs)
        case .week:
            // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
            let days = Self.floor(timeMs, Self.dayMs) / Self.dayMs
            let weekday = ((days + 3) % 7 + 7) % 7
            startMs = (days - weekday) * Self.dayMs
        }
    }

    public init(granularity: AggregateGranularity, startMs: Int64) {
        self.granularity = granularity
        self.startMs = startMs
    }

    /// The first instant after the window.
    public var endMs: Int64 {
        switch granularity {
        case .hour: startMs + Self.hourMs
        case .day: startMs + Self.dayMs
        case .week: startMs + Self.weekMs
        }
    }

    /// The `{date}` part of the row key holding this window: `2026-01-05` for hours and days (the hour is in the
    /// column), `2026-W02` for weeks (ISO week-numbering year).
    public var rowDate: String {
        switch granularity {
        case .hour, .day: return Self.dateText(startMs)
        case .week:
            // The ISO year is the Thursday's year; the week number counts from that year's first Thursday's week.
            let thursday = CivilDate(epochMs: startMs + 3 * Self.dayMs)
            let week = (thursday.dayOfYear - 1) / 7 + 1
            return "\(Self.pad(thursday.year, 4))-W\(Self.pad(week, 2))"
        }
    }

    /// The hour of day (0–23) of an hourly window, used in its column qualifier.
    public var hourOfDay: Int { Int((startMs - Self.floor(startMs, Self.dayMs)) / Self.hourMs) }

    /// `yyyy-mm-dd` of an instant.
    public static func dateText(_ ms: Int64) -> String {
        let date = CivilDate(epochMs: ms)
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }

    static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        let quotient = value / unit
        return (value % unit < 0 ? quotient - 1 : quotient) * unit
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A UTC calendar date (Howard Hinnant's `civil_from_days`).
struct CivilDate {
    var year: Int64
    var month: Int64
    var day: Int64
    var dayOfYear: Int64

    init(epochMs: Int64) {
        let days = AggregateWindow.floor(epochMs, AggregateWindow.dayMs) / AggregateWindow.dayMs
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        // Day of year from the days since 1970 of this year's 1 January.
        let y = year - 1
        let januaryFirst = 365 * (y - 1969) + (y / 4 - 1969 / 4) - (y / 100 - 1969 / 100) + (y / 400 - 1969 / 400)
        dayOfYear = days - januaryFirst + 1
    }
}
