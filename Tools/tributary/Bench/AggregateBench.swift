import ClickstreamModel
import ClickstreamTransform
import PipelineAggregation
import PipelineMessages
import PipelineRuntime

/// `tributary bench aggregate`: the aggregator's hot path alone, single-threaded, no Kafka or Bigtable.
///
/// Clean events come from the seeded stream through the transformer once (not measured). Each run feeds all of
/// them, in order, to a fresh ``PartitionAggregator`` (as one partition's owner does) and flushes every 2,000
/// events, as the service does per batch — so building the changed cells' mutations is measured too, while
/// writing them to Bigtable is not.
struct AggregateBench {
    let configuration: BenchCommand.Configuration

    static let goal = 500_000.0

    func run() throws -> BenchReport {
        let rules = try QualityRules.load(path: configuration.rulesPath)
        let synthesizer = EventSynthesizer(seed: configuration.seed, badFraction: configuration.badFraction)
        let transformer = EventTransformer(rules: rules)
        var inputs: [AggregateInput] = []
        inputs.reserveCapacity(configuration.messages)
        var index: UInt64 = 0
        print("preparing \(configuration.messages) clean events (seed \(configuration.seed))…")
        while inputs.count < configuration.messages {
            let outcome = transformer.transform(
                payload: synthesizer.record(at: index).payload, source: "bench", receivedTimeMs: 0, processedTimeMs: 0)
            if let clean = try outcome.encoded?.decoded() { inputs.append(AggregateInput(clean)) }
            index += 1
        }
        var row = BenchRow(name: "aggregate (apply + flush)", messages: inputs.count, seconds: [], cpuSeconds: [])
        var cells = 0
        for run in 0..<configuration.runs {
            var aggregator = PartitionAggregator(
                topic: "events.clean", partition: 0, allowedLatenessMs: 3_600_000, checkpoint: nil)
            let clock = ContinuousClock()
            let usage = ResourceUsage.current()
            let started = clock.now
            cells = 0
            for (offset, input) in inputs.enumerated() {
                _ = aggregator.apply(input, offset: Int64(offset))
                if offset % 2_000 == 1_999 {
                    cells += aggregator.flush().cellsWritten
                    aggregator.checkpointed()
                }
            }
            cells += aggregator.flush().cellsWritten
            let seconds = started.duration(to: clock.now).seconds
            row.seconds.append(seconds)
            row.cpuSeconds.append(ResourceUsage.current().cpuSeconds - usage.cpuSeconds)
            print("run \(run + 1): \(Int(Double(inputs.count) / seconds)) events/s")
        }
        return BenchReport(
            stage: "aggregate",
            settings: [
                "events": "\(inputs.count)", "seed": "\(configuration.seed)", "cells_written_per_run": "\(cells)",
                "flush_every": "2000",
            ],
            rows: [row],
            ratios: [
                BenchRatio(
                    name: "aggregate ÷ goal", throughput: row.medianThroughput / Self.goal,
                    cpu: row.medianCPUMicros / (1e6 / Self.goal),
                    goal: "goal: ≥ 500,000 events/s per core")
            ])
    }
}
