import BigtableTestSupport
import Foundation
import Logging
import PipelineBigtable
import PipelineKafka
import PipelineMessages
import PipelineTables
import SalesforceModel
import SalesforceRecords
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Salesforce path as deployed: the REST simulator's seeded org is extracted in full by the `extractor`, then
/// the org's CDC stream (updates, deletes, undeletes, merged events, gaps and an overflow) flows through the
/// `cdc-router`, the gaps come back as `pipeline.batch` re-reads that `extractor run` serves from the simulator,
/// and `bigtable-writer` stores everything. `salesforce_records` must then equal, field by field, the org's state at
/// the end of the window, with a history version for every change CDC delivered. The second run kills the
/// extractor during the full extraction and the router during the stream, and must end with the same table.
@Suite(.timeLimit(.minutes(5))) struct SalesforceEndToEndTests {
    static let org = SalesforceOrg(
        configuration: .init(
            seed: 11, recordsPerObject: 250, changes: 300, gapShare: 0.05, mergeShare: 0.08, overflow: true,
            overflowThreshold: 20))

    @Test func aFullExtractionThenTheCDCStreamEndInTheOrgsFinalState() async throws {
        try await Self.run(killing: false)
    }

    @Test func killingTheExtractorAndTheRouterMidRunLosesAndDuplicatesNothing() async throws {
        try await Self.run(killing: true)
    }

    static func run(killing: Bool) async throws {
        let configuration = org.configuration
        let broker = try await BrokerProcess()
        let emulator = try await BigtableEmulator.start()
        defer { emulator.stop() }
        let simulator = try await SimulatorProcess(org: configuration)
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
            "SALESFORCE_API_BASE_URL": simulator.baseURL, "SALESFORCE_CLIENT_ID": "tributary-extractor",
            "SALESFORCE_CLIENT_SECRET": "tributary-secret",
        ]) { $1 }
        let writer = try Spawned(
            "bigtable-writer", ["--metrics-port", "0", "--create-tables", "--sources", "salesforce"], environment: environment)
        func router() throws -> Spawned {
            try Spawned("cdc-router", ["--metrics-port", "0", "--batch-size", "20"], environment: environment)
        }
        var cdcRouter = try router()

        // 1. The full extraction at the base time (killed once mid-way in the second run, then finished).
        if killing {
            try await simulator.control("POST", "/_sim/faults", body: #"{"fault":"slow","count":0,"delayMs":250}"#)
            let doomed = try Spawned("extractor", ["once"], environment: environment)
            #expect(try await broker.waitUntilWritten("salesforce.records", atLeast: 1, within: .seconds(60)), "\(doomed.stderr)")
            doomed.signal(SIGKILL)
            #expect(await doomed.exitCode(within: .seconds(10)) != 0)
            #expect(try await broker.written("salesforce.records") < Int64(org.state(asOf: configuration.baseTimeMs).allRecords.count))
            try await simulator.control("DELETE", "/_sim/faults")
        }
        let full = try Spawned("extractor", ["once"], environment: environment)
        #expect(await full.exitCode(within: .seconds(90)) == 0, "\(full.stderr.suffix(3000))")

        // 2. The extractor as a service, for the re-reads; its first pass still sees the org at the base time.
        let extractor = try Spawned("extractor", ["run", "--poll-interval", "1h", "--metrics-port", "0"], environment: environment)
        #expect(await extractor.waitForLog("extraction pass finished", within: .seconds(60)), "\(extractor.stderr.suffix(3000))")

        // 3. The org moves to the end of the window, and its CDC stream flows (paced, so the kill lands mid-way).
        try await simulator.setClock(configuration.endTimeMs)
        let events = org.changeEvents(after: configuration.baseTimeMs, through: configuration.endTimeMs)
        let types = Set(events.map(\.changeType))
        #expect(types == Set(ChangeType.allCases).subtracting([.unspecified]), "the stream should hold every change type")
        #expect(events.contains { $0.recordIDs.count > 1 }, "the stream should hold merged events")
        if killing {
            #expect(await cdcRouter.waitForLog("kafka partitions assigned"))
            // The first half, routed (at least a third committed), then the router dies; the second half arrives
            // while it is down and restarting, so the restarted router must rebuild its state from the log. The
            // halves are produced one after the other: this test process shares two cores with every other
            // end-to-end suite, so "kill it while the stream flows" cannot be timed reliably from here.
            let half = events.count / 2
            try await broker.produceChangeEvents(Array(events[..<half]), perSecond: 80)
            #expect(try await broker.waitUntilCommitted("salesforce.cdc", group: "cdc-router", atLeast: Int64(events.count / 3), within: .seconds(60)))
            cdcRouter.signal(SIGKILL)
            #expect(await cdcRouter.exitCode(within: .seconds(10)) != 0)
            let committedAtKill = try await broker.committed("salesforce.cdc", group: "cdc-router")
            cdcRouter = try router()
            try await broker.produceChangeEvents(Array(events[half...]), perSecond: 80)
            #expect(committedAtKill <= Int64(half), "the kill should land before the second half")
            let rebuilt = await cdcRouter.waitForLog("routing state rebuilt from the log", within: .seconds(120))
            let committedNow = try await broker.committed("salesforce.cdc", group: "cdc-router")
            #expect(
                rebuilt,
                "committed at the kill \(committedAtKill), now \(committedNow), of \(events.count)\n\(cdcRouter.stderr.suffix(4000))")
        } else {
            let stream = try Spawned("generator", ["cdc", "--from", "\(configuration.baseTimeMs)", "--to", "\(configuration.endTimeMs)"] + SimulatorProcess.orgArguments(configuration), environment: environment)
            #expect(await stream.exitCode(within: .seconds(60)) == 0, "\(stream.stderr.suffix(3000))")
        }
        #expect(try await broker.written("salesforce.cdc") == Int64(events.count))

        // 4. Drained: the router has routed everything, the extractor served every re-read, the writer wrote it all.
        #expect(try await broker.waitUntilConsumed("salesforce.cdc", group: "cdc-router", within: .seconds(90)), "\(cdcRouter.stderr.suffix(3000))")
        #expect(try await broker.waitUntilConsumed("pipeline.batch", group: "extractor", within: .seconds(90)), "\(extractor.stderr.suffix(3000))")
        #expect(try await broker.waitUntilConsumed("salesforce.records", group: "bigtable-writer", within: .seconds(90)), "\(writer.stderr.suffix(3000))")

        // 5. The table is the org's final state, field by field, with CDC's versions in the history.
        let rows = try await CdcRouterProcessTests.records(emulator)
        let expected = org.state(asOf: configuration.endTimeMs)
        Self.compare(rows, expected)
        Self.checkHistory(rows, events)
        #expect(try await broker.deadLetters().isEmpty)

        for process in [cdcRouter, extractor, writer] {
            process.signal(SIGTERM)
            #expect(await process.exitCode(within: .seconds(30)) == 0, "\(process.stderr.suffix(2000))")
        }
    }

    /// Every record of the org, every field (after the one normalisation) and the deleted flag; no extra rows and no
    /// extra non-null columns.
    static func compare(_ rows: [String: SalesforceRecordRow], _ state: SalesforceOrgState) {
        #expect(rows.count == state.allRecords.count)
        let mismatches = mismatches(rows, state)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(20).joined(separator: "; "))")
    }

    /// Records of the org missing from the table or differing in a field or the deleted flag.
    static func mismatches(_ rows: [String: SalesforceRecordRow], _ state: SalesforceOrgState) -> [String] {
        let records = state.allRecords
        var mismatches: [String] = []
        for record in records {
            guard let row = rows[record.id], row.object == record.object else {
                mismatches.append("\(record.object)#\(record.id): missing")
                continue
            }
            if row.deleted != record.isDeleted { mismatches.append("\(record.object)#\(record.id): deleted \(row.deleted)") }
            var expected: [String: String?] = [:]
            for field in record.fields { expected[SalesforceFieldName.normalized(field.name)] = .some(field.value.text) }
            for name in Set(expected.keys).union(row.fields.keys) {
                let want = expected[name] ?? nil
                let got = row.fields[name] ?? nil
                if want != got { mismatches.append("\(record.object)#\(record.id).\(name): \(got ?? "null") ≠ \(want ?? "null")") }
            }
        }
        return mismatches
    }

    /// Each record a delivered (non-gap) change event names has a version at that commit time.
    static func checkHistory(_ rows: [String: SalesforceRecordRow], _ events: [ChangeEvent]) {
        var missing: [String] = []
        var checked = 0
        for event in events where !event.changeType.isGap {
            for id in event.recordIDs {
                checked += 1
                if rows[id]?.history.contains(where: { $0.timestampMs == event.commitTimestampMs }) != true {
                    missing.append("\(event.entityName)#\(id)@\(event.commitTimestampMs)")
                }
            }
        }
        #expect(checked > 0)
        #expect(missing.isEmpty, "\(missing.count) CDC versions missing, first: \(missing.prefix(10))")
    }
}

extension BrokerProcess {
    /// Waits until at least `count` records were written to `topic`.
    func waitUntilWritten(_ topic: String, atLeast count: Int64, within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if try await written(topic) >= count { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
