public import PipelineMessages
import SalesforceRecords

/// What one change event becomes.
public struct RoutedChange: Sendable, Hashable {
    /// One per record id that is neither a duplicate nor stale, in the event's id order.
    public var records: [RecordChange] = []
    /// Re-reads to ask the extractor for: gap and overflow events, wildcard ids, stale changes and diff fields.
    public var requests: [BatchRequest] = []
    /// Record ids dropped as exact duplicates.
    public var duplicates = 0
    /// Record ids whose change was older than one already emitted (re-read instead).
    public var stale = 0

    public init() {}
}

/// The cdc-router's pure core for one partition: validate a change event, fan it out per record id, keep each
/// record's changes in order and drop exact duplicates (``RecordSequencer``), and turn what cannot be applied into
/// ``BatchRequest``s for the extractor.
///
/// - CREATE → an upsert with `full_record` (the body is the whole new record); UPDATE → an upsert of the changed
///   fields; UNDELETE → an upsert of the restored record (`full_record`; the writer clears the deleted flag);
///   DELETE → a delete that sets `is_deleted` to true and `system_modstamp` to the commit time, as Salesforce does
///   (the event itself carries no fields).
/// - GAP_CREATE/UPDATE/DELETE/UNDELETE → one request for exactly those ids (chunked); GAP_OVERFLOW → one request for
///   the object since the commit time minus `overflowMarginMs`; a wildcard id (`001*`) → the whole object.
/// - A change older than one this partition already emitted for the record is not emitted (it would land after
///   a newer one); the record is re-read instead, which also brings back any field only that change had.
/// - Diff fields (Pub/Sub long-text patches) are left out of the change and the records re-read.
///
/// Request ids are derived from the event, so a redelivered event asks again under the same id.
public final class ChangeRouter {
    public struct Configuration: Sendable {
        public var validator: ChangeEventValidator
        /// How far before an overflow's commit time the re-read starts, for clock skew between commit time and
        /// SystemModstamp.
        public var overflowMarginMs: Int64
        /// Most ids per BatchRequest (SOQL `IN` lists and URL length stay bounded).
        public var maximumIDsPerRequest: Int
        /// `BatchRequest.requested_by`: this instance's name.
        public var instance: String

        public init(
            validator: ChangeEventValidator = ChangeEventValidator(), overflowMarginMs: Int64 = 5_000,
            maximumIDsPerRequest: Int = 200, instance: String = "cdc-router"
        ) {
            self.validator = validator
            self.overflowMarginMs = overflowMarginMs
            self.maximumIDsPerRequest = max(1, maximumIDsPerRequest)
            self.instance = instance
        }
    }

    public let configuration: Configuration
    public let sequencer: RecordSequencer

    public init(configuration: Configuration = Configuration(), sequencer: RecordSequencer = RecordSequencer()) {
        self.configuration = configuration
        self.sequencer = sequencer
    }

    /// Routes one event read at `position` of this router's partition.
    /// - Parameter nowMs: `BatchRequest.requested_time_ms`.
    /// - Throws: ``CDCRejection`` when the event is not valid (dead-letter it); the state is then unchanged.
    public func route(_ event: ChangeEvent, position: Int64, nowMs: Int64) throws(CDCRejection) -> RoutedChange {
        let checked = try configuration.validator.check(event)
        return route(checked, position: position, nowMs: nowMs)
    }

    /// Replays an event read before the partition's first routed record into the state, emitting nothing: how the
    /// service rebuilds the sequencer from the log. Invalid events are ignored, as routing would have.
    public func observe(_ event: ChangeEvent, position: Int64) {
        guard let checked = try? configuration.validator.check(event) else { return }
        _ = route(checked, position: position, nowMs: 0)
    }

    func route(_ checked: CheckedChangeEvent, position: Int64, nowMs: Int64) -> RoutedChange {
        let event = checked.event
        var out = RoutedChange()
        let order = ChangeOrder(
            commitTimestampMs: event.commitTimestampMs, commitNumber: event.commitNumber,
            sequenceNumber: event.sequenceNumber)
        var reread: [String] = []
        for id in checked.recordIDs {
            let key = SalesforceRecordKey(object: event.entityName, id: id).description
            let verdict = sequencer.admit(
                record: key, transactionKey: event.transactionKey, sequenceNumber: event.sequenceNumber, order: order,
                position: position)
            switch verdict {
            case .duplicate:
                out.duplicates += 1
            case .stale where !event.changeType.isGap:
                out.stale += 1
                reread.append(id)
            case .fresh, .stale:
                if event.changeType.isGap || checked.hasDiffFields { reread.append(id) }
                if let change = Self.recordChange(checked, id: id) { out.records.append(change) }
            }
        }

        let base = "cdc:\(event.entityName):\(event.commitTimestampMs):\(event.transactionKey):\(event.sequenceNumber)"
        if event.changeType == .gapOverflow {
            out.requests.append(
                request(
                    id: base + ":overflow", object: event.entityName, ids: [], reason: .overflow,
                    sinceMs: max(0, event.commitTimestampMs - configuration.overflowMarginMs), nowMs: nowMs))
        }
        if !checked.wildcardPrefixes.isEmpty {
            out.requests.append(
                request(id: base + ":wildcard", object: event.entityName, ids: [], reason: .gap, sinceMs: 0, nowMs: nowMs))
        }
        var chunk = 0
        var start = 0
        while start < reread.count {
            let end = min(start + configuration.maximumIDsPerRequest, reread.count)
            out.requests.append(
                request(
                    id: base + ":ids:\(chunk)", object: event.entityName, ids: Array(reread[start..<end]), reason: .gap,
                    sinceMs: 0, nowMs: nowMs))
            start = end
            chunk += 1
        }
        return out
    }

    /// The change for one record, nil for gap events (they carry nothing to write).
    static func recordChange(_ checked: CheckedChangeEvent, id: String) -> RecordChange? {
        let event = checked.event
        let operation: RecordChange.Operation
        var fields = checked.fields
        switch event.changeType {
        case .create, .update, .undelete:
            operation = .upsert
        case .delete:
            operation = .delete
            fields = [
                FieldValue(name: "is_deleted", value: "true"),
                FieldValue(name: "system_modstamp", value: RESTDateTime.text(event.commitTimestampMs)),
            ]
        case .unspecified, .gapCreate, .gapUpdate, .gapDelete, .gapUndelete, .gapOverflow:
            return nil
        }
        let whole = (event.changeType == .create || event.changeType == .undelete) && !checked.hasDiffFields
        return RecordChange(
            object: event.entityName, id: id, operation: operation, fields: fields, fullRecord: whole, source: .cdc,
            sourceTimestampMs: event.commitTimestampMs, changeType: event.changeType, commitNumber: event.commitNumber,
            commitUser: event.commitUser, transactionKey: event.transactionKey, sequenceNumber: event.sequenceNumber)
    }

    private func request(
        id: String, object: String, ids: [String], reason: BatchRequest.Reason, sinceMs: Int64, nowMs: Int64
    ) -> BatchRequest {
        BatchRequest(
            requestID: id, object: object, recordIDs: ids, sinceMs: sinceMs, reason: reason,
            requestedBy: configuration.instance, requestedTimeMs: nowMs)
    }
}
