import Foundation
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables

/// Which table a consumed record goes to, by the topic it was read from.
struct WriteRoutes: Sendable {
    /// The clean-events topic (→ `events_fact`), if this writer consumes it.
    var eventsTopic: String?
    /// The Salesforce record-changes topic (→ `salesforce_records`), if this writer consumes it.
    var salesforceTopic: String?
}

/// One consumed batch on its way to Bigtable: the rows to write per table and the records that could not become
/// rows.
struct WriteJob: Sendable {
    /// The entries for one table, and for each the index of the message it came from.
    struct TableWrite: Sendable {
        let table: String
        var entries: [BigtableMutationEntry] = []
        var sources: [Int] = []
        /// Further messages folded into an entry (by entry index): Salesforce changes of one row.
        var merged: [Int: [Int]] = [:]
        /// When each entry's event entered the pipeline (`ingest_time_ms`, epoch ms; events only, 0 if unknown),
        /// for the end-to-end latency histogram.
        var ingestTimesMs: [Int64] = []

        /// Every message whose mutations entry `index` holds.
        func messages(ofEntry index: Int) -> [Int] { [sources[index]] + (merged[index] ?? []) }
    }

    let batch: ConsumedBatch
    let writes: [TableWrite]
    /// Messages that cannot become a row: (index, reason, detail).
    let undecodable: [(index: Int, reason: String, detail: String)]

    init(batch: ConsumedBatch, routes: WriteRoutes) {
        self.batch = batch
        var events = TableWrite(table: EventsFactTable.name)
        var records = TableWrite(table: SalesforceRecordsTable.name)
        var undecodable: [(Int, String, String)] = []
        // A record's changes in one batch become one entry, mutations in log order: MutateRows applies the
        // entries of a request in any order, but the mutations of one entry in order, which matters when two
        // changes of a record share a timestamp (one transaction).
        var recordEntry: [Data: Int] = [:]
        events.entries.reserveCapacity(batch.count)
        events.sources.reserveCapacity(batch.count)
        events.ingestTimesMs.reserveCapacity(batch.count)
        for (index, message) in batch.enumerated() {
            let isSalesforce: Bool
            switch (routes.eventsTopic, routes.salesforceTopic) {
            case (nil, _): isSalesforce = true
            case (_, nil): isSalesforce = false  // the events-only writer never looks at topic names
            case (_, let topic?): isSalesforce = message.topic == topic
            }
            if isSalesforce {
                do {
                    let change = try message.withValue { try RecordChange(decoding: $0) }
                    let entry = try SalesforceRecordsTable.entry(for: change)
                    if let existing = recordEntry[entry.rowKey] {
                        records.entries[existing].mutations += entry.mutations
                        records.merged[existing, default: []].append(index)
                    } else {
                        recordEntry[entry.rowKey] = records.entries.count
                        records.entries.append(entry)
                        records.sources.append(index)
                    }
                } catch let rejection as SalesforceRecordsTable.Rejection {
                    undecodable.append((index, rejection.reason, rejection.detail))
                } catch {
                    undecodable.append(
                        (index, (error as? MessageDecodingError)?.reason ?? "undecodable_message",
                         "salesforce.records record is not a RecordChange: \(error)"))
                }
                continue
            }
            do {
                let event = try message.withValue { try CleanEvent(decoding: $0) }
                guard !event.userID.isEmpty, !event.eventID.isEmpty else {
                    undecodable.append((index, "missing_key_field", "a CleanEvent without user_id or event_id"))
                    continue
                }
                // The transformer never emits such times, but anything can be produced to events.clean: a time
                // whose microseconds overflow Int64 would trap, and one before 1970 is refused by Bigtable.
                guard EventsFactTable.eventTimes.contains(event.eventTimeMs) else {
                    undecodable.append(
                        (index, "out_of_range", "event_time_ms \(event.eventTimeMs) is outside 1970-01-01…9999-12-31"))
                    continue
                }
                events.entries.append(EventsFactTable.entry(for: event))
                events.sources.append(index)
                events.ingestTimesMs.append(event.ingestTimeMs)
            } catch {
                undecodable.append(
                    ((index, (error as? MessageDecodingError)?.reason ?? "undecodable_message",
                      "events.clean record is not a CleanEvent: \(error)")))
            }
        }
        writes = [events, records].filter { !$0.entries.isEmpty }
        self.undecodable = undecodable
    }
}
