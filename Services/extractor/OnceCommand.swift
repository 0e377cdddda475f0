import Logging
import PipelineKafka
import PipelineRuntime
import Synchronization

/// `extractor once`: one incremental pass over the objects (and, with `--batch-requests`, the waiting
/// `pipeline.batch` requests), a JSON summary on stdout, then exit: 0 when complete, 3 when an API limit
/// stopped it early (watermarks stand at the data delivered; run it again later), 1 on an error.
enum OnceCommand {
    static func run(arguments: [String]) async -> Never {
        await CommandMain(
            name: "extractor", command: "extractor once",
            summary: """
                One incremental extraction pass over --objects: for each, the records changed since its watermark \
                (salesforce.watermarks), through /queryAll so deletes come back, as RecordChange to \
                salesforce.records; each watermark advances only after Kafka acknowledged the records below it. \
                Prints a JSON summary; exit 0 when complete, 3 when the API budget or limit stopped the pass, 1 when \
                an object could not be extracted (the others still were) or on an error.
                """,
            defaultLogLevel: .info,
            configuration: { ExtractorConfiguration(reader: $0, once: true) },
            body: { configuration, logger in
                let runtime = try await ExtractorRuntime.make(configuration, logger: logger)
                let summary: IncrementalPass.Summary
                do {
                    summary = try await runtime.pass.run()
                } catch {
                    await runtime.producer.close(timeout: .seconds(5))
                    throw error
                }
                var served: Int?
                if configuration.serveBatchRequests, summary.stopped == nil {
                    served = try await serveWaitingRequests(runtime)
                }
                await runtime.producer.close(timeout: .seconds(20))
                print(await runtime.summaryLine(summary, batchRequests: served))
                if !summary.failedObjects.isEmpty { return 1 }
                return summary.stopped == nil ? 0 : 3
            }
        ).run(arguments: arguments)
    }

    /// Serves `pipeline.batch` until the group has committed every request, then stops.
    static func serveWaitingRequests(_ runtime: ExtractorRuntime) async throws -> Int {
        let consumer = try runtime.batchConsumer()
        let loop = ConsumeProduceLoop(
            consumer: consumer, producer: runtime.producer, configuration: .init(maximumInFlightBatches: 1),
            logger: runtime.logger)
        let handler = runtime.batchHandler
        let served = ServedCount()
        let admin = try KafkaAdmin(client: runtime.client, logger: runtime.logger)
        let topic = runtime.configuration.batchTopic
        let group = runtime.configuration.kafka.group ?? "extractor"
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await loop.run { batch, output in
                    try await handler.process(batch, output: output)
                    served.value.add(batch.count, ordering: .relaxed)
                }
            }
            tasks.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(300))
                    guard consumer.inFlightBatches == 0 else { continue }
                    try? await consumer.commit()
                    let offsets = try await admin.offsets(topic: topic, group: group)
                    let empty = offsets.allSatisfy { $0.high == $0.low }
                    if offsets.allSatisfy({ $0.lag == 0 }), empty || !consumer.assignment.isEmpty {
                        loop.stop()
                        return
                    }
                }
            }
            try await tasks.waitForAll()
        }
        await consumer.close()
        return served.value.load(ordering: .relaxed)
    }
}

/// Requests served, counted from the loop's task and read at the end.
private final class ServedCount: Sendable {
    let value = Atomic<Int>(0)
}
