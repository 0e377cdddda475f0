import PipelineTables

/// Rows and cells of one partition's state, packed into integers so the per-event path hashes no strings.
///
/// A row is `(value id, row date, day-or-week row)`; a cell adds its slot in the row: hours 0–23 and the day
/// live in day rows, the week in week rows. Layout (63 bits): value id (32) · day index + 2²⁵ (26) · slot (5), where
/// the day index is days since 1970 (of the day, or of the week's Monday). Event times further than ~90,000 years
/// from 1970 would alias; the transformer's range checks keep them far away from that.
enum CellPacking {
    static let daySlot: UInt64 = 24
    static let weekSlot: UInt64 = 25
    private static let dayBias: Int64 = 1 << 25
    private static let dayMask: UInt64 = (1 << 26) - 1

    /// The row of a value holding the day (and its hours) starting at `dayIndex`, or the week starting at it.
    static func row(value: UInt32, dayIndex: Int64, week: Bool) -> UInt64 {
        UInt64(value) << 27 | (UInt64(bitPattern: dayIndex &+ dayBias) & dayMask) << 1 | (week ? 1 : 0)
    }

    /// A cell of `row`: slot 0–23 for hours, ``daySlot``, ``weekSlot``.
    static func cell(row: UInt64, slot: UInt64) -> UInt64 { row << 5 | slot }

    static func row(ofCell cell: UInt64) -> UInt64 { cell >> 5 }
    static func slot(ofCell cell: UInt64) -> UInt64 { cell & 31 }
    static func value(ofRow row: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: row >> 27) }
    static func isWeek(row: UInt64) -> Bool { row & 1 == 1 }
    static func dayIndex(ofRow row: UInt64) -> Int64 { Int64((row >> 1) & dayMask) - dayBias }

    /// The row with its value id replaced (used when the value table is compacted).
    static func row(_ row: UInt64, withValue value: UInt32) -> UInt64 { UInt64(value) << 27 | row & ((1 << 27) - 1) }

    /// The window a cell holds.
    static func window(ofCell cell: UInt64) -> AggregateWindow {
        let day = dayIndex(ofRow: row(ofCell: cell)) * AggregateWindow.dayMs
        switch slot(ofCell: cell) {
        case daySlot: return AggregateWindow(granularity: .day, startMs: day)
        case weekSlot: return AggregateWindow(granularity: .week, startMs: day)
        case let hour: return AggregateWindow(granularity: .hour, startMs: day + Int64(hour) * AggregateWindow.hourMs)
        }
    }

    /// The cell holding `window` in a row of `value`.
    static func cell(value: UInt32, window: AggregateWindow) -> UInt64 {
        let dayIndex = AggregateWindow(.day, containing: window.startMs).startMs / AggregateWindow.dayMs
        switch window.granularity {
        case .hour: return cell(row: row(value: value, dayIndex: dayIndex, week: false), slot: UInt64(window.hourOfDay))
        case .day: return cell(row: row(value: value, dayIndex: dayIndex, week: false), slot: daySlot)
        case .week: return cell(row: row(value: value, dayIndex: dayIndex, week: true), slot: weekSlot)
        }
    }

    /// The end of the last window a row can hold.
    static func end(ofRow row: UInt64) -> Int64 {
        dayIndex(ofRow: row) * AggregateWindow.dayMs + (isWeek(row: row) ? AggregateWindow.weekMs : AggregateWindow.dayMs)
    }
}
