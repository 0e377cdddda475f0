import Foundation
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables

/// One consumed batch on its way to Bigtable: the rows to write and the records that could not become rows.
struct WriteJob: Sendable {
    let batch: ConsumedBatch
    /// Mutation entries, and for each the index of the message it came from.
    let entries: [BigtableMutationEntry]
    let sources: [Int]
    /// Messages that are not a readable CleanEvent: (index, reason, detail).
    let undecodable: [(index: Int, reason: String, detail: String)]

    init(batch: ConsumedBatch) {
        self.batch = batch
        var entries: [BigtableMutationEntry] = []
        var sources: [Int] = []
        var undecodable: [(Int, String, String)] = []
        entries.reserveCapacity(batch.count)
        sources.reserveCapacity(batch.count)
        for (index, message) in batch.enumerated() {
            do {
                let event = try message.withValue { try CleanEvent(decoding: $0) }
                guard !event.userID.isEmpty, !event.eventID.isEmpty else {
                    undecodable.append((index, "missing_key_field", "a CleanEvent without user_id or event_id"))
                    continue
                }
                entries.append(EventsFactTable.entry(for: event))
                sources.append(index)
            } catch {
                undecodable.append(
                    ((index, (error as? MessageDecodingError)?.reason ?? "undecodable_message",
                      "events.clean record is not a CleanEvent: \(error)")))
            }
        }
        self.entries = entries
        self.sources = sources
        self.undecodable = undecodable
    }
}
