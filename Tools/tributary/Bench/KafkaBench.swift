import Foundation
import Logging
import PipelineKafka
import PipelineRuntime

/// `tributary bench kafka`: the Kafka layer's producer, consumer and relay against the bare C relay.
///
/// The broker runs in a child process so that each measured process's CPU time is its own work only. The relays
/// are child processes too, run alternately (C, Swift, C, Swift, …) so that machine noise hits both alike, each
/// with a fresh consumer group over the same input messages, and each reports its own wall and CPU time from its
/// first message to its last delivery report.
struct KafkaBench {
    let configuration: BenchCommand.Configuration
    let logger: Logger

    static let input = "bench.in"
    static let output = "bench.out"
    /// The consumer settings the issue measured the C relay with; both relays get exactly these.
    static let consumerProperties = ["fetch.max.bytes=16777216", "queued.max.messages.kbytes=262144"]

    /// The bench topics' partitions: 16 unless the operator chose.
    var partitions: Int { configuration.partitions ?? 16 }

    func run() async throws -> BenchReport {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-\(getpid())").path
        let broker = try await LocalBrokerProcess.start(partitions: 1, stateDirectory: state)
        do {
            let report = try await measure(broker: broker)
            await broker.stop()
            try? FileManager.default.removeItem(atPath: state)
            return report
        } catch {
            await broker.stop()
            throw error
        }
    }

    private func measure(broker: LocalBrokerProcess) async throws -> BenchReport {
        try await broker.createTopic(Self.input, partitions: partitions)
        try await broker.createTopic(Self.output, partitions: partitions)
        let client = KafkaClientConfiguration(
            bootstrapServers: broker.address.bootstrapServers, clientID: "bench", statisticsInterval: nil)
        let count = configuration.messages
        print("producing \(count) messages of \(configuration.messageSize) bytes to \(Self.input)…")
        let producer = try await measureProducer(client: client)
        try await checkNothingDropped(client: client)
        print("consuming them…")
        let consumer = try await measureConsumer(client: client)

        var cRelay = BenchRow(name: "relay, C (librdkafka)", messages: count, seconds: [], cpuSeconds: [])
        var swiftRelay = BenchRow(name: "relay, Swift", messages: count, seconds: [], cpuSeconds: [])
        for run in 1...configuration.runs {
            print("relay run \(run) of \(configuration.runs)…")
            let c = try await runRelay(
                executable: SiblingExecutable.path("c-relay"),
                arguments: [broker.address.bootstrapServers, Self.input, Self.output, "bench-c-\(run)", "\(count)"]
                    + Self.consumerProperties)
            cRelay.seconds.append(c.seconds)
            cRelay.cpuSeconds.append(c.cpu)
            let swift = try await runRelay(
                executable: SiblingExecutable.path("tributary"),
                arguments: [
                    "relay", "--bootstrap", broker.address.bootstrapServers, "--from", Self.input, "--to", Self.output,
                    "--group", "bench-swift-\(run)", "--count", "\(count)", "--metrics-port", "0", "--log-level",
                    "warning",
                ] + Self.consumerProperties.flatMap { ["--kafka", $0] })
            swiftRelay.seconds.append(swift.seconds)
            swiftRelay.cpuSeconds.append(swift.cpu)
        }
        let ratio = BenchRatio(
            name: "Swift relay ÷ C relay", throughput: swiftRelay.medianThroughput / cRelay.medianThroughput,
            cpu: swiftRelay.medianCPUMicros / cRelay.medianCPUMicros, goal: "goal: throughput ≥ 0.8×")
        return BenchReport(
            stage: "kafka",
            settings: [
                "messages": "\(count)", "size": "\(configuration.messageSize)", "partitions": "\(partitions)",
                "runs": "\(configuration.runs)", "librdkafka": "local mock broker",
            ],
            rows: [producer, consumer, cRelay, swiftRelay], ratios: [ratio])
    }

    // MARK: - Producer and consumer, in this process

