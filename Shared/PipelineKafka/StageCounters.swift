public import Synchronization

/// Process-wide totals of records consumed, produced and dead-lettered, readable back (swift-metrics counters are
/// write-only): the heartbeat on `pipeline.status` reports them, and `tributary status` turns them into rates.
public enum StageCounters {
    public static let consumed = Atomic<Int64>(0)
    public static let produced = Atomic<Int64>(0)
    public static let deadLettered = Atomic<Int64>(0)

    /// The three totals under the names heartbeats use.
    public static func snapshot() -> [String: Int64] {
        [
            "consumed": consumed.load(ordering: .relaxed), "produced": produced.load(ordering: .relaxed),
            "dead_letters": deadLettered.load(ordering: .relaxed),
        ]
    }
}
