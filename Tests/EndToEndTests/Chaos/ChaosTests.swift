import BigtableTestSupport
import ClickstreamModel
import Foundation
import PipelineKafka
import PipelineMessages
import PipelineTables
import SalesforceModel
import Testing

/// The whole local pipeline under a seeded generator load and a seeded fault schedule (``ChaosPlan``): every
/// long-running service SIGKILLed and restarted several times, the broker down, slow, answering with errors and
/// moving leaders, the Bigtable emulator frozen or restarted, the Salesforce simulator and the alert webhook failing in each way
/// they can. Afterwards every result is checked exactly against what the seeded sources say it must be, and the
/// faults and checks are printed as a table. Sized by `TRIBUTARY_CHAOS_*` (see ``ChaosPlan``); `scripts/chaos.sh`
/// is the long standalone run.
@Suite(.serialized) struct ChaosTests {
    static let plan = ChaosPlan.fromEnvironment()
    static let latenessMs: Int64 = 3_000
    static let org = SalesforceOrg(
        configuration: .init(
            seed: 17, recordsPerObject: 200, changes: 400, gapShare: 0.05, mergeShare: 0.08, overflow: true,
            overflowThreshold: 20))

    @Test(.timeLimit(.minutes(ChaosTests.plan.timeLimitMinutes)))
    func theWholePipelineLosesAndDuplicatesNothingUnderFaults() async throws {
        let plan = Self.plan
        let log = ChaosLog()
        let run = try await ChaosRun.start(plan: plan, org: Self.org, latenessMs: Self.latenessMs, log: log)
        defer { run.webhook.stop() }

        // The load: the seeded clickstream, and the org's CDC stream paced over the same window.
        let generator = try Spawned(
            "generator",
            [
                "events", "--seed", "\(plan.seed)", "--total", "\(plan.events)", "--rate", "\(plan.generatorRate)",
                "--json", "--metrics-port", "0", "--max-lag", "40000", "--lag-group", "transformer",
            ],
            environment: run.environment)
        let configuration = Self.org.configuration
        let changes = Self.org.changeEvents(after: configuration.baseTimeMs, through: configuration.endTimeMs)
        let cdcRate = Double(changes.count) / (Double(plan.duration.components.seconds) * 0.7)
        let cdc = Task { [broker = run.broker] in try await broker.produceChangeEvents(changes, perSecond: cdcRate) }

        // The faults, each at its moment; the window closes with every fault cleared.
        await run.inject(plan.schedule())
        await run.clearFaults()
        log.note("fault window \(plan.duration), \(plan.events) events at \(plan.generatorRate)/s, seed \(plan.seed)")

        // Drained: the load finished and every group has committed everything written to its topic.
        let drainTimeout = Duration.seconds(300 + plan.events / 400)
        let generatorExit = await generator.exitCode(within: drainTimeout)
        log.check("generator finished", expected: "exit 0", actual: generatorExit.map { "exit \($0)" } ?? "timeout", generatorExit == 0)
        // Polled, not awaited: every wait here is bounded, so a stuck step shows as a failed row, not a hung run.
        let cdcWritten = try await run.broker.waitUntilWritten("salesforce.cdc", atLeast: Int64(changes.count), within: drainTimeout)
        log.check("CDC stream produced", expected: "\(changes.count)", actual: "\(try await run.broker.written("salesforce.cdc"))", cdcWritten)
        if !cdcWritten { cdc.cancel() }
        var drained: [String] = []
        for (topic, group) in [
            ("events.raw", "transformer"), ("events.clean", "bigtable-writer"), ("events.clean", "aggregator"),
            ("salesforce.cdc", "cdc-router"), ("pipeline.batch", "extractor"), ("salesforce.records", "bigtable-writer"),
        ] {
            let start = log.elapsedSeconds
            let done = try await run.broker.waitUntilConsumed(topic, group: group, within: drainTimeout)
            drained.append("\(group) on \(topic): \(done ? String(format: "drained %.0f s after the window", log.elapsedSeconds - start) : "NOT drained")")
            if !done { log.note("\(group) did not drain \(topic):\n\(run.processes.stderr(group.hasPrefix("bigtable") ? "bigtable-writer" : group))") }
        }
        log.note(drained.joined(separator: "; "))

        try await ChaosChecks(run: run, plan: plan, org: Self.org, latenessMs: Self.latenessMs, log: log).all()

        let stopped = await run.processes.stopAll()
        log.check("graceful SIGTERM of the last instances", expected: "all exit 0", actual: stopped.isEmpty ? "all exit 0" : "\(stopped)", stopped.isEmpty)

        let title = "Chaos run: \(plan.events) events, seed \(plan.seed), \(Int(log.elapsedSeconds)) s"
        print(log.markdown(title: title))
        if let prefix = ProcessInfo.processInfo.environment["TRIBUTARY_CHAOS_REPORT"], !prefix.isEmpty {
            try log.write(prefix: prefix, title: title)
            try run.processes.saveLogs(to: prefix + "-logs")
        }
        for check in log.checks {
            if let known = check.knownIssue {
                withKnownIssue(Comment(rawValue: known), isIntermittent: true) {
                    #expect(check.ok, "\(check.name): expected \(check.expected), got \(check.actual)")
                }
            } else {
                #expect(check.ok, "\(check.name): expected \(check.expected), got \(check.actual)")
            }
        }
        for fault in log.faults where !fault.ok { Issue.record("fault \(fault.kind) at \(fault.atSeconds) s: \(fault.outcome)") }
    }
}

extension ChaosPlan {
    /// Generous: the suite's own deadlines end it long before, with a table saying what did not finish.
    var timeLimitMinutes: Int { 15 + Int(duration.components.seconds) / 60 + events / 20_000 }
}
