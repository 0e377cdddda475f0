import Logging
import PipelineKafka
import SalesforceExtraction
import ServiceLifecycle

/// One incremental pass: for each object, the records changed since its watermark, page by page through
/// `/queryAll` (deleted rows come back as deletes), the watermark advanced after each page is acknowledged.
///
/// A usage limit (the budget or `REQUEST_LIMIT_EXCEEDED`) stops the whole pass where it is; the watermarks then
/// stand at the end of the data delivered, and the next pass continues from there.
struct IncrementalPass: Sendable {
    let session: SalesforceSession
    let catalog: ObjectCatalog
    let store: WatermarkStore
    let producer: KafkaProducer
    let emitter: RecordEmitter
    let logger: Logger

    /// What a pass did.
    struct Summary: Sendable {
        var records = 0
        var deadLetters = 0
        var pages = 0
        var objects = 0
        /// Why the pass stopped before the end, if it did.
        var stopped: SalesforceError?
        /// Objects Salesforce refused (unknown object, a query it rejects); the others were still extracted.
        var failedObjects: [String] = []
    }

    func run() async throws -> Summary {
        var summary = Summary()
        for object in catalog.objects {
            do {
                try await extract(object, into: &summary)
                summary.objects += 1
            } catch SalesforceError.cancelled {
                summary.stopped = .cancelled
                return summary
            } catch let error as SOQLError {
                summary.failedObjects.append(object)
                logger.error("object cannot be extracted", metadata: ["salesforce.object": "\(object)", "error": "\(error)"])
            } catch SalesforceError.rejected(let status, let code, let message) {
                summary.failedObjects.append(object)
                logger.error(
                    "Salesforce refused the object's extraction",
                    metadata: [
                        "salesforce.object": "\(object)", "http.status": "\(status)", "salesforce.error_code": "\(code)",
                        "error": "\(message)",
                    ])
            } catch let error as SalesforceError where error.isLimit {
                summary.stopped = error
                logger.warning(
                    "extraction pass stopped by the API limit; watermarks stay at the data delivered",
                    metadata: ["salesforce.object": "\(object)", "error": "\(error)"])
                return summary
            }
        }
        return summary
    }

    private func extract(_ object: String, into summary: inout Summary) async throws {
        let description = try await catalog.description(of: object, session: session)
        let start = await store.watermark(object)
        let soql = try SOQLQuery.incremental(description, fields: description.extractableFieldNames, after: start)
        var path: String? = await session.apiPath + "/queryAll?q=" + URLComponentEncoding.component(soql)
        var delivered = start
        var ordered = true
        while let next = path {
            let page = try await session.get(next) { bytes throws(SalesforceResponseError) in try QueryPage(json: bytes) }
            let tracker = DeliveryTracker()
            let emitted = try await emitter.emit(page, object: object, requestID: "", after: delivered) {
                topic, key, value throws(KafkaError) in
                try await producer.send(to: topic, key: key, value: value, tracker: tracker)
            }
            let report = await tracker.report()
            guard report.succeeded else {
                throw report.firstError ?? KafkaError(kind: .delivery, message: "records not acknowledged")
            }
            summary.records += emitted.records
            summary.deadLetters += emitted.deadLetters
            summary.pages += 1
            ordered = ordered && emitted.ordered
            // Only once every record of the page is acknowledged, and only if the rows came in watermark order.
            if ordered, let mark = emitted.watermark {
                try await store.advance(object, to: mark)
                delivered = mark
            } else if !ordered {
                logger.warning("rows out of watermark order; the watermark stays", metadata: ["salesforce.object": "\(object)"])
            }
            path = page.nextRecordsPath
            // Shutting down: the page is delivered and its watermark stored, so stop here.
            if path != nil, Task.isCancelled || Task.isShuttingDownGracefully { throw SalesforceError.cancelled }
        }
        logger.info(
            "object extracted",
            metadata: ["salesforce.object": "\(object)", "salesforce.watermark": "\(delivered.map(\.description) ?? "none")"])
    }
}
