import Logging
import PipelineKafka
import PipelineRuntime
import Testing

/// TLS and SASL settings through the shared Kafka options: names, precedence, validation and redaction.
@Suite struct KafkaSecurityOptionsTests {
    static let password = "sasl-Pa55-7f3c1e"
    static let keyPassword = "key-Pa55-9d2b44"

    /// What a Managed Kafka deployment sets (deploy/k8s/components/managed-kafka), plus mutual-TLS files.
    static let managedKafka = [
        "KAFKA_BOOTSTRAP_SERVERS": "bootstrap.example:9092", "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISMS": "PLAIN", "KAFKA_SASL_USERNAME": "kafka-client@project.iam.gserviceaccount.com",
        "KAFKA_SASL_PASSWORD": password, "KAFKA_SSL_CA_LOCATION": "/etc/ssl/certs/ca-certificates.crt",
        "KAFKA_SSL_CERTIFICATE_LOCATION": "/etc/tributary/client.pem", "KAFKA_SSL_KEY_LOCATION": "/etc/tributary/client.key",
        "KAFKA_SSL_KEY_PASSWORD": keyPassword, "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM": "https",
    ]

    @Test("environment variables become librdkafka properties; the passwords are redacted in the start-up print")
    func environment() throws {
        let reader = ConfigReader(arguments: [], environment: Self.managedKafka, command: "svc")
        let options = KafkaOptions.read(from: reader, clientID: "svc", defaultGroup: "svc")
        #expect(try reader.finish() == .proceed)
        #expect(
            options.properties == [
                "security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN",
                "sasl.username": "kafka-client@project.iam.gserviceaccount.com", "sasl.password": Self.password,
                "ssl.ca.location": "/etc/ssl/certs/ca-certificates.crt",
                "ssl.certificate.location": "/etc/tributary/client.pem", "ssl.key.location": "/etc/tributary/client.key",
                "ssl.key.password": Self.keyPassword, "ssl.endpoint.identification.algorithm": "https",
            ])
        let printed = reader.describe() + "\(reader.describedMetadata())"
        #expect(!printed.contains(Self.password) && !printed.contains(Self.keyPassword), "\(printed)")
        #expect(printed.contains("kafka-sasl-password") && printed.contains(Redaction.placeholder))
        #expect(printed.contains("SASL_SSL") && printed.contains("/etc/tributary/client.key"))
    }

    @Test("every setting is a documented flag with its variable, and flags win over the environment")
    func flagsAndHelp() throws {
        let help = ConfigReader(arguments: ["--help"], environment: [:], command: "svc")
        _ = KafkaOptions.read(from: help, clientID: "svc")
        let text = help.helpText()
        for (flag, variable) in [
            ("--kafka-security-protocol", "KAFKA_SECURITY_PROTOCOL"), ("--kafka-sasl-mechanism", "KAFKA_SASL_MECHANISMS"),
            ("--kafka-sasl-username", "KAFKA_SASL_USERNAME"), ("--kafka-sasl-password", "KAFKA_SASL_PASSWORD"),
            ("--kafka-ssl-ca-location", "KAFKA_SSL_CA_LOCATION"),
            ("--kafka-ssl-certificate-location", "KAFKA_SSL_CERTIFICATE_LOCATION"),
            ("--kafka-ssl-key-location", "KAFKA_SSL_KEY_LOCATION"), ("--kafka-ssl-key-password", "KAFKA_SSL_KEY_PASSWORD"),
            ("--kafka-ssl-endpoint-identification", "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM"),
        ] {
            #expect(text.contains(flag) && text.contains("[env: \(variable)]"), "\(flag)")
        }

        let reader = ConfigReader(
            arguments: [
                "--kafka-security-protocol", "sasl_plaintext", "--kafka-sasl-mechanism", "scram-sha-512",
                "--kafka-sasl-password", "from-flag", "--kafka", "sasl.password=from-pass-through",
                "--kafka-ssl-endpoint-identification", "none",
            ],
            environment: ["KAFKA_SASL_USERNAME": "svc", "KAFKA_SASL_PASSWORD": "from-env"], command: "svc")
        let options = KafkaOptions.read(from: reader, clientID: "svc")
        #expect(try reader.finish() == .proceed)
        #expect(options.properties["security.protocol"] == "SASL_PLAINTEXT")
        #expect(options.properties["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(options.properties["sasl.password"] == "from-flag")
        #expect(options.properties["ssl.endpoint.identification.algorithm"] == "none")
        #expect(!reader.describe().contains("from-flag") && !reader.describe().contains("from-pass-through"))
    }

    @Test(
        "settings that cannot work are refused at start, without echoing a password",
        arguments: [
            ["KAFKA_SECURITY_PROTOCOL": "SASL_TLS"],
            ["KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": password],
            ["KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISMS": "PLAIN", "KAFKA_SASL_PASSWORD": password],
            ["KAFKA_SASL_MECHANISMS": "PLAINTEXT", "KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": password],
            ["KAFKA_SSL_CERTIFICATE_LOCATION": "/c.pem", "KAFKA_SSL_KEY_PASSWORD": keyPassword],
            ["KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM": "off"],
        ])
    func refused(environment: [String: String]) {
        let reader = ConfigReader(arguments: [], environment: environment, command: "svc")
        _ = KafkaOptions.read(from: reader, clientID: "svc")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.message.contains(Self.password) == false)
        #expect(error?.message.contains(Self.keyPassword) == false)
    }

    @Test("a SASL mechanism given through the pass-through counts, and the old KAFKA_* spellings still work")
    func passThroughStillWorks() throws {
        let reader = ConfigReader(
            arguments: ["--kafka", "sasl.mechanism=PLAIN"],
            environment: [
                "KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": "p",
                "KAFKA_SOCKET_KEEPALIVE_ENABLE": "true",
            ], command: "svc")
        let options = KafkaOptions.read(from: reader, clientID: "svc")
        #expect(try reader.finish() == .proceed)
        #expect(options.properties["sasl.mechanism"] == "PLAIN")
        #expect(options.properties["socket.keepalive.enable"] == "true")
    }

    @Test("librdkafka accepts the settings (it is built with TLS and SASL) and a bad one never shows a password")
    func librdkafkaAcceptsThem() throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var properties = [
            "security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN", "sasl.username": "u",
            "sasl.password": Self.password, "ssl.endpoint.identification.algorithm": "https",
        ]
        let client = KafkaClientConfiguration(
            bootstrapServers: "127.0.0.1:1", clientID: "security-test", statisticsInterval: nil, properties: properties)
        let producer = try KafkaProducer(configuration: .init(client: client), logger: logger)
        _ = producer

        properties["ssl.ca.location"] = "/nonexistent/tributary-ca.pem"
        properties["ssl.key.password"] = Self.keyPassword
        let broken = KafkaClientConfiguration(
            bootstrapServers: "127.0.0.1:1", clientID: "security-test", statisticsInterval: nil, properties: properties)
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: .init(client: broken), logger: logger) }
        #expect(error?.description.contains(Self.keyPassword) == false)
    }
}
