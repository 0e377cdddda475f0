import Foundation
import PipelineKafka
import PipelineMessages
import SalesforceExtraction

/// Reading what the extractor wrote, and running it, for the extractor's process tests.
extension BrokerProcess {
    /// Every message of a topic (all partitions), read with a fresh group until the topic's high watermarks.
    func readAll(_ topic: String, within timeout: Duration = .seconds(60)) async throws -> [(key: String, value: [UInt8])] {
        let expected = try await written(topic)
        guard expected > 0 else { return [] }
        let consumer = try KafkaConsumer(
            configuration: .init(client: client, groupID: "reader-\(UUID().uuidString)"), logger: logger)
        try consumer.subscribe([topic])
        var messages: [(key: String, value: [UInt8])] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while messages.count < expected, ContinuousClock.now < deadline {
            for message in try await consumer.nextBatch(timeout: .milliseconds(200)) {
                messages.append((String(decoding: message.key ?? [], as: UTF8.self), message.value))
            }
        }
        await consumer.close()
        return messages
    }

    /// The RecordChange messages on a topic, decoded, with their keys.
    func recordChanges(_ topic: String = "salesforce.records") async throws -> [(key: String, change: RecordChange)] {
        try await readAll(topic).map { ($0.key, try RecordChange(decoding: $0.value)) }
    }

    /// The last watermark per object on the watermarks topic.
    func watermarks(_ topic: String = "salesforce.watermarks") async throws -> [String: Watermark] {
        var marks: [String: Watermark] = [:]
        for message in try await readAll(topic) { marks[message.key] = Watermark(json: message.value) }
        return marks
    }
}

extension FakeSalesforce {
    /// `extractor once` against this org and `broker`, finished; returns the process (exit code, stdout).
    func extractOnce(
        _ broker: BrokerProcess, _ extra: [String] = [], within timeout: Duration = .seconds(120)
    ) async throws -> (code: Int32?, process: Spawned) {
        var arguments = arguments
        if extra.contains("--objects"), let own = arguments.firstIndex(of: "--objects") {
            arguments.removeSubrange(own...own + 1)  // the test names the objects itself
        }
        let process = try Spawned("extractor", ["once"] + arguments + extra, environment: broker.environment)
        return (await process.exitCode(within: timeout), process)
    }

    var arguments: [String] {
        [
            "--api-base-url", baseURL, "--objects", "Account", "--salesforce-client-id", "test", "--salesforce-client-secret", "s3cret",
            "--page-size", "200", "--request-timeout", "2s",
        ]
    }

    /// The rows as the extractor must deliver them: key → (operation, revenue text, timestamp).
    var expected: [String: String] {
        var out: [String: String] = [:]
        for row in state.withLock({ $0.rows }) {
            out["Account#\(row.id)"] = "\(row.deleted ? "delete" : "upsert") \(row.revenue) \(row.modstampMs) \(row.name)"
        }
        return out
    }
}

extension RecordChange {
    /// The same summary as ``FakeSalesforce/expected`` for comparison.
    var summary: String {
        let revenue = fields.first { $0.name == "annual_revenue" }?.value ?? "nil"
        let name = fields.first { $0.name == "name" }?.value ?? "nil"
        return "\(operation == .delete ? "delete" : "upsert") \(revenue) \(sourceTimestampMs) \(name)"
    }
}

/// The newest summary per key (the writer keeps the newest version by timestamp; duplicates are fine).
func latest(_ changes: [(key: String, change: RecordChange)]) -> [String: String] {
    var newest: [String: RecordChange] = [:]
    for (key, change) in changes where (newest[key]?.sourceTimestampMs ?? .min) <= change.sourceTimestampMs {
        newest[key] = change
    }
    return newest.mapValues(\.summary)
}

/// Keys whose summaries differ (at most 5, for a readable failure); empty when the two agree.
func mismatches(_ actual: [String: String], _ expected: [String: String]) -> [String] {
    let keys = Set(actual.keys).union(expected.keys).sorted()
    return Array(
        keys.filter { actual[$0] != expected[$0] }.prefix(5)
            .map { "\($0): got \(actual[$0] ?? "nothing"), want \(expected[$0] ?? "nothing")" })
}
