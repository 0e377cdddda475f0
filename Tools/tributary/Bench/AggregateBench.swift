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
/// writing them to Bigtable is not. Two more rows split the cost: flushing every 50,000 events, and applying only.
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
        // Flushing per 2,000 events is what the service does per consumer batch; the other rows show how the cost
        // splits between applying events and encoding the changed cells (which a longer flush interval amortises).
        var rows: [BenchRow] = []
        var cells = 0
        for flushEvery in [2_000, 50_000, Int.max] {
            let name =
                flushEvery == .max
                ? "aggregate (apply only)" : "aggregate (apply + flush every \(flushEvery))"
            var row = BenchRow(name: name, messages: inputs.count, seconds: [], cpuSeconds: [])
            for run in 0..<configuration.runs {
                let (seconds, cpu, written) = Self.measure(inputs, flushEvery: flushEvery)
                if flushEvery == 2_000 { cells = written }
                row.seconds.append(seconds)
                row.cpuSeconds.append(cpu)
                print("\(name) run \(run + 1): \(Int(Double(inputs.count) / seconds)) events/s")
            }
            rows.append(row)
        }
        let row = rows[0]
        return BenchReport(
            stage: "aggregate",
            settings: [
                "events": "\(inputs.count)", "seed": "\(configuration.seed)", "cells_written_per_run": "\(cells)",
                "flush_every": "2000",
            ],
            rows: rows,
            ratios: [
                BenchRatio(
                    name: "aggregate ÷ goal", throughput: row.medianThroughput / Self.goal,
                    cpu: row.medianCPUMicros / (1e6 / Self.goal),
                    goal: "goal: ≥ 500,000 events/s per core"),
                BenchRatio(
                    name: "apply only ÷ goal", throughput: rows[2].medianThroughput / Self.goal,
                    cpu: rows[2].medianCPUMicros / (1e6 / Self.goal), goal: "the per-event part alone"),
            ])
    }

    /// One run over all events with a fresh aggregator, as one partition's owner: (wall s, CPU s, cells written).
    static func measure(_ inputs: [AggregateInput], flushEvery: Int) -> (Double, Double, Int) {
        var aggregator = PartitionAggregator(
            topic: "events.clean", partition: 0, allowedLatenessMs: 3_600_000, checkpoint: nil)
        let clock = ContinuousClock()
        let usage = ResourceUsage.current()
        let started = clock.now
        var cells = 0
        for (offset, input) in inputs.enumerated() {
            _ = aggregator.apply(input, offset: Int64(offset))
            if offset % flushEvery == flushEvery - 1 {
                cells += aggregator.flush().cellsWritten
                aggregator.checkpointed()
            }
        }
        if flushEvery != .max { cells += aggregator.flush().cellsWritten }
        let seconds = started.duration(to: clock.now).seconds
        return (seconds, ResourceUsage.current().cpuSeconds - usage.cpuSeconds, cells)
    }
}
