import Foundation
import PipelineKafka
import PipelineMessages
import SalesforceExtraction
import SalesforceModel
import SalesforceRecords
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `extractor once` against the real simulator (`generator salesforce-api`) and a real `tributary broker`: what
/// reaches salesforce.records is the model's `state(asOf:)`, with every simulator fault in turn and within budget.
@Suite(.timeLimit(.minutes(8))) struct ExtractorSimulatorTests {
    static let seed = 11
    static let records = 450
    static let changes = 400
    static let org = SalesforceOrg(configuration: .init(seed: UInt64(seed), recordsPerObject: records, changes: changes))

    @Test func fullThenIncrementalEqualsTheModel() async throws {
        let broker = try await BrokerProcess()
        let simulator = try await SimulatorProcess()
        let org = Self.org
        let first = try await simulator.extractOnce(broker)
        #expect(first.code == 0, "\(first.process.stderr.suffix(2_000))")
        let base = org.configuration.baseTimeMs
        #expect(mismatches(newest(try await broker.recordChanges()), expected(org.state(asOf: base))) == [])

        // The org moves on: the next pass brings exactly the changed records, and the result is the new state.
        try await simulator.setClock(org.configuration.endTimeMs)
        let second = try await simulator.extractOnce(broker)
        #expect(second.code == 0, "\(second.process.stderr.suffix(2_000))")
        let end = org.state(asOf: org.configuration.endTimeMs)
        let changed = end.allRecords.filter { $0.systemModstampMs > base }.count
        #expect(changed > 0)
        #expect(second.process.lastJSON?["records"] as? Int == changed)
        #expect(mismatches(newest(try await broker.recordChanges()), expected(end)) == [])
    }

    @Test func everySimulatorFaultInTurnGivesTheSameResultWithinBudget() async throws {
        let broker = try await BrokerProcess()
        let org = Self.org
        let want = expected(org.state(asOf: org.configuration.baseTimeMs))
        let faults: [(String, Int, String)] = [
            ("expired-token", 2, ""), ("http-429", 2, ",\"retryAfterSeconds\":1"), ("http-503", 2, ",\"retryAfterSeconds\":1"),
            ("slow", 2, ",\"delayMs\":2500"), ("truncated", 3, ""),
        ]
        for (index, (name, count, extra)) in faults.enumerated() {
            let simulator = try await SimulatorProcess(dailyLimit: 200)
            let records = "sf.sim.records.\(index)", marks = "sf.sim.watermarks.\(index)"
            try await broker.createTopic(records, partitions: 2)
            try await broker.createTopic(marks, partitions: 1)
            try await simulator.control("POST", "/_sim/faults", body: #"{"fault":"\#(name)","count":\#(count)\#(extra)}"#)
            let run = try await simulator.extractOnce(broker, ["--records-topic", records, "--watermarks-topic", marks])
            #expect(run.code == 0, "\(name): \(run.process.stderr.suffix(2_000))")
            #expect(mismatches(newest(try await broker.recordChanges(records)), want) == [], "\(name)")
            let stats = try await simulator.stats()
            #expect((stats["faultsServed"] as? [String: Int])?[name] == count, "\(name): \(stats)")
            #expect((stats["apiUsage"] as? Int ?? .max) <= 100, "\(name): within --budget-share 0.5 of 200")
        }

        // REQUEST_LIMIT_EXCEEDED stops the pass (exit 3); the next run completes from the watermarks.
        let simulator = try await SimulatorProcess(dailyLimit: 200)
        try await simulator.control("POST", "/_sim/faults", body: #"{"fault":"request-limit","count":1}"#)
        let limited = try await simulator.extractOnce(broker, ["--records-topic", "sf.sim.limited", "--watermarks-topic", "sf.sim.limited.marks"], create: true)
        #expect(limited.code == 3)
        let again = try await simulator.extractOnce(broker, ["--records-topic", "sf.sim.limited", "--watermarks-topic", "sf.sim.limited.marks"])
        #expect(again.code == 0)
        #expect(mismatches(newest(try await broker.recordChanges("sf.sim.limited")), want) == [])
    }

    @Test func budgetStopsBeforeTheShareAndWatermarksStayAtDeliveredData() async throws {
        let broker = try await BrokerProcess()
        let org = Self.org
        // 6 objects need 6 describes and ~14 pages; a share of 0.5 of 20 allows 10 calls.
        let simulator = try await SimulatorProcess(dailyLimit: 20)
        let stopped = try await simulator.extractOnce(broker)
        #expect(stopped.code == 3, "\(stopped.process.stderr.suffix(2_000))")
        #expect(try await simulator.stats()["apiUsage"] as? Int ?? .max <= 10)
        let state = org.state(asOf: org.configuration.baseTimeMs)
        let delivered = Set(try await broker.recordChanges().map(\.key))
        let marks = try await broker.watermarks()
        #expect(!marks.isEmpty && delivered.count < state.allRecords.count)
        for (object, mark) in marks {
            let covered = (state.records[object] ?? []).filter { Watermark(modstampMs: $0.systemModstampMs, id: $0.id) <= mark }
            #expect(covered.allSatisfy { delivered.contains("\(object)#\($0.id)") }, "\(object) watermark \(mark)")
        }
    }

    @Test func killedMidRunThenRestartedLosesNothing() async throws {
        let broker = try await BrokerProcess()
        let simulator = try await SimulatorProcess()
        try await simulator.control("POST", "/_sim/faults", body: #"{"fault":"slow","count":0,"delayMs":300}"#)
        let run = try Spawned(
            "extractor",
            ["run", "--api-base-url", simulator.baseURL, "--page-size", "200", "--poll-interval", "1h", "--metrics-port", "0"],
            environment: broker.environment)
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while try await broker.written("salesforce.watermarks") < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        run.signal(SIGKILL)
        _ = await run.exitCode(within: .seconds(10))
        let org = Self.org
        let want = expected(org.state(asOf: org.configuration.baseTimeMs))
        #expect(try await broker.recordChanges().count < want.count, "killed before the end")

        try await simulator.control("DELETE", "/_sim/faults")
        let again = try await simulator.extractOnce(broker)
        #expect(again.code == 0, "\(again.process.stderr.suffix(2_000))")
        #expect(mismatches(newest(try await broker.recordChanges()), want) == [])
    }

    // MARK: - Comparing with the model

    /// The model's records as the extractor must deliver them: operation and every field, snake_case.
    func expected(_ state: SalesforceOrgState) -> [String: String] {
        var out: [String: String] = [:]
        let org = Self.org
        for record in state.allRecords {
            let names = org.describe(record.object)?.fieldNames ?? []
            let fields = names.map { "\(SalesforceFieldName.normalized($0))=\(record[$0]?.text ?? "<null>")" }
            out[SalesforceRecordKey(object: record.object, id: record.id).description] =
                (record.isDeleted ? "delete " : "upsert ") + fields.sorted().joined(separator: "|")
        }
        return out
    }

    /// The newest RecordChange per key, in the same form.
    func newest(_ changes: [(key: String, change: RecordChange)]) -> [String: String] {
        var latest: [String: RecordChange] = [:]
        for (key, change) in changes where (latest[key]?.sourceTimestampMs ?? .min) <= change.sourceTimestampMs {
            latest[key] = change
        }
        return latest.mapValues { change in
            (change.operation == .delete ? "delete " : "upsert ")
                + change.fields.map { "\($0.name)=\($0.value ?? "<null>")" }.sorted().joined(separator: "|")
        }
    }
}

extension SimulatorProcess {
    /// The simulator with this suite's org (``ExtractorSimulatorTests``'s seed and sizes) and a daily API limit.
    convenience init(dailyLimit: Int = 100_000) async throws {
        try await self.init(arguments: [
            "--seed", "\(ExtractorSimulatorTests.seed)", "--records", "\(ExtractorSimulatorTests.records)",
            "--changes", "\(ExtractorSimulatorTests.changes)", "--daily-api-limit", "\(dailyLimit)",
        ])
    }

    func extractOnce(
        _ broker: BrokerProcess, _ extra: [String] = [], create: Bool = false
    ) async throws -> (code: Int32?, process: Spawned) {
        if create, let index = extra.firstIndex(of: "--records-topic") {
            try await broker.createTopic(extra[index + 1], partitions: 2)
            try await broker.createTopic(extra[extra.firstIndex(of: "--watermarks-topic")! + 1], partitions: 1)
        }
        let process = try Spawned(
            "extractor", ["once", "--api-base-url", baseURL, "--page-size", "200", "--request-timeout", "2s"] + extra,
            environment: broker.environment)
        return (await process.exitCode(within: .seconds(180)), process)
    }
}

