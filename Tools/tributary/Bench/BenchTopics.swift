import Logging
import PipelineKafka

/// Topic bookkeeping the broker-backed stages share: sizing topics for the local broker's ~5 MiB per partition,
/// checking that it kept every input record, and counting what a run produced.
struct BenchTopics: Sendable {
    let admin: KafkaAdmin

    /// Bytes per partition the stages plan for: the broker drops data past ~5 MiB, so leave a margin.
    static let plannedBytesPerPartition = 3 << 20

    /// Partitions enough to hold `records` of about `recordBytes` each (a multiple of 8, at least 8), unless
    /// the operator chose a count.
    static func partitions(records: Int, recordBytes: Int, chosen: Int?) -> Int {
        if let chosen { return chosen }
        let needed = (records * (recordBytes + 64) + plannedBytesPerPartition - 1) / plannedBytesPerPartition
        return max(8, (needed + 7) / 8 * 8)
    }

    init(client: KafkaClientConfiguration, logger: Logger) throws {
        admin = try KafkaAdmin(client: client, logger: logger)
    }

    /// Records ever written to `topic`: the sum of its high watermarks (they keep growing when old data is dropped).
    func written(_ topic: String) async throws -> Int {
        try await admin.offsets(topic: topic).reduce(0) { $0 + Int($1.high) }
    }

    /// Fails unless `topic` still holds all `expected` records: a bench over partly dropped input is void.
    func checkNothingDropped(_ topic: String, expected: Int) async throws {
        let kept = try await admin.offsets(topic: topic).reduce(0) { $0 + Int($1.high - $1.low) }
        guard kept == expected else {
            throw ToolError(
                "the local broker kept \(kept) of \(expected) records of \(topic) (it holds ~5 MiB per partition): "
                    + "use more --partitions or fewer --messages")
        }
    }
}
