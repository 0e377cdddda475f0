import ClickstreamModel
import Logging
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import ServiceLifecycle

/// The send loop of `generator events`: synthesises records by index, paces them with a token bucket, sends them
/// in bursts tracked by one delivery tracker each, and on the way out flushes and prints a summary.
///
/// Records are a pure function of (seed, index), so the stream is reproducible and `--expect` can tally it
/// without building payloads. A full producer queue makes the loop wait (backpressure), never drop.
struct EventsGenerator: Service {
    let configuration: EventsConfiguration
    let producer: KafkaProducer
    let lagGate: LagGate?
    let logger: Logger

    func run() async throws {
        let synthesizer = configuration.synthesizer
        let topic = try producer.topic(configuration.topic)
        let stats = GenerationStats()
        let progress = Task {
            await ProgressDisplay(
                stats: stats, lagGate: lagGate, logInterval: configuration.progressInterval, logger: logger
            ).run()
        }
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = configuration.duration.map { started.advanced(by: $0) }
        let total = configuration.total ?? Int.max
        // Bursts of ~1/100 s of the rate keep the pacing smooth at low rates.
        let burst = configuration.rate.map { max(1, min(configuration.batchSize, Int($0 / 100))) } ?? configuration.batchSize
        var bucket = configuration.rate.map { TokenBucket(rate: $0, burst: burst) }
        var lastLagCheck = started
        var sentSinceLagReading = 0
        var index = 0
        var stopReason = "total reached"

        while index < total {
            if Task.isShuttingDownGracefully || Task.isCancelled {
                stopReason = "shutdown requested"
                break
            }
            if let deadline, clock.now >= deadline {
                stopReason = "duration reached"
                break
            }
            // A burst never exceeds the lag bound, or the closed loop could never let it through.
            let count = min(burst, total - index, lagGate?.maxLag ?? Int.max)
            if var limiter = bucket {
                let wait = limiter.acquire(count, now: clock.now)
                bucket = limiter
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
            if let lagGate {
                // What was sent since the last reading counts as lag too, so the bound holds at any rate.
                let overBound = lagGate.lag.map { $0 + sentSinceLagReading + count > lagGate.maxLag } ?? true
                if overBound || lastLagCheck.duration(to: clock.now) > .seconds(1) {
                    lastLagCheck = clock.now
                    sentSinceLagReading = 0
                    await lagGate.refresh()
                    if lagGate.lag.map({ $0 + count > lagGate.maxLag }) ?? true {
                        _ = await lagGate.waitUntilCaughtUp(room: count) {
                            Task.isShuttingDownGracefully || Task.isCancelled
                        }
                        continue
                    }
                }
            }
            try await sendBurst(from: index, count: count, synthesizer: synthesizer, topic: topic, stats: stats)
            index += count
            sentSinceLagReading += count
        }
        let sendingTime = started.duration(to: clock.now)
        let flushed = await producer.close(timeout: .seconds(30))
        progress.cancel()
        await progress.value
        let summary = GenerationSummary(
            seed: configuration.seed, stats: stats.snapshot, seconds: sendingTime.secondsValue, stopReason: stopReason,
            requestedRate: configuration.rate)
        print(configuration.json ? summary.json : summary.text)
        logger.info("generator finished", metadata: summary.metadata)
        guard flushed, summary.stats.failed == 0 else {
            throw GeneratorError(
                message: "\(summary.stats.failed) events failed and \(summary.stats.pending) were still queued")
        }
    }

    private func sendBurst(
        from first: Int, count: Int, synthesizer: EventSynthesizer, topic: ProducerTopic, stats: GenerationStats
    ) async throws {
        let tracker = DeliveryTracker { report in stats.addReport(delivered: report.delivered, failed: report.failed) }
        let received = WallClock.milliseconds()
        for index in first..<(first + count) {
            // Clock-skew records write their `sentAt` for this receive time (their outcome never depends on it).
            let record = synthesizer.record(at: UInt64(index), receivedTimeMs: received)
            let event = RawEvent(
                source: "generator", receivedTimeMs: received, payload: record.payload,
                generator: .init(seed: configuration.seed, index: UInt64(index)))
            try await producer.send(to: topic, key: record.key, value: event.encode(), tracker: tracker)
        }
        tracker.seal()
        stats.addSent(count)
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension EventsGenerator: CustomStringConvertible {
    /// What ServiceLifecycle logs for this service.
    var description: String { "generator-events" }
}
