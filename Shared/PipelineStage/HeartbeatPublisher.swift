import Glibc
public import Logging
public import PipelineKafka
import PipelineMessages
import PipelineRuntime
public import ServiceLifecycle

/// Publishes this instance's heartbeat on `pipeline.status` every `interval`: service, instance, state and the
/// process's consumed / produced / dead-lettered totals (``StageCounters``). `alerting` raises an alert when the
/// heartbeats stop; `tributary status` counts live instances and turns the totals into rates. On graceful
/// shutdown it sends a last report with state `stopping`, so a clean stop is not mistaken for a crash.
///
/// Return it from a service's builder *first*: the group stops it last, after the work has stopped.
public struct HeartbeatPublisher: Service, CustomStringConvertible {
    public let service: String
    public let instance: String
    public let interval: Duration
    private let producer: KafkaProducer
    private let topic: String
    private let logger: Logger
    private let startedMs = WallClock.milliseconds()

    /// - Parameters:
    ///   - service: The service name, e.g. `transformer`.
    ///   - client: The service's Kafka client settings (the publisher has its own small producer).
    ///   - interval: Time between heartbeats; `HEARTBEAT_INTERVAL` overrides the default of 5 s.
    public init(
        service: String, client: KafkaClientConfiguration, interval: Duration? = nil, logger: Logger
    ) throws(KafkaError) {
        self.service = service
        let environment = ProcessEnvironment.current()
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostname = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        instance = environment["HEARTBEAT_INSTANCE"] ?? "\(service)@\(hostname):\(getpid())"
        let configured = environment["HEARTBEAT_INTERVAL"].flatMap { Double($0) }.map { Duration.milliseconds(Int64($0 * 1000)) }
        self.interval = interval ?? configured ?? .seconds(5)
        topic = environment["HEARTBEAT_TOPIC"] ?? PipelineTopic.pipelineStatus.rawValue
        // A heartbeat older than a few intervals says nothing any more: it expires instead of waiting in the queue
        // for librdkafka's default five minutes while Kafka is unreachable (and no heartbeat ever waits on it).
        var heartbeatClient = client
        let (seconds, attoseconds) = self.interval.components
        let intervalMs = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        heartbeatClient.properties["message.timeout.ms"] = String(max(3 * intervalMs, 5_000))
        producer = try KafkaProducer(
            configuration: .init(client: heartbeatClient, idempotent: false, linger: .milliseconds(5)), logger: logger)
        self.logger = logger
    }

    public var description: String { "heartbeat" }

    public func run() async throws {
        let handle = try producer.topic(topic)
        await publish(state: "running", to: handle)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await pause()
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            await publish(state: "running", to: handle)
        }
        await publish(state: "stopping", to: handle)
        // The last beat gets what the shutdown budget leaves, at most 2 s; an undelivered heartbeat is no lost work.
        await producer.close(timeout: .seconds(2), undeliveredIsLostWork: false)
    }

    /// Waits one interval, returning early on shutdown (a plain sleep would hold the group's shutdown back).
    private func pause() async {
        let deadline = ContinuousClock.now.advanced(by: interval)
        while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func publish(state: String, to handle: ProducerTopic) async {
        let status = Status(
            service: service, instance: instance, timeMs: WallClock.milliseconds(), kind: .heartbeat, state: state,
            counters: StageCounters.snapshot(), version: BuildInfo.version, startedTimeMs: startedMs)
        // Sent, not waited for: while Kafka is unreachable a wait for the delivery report would hold the loop (and
        // the shutdown) for the message timeout.
        let logger = logger
        let tracker = DeliveryTracker { report in
            if let error = report.firstError { logger.debug("heartbeat not delivered", metadata: ["error": "\(error)"]) }
        }
        do {
            try await producer.send(to: handle, key: Array(instance.utf8), value: status.encode(), tracker: tracker)
        } catch {
            logger.debug("heartbeat not sent", metadata: ["error": "\(error)"])
        }
        tracker.seal()
    }
}
