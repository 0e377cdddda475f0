import Logging
import Metrics
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import PipelineStage
import PipelineTables
import Synchronization

/// Runs write jobs to completion: rows written, rejects dead-lettered, then the batch marked done — in that order,
/// so a crash at any point redelivers the batch and the idempotent rows absorb the repeat.
final class WriteJobRunner: Sendable {
    private let bigtable: BigtableClient
    private let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let deadLetters: ProducerTopic
    private let logger: Logger
    /// Counts done records toward `--exit-after`, when set.
    let meter: RunMeter?
    private let parked = Mutex<[WriteJob]>([])
    private let fatal = Mutex<(any Error)?>(nil)
    let outage = OutageFlag()
    private let rows = [EventsFactTable.name, SalesforceRecordsTable.name].reduce(into: [String: Counter]()) {
        $0[$1] = Counter(label: "tributary_bigtable_writer_rows_total", dimensions: [("table", $1)])
    }
    private let writeLatency = Timer(label: "tributary_bigtable_writer_write_duration_seconds")
    private let endToEndLatency = Timer(label: CoreMetricNames.endToEndLatency)
    private let outages = Counter(label: "tributary_bigtable_writer_outages_total")
    private let deadLetterMetrics = DeadLetterMetrics(stage: "bigtable-writer")

    init(
        bigtable: BigtableClient, producer: KafkaProducer, consumer: KafkaConsumer, deadLetters: ProducerTopic,
        meter: RunMeter? = nil, logger: Logger
    ) {
        self.bigtable = bigtable
        self.producer = producer
        self.consumer = consumer
        self.deadLetters = deadLetters
        self.meter = meter
        self.logger = logger
    }

    /// The first error that must stop the writer (a permanent Bigtable error for a whole request, a DLQ failure).
    var fatalError: (any Error)? { fatal.withLock { $0 } }

    /// The environment fault of the current outage (table missing, permission, credentials), `nil` when the outage
    /// is Bigtable being unavailable, or when there is none.
    var environmentFault: String? { faultDescription.withLock { $0 } }
    private let faultDescription = Mutex<String?>(nil)
    private let environmentFaults = Counter(label: "tributary_bigtable_writer_environment_faults_total")

    /// Writes one job; parks it if Bigtable is unavailable.
    func run(_ job: WriteJob) async {
        if await attempt(job) == .unavailable { park(job) }
    }

    /// Sets a job aside until Bigtable is back (it stays unmarked, so it is redelivered if we stop meanwhile).
    func park(_ job: WriteJob) {
        let count = parked.withLock { parked in
            parked.append(job)
            return parked.count
        }
        if !outage.isActive {
            outage.set(true)
            outages.increment()
        }
        logger.info("bigtable write parked", metadata: ["writer.parked": "\(count)"])
    }

    /// Jobs waiting for Bigtable; at shutdown they are work given up uncommitted (redelivered to the next owner).
    var parkedCount: Int { parked.withLock { $0.count } }

    /// Retries parked jobs, oldest first, until one fails again; clears the outage when none is left.
    func retryParked() async {
        while let job = parked.withLock({ $0.first }) {
            guard await attempt(job) != .unavailable else { return }
            parked.withLock { _ = $0.removeFirst() }
        }
        let hadFault = faultDescription.withLock { fault in
            defer { fault = nil }
            return fault != nil
        }
        if hadFault { await publishEnvironmentAlert(firing: false, detail: "parked writes succeeded") }
        outage.set(false)
    }

    private enum Outcome { case done, unavailable, failed }

    private func attempt(_ job: WriteJob) async -> Outcome {
        var rejects = job.undecodable.map { (index: $0.index, reason: $0.reason, detail: $0.detail) }
        // One MutateRows per table; if a later one finds Bigtable unavailable the whole job is retried, and the
        // tables written already absorb the rewrite (their cells are idempotent).
        for write in job.writes {
            let started = ContinuousClock.now
            let failedEntries: [BigtableFailedEntry]
            do {
                failedEntries = try await bigtable.mutateRowsRetrying(table: write.table, entries: write.entries).failedEntries
            } catch let error as BigtableError where error.isEnvironmentFault {
                return await environmentFault("\(error)", table: write.table)
            } catch let error as BigtableError where error.isRetriable {
                logger.info("bigtable write failed; will retry", metadata: ["error": "\(error)", "bigtable.table": "\(write.table)"])
                return .unavailable
            } catch {
                fail(error)
                return .failed
            }
            // Entries refused for the environment's sake (the emulator and Bigtable report a missing table or family
            // per entry) are not the records' fault: the whole job waits, nothing is dead-lettered.
            if let refused = failedEntries.first(where: { $0.status.code.isEnvironmentFault }) {
                return await environmentFault("\(refused.status)", table: write.table)
            }
            writeLatency.recordNanoseconds(started.duration(to: .now).nanoseconds)
            recordEndToEndLatency(write, failed: failedEntries)
            rows[write.table]?.increment(by: write.entries.count - failedEntries.count)
            for failure in failedEntries {
                for index in write.messages(ofEntry: failure.index) {
                    rejects.append((index, "bigtable_rejected", "Bigtable rejected the row: \(failure.status)"))
                }
            }
        }
        if !rejects.isEmpty {
            guard await deadLetter(rejects, from: job.batch) else { return .failed }
        }
        consumer.markDone(job.batch)
        if let meter, meter.record(job.batch.count) { meter.finish() }
        return .done
    }

