internal import BigtableProto
public import struct Foundation.Data

/// A server-side ReadRows filter (the subset of `google.bigtable.v2.RowFilter` we use).
///
/// Regexes are RE2 syntax, matched against raw bytes; timestamps are microseconds.
public indirect enum BigtableRowFilter: Sendable, Hashable {
    /// Applies each filter to the output of the previous one.
    case chain([BigtableRowFilter])
    /// Applies every filter to the input and merges the outputs.
    case interleave([BigtableRowFilter])
    /// `predicate` matches any cell of a row ? `whenTrue` : `whenFalse` (nil = no cells).
    case condition(predicate: BigtableRowFilter, whenTrue: BigtableRowFilter?, whenFalse: BigtableRowFilter?)
    /// Keeps every cell.
    case passAll
    /// Drops every cell.
    case blockAll
    /// Keeps rows whose key matches.
    case rowKeyRegex(Data)
    /// Keeps cells whose family name matches (RE2, full match).
    case familyNameRegex(String)
    /// Keeps cells whose qualifier matches.
    case columnQualifierRegex(Data)
    /// Keeps cells of `family` with qualifiers in `[startClosed, endOpen)` (nil = unbounded).
    case columnRange(family: String, startClosed: Data?, endOpen: Data?)
    /// Keeps cells with `startMicros <= timestamp < endMicros` (nil end = unbounded).
    case timestampRange(startMicros: Int64, endMicros: Int64?)
    /// Keeps cells whose value matches.
    case valueRegex(Data)
    /// Keeps the first N cells of each row.
    case cellsPerRowLimit(Int32)
    /// Skips the first N cells of each row.
    case cellsPerRowOffset(Int32)
    /// Keeps the newest N cells of each column.
    case cellsPerColumnLimit(Int32)
    /// Replaces values with empty ones (cheap existence checks).
    case stripValue
    /// Labels every cell (only valid inside an interleave).
    case applyLabel(String)

    /// The latest version of each column, the usual read.
    public static let latestOnly = BigtableRowFilter.cellsPerColumnLimit(1)

    /// Cells of one family (an anchored regex of the literal name).
    public static func family(_ name: String) -> Self { .familyNameRegex("^" + Self.escapeRE2(name) + "$") }

    /// Escapes RE2 metacharacters so a literal name can be matched exactly.
    static func escapeRE2(_ literal: String) -> String {
        var escaped = ""
        for character in literal {
            if "\\.+*?()|[]{}^$".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    var proto: Google_Bigtable_V2_RowFilter {
        var filter = Google_Bigtable_V2_RowFilter()
        switch self {
        case .chain(let filters):
            var chain = Google_Bigtable_V2_RowFilter.Chain()
            chain.filters = filters.map(\.proto)
            filter.chain = chain
        case .interleave(let filters):
            var interleave = Google_Bigtable_V2_RowFilter.Interleave()
            interleave.filters = filters.map(\.proto)
            filter.interleave = interleave
        case .condition(let predicate, let whenTrue, let whenFalse):
            var condition = Google_Bigtable_V2_RowFilter.Condition()
            condition.predicateFilter = predicate.proto
            if let whenTrue { condition.trueFilter = whenTrue.proto }
            if let whenFalse { condition.falseFilter = whenFalse.proto }
            filter.condition = condition
        case .passAll: filter.passAllFilter = true
        case .blockAll: filter.blockAllFilter = true
        case .rowKeyRegex(let regex): filter.rowKeyRegexFilter = regex
        case .familyNameRegex(let regex): filter.familyNameRegexFilter = regex
        case .columnQualifierRegex(let regex): filter.columnQualifierRegexFilter = regex
        case .columnRange(let family, let start, let end):
            var range = Google_Bigtable_V2_ColumnRange()
            range.familyName = family
            if let start { range.startQualifierClosed = start }
            if let end { range.endQualifierOpen = end }
            filter.columnRangeFilter = range
        case .timestampRange(let start, let end):
            var range = Google_Bigtable_V2_TimestampRange()
            range.startTimestampMicros = start
            range.endTimestampMicros = end ?? 0
            filter.timestampRangeFilter = range
        case .valueRegex(let regex): filter.valueRegexFilter = regex
        case .cellsPerRowLimit(let count): filter.cellsPerRowLimitFilter = count
        case .cellsPerRowOffset(let count): filter.cellsPerRowOffsetFilter = count
        case .cellsPerColumnLimit(let count): filter.cellsPerColumnLimitFilter = count
        case .stripValue: filter.stripValueTransformer = true
        case .applyLabel(let label): filter.applyLabelTransformer = label
        }
        return filter
    }
}
