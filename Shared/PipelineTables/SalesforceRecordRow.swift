import struct Foundation.Data
public import PipelineBigtable
import SalesforceRecords

/// A `salesforce_records` row read back: the record's current state and its history (see
/// ``SalesforceRecordsTable`` for how cells encode them).
public struct SalesforceRecordRow: Sendable, Equatable {
    /// One version: what a change at `timestampMs` wrote.
    public struct Version: Sendable, Equatable {
        public var timestampMs: Int64
        /// Fields written at this time (nil: set to null).
        public var fields: [String: String?]
        /// Meta columns written at this time.
        public var meta: [String: String]
    }

    public var object: String
    public var id: String
    /// Every field's current value; nil for null (set to null, or left out of a newer full record).
    public var fields: [String: String?]
    /// The meta columns of the newest change.
    public var meta: [String: String]
    /// Versions newest first.
    public var history: [Version]

    public var deleted: Bool { meta["deleted"] == "true" }
    public var changeType: String? { meta["change_type"] }
    public var source: String? { meta["source"] }
    /// The source time of the newest change.
    public var lastChangeMs: Int64? { history.first?.timestampMs }

    /// Reads a row (all versions); nil when its key is not `{object}#{id}`.
    public init?(_ row: BigtableRow) {
        guard let key = SalesforceRecordKey(String(decoding: row.key, as: UTF8.self)) else { return nil }
        object = key.object
        id = key.id
        var versions: [Int64: Version] = [:]
        func version(_ micros: Int64) -> Version {
            versions[micros] ?? Version(timestampMs: micros / 1_000, fields: [:], meta: [:])
        }
        let lastFullMicros =
            row.cells(family: SalesforceRecordsTable.meta, qualifier: "full_record").map(\.timestampMicros).max() ?? 0
        var current: [String: String?] = [:]
        for (qualifier, cells) in row.families[SalesforceRecordsTable.fields] ?? [:] {
            let name = String(decoding: qualifier, as: UTF8.self)
            for cell in cells {
                var entry = version(cell.timestampMicros)
                entry.fields[name] = Self.text(cell.value)
                versions[cell.timestampMicros] = entry
            }
            guard let newest = cells.max(by: { $0.timestampMicros < $1.timestampMicros }) else { continue }
            current[name] = newest.timestampMicros < lastFullMicros ? String?.none : Self.text(newest.value)
        }
        for (qualifier, cells) in row.families[SalesforceRecordsTable.meta] ?? [:] {
            let name = String(decoding: qualifier, as: UTF8.self)
            for cell in cells {
                var entry = version(cell.timestampMicros)
                entry.meta[name] = String(decoding: cell.value, as: UTF8.self)
                versions[cell.timestampMicros] = entry
            }
        }
        fields = current
        history = versions.values.sorted { $0.timestampMs > $1.timestampMs }
        // The newest change's meta: the newest version that wrote meta (every change writes meta:change_type).
        meta = history.first { !$0.meta.isEmpty }?.meta ?? [:]
    }

    /// A cell value as a field value: nil for the null marker.
    static func text(_ value: Data) -> String? {
        value == SalesforceRecordsTable.nullMarker ? nil : String(decoding: value, as: UTF8.self)
    }
}
