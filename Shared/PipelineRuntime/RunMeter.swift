import Synchronization

/// Counts a service's input records toward an opt-in `--exit-after N` and times the run: wall and CPU seconds
/// of this process from its first record to the moment the work was done.
///
/// It is how `tributary bench` measures a service process's own cost: the service stops by itself after exactly
/// the records the bench produced and prints ``reportLine(service:)``, so the figures cover this process's work
/// only (not the broker's or the bench's) and no start-up, group join or shutdown. Several tasks may record at
/// once (the writer's concurrent writes), hence the mutex.
public final class RunMeter: Sendable {
    private struct State {
        var records = 0
        var started: (ContinuousClock.Instant, Double, Int64)?
        var finished: (ContinuousClock.Instant, Double, Int64)?
    }

    /// Input records after which the service should stop.
    public let limit: Int
    private let state = Mutex(State())

    /// - Parameter limit: the record count at which ``isDone`` turns true (at least 1).
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Starts the clocks, on the first call only: call it when the first input record arrives.
    public func start() {
        let now = ContinuousClock.now
        let cpu = ResourceUsage.current().cpuSeconds
        let wall = WallClock.milliseconds()
        state.withLock { if $0.started == nil { $0.started = (now, cpu, wall) } }
    }

    /// Counts `count` records (starting the clocks if needed).
    /// - Returns: whether the limit is reached. The caller stamps ``finish()`` when the work for them is done.
    @discardableResult
    public func record(_ count: Int) -> Bool {
        start()
        return state.withLock { state in
            state.records += count
            return state.records >= limit
        }
    }

    /// Whether ``limit`` records have been counted.
    public var isDone: Bool { state.withLock { $0.records >= limit } }

    /// Records counted so far.
    public var records: Int { state.withLock { $0.records } }

    /// Stamps the finish time now, once (later calls keep the first stamp): when the outputs of the last counted
    /// record are durable (rows written, or the producer flushed at close).
    public func finish() {
        let now = ContinuousClock.now
        let cpu = ResourceUsage.current().cpuSeconds
        let wall = WallClock.milliseconds()
        state.withLock { if $0.finished == nil, $0.started != nil { $0.finished = (now, cpu, wall) } }
    }

    /// One JSON line, or `nil` before any record:
    /// `{"service":…,"messages":N,"seconds":…,"cpu_seconds":…,"started_ms":…,"finished_ms":…}` — the last two are
    /// epoch milliseconds, so a bench can line several processes up on one time axis.
    public func reportLine(service: String) -> String? {
        let (records, started, finished) = state.withLock { ($0.records, $0.started, $0.finished) }
        guard let started else { return nil }
        let end = finished ?? (ContinuousClock.now, ResourceUsage.current().cpuSeconds, WallClock.milliseconds())
        let (whole, fraction) = started.0.duration(to: end.0).components
        let seconds = Double(whole) + Double(fraction) * 1e-18
        return "{\"service\":\(JSONText.quoted(service)),\"messages\":\(records),"
            + "\"seconds\":\(JSONText.number(seconds, digits: 6)),"
            + "\"cpu_seconds\":\(JSONText.number(end.1 - started.1, digits: 6)),"
            + "\"started_ms\":\(started.2),\"finished_ms\":\(end.2)}"
    }
}
