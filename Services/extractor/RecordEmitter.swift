import PipelineStage
import Metrics
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import SalesforceExtraction

/// Turns a page of rows into `salesforce.records` messages (and dead letters for rows that cannot be mapped),
/// sent through whatever tracks their delivery.
struct RecordEmitter: Sendable {
    let records: ProducerTopic
    let deadLetters: ProducerTopic
    let metrics: ExtractorMetrics

    typealias Send = (ProducerTopic, [UInt8]?, [UInt8]) async throws(KafkaError) -> Void

    /// What a page amounted to.
    struct Emitted {
        var records = 0
        var deadLetters = 0
        /// The highest watermark of the page's rows, if the rows came in watermark order; nil otherwise (the
        /// watermark must then not move past this page).
        var watermark: Watermark?
        var ordered = true
    }

    /// Sends every row of `page`.
    /// - Parameter after: The watermark the rows must all be above (the previous page's end), to check order.
    func emit(
        _ page: QueryPage, object: String, requestID: String, after: Watermark?, send: Send
    ) async throws(KafkaError) -> Emitted {
        var emitted = Emitted()
        var previous = after
        for row in page.records {
            do {
                let mapped = try RecordMapping.map(row, object: object, requestID: requestID)
                try await send(records, Array(RecordMapping.key(of: mapped.change).utf8), mapped.change.encode())
                emitted.records += 1
                if mapped.change.operation == .delete { metrics.deletes.increment() }
                if let previous, mapped.watermark <= previous { emitted.ordered = false }
                previous = mapped.watermark
                emitted.watermark = max(emitted.watermark ?? mapped.watermark, mapped.watermark)
            } catch let error as RecordMappingError {
                let letter = DeadLetter(
                    originalKey: Array(object.utf8), originalValue: Array(JSONValue.object(row).text.utf8),
                    topic: "salesforce:\(object)", stage: "extractor",
                    reason: error.reason, detail: error.detail, timeMs: WallClock.milliseconds())
                try await send(deadLetters, Array(object.utf8), letter.encode())
                metrics.deadLetters.record(reason: error.reason)
                emitted.deadLetters += 1
            } catch let error as KafkaError {
                throw error
            } catch {
                throw KafkaError(kind: .delivery, message: "\(error)")
            }
        }
        metrics.records.increment(by: emitted.records)
        metrics.pages.increment()
        if !emitted.ordered { emitted.watermark = nil }
        return emitted
    }
}
