public import PipelineRuntime

/// The Kafka options every Tributary executable shares, declared once so flags, environment variables and
/// `--help` read the same everywhere.
///
/// - `--bootstrap` / `KAFKA_BOOTSTRAP_SERVERS`: the cluster; without it, the address the local broker
///   published (`tributary broker`) is used.
/// - `--kafka-security-protocol`, `--kafka-sasl-*`, `--kafka-ssl-*` / `KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_*`,
///   `KAFKA_SSL_*`: TLS and SASL (``KafkaSecurityOptions``), passwords redacted; docs/security.md.
/// - `--kafka key=value` (also `--kafka-config`) / `KAFKA_*`: any other librdkafka property, so settings Tributary
///   does not declare still work (`KAFKA_SOCKET_KEEPALIVE_ENABLE=true` → `socket.keepalive.enable`).
/// - `--group` / `KAFKA_GROUP_ID`: the consumer group, for executables that consume.
public struct KafkaOptions: Sendable {
    /// The explicit bootstrap servers, `nil` to use the local broker's published address.
    public var bootstrap: String?
    /// `client.id`.
    public var clientID: String
    /// The consumer group; `nil` for executables that only produce.
    public var group: String?
    /// librdkafka pass-through properties.
    public var properties: [String: String]

    public init(bootstrap: String? = nil, clientID: String, group: String? = nil, properties: [String: String] = [:]) {
        self.bootstrap = bootstrap
        self.clientID = clientID
        self.group = group
        self.properties = properties
    }

    /// Declares the Kafka options under a "Kafka" help section.
    /// - Parameters:
    ///   - clientID: The default `client.id`, usually the service name.
    ///   - defaultGroup: The consumer group default; `nil` declares no `--group` option.
    public static func read(from reader: ConfigReader, clientID: String, defaultGroup: String? = nil) -> KafkaOptions {
        reader.section = "Kafka"
        let bootstrap = reader.optionalString(
            "bootstrap", env: "KAFKA_BOOTSTRAP_SERVERS",
            help: "Kafka bootstrap servers (host:port,…); default: the address `tributary broker` published.")
        let group = defaultGroup.map {
            reader.string("group", env: "KAFKA_GROUP_ID", default: $0, help: "Consumer group of this service.")
        }
        let client = reader.string(
            "client-id", env: "KAFKA_CLIENT_ID", default: clientID, help: "Kafka client.id, shown in broker logs.")
        let security = KafkaSecurityOptions.read(from: reader)
        var properties: [String: String] = [:]
        // Declared after the options above, so their KAFKA_* variables are not taken as librdkafka properties.
        for (key, value) in reader.keyValues(
            "kafka", envPrefix: "KAFKA_", help: "Any other librdkafka property, e.g. socket.keepalive.enable=true.")
        {
            properties[key] = value
        }
        for (key, value) in reader.keyValues(
            "kafka-config", envPrefix: nil, help: "Same as --kafka (the spelling SPEC.md uses).")
        {
            properties[key] = value
        }
        // The typed options win over a pass-through spelling of the same property.
        properties.merge(security.properties) { _, typed in typed }
        for problem in KafkaSecurityOptions.problems(in: properties) { reader.require(false, problem) }
        return KafkaOptions(bootstrap: bootstrap, clientID: client, group: group, properties: properties)
    }

    /// The client settings, with the bootstrap servers resolved.
    /// - Throws: `.configuration` with advice when no cluster is given and no local broker is running.
    public func clientConfiguration(environment: [String: String]) throws(KafkaError) -> KafkaClientConfiguration {
        KafkaClientConfiguration(
            bootstrapServers: try KafkaClientConfiguration.resolveBootstrap(explicit: bootstrap, environment: environment),
            clientID: clientID, properties: properties)
    }
}
