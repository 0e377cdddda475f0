public import PipelineMessages

extension SalesforceOrg {
    /// The Change Data Capture stream for the commits in `(fromMs, toMs]`, in commit order: what
    /// `generator cdc` sends to `salesforce.cdc`.
    ///
    /// - CREATE and UNDELETE carry every field (nulls as null `FieldValue`s); UPDATE carries only the changed
    ///   fields plus `LastModifiedDate`, `LastModifiedById`, `SystemModstamp` (all listed in `changedFields`,
    ///   the nulled ones also in `nulledFields`); DELETE carries no fields (the record's `IsDeleted` becomes true
    ///   and its `SystemModstamp` the commit time).
    /// - A mass change is one event whose `recordIds` holds every record it touched.
    /// - A transaction's events share `transactionKey` and count `sequenceNumber` from 1; the last has
    ///   `isTransactionEnd`.
    /// - A gap commit gives one header-only `GAP_CREATE` / `GAP_UPDATE` / `GAP_DELETE` / `GAP_UNDELETE`
    ///   (re-read the record by id); an oversized transaction's changes past `overflowThreshold` give one
    ///   header-only `GAP_OVERFLOW` per object, without ids (re-read the object's records whose
    ///   `SystemModstamp` ≥ the event's `commitTimestampMs`).
    ///
    /// Field values are the same texts as ``SalesforceValue/text`` (the REST rendering), so applying these events
    /// and re-reading what the gaps name from ``state(asOf:)`` at `toMs` reproduces that state exactly
    /// (``SalesforceReplica`` does this).
    public func changeEvents(after fromMs: Int64, through toMs: Int64) -> [ChangeEvent] {
        var events: [ChangeEvent] = []
        for commit in commits where commit.timestampMs > fromMs && commit.timestampMs <= toMs {
            events += Self.events(of: commit, seed: configuration.seed)
        }
        return events
    }

    /// Every change event after `baseTimeMs` (the whole change window).
    public var changeEvents: [ChangeEvent] {
        changeEvents(after: configuration.baseTimeMs, through: configuration.endTimeMs)
    }

    static func events(of commit: SalesforceCommit, seed: UInt64) -> [ChangeEvent] {
        func header(_ entity: String, _ type: ChangeType, _ ids: [String], sequence: Int) -> ChangeEvent {
            let uuid = ModelRandom.mix(seed ^ UInt64(commit.index) << 20 ^ UInt64(sequence))
            let replay = UInt64(commit.index) << 16 | UInt64(sequence)
            return ChangeEvent(
                entityName: entity, changeType: type, recordIDs: ids, commitTimestampMs: commit.timestampMs,
                commitNumber: commit.commitNumber, commitUser: commit.userId, transactionKey: commit.transactionKey,
                sequenceNumber: Int32(sequence), changeOrigin: commit.changeOrigin,
                replayID: (0..<8).map { UInt8(truncatingIfNeeded: replay >> (56 - 8 * $0)) },
                eventUUID: TimelineBuilder.transactionKey(seed: uuid, index: sequence))
        }
        if commit.isGap, let change = commit.changes.first {
            var event = header(change.object, change.kind.gapType, change.recordIds, sequence: 1)
            event.isTransactionEnd = true
            return [event]
        }
        var events: [ChangeEvent] = []
        let delivered = commit.overflowAfter.map { min($0, commit.changes.count) } ?? commit.changes.count
        for change in commit.changes.prefix(delivered) {
            var event = header(change.object, change.kind.changeType, change.recordIds, sequence: events.count + 1)
            switch change.kind {
            case .create, .undelete:
                event.fields = change.writes.map { FieldValue(name: $0.name, value: $0.value.text) }
            case .update:
                event.fields = change.writes.map { FieldValue(name: $0.name, value: $0.value.text) }
                event.changedFields = change.writes.map(\.name)
                event.nulledFields = change.writes.filter { $0.value.isNull }.map(\.name)
            case .delete:
                break
            }
            events.append(event)
        }
        var overflowed: [String] = []
        for change in commit.changes.dropFirst(delivered) where !overflowed.contains(change.object) {
            overflowed.append(change.object)
        }
        for object in overflowed {
            events.append(header(object, .gapOverflow, [], sequence: events.count + 1))
        }
        if !events.isEmpty { events[events.count - 1].isTransactionEnd = true }
        return events
    }
}

extension ChangeKind {
    /// The CDC change type of a delivered event.
    public var changeType: ChangeType {
        switch self {
        case .create: .create
        case .update: .update
        case .delete: .delete
        case .undelete: .undelete
        }
    }

    /// The gap type announcing this kind of change without its values.
    public var gapType: ChangeType {
        switch self {
        case .create: .gapCreate
        case .update: .gapUpdate
        case .delete: .gapDelete
        case .undelete: .gapUndelete
        }
    }
}