    private func measureProducer(client: KafkaClientConfiguration) async throws -> BenchRow {
        let producer = try KafkaProducer(configuration: .init(client: client), logger: logger)
        let topic = try producer.topic(Self.input)
        var payload = [UInt8](repeating: UInt8(ascii: "x"), count: configuration.messageSize)
        let keys = (0..<1_000).map { Array("key-\($0)".utf8) }
        let clock = ContinuousClock()
        let usage = ResourceUsage.current()
        let started = clock.now
        var trackers: [DeliveryTracker] = []
        var index = 0
        while index < configuration.messages {
            let tracker = DeliveryTracker()
            for i in index..<min(index + 10_000, configuration.messages) {
                payload.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(truncatingIfNeeded: i), as: UInt32.self) }
                try await producer.send(to: topic, key: keys[i % keys.count], value: payload, tracker: tracker)
            }
            tracker.seal()
            trackers.append(tracker)
            index += 10_000
        }
        var failed = 0
        for tracker in trackers { failed += await tracker.report().failed }
        let seconds = started.duration(to: clock.now).seconds
        let cpu = ResourceUsage.current().cpuSeconds - usage.cpuSeconds
        await producer.close(timeout: .seconds(10))
        guard failed == 0 else { throw ToolError("\(failed) bench messages were not delivered") }
        return BenchRow(name: "producer, Swift", messages: configuration.messages, seconds: [seconds], cpuSeconds: [cpu])
    }

    /// The mock broker silently drops data past ~5 MiB per partition; a bench over partly missing input is void.
    private func checkNothingDropped(client: KafkaClientConfiguration) async throws {
        let admin = try KafkaAdmin(client: client, logger: logger)
        let offsets = try await admin.offsets(topic: Self.input)
        let kept = offsets.reduce(0) { $0 + $1.high - $1.low }
        guard kept == Int64(configuration.messages) else {
            throw ToolError(
                "the local broker kept \(kept) of \(configuration.messages) messages (it holds ~5 MiB per partition): "
                    + "use more --partitions or fewer --messages")
        }
    }

    private func measureConsumer(client: KafkaClientConfiguration) async throws -> BenchRow {
        let consumer = try KafkaConsumer(
            configuration: .init(client: client, groupID: "bench-consumer-\(getpid())"), logger: logger)
        try consumer.subscribe([Self.input])
        let clock = ContinuousClock()
        var started: (ContinuousClock.Instant, Double)?
        var received = 0
        let deadline = clock.now.advanced(by: .seconds(120))
        while received < configuration.messages, clock.now < deadline {
            let batch = try await consumer.nextBatch()
            guard !batch.isEmpty else { continue }
            if started == nil { started = (clock.now, ResourceUsage.current().cpuSeconds) }
            var bytes = 0
            for message in batch { bytes &+= message.withValue { $0.count } }
            received += batch.count
            consumer.markDone(batch)
        }
        guard let (startTime, startCPU) = started, received >= configuration.messages else {
            throw ToolError("the consumer got \(received) of \(configuration.messages) messages in 120 s")
        }
        let seconds = startTime.duration(to: clock.now).seconds
        let cpu = ResourceUsage.current().cpuSeconds - startCPU
        await consumer.close()
        return BenchRow(name: "consumer, Swift", messages: received, seconds: [seconds], cpuSeconds: [cpu])
    }

    // MARK: - Relays, as child processes

    private func runRelay(executable: String, arguments: [String]) async throws -> (seconds: Double, cpu: Double) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("relay-\(getpid()).json").path
        let child = try ChildProcess(
            name: "relay", executable: executable, arguments: arguments, standardOutput: .file(outputPath))
        guard let code = await child.waitForExit(timeout: .seconds(180)) else {
            await child.stop(grace: .seconds(2))
            throw ToolError("\(executable) did not finish within 180 s")
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: outputPath)
        guard code == 0, let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let seconds = object["seconds"] as? Double, let cpu = object["cpu_seconds"] as? Double,
            let messages = object["messages"] as? Int, messages >= configuration.messages
        else {
            throw ToolError("\(executable) exited with \(code) and printed: \(text)")
        }
        return (seconds, cpu)
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
