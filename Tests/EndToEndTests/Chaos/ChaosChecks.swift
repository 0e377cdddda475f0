import BigtableTestSupport
import ClickstreamModel
import Foundation
import PipelineMessages
import PipelineTables
import SalesforceModel

/// The end-of-run checks, each exact and each a row in the table: what the seeded generator and the seeded org say
/// the pipeline must hold, against what it holds.
struct ChaosChecks {
    let run: ChaosRun
    let plan: ChaosPlan
    let org: SalesforceOrg
    let latenessMs: Int64
    let log: ChaosLog

    private var readTimeout: Duration { .seconds(120 + plan.events / 2_000) }

    func all() async throws {
        let expected = ExpectedCounts(synthesizer: EventSynthesizer(seed: plan.seed), total: UInt64(plan.events))
        let caughtUp = try await run.tap.catchUp(run.broker, within: readTimeout)
        let tapped = await run.tap.finish()
        var problems = tapped.gaps.prefix(3).map { "gap \($0)" }
        if !caughtUp { problems.append("behind the high watermark") }
        if tapped.undecodable > 0 { problems.append("\(tapped.undecodable) undecodable") }
        log.check(
            "events.clean and events.dlq read from offset 0 as written, no gap", expected: "none missed",
            actual: problems.isEmpty ? "none missed" : problems.joined(separator: "; "), problems.isEmpty)
        skippedPositions()
        let events = cleanStream(expected, tapped.clean)
        try await factTable(expected)
        // Two expectations: from events.clean as written under the aggregator's own rule for copies (its exactness
        // under kills, replays and a frozen Bigtable), and the truth, each good event once (the first copy of each
        // id, in partition order). They agree when every copy lands within the duplicate window of its original.
        let input = ExpectedAggregates(events: events, latenessMs: latenessMs, duplicateWindow: Self.duplicateWindow)
        var seen = Set<String>()
        let distinct = events.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }.filter { seen.insert($0.event.eventID).inserted }
        let truth = ExpectedAggregates(events: distinct, latenessMs: latenessMs)
        deadLetters(expected, tapped.letters, late: input.late)
        try await aggregates(input: input, truth: truth)
        try await salesforce()
        alerts()
    }

    /// No consumer of any service lost its place: a committed position the broker no longer had (its retention
    /// removed the records before they were read) is moved by librdkafka and skips records, which the services
    /// log as an error. On this local broker that happens when a consumer falls more than ~5 MiB per partition
    /// behind; the checks below would then also fail, and this row says why.
    private func skippedPositions() {
        var skipped: [String: Int] = [:]
        for instance in run.processes.all {
            let count = instance.process.stderr.split(separator: "\n").filter { $0.contains("messages may have been skipped") }.count
            if count > 0 { skipped[instance.service, default: 0] += count }
        }
        let text = skipped.isEmpty ? "none" : skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        log.check("consumer positions skipped past (broker retention)", expected: "none", actual: text, skipped.isEmpty)
    }

    /// events.clean holds every good event once: what the writer and the aggregator read.
    private func cleanStream(_ expected: ExpectedCounts, _ events: [ChaosTap.CleanRecord]) -> [ChaosTap.CleanRecord] {
        // More than the good count may be there (re-emitted copies).
        let distinct = Set(events.map(\.event.eventID)).count
        log.check("events.clean: distinct good events", expected: "\(expected.good)", actual: "\(distinct)", distinct == Int(expected.good))
        // The transformer is at-least-once: after a SIGKILL it sends again what it had sent but not committed.
        // Facts absorb the copies by row key and the aggregator by its duplicate window; they are only counted.
        log.check(
            "events.clean: copies re-sent after transformer kills (at-least-once)", expected: "any",
            actual: "\(events.count - distinct)", true)
        return events
    }

    /// events_fact: one row per good event (the row key is the event's identity, so a duplicate would be a row too
    /// many only if written under another key; a lost event is a row too few).
    private func factTable(_ expected: ExpectedCounts) async throws {
        let rows = try await PipelineEndToEndTests.factRows(run.emulator.emulator, keysOnly: true)
        log.check("events_fact rows", expected: "\(expected.good)", actual: "\(rows.keys)", rows.keys == Int(expected.good))
        log.check("events_fact duplicate keys", expected: "0", actual: "\(rows.keys - rows.distinctKeys)", rows.keys == rows.distinctKeys)
    }

    /// Every bad event dead-lettered by the transformer with its reason (distinct by original position: a redelivered
    /// batch may repeat a letter), every late one by the aggregator, and nothing from any other stage.
    private func deadLetters(_ expected: ExpectedCounts, _ letters: [DeadLetter], late expectedLate: Set<String>) {
        var byReason: [String: Set<String>] = [:]
        for letter in letters where letter.stage == "transformer" {
            byReason[letter.reason, default: []].insert("\(letter.topic)/\(letter.partition)/\(letter.offset)")
        }
        let want = Dictionary(uniqueKeysWithValues: expected.deadLetters.map { ($0.key.rawValue, Int($0.value)) }).filter { $0.value > 0 }
        let got = byReason.mapValues(\.count)
        func text(_ counts: [String: Int]) -> String { counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        log.check("events.dlq: bad events by reason", expected: text(want), actual: text(got), got == want)
        let described = letters.filter { $0.stage == "transformer" }.allSatisfy { !$0.detail.isEmpty && $0.originalValue != nil }
        log.check("events.dlq: each letter has detail and original", expected: "all", actual: described ? "all" : "some missing", described)

        let late = Set(letters.filter { $0.stage == "aggregator" && $0.reason == "late_event" }.map { "\($0.partition)/\($0.offset)" })
        log.check("events.dlq: late events (aggregator, of events.clean as written)", expected: "\(expectedLate.count)", actual: "\(late.count)", late == expectedLate)
        let others = letters.filter { $0.stage != "transformer" && !($0.stage == "aggregator" && $0.reason == "late_event") }
        let otherText = Dictionary(grouping: others, by: { "\($0.stage)/\($0.reason)" }).mapValues(\.count)
        log.check("events.dlq: letters from other stages", expected: "none", actual: otherText.isEmpty ? "none" : text(otherText), others.isEmpty)
    }

    /// events_aggregates, cell by cell, against the aggregates computed here from events.clean in partition order.
    private func aggregates(input: ExpectedAggregates, truth: ExpectedAggregates) async throws {
        let stored = try await AggregatorEndToEndTests.cells(run.emulator.emulator, table: EventsAggregateTable.name)
        func text(_ mismatches: [String]) -> String { mismatches.isEmpty ? "0" : "\(mismatches.count), e.g. \(mismatches.prefix(1))" }
        let ofInput = AggregatorEndToEndTests.mismatches(stored, input.cells)
        log.check("aggregate cells (of events.clean as written)", expected: "\(input.cells.count)", actual: "\(stored.count)", stored.count == input.cells.count)
        log.check("aggregate cells differing from events.clean as written", expected: "0", actual: text(ofInput), ofInput.isEmpty)
        let ofTruth = AggregatorEndToEndTests.mismatches(stored, truth.cells)
        log.check(
            "aggregate cells differing from each good event once", expected: "0", actual: text(ofTruth),
            ofTruth.isEmpty && stored.count == truth.cells.count)
    }

    /// salesforce_records equals the simulator's org at the end of its window, field by field.
    private func salesforce() async throws {
        let rows = try await CdcRouterProcessTests.records(run.emulator.emulator)
        let state = org.state(asOf: org.configuration.endTimeMs)
        let mismatches = SalesforceEndToEndTests.mismatches(rows, state)
        log.check("salesforce_records rows", expected: "\(state.allRecords.count)", actual: "\(rows.count)", rows.count == state.allRecords.count)
        log.check(
            "salesforce_records fields differing from the org", expected: "0",
            actual: mismatches.isEmpty ? "0" : "\(mismatches.count), e.g. \(mismatches.prefix(2))", mismatches.isEmpty)
    }

    /// The alerts that must have reached the webhook despite its faults: the transformer's dead-letter ratio (2 % of
    /// the load is bad, the threshold 1 %), and a heartbeat alert for each killed instance that an alerting instance
    /// watched from before the kill until well after it (a kill while alerting itself is down or restarting is
    /// missed by design: alerting keeps its state in memory and learns instances from their heartbeats).
    private func alerts() {
        let delivered = run.webhook.delivered.filter { $0.contains("[FIRING]") }
        let deadLetterAlert = delivered.contains { $0.contains("dead_letters#transformer") }
        log.check("alert delivered: dead_letters#transformer", expected: "delivered", actual: deadLetterAlert ? "delivered" : "missing", deadLetterAlert)

        let instances = run.processes.all
        let watchers = instances.filter { $0.service == "alerting" }
        var expected = 0
        var missing: [String] = []
        var unexpectedKills = 0
        var alertedAnyway = 0
        for instance in instances where instance.service != "alerting" {
            guard let killedAt = instance.killedAt else { continue }
            let watched = watchers.contains { $0.startedAt <= killedAt - 10 && ($0.killedAt ?? .infinity) >= killedAt + 20 }
            let key = "heartbeat#\(instance.service)@\(Self.hostname):\(instance.process.pid)"
            let alerted = delivered.contains { $0.contains(key + "`") }
            guard watched, killedAt - instance.startedAt >= 5 else {
                unexpectedKills += 1
                if alerted { alertedAnyway += 1 }
                continue
            }
            expected += 1
            if !alerted { missing.append(key) }
        }
        log.check(
            "alerts delivered: heartbeat of each watched killed instance", expected: "\(expected)",
            actual: missing.isEmpty ? "\(expected)" : "\(expected - missing.count); missing \(missing.prefix(3))", missing.isEmpty && expected > 0)
        let refusals = run.webhook.refusals.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        log.note(
            "webhook: \(run.webhook.delivered.count) posts accepted, refused \(refusals.joined(separator: ", ")); "
                + "\(unexpectedKills) kills not expected to alert (alerting itself down or restarting, or the instance too young), "
                + "of which \(alertedAnyway) alerted anyway")
    }

    /// The transformer is at-least-once into events.clean: records redelivered after a SIGKILL (processed, not yet
    /// committed) are transformed and sent again, and the copies sit at new offsets, so the aggregator, idempotent
    /// by offset only, counts them twice. events_fact is unaffected (the row key is the event's identity).
    /// The aggregator's default `--duplicate-window`.
    static let duplicateWindow: Int64 = 100_000

    static let hostname: String = {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
