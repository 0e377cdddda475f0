internal import CRdKafka
public import Logging

/// A Kafka-protocol broker in this process: librdkafka's mock cluster on 127.0.0.1, for development and tests.
///
/// It is in-memory and keeps only about 5 MiB (or 100k batches) per partition, silently dropping older data;
/// it does not answer CreateTopics and some other admin requests, so topics are created here, directly.
/// Real deployments use Apache Kafka (compose, Kubernetes). Fault injection is exposed for reliability tests.
public final class LocalBroker: Sendable {
    private let host: SendablePointer
    private let cluster: SendablePointer
    private let context: ClientContext
    public let brokerCount: Int
    /// `host:port,…` of the mock brokers (random ports on 127.0.0.1).
    public let bootstrapServers: String

    public init(brokers: Int = 1, logger: Logger) throws(KafkaError) {
        context = ClientContext(logger: logger, role: "local-broker")
        let conf = try RDKafkaConf.make([("client.id", "tributary-local-broker"), ("log_level", "4")])
        context.install(on: conf)
        let raw = try RDKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf)
        guard let mock = rd_kafka_mock_cluster_new(raw, Int32(brokers)) else {
            rd_kafka_destroy(raw)
            throw KafkaError(kind: .clientCreation, message: "could not start the mock cluster")
        }
        host = SendablePointer(raw: raw)
        cluster = SendablePointer(raw: mock)
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(mock))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster.raw)
        rd_kafka_destroy(host.raw)
    }

    /// Creates a topic (an existing one is left alone by the mock cluster).
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let code = rd_kafka_mock_topic_create(cluster.raw, name, Int32(partitions), Int32(min(replicationFactor, brokerCount)))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(kind: .admin, response: code, context: name) }
    }

    /// Creates every pipeline topic for a local run.
    public func createPipelineTopics(dataPartitions: Int) throws(KafkaError) {
        for topic in PipelineTopic.allCases {
            try createTopic(topic.rawValue, partitions: topic.localPartitions(dataPartitions: dataPartitions))
        }
    }

    // MARK: - Fault injection

    /// Takes a broker down (its connections close and it refuses new ones) or brings it back.
    public func setBroker(_ id: Int32, up: Bool) throws(KafkaError) {
        let code = up ? rd_kafka_mock_broker_set_up(cluster.raw, id) : rd_kafka_mock_broker_set_down(cluster.raw, id)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(kind: .admin, response: code, context: "broker \(id)") }
    }

    /// Adds latency to every response of a broker.
    public func setRoundTripTime(broker id: Int32, milliseconds: Int) throws(KafkaError) {
        let code = rd_kafka_mock_broker_set_rtt(cluster.raw, id, Int32(milliseconds))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(kind: .admin, response: code, context: "broker \(id)") }
    }

    /// Makes the next requests of one API (Kafka API key, e.g. 0 = Produce, 1 = Fetch) fail with these errors.
    public func pushRequestErrors(apiKey: Int16, errorCodes: [Int32]) {
        let errors = errorCodes.map { rd_kafka_resp_err_t($0) }
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster.raw, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    /// Moves a partition's leadership to another broker (clients must rediscover it).
    public func setLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        let code = rd_kafka_mock_partition_set_leader(cluster.raw, topic, partition, broker)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(kind: .admin, response: code, context: topic) }
    }

    /// Makes every request for a topic fail with an error code (0 clears it).
    public func setTopicError(topic: String, errorCode: Int32) {
        rd_kafka_mock_topic_set_error(cluster.raw, topic, rd_kafka_resp_err_t(errorCode))
    }
}
