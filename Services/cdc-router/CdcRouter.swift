import Logging
import Metrics
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import PipelineStage
import SalesforceRecords
import SalesforceRouting
import ServiceLifecycle

/// The cdc-router's loop: for each change event of a batch, its partition's `ChangeRouter` turns it into record
/// changes and re-read requests, or a dead letter; the batch is marked done once all of its outputs are
/// acknowledged (the shared `ConsumeProduceLoop`), so a crash redelivers and never skips.
struct CdcRouter: Service {
    let configuration: CdcRouterConfiguration
    let client: KafkaClientConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let logger: Logger

    func run() async throws {
        let records = try producer.topic(configuration.recordsTopic)
        let requests = try producer.topic(configuration.batchTopic)
        let deadLetters = try producer.topic(configuration.deadLetterTopic)
        let partitions = PartitionRouters(
            configuration: configuration.routing, recordsRemembered: configuration.recordsRemembered, client: client,
            rebuildDepth: configuration.rebuildDepth, logger: logger)
        let metrics = CdcRouterMetrics()
        let loop = ConsumeProduceLoop(
            consumer: consumer, producer: producer,
            configuration: .init(maximumInFlightBatches: configuration.inFlightBatches), logger: logger)
        do {
            try await loop.run { batch, output in
                let now = WallClock.milliseconds()
                for message in batch {
                    let router = try await partitions.router(for: message)
                    let routed: RoutedChange
                    do {
                        let event = try message.withValue { try ChangeEvent(decoding: $0) }
                        routed = try router.route(event, position: message.offset, nowMs: now)
                        metrics.events.record(event.changeType)
                    } catch {
                        let rejection =
                            (error as? CDCRejection)
                            ?? CDCRejection(
                                (error as? MessageDecodingError)?.reason ?? "malformed_protobuf",
                                "not a ChangeEvent: \(error)")
                        let letter = DeadLetter(
                            consumed: message, stage: "cdc-router", reason: rejection.reason, detail: rejection.detail)
                        try await output.send(to: deadLetters, key: message.key, value: letter.encode())
                        metrics.deadLetters.record(reason: rejection.reason)
                        partitions.routed(message)
                        continue
                    }
                    for change in routed.records {
                        let key = SalesforceRecordKey(object: change.object, id: change.id).description
                        try await output.send(to: records, key: Array(key.utf8), value: change.encode())
                    }
                    for request in routed.requests {
                        try await output.send(to: requests, key: Array(request.object.utf8), value: request.encode())
                        metrics.requests.record(request.reason)
                    }
                    metrics.records.increment(by: routed.records.count)
                    if routed.duplicates > 0 { metrics.duplicates.increment(by: routed.duplicates) }
                    if routed.stale > 0 { metrics.stale.increment(by: routed.stale) }
                    partitions.routed(message)
                }
            }
        } catch {
            await consumer.close()
            await producer.close(timeout: .seconds(5))
            throw error
        }
        await consumer.close()
        await producer.close(timeout: .seconds(20))
    }
}

extension CdcRouter: CustomStringConvertible {
    /// What ServiceLifecycle logs for this service.
    var description: String { "cdc-router" }
}

/// The router's own counters; Kafka and dead-letter metrics come from the shared modules. Every label set is
/// bounded (change types and request reasons are enums) and created once.
struct CdcRouterMetrics {
    let events = LabeledCounters<ChangeType>(label: "tributary_cdc_router_events_total", dimension: "change_type")
    let requests = LabeledCounters<BatchRequest.Reason>(
        label: "tributary_cdc_router_batch_requests_total", dimension: "reason")
    let records = Counter(label: "tributary_cdc_router_record_changes_total")
    let duplicates = Counter(label: "tributary_cdc_router_duplicates_total")
    let stale = Counter(label: "tributary_cdc_router_stale_changes_total")
    let deadLetters = DeadLetterMetrics(stage: "cdc-router")
}

/// One counter per case of an enum, made up front.
struct LabeledCounters<Value: CaseIterable & Hashable & Sendable>: Sendable {
    private let counters: [Value: Counter]

    init(label: String, dimension: String) {
        var counters: [Value: Counter] = [:]
        for value in Value.allCases {
            counters[value] = Counter(label: label, dimensions: [(dimension, "\(value)")])
        }
        self.counters = counters
    }

    func record(_ value: Value) { counters[value]?.increment() }
}
