import ClickstreamTransform
import Logging
import Metrics
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import PipelineStage
import ServiceLifecycle

/// The transformer's loop: for each record of a batch, decode the `RawEvent`, run the partition's
/// `EventTransformer`, and send either the `CleanEvent` or a `DeadLetter`; the batch is marked done once all of
/// its outputs are acknowledged (the shared `ConsumeProduceLoop`).
///
/// Exact duplicates detection survives restarts and rebalances: each partition's recent event ids live in its
/// transformer, keyed by offset, and a partition this instance has no state for is rebuilt from what the transformer
/// accepted from it (its `events.clean` partition) before its first record is processed. A redelivered record
/// is recognised by its own offset and is never its own duplicate.
struct Transformer: Service {
    let configuration: TransformerConfiguration
    let rules: QualityRules
    let client: KafkaClientConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let logger: Logger

    func run() async throws {
        let clean = try producer.topic(configuration.cleanTopic)
        let deadLetters = try producer.topic(configuration.deadLetterTopic)
        let partitions = try PartitionTransformers(
            rules: rules, pipelineVersion: configuration.pipelineVersion, client: client,
            cleanTopic: configuration.cleanTopic, rebuildDepth: configuration.rebuildDepth, logger: logger)
        let alerts = QualityAlerts(
            rules: rules, producer: producer, topic: try producer.topic(configuration.alertsTopic),
            instance: configuration.instance, logger: logger)
        let metrics = TransformerMetrics()
        let loop = ConsumeProduceLoop(
            consumer: consumer, producer: producer,
            configuration: .init(maximumInFlightBatches: configuration.inFlightBatches), logger: logger)
        let meter = configuration.exitAfter.map { RunMeter(limit: $0) }
        let clock = ContinuousClock()
        var nextAlertCheck = clock.now.advanced(by: configuration.alertInterval)
        do {
            try await loop.run { batch, output in
                meter?.start()
                let now = WallClock.milliseconds()
                var accepted = 0
                for message in batch {
                    let transformer = try await partitions.transformer(for: message)
                    let outcome: TransformOutcome
                    do {
                        outcome = try message.withValue { bytes throws(MessageDecodingError) -> TransformOutcome in
                            let raw = try RawEvent(decoding: bytes)
                            return raw.payload.withUnsafeBytes { payload in
                                transformer.transform(
                                    payload: payload, source: raw.source, receivedTimeMs: raw.receivedTimeMs,
                                    processedTimeMs: now, position: message.offset)
                            }
                        }
                    } catch let error as MessageDecodingError {
                        outcome = .rejected(
                            Rejection(reason: error.reason, detail: "not a RawEvent: \(error)", check: "protobuf"))
                    }
                    switch outcome {
                    case .clean(let event):
                        try await output.send(
                            to: clean, keyOf: message, value: event.bytes,
                            partition: partitions.cleanPartition(of: message))
                        accepted += 1
                    case .rejected(let rejection):
                        let letter = DeadLetter(
                            consumed: message, stage: "transformer", reason: rejection.reason, detail: rejection.detail)
                        try await output.send(to: deadLetters, key: message.key, value: letter.encode())
                        metrics.deadLetters.record(reason: rejection.reason)
                    }
                }
                metrics.clean.increment(by: accepted)
                if clock.now >= nextAlertCheck {
                    nextAlertCheck = clock.now.advanced(by: configuration.alertInterval)
                    await alerts.evaluate(partitions.all, nowMs: now)
                }
                if meter?.record(batch.count) == true { loop.stop() }
            }
            // The loop returns once every output is delivered and the offsets are committed: the work is done.
            meter?.finish()
        } catch {
            await consumer.close()
            await producer.close(timeout: .seconds(5))
            throw error
        }
        await consumer.close()
        await producer.close(timeout: .seconds(20))
        if let line = meter?.reportLine(service: "transformer") { print(line) }
    }
}

extension Transformer: CustomStringConvertible {
    /// What ServiceLifecycle logs for this service.
    var description: String { "transformer" }
}

/// The transformer's own counters; Kafka and dead-letter metrics come from the shared modules.
struct TransformerMetrics {
    let clean = Counter(label: "tributary_transformer_clean_events_total")
    let deadLetters = DeadLetterMetrics(stage: "transformer")
}
