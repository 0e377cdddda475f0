import Metrics
import Logging
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import PipelineStage
import SalesforceExtraction

/// Serves `pipeline.batch`: each `BatchRequest` re-extracts records by id (`Id IN (…)`, in chunks) or an object
/// since a time, through `/queryAll` so deleted records come back as deletes, tagged with the request id.
///
/// Runs inside the shared `ConsumeProduceLoop`, so a request's offset is committed only after every record it
/// produced is acknowledged. A request that cannot be served now (API limit, Salesforce down) is retried after
/// `retryDelay` without moving on — the consumer waits, which is the backpressure; an unusable request (not a
/// BatchRequest, unknown object, bad ids) is dead-lettered.
struct BatchRequestHandler: Sendable {
    let session: SalesforceSession
    let catalog: ObjectCatalog
    let emitter: RecordEmitter
    let retryDelay: Duration
    let metrics: ExtractorMetrics
    let logger: Logger

    func process(_ batch: ConsumedBatch, output: BatchOutput) async throws {
        for message in batch {
            let request: BatchRequest
            do {
                request = try message.withValue { bytes throws(MessageDecodingError) in try BatchRequest(decoding: bytes) }
            } catch let error as MessageDecodingError {
                try await deadLetter(message, reason: error.reason, detail: "not a BatchRequest: \(error)", output: output)
                continue
            } catch {
                throw error
            }
            guard await catalog.knows(request.object) else {
                try await deadLetter(message, reason: "unknown_object", detail: "object is not extracted here", output: output)
                continue
            }
            guard request.recordIDs.allSatisfy(SOQLIdentifier.isRecordID) else {
                try await deadLetter(message, reason: "invalid_record_id", detail: "a record id is malformed", output: output)
                continue
            }
            metrics.batchRequests.increment()
            while true {
                do {
                    let count = try await serve(request, output: output)
                    logger.info(
                        "batch request served",
                        metadata: [
                            "request.id": "\(request.requestID)", "salesforce.object": "\(request.object)",
                            "salesforce.records": "\(count)",
                        ])
                    break
                } catch let error as SOQLError {
                    try await deadLetter(message, reason: "unsupported_object", detail: "\(error)", output: output)
                    break
                } catch let error as SalesforceError {
                    if case .rejected = error {
                        try await deadLetter(message, reason: "salesforce_rejected", detail: "\(error)", output: output)
                        break
                    }
                    if case .cancelled = error { throw error }
                    logger.warning(
                        "batch request deferred", metadata: ["request.id": "\(request.requestID)", "error": "\(error)"])
                    try await Task.sleep(for: retryDelay)
                }
            }
        }
    }

    /// Sends every record the request selects; returns how many.
    private func serve(_ request: BatchRequest, output: BatchOutput) async throws -> Int {
        let description = try await catalog.description(of: request.object, session: session)
        let fields = description.extractableFieldNames
        var queries: [String] = []
        if request.recordIDs.isEmpty {
            queries = [try SOQLQuery.since(description, fields: fields, sinceMs: request.sinceMs)]
        } else {
            let ids = Array(Set(request.recordIDs)).sorted()
            for start in stride(from: 0, to: ids.count, by: SOQLQuery.maximumIDsPerQuery) {
                let chunk = Array(ids[start..<min(ids.count, start + SOQLQuery.maximumIDsPerQuery)])
                queries.append(try SOQLQuery.byIDs(description, fields: fields, ids: chunk))
            }
        }
        var count = 0
        for soql in queries {
            var path: String? = await session.apiPath + "/queryAll?q=" + URLComponentEncoding.component(soql)
            while let next = path {
                let page = try await session.get(next) { bytes throws(SalesforceResponseError) in try QueryPage(json: bytes) }
                let emitted = try await emitter.emit(page, object: request.object, requestID: request.requestID, after: nil) {
                    topic, key, value throws(KafkaError) in
                    try await output.send(to: topic, key: key, value: value)
                }
                count += emitted.records
                path = page.nextRecordsPath
            }
        }
        return count
    }

    private func deadLetter(_ message: ConsumedMessage, reason: String, detail: String, output: BatchOutput) async throws {
        let letter = DeadLetter(consumed: message, stage: "extractor", reason: reason, detail: detail)
        try await output.send(to: emitter.deadLetters, key: message.key, value: letter.encode())
        metrics.deadLetters.record(reason: reason)
    }
}
