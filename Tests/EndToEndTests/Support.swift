import Foundation
import Logging
import PipelineKafka
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The executables built next to the test bundle (`swift build --build-tests` builds them all).
enum Built {
    /// `TRIBUTARY_BIN_DIR` points elsewhere, e.g. at `.build/release` for the long standalone chaos run.
    static func path(_ name: String) -> String {
        if let directory = ProcessInfo.processInfo.environment["TRIBUTARY_BIN_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory).appendingPathComponent(name).path
        }
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(name).path
    }
}

/// A process a test started; stopped by its PID only. stdout and stderr go to files the test can read.
/// The local Salesforce simulator's default OAuth client (`generator salesforce-api`).
enum SimulatorCredentials {
    static let clientID = "tributary-extractor"
    static let clientSecret = "tributary-secret"
}

final class Spawned: @unchecked Sendable {
    // @unchecked: `Process` is configured before `run()` and afterwards only queried, which Foundation allows
    // from any thread.
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        stdoutPath = directory + "/stdout"
        stderrPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Built.path(executable))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["KAFKA_BOOTSTRAP_SERVERS"] = nil
        // The extractor has no default credentials (a deployment must name its own); tests talk to the local
        // simulator, so they pass its client id and secret unless a test sets others.
        merged["SALESFORCE_CLIENT_ID"] = merged["SALESFORCE_CLIENT_ID"] ?? SimulatorCredentials.clientID
        merged["SALESFORCE_CLIENT_SECRET"] = merged["SALESFORCE_CLIENT_SECRET"] ?? SimulatorCredentials.clientSecret
        // An empty value unsets the variable (a test of what happens without it).
        for (key, value) in environment { merged[key] = value.isEmpty ? nil : value }
        process.environment = merged
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) {
        if process.isRunning { kill(pid, signal) }
    }

    /// Expects exit 0 within `timeout`. A failure names the exit code (or none) and shows the end of the log, which
    /// is what tells a slow shutdown from a failed one afterwards.
    func expectCleanExit(within timeout: Duration, sourceLocation: SourceLocation = #_sourceLocation) async {
        let code = await exitCode(within: timeout)
        #expect(
            code == 0, "exit \(code.map(String.init) ?? "none within \(timeout)"): \(stderr.suffix(4_000))",
            sourceLocation: sourceLocation)
    }

    /// Waits for the exit code; `nil` after `timeout` (the process is then killed).
    func exitCode(within timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else {
            kill(pid, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    /// Waits until stderr contains `text` `times` times; false after the timeout.
    func waitForLog(_ text: String, times: Int = 1, within timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if stderr.components(separatedBy: text).count - 1 >= times { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The last JSON object the process printed on stdout.
    var lastJSON: [String: Any]? {
        guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }

    deinit { signal(SIGKILL) }
}

/// A `tributary broker` process with its own state directory, for one test.
final class BrokerProcess: Sendable {
    let process: Spawned
    let stateDirectory: String
    let bootstrap: String
    let control: String
    let logger: Logger

    init(partitions: Int = 4, brokers: Int = 1) async throws {
        stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("broker-\(UUID().uuidString)").path
        process = try Spawned(
            "tributary",
            ["broker", "--partitions", "\(partitions)", "--brokers", "\(brokers)", "--metrics-port", "0", "--state-dir", stateDirectory])
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var found: LocalBrokerAddress?
        while found == nil, ContinuousClock.now < deadline {
            found = LocalBrokerAddress.read(environment: ["TRIBUTARY_STATE_DIR": stateDirectory])
            if found == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let found else { throw TestFailure("the broker did not publish its address: \(process.stderr)") }
        bootstrap = found.bootstrapServers
        control = found.controlAddress
        var logger = Logger(label: "e2e")
        // Faults are injected on purpose here: librdkafka's connection errors are expected noise.
        logger.logLevel = .critical
        self.logger = logger
    }

    /// Environment for child commands: they find this broker through its state directory.
    var environment: [String: String] { ["TRIBUTARY_STATE_DIR": stateDirectory] }

    var client: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrap, clientID: "e2e", statisticsInterval: nil)
    }

    /// Calls the control API; returns the HTTP status and body.
    @discardableResult
    func control(_ method: String, _ pathAndQuery: String) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://\(control)\(pathAndQuery)")!, timeoutInterval: 10)
        request.httpMethod = method
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func createTopic(_ name: String, partitions: Int) async throws {
        let (status, body) = try await control("POST", "/topics?name=\(name)&partitions=\(partitions)")
        guard status == 200 else { throw TestFailure("create topic \(name): \(body)") }
    }

    /// Messages written to a topic so far (sum of high watermarks).
    func written(_ topic: String) async throws -> Int64 {
        try await KafkaAdmin(client: client, logger: logger).offsets(topic: topic).reduce(0) { $0 + $1.high }
    }

    /// A group's committed offsets on a topic, summed (0 when it has none).
    func committed(_ topic: String, group: String) async throws -> Int64 {
        try await KafkaAdmin(client: client, logger: logger).offsets(topic: topic, group: group)
            .reduce(0) { $0 + ($1.committed ?? 0) }
    }

    /// Produces `values` (keyed by their index modulo 13), at most `rate` per second when given.
    func produce(_ topic: String, values: [String], rate: Double? = nil) async throws {
        let producer = try KafkaProducer(configuration: .init(client: client, linger: .milliseconds(1)), logger: logger)
        let handle = try producer.topic(topic)
        let tracker = DeliveryTracker()
        let started = ContinuousClock.now
        for (index, value) in values.enumerated() {
            if let rate, index % 100 == 0 {
                let due = started.advanced(by: .seconds(Double(index) / rate))
                if due > .now { try await Task.sleep(until: due) }
            }
            try await producer.send(to: handle, key: Array("k\(index % 13)".utf8), value: Array(value.utf8), tracker: tracker)
        }
        let report = await tracker.report()
        await producer.close(timeout: .seconds(5))
        guard report.succeeded else { throw TestFailure("produce to \(topic) failed: \(String(describing: report.firstError))") }
    }

    /// Reads a topic from the beginning with a fresh group until `expected` distinct values arrived or the deadline.
    func readDistinct(_ topic: String, expected: Int, within timeout: Duration = .seconds(60)) async throws -> (distinct: Set<String>, total: Int) {
        let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: "reader-\(UUID().uuidString)"), logger: logger)
        try consumer.subscribe([topic])
        var values = Set<String>()
        var total = 0
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while values.count < expected, ContinuousClock.now < deadline {
            let batch = try await consumer.nextBatch(timeout: .milliseconds(200))
            for message in batch { values.insert(String(decoding: message.value, as: UTF8.self)) }
            total += batch.count
        }
        await consumer.close()
        return (values, total)
    }

    deinit {
        process.signal(SIGTERM)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
