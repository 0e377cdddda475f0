import Logging
import Glibc
import PipelineKafka
import PipelineRuntime
import ServiceLifecycle

/// `tributary broker`: librdkafka's mock cluster on 127.0.0.1, with every pipeline topic, until SIGTERM.
///
/// It publishes its bootstrap and control addresses in the well-known file every other command reads when
/// given no `--bootstrap`, and serves a control API (topics, fault injection) next to `/metrics`.
enum BrokerCommand {
    struct Configuration: Sendable {
        var partitions: Int
        var brokers: Int
        var stateDirectory: String
    }

    static let main = ServiceMain(
        service: "broker", command: "tributary broker",
        summary: """
            Runs a Kafka-protocol broker in this process (librdkafka's mock cluster) on 127.0.0.1 with every \
            pipeline topic, and publishes its address in <state-dir>/broker for the other commands. In memory \
            only, keeping about 5 MiB per partition: for development and tests. Deployments use Apache Kafka \
            (compose.yaml, deploy/k8s). The control API on the metrics port creates topics and injects faults: \
            GET /topics, POST /topics?name=T&partitions=N, POST /faults/broker?id=1&state=down|up, \
            POST /faults/rtt?id=1&ms=N, POST /faults/request-errors?api=K&codes=C,C, \
            POST /faults/leader?topic=T&partition=P&broker=B, POST /faults/topic-error?topic=T&code=C.
            """,
        defaultMetricsPort: 0,
        configuration: { reader in
            let environment = ProcessEnvironment.current()
            let partitions = reader.int(
                "partitions", env: "BROKER_PARTITIONS", default: 8,
                help: "Partitions of each data topic (control topics get 1).", range: 1...512)
            let brokers = reader.int(
                "brokers", env: "BROKER_COUNT", default: 1, help: "Mock brokers in the cluster.", range: 1...9)
            let state = reader.string(
                "state-dir", env: "TRIBUTARY_STATE_DIR",
                default: LocalBrokerAddress.stateDirectory(environment: environment),
                help: "Where the broker's address file is written.")
            return Configuration(partitions: partitions, brokers: brokers, stateDirectory: state)
        },
        services: { context in
            let configuration = context.configuration
            let broker = try LocalBroker(brokers: configuration.brokers, logger: context.logger)
            try broker.createPipelineTopics(dataPartitions: configuration.partitions)
            let control = BrokerControlAPI(broker: broker, partitions: configuration.partitions)
            control.register(on: context.operations)
            let address = LocalBrokerAddress(
                bootstrapServers: broker.bootstrapServers,
                controlAddress: "127.0.0.1:\(context.operations.port ?? 0)", pid: getpid())
            return [
                BrokerService(
                    broker: broker, address: address, stateDirectory: configuration.stateDirectory,
                    logger: context.logger)
            ]
        })
}

/// Keeps the broker alive and its address published until graceful shutdown.
struct BrokerService: Service {
    let broker: LocalBroker
    let address: LocalBrokerAddress
    let stateDirectory: String
    let logger: Logger

    func run() async throws {
        let environment = ["TRIBUTARY_STATE_DIR": stateDirectory]
        try address.write(environment: environment)
        logger.info(
            "local broker ready",
            metadata: [
                "kafka.bootstrap": "\(address.bootstrapServers)", "broker.control": "\(address.controlAddress)",
                "broker.file": "\(LocalBrokerAddress.filePath(environment: environment))",
            ])
        try? await gracefulShutdown()
        address.remove(environment: environment)
        withExtendedLifetime(broker) {}
    }
}

extension BrokerService: CustomStringConvertible {
    /// What ServiceLifecycle logs for this service.
    var description: String { "local-broker" }
}
