import Logging
import PipelineKafka
import PipelineRuntime
import ServiceLifecycle
import Synchronization

/// `tributary relay`: copies a topic to another, key and value unchanged, through a consumer group.
///
/// It is the smallest complete Tributary stage: the shared consume → produce loop with at-least-once offsets, so
/// it serves to mirror a topic, as the process the takeover tests kill, and as the Swift side of `bench kafka`.
enum RelayCommand {
    struct Configuration: Sendable {
        var kafka: KafkaOptions
        var source: String
        var destination: String
        var count: Int?
        var batchSize: Int
        var inFlightBatches: Int
    }

    static let main = ServiceMain(
        service: "relay", command: "tributary relay",
        summary: """
            Consumes --from and produces every message's key and value unchanged to --to. Offsets are committed \
            only after the copies are delivered. With --count it stops after that many messages and prints one \
            JSON line with its wall and CPU time (what `tributary bench kafka` reads).
            """,
        defaultMetricsPort: 0,
        configuration: { reader in
            let source = reader.requiredString("from", env: "RELAY_FROM", help: "Topic to consume.")
            let destination = reader.requiredString("to", env: "RELAY_TO", help: "Topic to produce to.")
            let count = reader.optionalInt("count", help: "Stop after this many messages.", range: 1...Int.max)
            let batchSize = reader.int(
                "batch-size", env: "RELAY_BATCH_SIZE", default: 2_000, help: "Most messages per batch.",
                range: 1...100_000)
            let inFlight = reader.int(
                "in-flight-batches", env: "RELAY_IN_FLIGHT_BATCHES", default: 8,
                help: "Batches awaiting delivery reports at once (backpressure bound).", range: 1...1_000)
            let kafka = KafkaOptions.read(from: reader, clientID: "relay", defaultGroup: "tributary-relay")
            return Configuration(
                kafka: kafka, source: source, destination: destination, count: count, batchSize: batchSize,
                inFlightBatches: inFlight)
        },
        services: { context in
            let configuration = context.configuration
            let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
            let producer = try KafkaProducer(configuration: .init(client: client), logger: context.logger)
            let consumer = try KafkaConsumer(
                configuration: .init(
                    client: client, groupID: configuration.kafka.group ?? "tributary-relay",
                    maximumBatchSize: configuration.batchSize),
                logger: context.logger)
            try consumer.subscribe([configuration.source])
            return [Relay(configuration: configuration, consumer: consumer, producer: producer, logger: context.logger)]
        })
}

/// The relay's one service: run the loop, then close the clients.
struct Relay: Service {
    let configuration: RelayCommand.Configuration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let logger: Logger

    func run() async throws {
        let output = try producer.topic(configuration.destination)
        let loop = ConsumeProduceLoop(
            consumer: consumer, producer: producer,
            configuration: .init(maximumInFlightBatches: configuration.inFlightBatches), logger: logger)
        let clock = ContinuousClock()
        var relayed = 0
        var started: (ContinuousClock.Instant, ResourceUsage)?
        do {
            try await loop.run { batch, sink in
                if started == nil { started = (clock.now, ResourceUsage.current()) }
                for message in batch { try await sink.forward(message, to: output) }
                relayed += batch.count
                if let count = configuration.count, relayed >= count { loop.stop() }
            }
        } catch {
            // Closing commits only what is done; the rest is redelivered to whoever runs next.
            await consumer.close()
            await producer.close(timeout: .seconds(5))
            throw error
        }
        await consumer.close()
        await producer.close(timeout: .seconds(20))
        if configuration.count != nil, let (startTime, startUsage) = started {
            let seconds = startTime.duration(to: clock.now)
            let cpu = ResourceUsage.current().cpuSeconds - startUsage.cpuSeconds
            print(
                "{\"relay\":\"swift\",\"messages\":\(relayed),\"seconds\":\(JSONText.number(seconds.seconds, digits: 6)),"
                    + "\"cpu_seconds\":\(JSONText.number(cpu, digits: 6))}")
        }
    }
}


extension Relay: CustomStringConvertible {
    /// What ServiceLifecycle logs for this service.
    var description: String { "relay" }
}
