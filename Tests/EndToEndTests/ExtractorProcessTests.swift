import Foundation
import PipelineKafka
import PipelineMessages
import SalesforceExtraction
import Testing

/// `extractor` as a process against a real `tributary broker` and a scripted Salesforce org on loopback.
@Suite(.timeLimit(.minutes(5))) struct ExtractorProcessTests {
    @Test func fullThenIncrementalExtraction() async throws {
        let broker = try await BrokerProcess()
        let org = try FakeSalesforce(rows: FakeSalesforce.accounts(450))
        let first = try await org.extractOnce(broker)
        #expect(first.code == 0, "\(first.process.stderr)")
        #expect(first.process.lastJSON?["records"] as? Int == 450)
        let changes = try await broker.recordChanges()
        #expect(changes.count == 450)
        #expect(mismatches(latest(changes), org.expected) == [])
        let sample = try #require(changes.first { $0.key == "Account#001000000000010AAA" }?.change)
        #expect(sample.source == .batch && sample.fullRecord)
        #expect(sample.fields.map(\.name) == ["id", "is_deleted", "name", "annual_revenue", "system_modstamp"])
        #expect(changes.filter { $0.change.operation == .delete }.count == org.state.withLock { $0.rows.filter(\.deleted).count })
        let rows = org.state.withLock { $0.rows }
        #expect(try await broker.watermarks()["Account"] == Watermark(modstampMs: rows.last!.modstampMs, id: rows.last!.id))
        // The secret never reaches the logs.
        #expect(!first.process.stderr.contains("s3cret"))

        let idle = try await org.extractOnce(broker)
        #expect(idle.code == 0)
        #expect(idle.process.lastJSON?["records"] as? Int == 0)

        // A record on the watermark's own stamp with a higher id, and a later change: exactly those two.
        let top = rows.last!.modstampMs
        org.state.withLock { state in
            state.rows.append(.init(id: "001999999999999AAA", modstampMs: top, name: "Tie", revenue: "1", deleted: false))
            state.rows[5].modstampMs = top + 5_000
            state.rows[5].name = "Renamed"
        }
        let next = try await org.extractOnce(broker)
        #expect(next.code == 0)
        #expect(next.process.lastJSON?["records"] as? Int == 2)
        #expect(mismatches(latest(try await broker.recordChanges()), org.expected) == [])

        // An object Salesforce does not know fails alone: the others are still extracted, the exit code says so.
        let missing = try await org.extractOnce(broker, ["--objects", "Missing__c,Account"])
        #expect(missing.code == 1)
        #expect(missing.process.lastJSON?["failed_objects"] as? [String] == ["Missing__c"])
        #expect(missing.process.lastJSON?["objects"] as? Int == 1)
    }

    @Test func everyFaultInTurnGivesTheSameResult() async throws {
        let broker = try await BrokerProcess()
        let faults: [(String, [FakeSalesforce.Fault])] = [
            ("expired token", [.expiredToken]), ("expired twice", [.expiredToken, .expiredToken]),
            ("429", [.status429(retryAfter: 1)]), ("503", [.status503(retryAfter: 1)]),
            ("truncated JSON", [.truncatedJSON, .truncatedJSON]), ("truncated transfer", [.truncatedTransfer]),
            ("slow", [.slow(milliseconds: 2_500)]),
        ]
        for (index, (name, injected)) in faults.enumerated() {
            let records = "sf.records.\(index)", marks = "sf.watermarks.\(index)"
            try await broker.createTopic(records, partitions: 2)
            try await broker.createTopic(marks, partitions: 1)
            let org = try FakeSalesforce(rows: FakeSalesforce.accounts(450))
            // After describe, so the faults land on query pages.
            org.state.withLock { $0.faults = [.slow(milliseconds: 0)] + injected }
            let run = try await org.extractOnce(broker, ["--records-topic", records, "--watermarks-topic", marks])
            #expect(run.code == 0, "\(name): \(run.process.stderr.suffix(2_000))")
            #expect(mismatches(latest(try await broker.recordChanges(records)), org.expected) == [], "\(name)")
            #expect(org.state.withLock { $0.faults.isEmpty }, "\(name): every fault was served")
        }
    }

    @Test func budgetAndRequestLimitStopThePassWithoutPassingDeliveredData() async throws {
        let broker = try await BrokerProcess()
        let org = try FakeSalesforce(rows: FakeSalesforce.accounts(2_000))
        org.state.withLock { $0.maximum = 12 }  // share 0.5 → 6 calls: describe and 5 pages of 200
        let stopped = try await org.extractOnce(broker)
        #expect(stopped.code == 3, "\(stopped.process.stderr.suffix(2_000))")
        #expect(org.apiUsed <= 6)
        #expect(stopped.process.lastJSON?["complete"] as? Bool == false)
        try await expectWatermarkCoversOnlyDelivered(broker, org)
        let mark = try #require(try await broker.watermarks()["Account"])
        #expect(mark.id == String(format: "001%012dAAA", 999))

        // The whole allocation gone mid-pass: stop, keep what was delivered.
        org.state.withLock { state in
            state.maximum = 10_000
            state.faults = [.slow(milliseconds: 0), .slow(milliseconds: 0), .requestLimit]
        }
        let limited = try await org.extractOnce(broker)
        #expect(limited.code == 3)
        #expect(limited.process.stdout.contains("REQUEST_LIMIT_EXCEEDED"))
        try await expectWatermarkCoversOnlyDelivered(broker, org)

        let rest = try await org.extractOnce(broker)
        #expect(rest.code == 0)
        #expect(mismatches(latest(try await broker.recordChanges()), org.expected) == [])
    }

    @Test func killedMidRunLosesNothing() async throws {
        let broker = try await BrokerProcess()
        let org = try FakeSalesforce(rows: FakeSalesforce.accounts(2_000))
        org.state.withLock { $0.delayMs = 250 }
        let run = try Spawned(
            "extractor", ["run", "--poll-interval", "1h", "--metrics-port", "0"] + org.arguments,
            environment: broker.environment)
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while try await broker.written("salesforce.watermarks") < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        run.signal(SIGKILL)
        _ = await run.exitCode(within: .seconds(10))
        let partial = try await broker.recordChanges()
        #expect(partial.count < 2_000, "killed before the end")
        try await expectWatermarkCoversOnlyDelivered(broker, org)

        org.state.withLock { $0.delayMs = 0 }
        let again = try await org.extractOnce(broker)
        #expect(again.code == 0)
        #expect(mismatches(latest(try await broker.recordChanges()), org.expected) == [])

        // run shuts down cleanly on SIGTERM.
        let service = try Spawned(
            "extractor", ["run", "--poll-interval", "1h", "--metrics-port", "0"] + org.arguments,
            environment: broker.environment)
        #expect(await service.waitForLog("extraction pass finished"))
        service.signal(SIGTERM)
        await service.expectCleanExit(within: .seconds(30))
    }

    @Test func kafkaRefusingRecordsNeverAdvancesTheWatermarkPastThem() async throws {
        let broker = try await BrokerProcess()
        let org = try FakeSalesforce(rows: FakeSalesforce.accounts(2_000))
        // Slow pages (10 of 200 rows) leave seconds, even on a loaded machine, between the second watermark and the
        // end of the pass for the fault below to land mid-pass.
        org.state.withLock { $0.delayMs = 600 }
        let run = try Spawned("extractor", ["once"] + org.arguments, environment: broker.environment)
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while try await broker.written("salesforce.watermarks") < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // The next produce requests fail for good (TOPIC_AUTHORIZATION_FAILED): those records are not delivered.
        let (status, _) = try await broker.control("POST", "/faults/request-errors?api=0&codes=29,29,29")
        #expect(status == 200)
        let code = await run.exitCode(within: .seconds(60))
        #expect(code == 1, "\(run.stderr.suffix(2_000))")
        try await expectWatermarkCoversOnlyDelivered(broker, org)
        let rows = org.state.withLock { $0.rows }
        let mark = try #require(try await broker.watermarks()["Account"])
        #expect(mark < Watermark(modstampMs: rows.last!.modstampMs, id: rows.last!.id))

        // Later runs (the rest of the injected errors may fail one more) finish the job.
        org.state.withLock { $0.delayMs = 0 }
        var finished = false
        for _ in 0..<4 where !finished {
            let again = try await org.extractOnce(broker)
            try await expectWatermarkCoversOnlyDelivered(broker, org)
            finished = again.code == 0
        }
        #expect(finished)
        #expect(mismatches(latest(try await broker.recordChanges()), org.expected) == [])
    }

    @Test func batchRequestsByIDAndSince() async throws {
        let broker = try await BrokerProcess()
        let org = try FakeSalesforce(rows: FakeSalesforce.accounts(450))
        let rows = org.state.withLock { $0.rows }
        let producer = try KafkaProducer(configuration: .init(client: broker.client), logger: broker.logger)
        let topic = try producer.topic("pipeline.batch")
        let requests = [
            BatchRequest(requestID: "ids-1", object: "Account", recordIDs: [rows[3].id, rows[4].id, rows[300].id], reason: .gap),
            BatchRequest(requestID: "since-1", object: "Account", sinceMs: rows[440].modstampMs, reason: .overflow),
            BatchRequest(requestID: "bad-1", object: "Secret__c", recordIDs: [rows[1].id]),
            BatchRequest(requestID: "bad-2", object: "Account", recordIDs: ["001' OR Name != '"]),
        ]
        for request in requests {
            try await producer.sendAndWait(to: topic, key: Array(request.object.utf8), value: request.encode())
        }
        try await producer.sendAndWait(to: topic, key: nil, value: [0xFF, 0x01, 0x02])
        await producer.close(timeout: .seconds(5))

        let served = try await org.extractOnce(broker, ["--batch-requests"])
        #expect(served.code == 0, "\(served.process.stderr.suffix(2_000))")
        let changes = try await broker.recordChanges()
        let byRequest = Dictionary(grouping: changes.map(\.change), by: \.requestID)
        #expect(Set(byRequest["ids-1"]?.map(\.id) ?? []) == [rows[3].id, rows[4].id, rows[300].id])
        #expect(byRequest["ids-1"]?.first { $0.id == rows[3].id }?.operation == .delete)
        #expect(Set(byRequest["since-1"]?.map(\.id) ?? []) == Set(rows.filter { $0.modstampMs >= rows[440].modstampMs }.map(\.id)))
        #expect(byRequest[""]?.count == 450)
        let letters = try await broker.deadLetters()
        #expect(letters.count == 3)
        #expect(Set(letters.map(\.reason)).isSuperset(of: ["unknown_object", "invalid_record_id"]))
        #expect(try await broker.committed("pipeline.batch", group: "extractor") == 5)
    }

    @Test func fileIngestionDeadLettersBadLines() async throws {
        let broker = try await BrokerProcess()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString).csv").path
        try """
            Id,Name,AnnualRevenue,SystemModstamp
            001000000000001AAA,Acme,"1,000.5",2026-11-30T12:00:00.000+0000
            001000000000002AAA,Broken,"unterminated,2026-11-30T12:00:00Z
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let csv = try Spawned("extractor", ["file", "--format", "csv", "--object", "Account", path], environment: broker.environment)
        #expect(await csv.exitCode(within: .seconds(60)) == 0, "\(csv.stderr)")
        #expect(csv.lastJSON?["records"] as? Int == 1)
        #expect(csv.lastJSON?["dead_letters"] as? Int == 1)

        let jsonl = FileManager.default.temporaryDirectory.appendingPathComponent("leads-\(UUID().uuidString).jsonl").path
        try """
            {"attributes":{"type":"Lead"},"Id":"00Q000000000001AAA","SystemModstamp":"2026-11-30T12:00:00Z","Score__c":7}
            {"Id":"00Q000000000002AAA",
            {"attributes":{"type":"Lead"},"SystemModstamp":"2026-11-30T12:00:00Z"}
            """.write(toFile: jsonl, atomically: true, encoding: .utf8)
        let lines = try Spawned("extractor", ["file", "--format", "jsonl", jsonl], environment: broker.environment)
        #expect(await lines.exitCode(within: .seconds(60)) == 0, "\(lines.stderr)")

        let changes = try await broker.recordChanges()
        #expect(Set(changes.map(\.key)) == ["Account#001000000000001AAA", "Lead#00Q000000000001AAA"])
        #expect(changes.first { $0.key.hasPrefix("Account") }?.change.fields[2] == FieldValue(name: "annual_revenue", value: "1,000.5"))
        let letters = try await broker.deadLetters()
        #expect(letters.map(\.reason).sorted() == ["csv_bad_line", "json_bad_line", "missing_id"])
        #expect(letters.allSatisfy { $0.stage == "extractor" })
        #expect(letters.first { $0.reason == "csv_bad_line" }?.detail.hasPrefix("line 3:") == true)
        #expect(letters.first { $0.reason == "csv_bad_line" }?.offset == 3)
    }

    /// Every record at or below the stored watermark is on salesforce.records: the watermark never passed data
    /// that was not delivered.
    private func expectWatermarkCoversOnlyDelivered(_ broker: BrokerProcess, _ org: FakeSalesforce) async throws {
        let delivered = Set(try await broker.recordChanges().map(\.change.id))
        guard let mark = try await broker.watermarks()["Account"] else { return }
        let covered = org.state.withLock { $0.rows }.filter { Watermark(modstampMs: $0.modstampMs, id: $0.id) <= mark }
        #expect(!covered.isEmpty)
        #expect(covered.allSatisfy { delivered.contains($0.id) }, "watermark \(mark) passed undelivered records")
    }
}
