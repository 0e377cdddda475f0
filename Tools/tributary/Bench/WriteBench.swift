import Foundation
import PipelineBigtable
import PipelineMessages
import PipelineRuntime
import PipelineTables

/// `tributary bench write`: the bigtable-writer's own work per row alone, single-threaded, no Kafka or Bigtable.
///
/// Clean events' wire bytes come from the seeded stream through the transformer once (not measured). Each run then
/// does what the writer does per consumed batch of 1,000 records (its default `--batch-rows`): decode each
/// CleanEvent, build its `events_fact` mutation entry, and encode the batch's MutateRows request to the bytes gRPC
/// sends. Three more rows split that cost into its parts. Instruction counts of these functions under callgrind
/// (`valgrind --tool=callgrind tributary bench write --runs 1`) are repeatable where timings on a shared machine
/// are not.
struct WriteBench {
    let configuration: BenchCommand.Configuration

    static let batchRows = 1_000
    static let tableName = "projects/bench/instances/bench/tables/\(EventsFactTable.name)"

    func run() throws -> BenchReport {
        let count = configuration.messages
        print("preparing \(count) clean events (seed \(configuration.seed))…")
        let events = try CleanEventSource(seed: configuration.seed).events(count: count)
        let wire = events.map(\.bytes)
        let decoded = events.map(\.event)
        let entries = decoded.map(EventsFactTable.entry(for:))
        let cells = entries.reduce(0) { $0 + $1.mutations.count }

        var rows = [
            BenchRow(name: "decode → entry → MutateRows bytes", messages: count, seconds: [], cpuSeconds: []),
            BenchRow(name: "CleanEvent decode only", messages: count, seconds: [], cpuSeconds: []),
            BenchRow(name: "events_fact entry only", messages: count, seconds: [], cpuSeconds: []),
            BenchRow(name: "MutateRows bytes only", messages: count, seconds: [], cpuSeconds: []),
        ]
        var requestBytes = 0
        for run in 0..<configuration.runs {
            let parts: [() throws -> Int] = [
                { try Self.decodeBuildEncode(wire) }, { try Self.decode(wire) }, { Self.build(decoded) },
                { Self.encode(entries) },
            ]
            for (index, part) in parts.enumerated() {
                let (seconds, cpu, result) = try Self.timed(part)
                rows[index].seconds.append(seconds)
                rows[index].cpuSeconds.append(cpu)
                if index == 3 { requestBytes = result }
            }
            print("run \(run + 1): \(Int(Double(count) / rows[0].seconds[run])) rows/s decode → bytes")
        }
        return BenchReport(
            stage: "write",
            settings: [
                "rows": "\(count)", "seed": "\(configuration.seed)", "runs": "\(configuration.runs)",
                "batch_rows": "\(Self.batchRows)", "threads": "1",
            ],
            rows: rows, ratios: [], unit: "row",
            notes: [
                String(format: "%.1f cells per row, %d request bytes per row", Double(cells) / Double(max(1, count)),
                       requestBytes / max(1, count)),
                "the writer process adds Kafka consumption, gRPC/HTTP2 framing and response handling: `tributary bench writer`",
            ])
    }

    private static func timed(_ body: () throws -> Int) rethrows -> (Double, Double, Int) {
        let clock = ContinuousClock()
        let usage = ResourceUsage.current()
        let started = clock.now
        let result = try body()
        return (started.duration(to: clock.now).seconds, ResourceUsage.current().cpuSeconds - usage.cpuSeconds, result)
    }

    /// The whole per-row path, batch by batch as the writer sends; returns the request bytes (so none is elided).
    @inline(never)
    static func decodeBuildEncode(_ wire: [[UInt8]]) throws -> Int {
        var total = 0
        var batch: [BigtableMutationEntry] = []
        batch.reserveCapacity(batchRows)
        for start in stride(from: 0, to: wire.count, by: batchRows) {
            batch.removeAll(keepingCapacity: true)
            for bytes in wire[start..<min(wire.count, start + batchRows)] {
                let event = try bytes.withUnsafeBytes { try CleanEvent(decoding: $0) }
                batch.append(EventsFactTable.entry(for: event))
            }
            total += BigtableClient.mutateRowsRequestBytes(tableName: tableName, entries: batch[...]).count
        }
        return total
    }

    @inline(never)
    static func decode(_ wire: [[UInt8]]) throws -> Int {
        var total = 0
        for bytes in wire { total += try bytes.withUnsafeBytes { try CleanEvent(decoding: $0) }.eventID.utf8.count }
        return total
    }

    @inline(never)
    static func build(_ events: [CleanEvent]) -> Int {
        var total = 0
        for event in events { total += EventsFactTable.entry(for: event).mutations.count }
        return total
    }

    @inline(never)
    static func encode(_ entries: [BigtableMutationEntry]) -> Int {
        var total = 0
        for start in stride(from: 0, to: entries.count, by: batchRows) {
            let batch = entries[start..<min(entries.count, start + batchRows)]
            total += BigtableClient.mutateRowsRequestBytes(tableName: tableName, entries: batch).count
        }
        return total
    }
}
