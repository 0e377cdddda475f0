public import SalesforceRecords

/// A synthetic, seeded Salesforce org: six objects (User, Account, Contact, Lead, Opportunity, Case) with
/// realistic fields, lookups, picklists and custom `…__c` fields, and a timeline of committed changes.
///
/// Everything is a pure function of ``Configuration`` (no clock, no I/O), so the REST simulator, the CDC
/// stream and the tests that check the pipeline all describe the same org:
/// - ``state(asOf:)``: every record (deleted ones flagged) as of a time: what `/queryAll` serves;
/// - ``history(asOf:)`` / ``history(object:id:asOf:)``: each record's successive versions;
/// - ``describe(_:)``: the field list of an object;
/// - ``changeEvents(after:through:)``: the CDC stream for `(from, to]` (in `SalesforceOrg+ChangeEvents.swift`).
///
/// The timeline: every record is created before ``Configuration/baseTimeMs`` (over ``Configuration/historyDays``,
/// with some edits and deletions), then ``Configuration/changes`` commits follow in
/// `(baseTimeMs, baseTimeMs + durationMs]`: edits, creates, deletes, undeletes, mass changes (one change on
/// several records), multi-change transactions (lead conversions, an account with its contacts) and, when
/// ``Configuration/overflow`` is on, one transaction too large for CDC (its tail becomes `GAP_OVERFLOW`).
public struct SalesforceOrg: Sendable {
    /// The knobs; the defaults are test-sized (a few hundred records and changes).
    public struct Configuration: Sendable, Hashable {
        /// Selects everything.
        public var seed: UInt64
        /// Records created before `baseTimeMs` for each of Account, Contact, Lead, Opportunity and Case.
        public var recordsPerObject: Int
        /// Commits after `baseTimeMs`.
        public var changes: Int
        /// Share of single-record commits whose change event is a `GAP_*` event (at least one of each kind is
        /// always a gap when this is above 0).
        public var gapShare: Double
        /// Share of commits that are mass changes (one event, several `recordIds`).
        public var mergeShare: Double
        /// One commit in the middle edits more Contacts than `overflowThreshold`: `GAP_OVERFLOW` for the rest.
        public var overflow: Bool
        /// Changes of one transaction that still get their own events (Salesforce: 100,000).
        public var overflowThreshold: Int
        /// The org as the extractor first sees it; default 2026-11-30T00:00:00Z.
        public var baseTimeMs: Int64
        /// Changes happen in `(baseTimeMs, baseTimeMs + durationMs]`; default one day.
        public var durationMs: Int64
        /// How far before `baseTimeMs` the history starts.
        public var historyDays: Int

        public init(seed: UInt64 = 1, recordsPerObject: Int = 60, changes: Int = 300, gapShare: Double = 0.05,
                    mergeShare: Double = 0.05, overflow: Bool = true, overflowThreshold: Int = 20,
                    baseTimeMs: Int64 = 1_795_996_800_000, durationMs: Int64 = 86_400_000, historyDays: Int = 365) {
            self.seed = seed
            self.recordsPerObject = recordsPerObject
            self.changes = changes
            self.gapShare = gapShare
            self.mergeShare = mergeShare
            self.overflow = overflow
            self.overflowThreshold = overflowThreshold
            self.baseTimeMs = baseTimeMs
            self.durationMs = durationMs
            self.historyDays = historyDays
        }

        /// Users: one per ten records of the other objects, at least five.
        public var userCount: Int { max(5, recordsPerObject / 10) }
        /// The end of the change window.
        public var endTimeMs: Int64 { baseTimeMs + durationMs }
    }

    public let configuration: Configuration
    /// Every commit from the org's first record to `endTimeMs`, in commit order (strictly increasing times).
    public let commits: [SalesforceCommit]
    /// The object API names, in dependency order: User, Account, Contact, Lead, Opportunity, Case.
    public let objectNames: [String]
    /// Index in `commits` of the first commit after `baseTimeMs`.
    public let firstChangeIndex: Int

    /// Builds the org (milliseconds for the defaults, well under a second for a few thousand records).
    public init(configuration: Configuration = Configuration()) {
        precondition(configuration.recordsPerObject >= 1 && configuration.changes >= 0)
        self.configuration = configuration
        var builder = TimelineBuilder(configuration: configuration)
        commits = builder.build()
        objectNames = ObjectCatalog.all.map(\.name)
        firstChangeIndex = commits.firstIndex { $0.timestampMs > configuration.baseTimeMs } ?? commits.count
    }

    /// The object's describe (fields in order), nil for an unknown object. Names match case-insensitively.
    public func describe(_ object: String) -> SalesforceObjectDescription? {
        ObjectCatalog.all.first { $0.name.lowercased() == object.lowercased() }?.description
    }

    /// Every record that exists (created at or before `asOfMs`), deleted ones flagged, per object, sorted by id.
    ///
    /// This is what the simulator serves at org clock `asOfMs` (`/query` hides the deleted ones) and what a
    /// complete pipeline run must end with in `salesforce_records`.
    public func state(asOf asOfMs: Int64) -> SalesforceOrgState {
        var state = OrgState(specs: ObjectCatalog.all)
        for commit in commits where commit.timestampMs <= asOfMs { state.apply(commit) }
        return SalesforceOrgState(asOfMs: asOfMs, state: state)
    }

    /// Every record's versions up to `asOfMs`, oldest first: one per change that touched it.
    public func history(asOf asOfMs: Int64) -> [SalesforceRecordKey: [SalesforceRecordVersion]] {
        var state = OrgState(specs: ObjectCatalog.all)
        var versions: [SalesforceRecordKey: [SalesforceRecordVersion]] = [:]
        for commit in commits where commit.timestampMs <= asOfMs {
            for touched in state.apply(commit) {
                let record = state.tables[touched.table].record(touched.row)
                versions[SalesforceRecordKey(object: record.object, id: record.id), default: []].append(
                    SalesforceRecordVersion(commitTimestampMs: commit.timestampMs, changeType: touched.kind,
                                            record: record))
            }
        }
        return versions
    }

    /// One record's versions up to `asOfMs`, oldest first (empty for an unknown record).
    public func history(object: String, id: String, asOf asOfMs: Int64) -> [SalesforceRecordVersion] {
        history(asOf: asOfMs)[SalesforceRecordKey(object: object, id: id)] ?? []
    }
}

/// The org's records at one moment.
public struct SalesforceOrgState: Sendable {
    /// The moment.
    public let asOfMs: Int64
    /// Per object API name, the records sorted by id (deleted ones included, flagged).
    public let records: [String: [SalesforceRecord]]

    init(asOfMs: Int64, state: OrgState) {
        self.asOfMs = asOfMs
        var records: [String: [SalesforceRecord]] = [:]
        for table in state.tables {
            records[table.spec.name] = table.ids.indices.map(table.record).sorted { $0.id < $1.id }
        }
        self.records = records
        rows = records.mapValues { list in
            Dictionary(uniqueKeysWithValues: list.enumerated().map { ($1.id, $0) })
        }
    }

    private let rows: [String: [String: Int]]

    /// One record by object and id; nil when it does not exist (yet).
    public func record(object: String, id: String) -> SalesforceRecord? {
        rows[object]?[id].map { records[object]![$0] }
    }

    /// Every record of every object (object order, then id).
    public var allRecords: [SalesforceRecord] {
        ObjectCatalog.all.flatMap { records[$0.name] ?? [] }
    }
}
