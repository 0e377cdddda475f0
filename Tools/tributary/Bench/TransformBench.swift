import ClickstreamModel
import ClickstreamTransform
import PipelineMessages
import PipelineRuntime

/// `tributary bench transform`: the transformer's hot path alone, single-threaded, no Kafka.
///
/// Payloads are generated once (the synthesizer is not measured) into one flat buffer. Each run transforms all
/// of them in index order with a fresh ``EventTransformer`` (so the id window starts empty, as after a
/// partition assignment), including writing each clean event's wire bytes. A second row times protobuf-c's
/// `CleanEvent.encode()` on the same clean events, to show what encoding through Swift values would cost.
struct TransformBench {
    let configuration: BenchCommand.Configuration

    static let goal = 1_000_000.0

    func run() throws -> BenchReport {
        let rules = try QualityRules.load(path: configuration.rulesPath)
        let count = configuration.messages
        print("generating \(count) payloads (seed \(configuration.seed), bad fraction \(configuration.badFraction))…")
        let synthesizer = EventSynthesizer(seed: configuration.seed, badFraction: configuration.badFraction)
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        bytes.reserveCapacity(count * 480)
        offsets.reserveCapacity(count + 1)
        // Each record with the receive time it was built for, so the time rules see it as the contract does.
        var received: [Int64] = []
        received.reserveCapacity(count)
        for index in 0..<UInt64(count) {
            let record = synthesizer.record(at: index)
            bytes += record.payload
            offsets.append(bytes.count)
            received.append(record.receivedTimeMs)
        }
        print("\(bytes.count / count) bytes per payload on average; \(configuration.runs) runs…")

        var row = BenchRow(name: "transform → CleanEvent bytes", messages: count, seconds: [], cpuSeconds: [])
        var accepted = 0
        var outputBytes = 0
        var sample: [[UInt8]] = []
        for run in 0..<configuration.runs {
            let transformer = EventTransformer(rules: rules)
            let clock = ContinuousClock()
            let usage = ResourceUsage.current()
            let started = clock.now
            accepted = 0
            outputBytes = 0
            bytes.withUnsafeBytes { all in
                for i in 0..<count {
                    let payload = UnsafeRawBufferPointer(rebasing: all[offsets[i]..<offsets[i + 1]])
                    let outcome = transformer.transform(
                        payload: payload, source: "bench", receivedTimeMs: received[i],
                        processedTimeMs: 1_767_225_600_000 + Int64(i >> 10))
                    if case .clean(let event) = outcome {
                        accepted += 1
                        outputBytes += event.bytes.count
                        if run == 0, sample.count < 100_000 { sample.append(event.bytes) }
                    }
                }
            }
            row.seconds.append(started.duration(to: clock.now).seconds)
            row.cpuSeconds.append(ResourceUsage.current().cpuSeconds - usage.cpuSeconds)
        }
        print("accepted \(accepted) of \(count); \(outputBytes / max(1, accepted)) bytes per clean event")

        let encodeRow = try measureProtobufCEncode(sample)
        let ratio = BenchRatio(
            name: "transform ÷ goal (1,000,000 events/s per core)", throughput: row.medianThroughput / Self.goal,
            cpu: row.medianCPUMicros / (1e6 / Self.goal), goal: "goal: throughput ≥ 1×, CPU ≤ 1×")
        return BenchReport(
            stage: "transform",
            settings: [
                "events": "\(count)", "seed": "\(configuration.seed)", "bad_fraction": "\(configuration.badFraction)",
                "runs": "\(configuration.runs)", "rules": configuration.rulesPath, "threads": "1",
            ],
            rows: [row, encodeRow], ratios: [ratio])
    }

    /// Times `CleanEvent.encode()` (protobuf-c) on decoded copies of the transformer's output.
    private func measureProtobufCEncode(_ sample: [[UInt8]]) throws -> BenchRow {
        let events = try sample.map { bytes in try bytes.withUnsafeBytes { try CleanEvent(decoding: $0) } }
        var row = BenchRow(
            name: "CleanEvent.encode() only", messages: events.count, seconds: [], cpuSeconds: [])
        var total = 0
        for _ in 0..<configuration.runs {
            let clock = ContinuousClock()
            let usage = ResourceUsage.current()
            let started = clock.now
            for event in events { total &+= event.encode().count }
            row.seconds.append(started.duration(to: clock.now).seconds)
            row.cpuSeconds.append(ResourceUsage.current().cpuSeconds - usage.cpuSeconds)
        }
        if total == 0 { print("no clean events to encode") }
        return row
    }
}