    /// Records an environment fault for the outage that parks the job: logged as an error once per outage by the
    /// loop, counted here, and raised as a critical Alert (resolved when writes succeed again), since someone has
    /// to fix a table, a role or a credential before anything moves.
    private func environmentFault(_ description: String, table: String) async -> Outcome {
        environmentFaults.increment()
        let first = faultDescription.withLock { fault in
            defer { fault = "\(description) (table \(table))" }
            return fault == nil
        }
        if first {
            await publishEnvironmentAlert(firing: true, detail: "\(description) (table \(table))")
        } else {
            logger.debug("bigtable environment fault persists", metadata: ["error": "\(description)"])
        }
        return .unavailable
    }

    /// The environment-fault Alert on `pipeline.alerts`; a failed send is logged (the error line and the metric
    /// still tell).
    private func publishEnvironmentAlert(firing: Bool, detail: String) async {
        let alert = Alert(
            key: Self.environmentAlertKey, severity: .critical, status: firing ? .firing : .resolved,
            source: "bigtable-writer",
            summary: firing
                ? "bigtable-writer: Bigtable refuses writes for a reason no record causes; consumption paused"
                : "bigtable-writer: Bigtable accepts writes again",
            detail: detail, labels: ["stage": "bigtable-writer"], timeMs: WallClock.milliseconds())
        do {
            try await producer.sendAndWait(
                to: try producer.topic(PipelineTopic.pipelineAlerts.rawValue), key: Array(alert.key.utf8),
                value: alert.encode())
        } catch {
            logger.warning("environment alert not delivered", metadata: ["error": "\(error)"])
        }
    }

    static let environmentAlertKey = "bigtable_environment#bigtable-writer"

    /// Observes, for each event row just acknowledged, how long ago its event entered the pipeline.
    private func recordEndToEndLatency(_ write: WriteJob.TableWrite, failed: [BigtableFailedEntry]) {
        guard !write.ingestTimesMs.isEmpty else { return }
        let now = WallClock.milliseconds()
        let rejected = Set(failed.map(\.index))
        for (index, ingested) in write.ingestTimesMs.enumerated() where ingested > 0 && !rejected.contains(index) {
            endToEndLatency.recordMilliseconds(max(0, now - ingested))
        }
    }

    /// Sends dead letters and waits until they are durable; `false` (and fatal) if they are not.
    private func deadLetter(_ rejects: [(index: Int, reason: String, detail: String)], from batch: ConsumedBatch) async -> Bool {
        let tracker = DeliveryTracker()
        do {
            for reject in rejects {
                let message = batch[reject.index]
                let letter = DeadLetter(consumed: message, stage: "bigtable-writer", reason: reject.reason, detail: reject.detail)
                try await producer.send(to: deadLetters, key: message.key, value: letter.encode(), tracker: tracker)
                deadLetterMetrics.record(reason: reject.reason)
            }
        } catch {
            tracker.seal()
            fail(error)
            return false
        }
        let report = await tracker.report()
        if let error = report.firstError {
            fail(error)
            return false
        }
        return true
    }

    private func fail(_ error: any Error) {
        logger.error("bigtable writer cannot continue", metadata: ["error": "\(error)"])
        fatal.withLock { $0 = $0 ?? error }
    }
}

/// Whether Bigtable is currently considered unavailable.
final class OutageFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isActive: Bool { value.load(ordering: .relaxed) }
    func set(_ active: Bool) { value.store(active, ordering: .relaxed) }
}

extension Duration {
    /// Whole nanoseconds, for swift-metrics timers.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
