import Metrics
import Logging
import PipelineKafka
import ServiceLifecycle

/// `extractor run`: incremental passes every `--poll-interval`, and `pipeline.batch` requests served as they
/// come, until SIGTERM (the current page is finished and acknowledged, offsets committed, then exit 0).
struct ExtractorService: Service, CustomStringConvertible {
    let runtime: ExtractorRuntime
    var description: String { "extractor" }

    func run() async throws {
        let consumer = try runtime.batchConsumer()
        let loop = ConsumeProduceLoop(
            consumer: consumer, producer: runtime.producer, configuration: .init(maximumInFlightBatches: 1),
            logger: runtime.logger)
        let handler = runtime.batchHandler
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await loop.run { batch, output in try await handler.process(batch, output: output) }
                }
                group.addTask {
                    await passes()
                    loop.stop()
                }
                try await group.waitForAll()
            }
        } catch {
            await consumer.close()
            await runtime.producer.close(timeout: .seconds(5))
            throw error
        }
        await consumer.close()
        await runtime.producer.close(timeout: .seconds(20))
    }

    /// Runs a pass, waits the poll interval, repeats until shutdown. A failed pass is logged and retried at the
    /// next interval: its watermarks stand where its delivered data ends.
    private func passes() async {
        let clock = ContinuousClock()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let started = clock.now
            do {
                let summary = try await runtime.pass.run()
                if summary.stopped != nil { runtime.metrics.passesStopped.increment() }
                let line = await runtime.summaryLine(summary)
                runtime.logger.info("extraction pass finished", metadata: ["summary": "\(line)"])
            } catch {
                runtime.metrics.passesStopped.increment()
                runtime.logger.error("extraction pass failed; retrying at the next interval", metadata: ["error": "\(error)"])
            }
            let next = started.advanced(by: runtime.configuration.pollInterval)
            while clock.now < next, !Task.isShuttingDownGracefully, !Task.isCancelled {
                try? await Task.sleep(for: min(.milliseconds(200), next - clock.now))
            }
        }
    }
}
