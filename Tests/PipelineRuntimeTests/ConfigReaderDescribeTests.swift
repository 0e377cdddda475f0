import Logging
import Testing

@testable import PipelineRuntime

@Suite("ConfigReader: pass-through settings, redaction and help")
struct ConfigReaderDescribeTests {
    @Test("keyValues maps prefixed environment variables and lets flags win")
    func keyValues() throws {
        let environment = [
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "PLAIN",
            "KAFKA_BOOTSTRAP_SERVERS": "broker:9092",
            "UNRELATED": "x",
        ]
        let reader = ConfigReader(
            arguments: ["--kafka-config", "sasl.mechanism=SCRAM-SHA-512", "--kafka-config=linger.ms=5"],
            environment: environment)
        let bootstrap = reader.string(
            "bootstrap", env: "KAFKA_BOOTSTRAP_SERVERS", default: "localhost:9092", help: "b")
        let pairs = reader.keyValues("kafka-config", envPrefix: "KAFKA_", help: "librdkafka settings.")
        #expect(try reader.finish() == .proceed)
        #expect(bootstrap == "broker:9092")
        #expect(pairs.map(\.key) == ["linger.ms", "sasl.mechanism", "security.protocol"])
        #expect(pairs.map(\.value) == ["5", "SCRAM-SHA-512", "SASL_SSL"])
    }

    @Test("keyValues declared before an option sharing its prefix is reported")
    func keyValuesOrder() {
        let reader = ConfigReader(arguments: [], environment: ["KAFKA_GROUP_ID": "g"])
        _ = reader.keyValues("kafka-config", envPrefix: "KAFKA_", help: "k")
        _ = reader.string("group", env: "KAFKA_GROUP_ID", default: "x", help: "g")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.kind == .invalidDeclaration)
    }

    @Test("malformed key=value pairs are errors")
    func malformedPair() {
        let reader = ConfigReader(arguments: ["--kafka-config", "acks"], environment: [:])
        _ = reader.keyValues("kafka-config", envPrefix: nil, help: "k")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.message == #"--kafka-config: "acks" is not key=value"#)
    }

    @Test("describe() and its metadata never contain secret values")
    func redaction() throws {
        let environment = ["KAFKA_SASL_PASSWORD": "env-pass-123", "KAFKA_SSL_KEY_LOCATION": "/etc/key.pem"]
        let reader = ConfigReader(
            arguments: [
                "--webhook-url", "https://hooks.example/T000/SECRETPATH", "--kafka-config",
                "ssl.key.password=flag-pass-456", "--kafka-config", "sasl.jaas.config=user pass-789",
            ],
            environment: environment)
        _ = reader.string("webhook-url", env: "ALERTING_WEBHOOK_URL", default: "", help: "w", secret: true)
        _ = reader.optionalString("api-token", env: "API_TOKEN", help: "t", secret: true)
        _ = reader.keyValues("kafka-config", envPrefix: "KAFKA_", help: "k")
        #expect(try reader.finish() == .proceed)

        let text = reader.describe()
        let metadata = "\(reader.describedMetadata())"
        for secret in ["SECRETPATH", "env-pass-123", "flag-pass-456", "pass-789"] {
            #expect(!text.contains(secret), "describe() leaked \(secret)")
            #expect(!metadata.contains(secret), "metadata leaked \(secret)")
        }
        #expect(text.contains("--webhook-url=<redacted> (flag)"))
        #expect(text.contains("--kafka-config sasl.password=<redacted> (env KAFKA_SASL_PASSWORD)"))
        #expect(text.contains("--kafka-config ssl.key.location=/etc/key.pem (env KAFKA_SSL_KEY_LOCATION)"))
        #expect(text.contains("--api-token=(unset) (unset)"))
        #expect(reader.describedMetadata()["config.kafka-config.ssl.key.password"] == "<redacted> (flag)")
    }

    @Test(
        "credential-looking keys",
        arguments: [
            ("ssl.key.password", true), ("sasl.password", true), ("sasl.jaas.config", true),
            ("sasl.oauthbearer.client.secret", true), ("ssl.key.pem", true), ("api.key", true),
            ("ssl.keystore.password", true), ("ssl.key.location", false), ("sasl.username", false),
            ("security.protocol", false), ("message.max.bytes", false),
        ])
    func secretKeys(key: String, isSecret: Bool) {
        #expect(Redaction.isSecretKey(key) == isSecret)
    }

    @Test("help lists usage, summary, every option with env var and default, by section")
    func helpText() throws {
        let reader = ConfigReader(
            arguments: ["-h"], environment: [:], command: "generator events", summary: "Produces clickstream events.")
        _ = reader.int("seed", env: "SEED", default: 1, help: "Random seed.")
        _ = reader.double("rate", env: "RATE", default: 1000, help: "Events per second.")
        _ = reader.requiredString("bootstrap", env: "KAFKA_BOOTSTRAP_SERVERS", help: "Kafka brokers.")
        _ = reader.string("password", env: "PASSWORD", default: "default-secret", help: "Password.", secret: true)
        _ = reader.keyValues("kafka-config", envPrefix: "KAFKA_", help: "librdkafka setting.")
        _ = ServiceOptions.read(from: reader)
        _ = reader.positional("topic", help: "Topic to write.")
        guard case .help(let raw) = try reader.finish() else {
            Issue.record("expected help")
            return
        }
        let text = raw.collapsingWhitespace()  // descriptions wrap at 100 columns
        #expect(raw.hasPrefix("Usage: generator events [options] [<topic>]\n\nProduces clickstream events.\n"))
        #expect(text.contains("--seed <int>"))
        #expect(text.contains("Random seed. [env: SEED] [default: 1]"))
        #expect(text.contains("Events per second. [env: RATE] [default: 1000]"))
        #expect(text.contains("Kafka brokers. [env: KAFKA_BOOTSTRAP_SERVERS] [required]"))
        #expect(text.contains("[env: KAFKA_*] [repeatable]"))
        #expect(raw.contains("\nOperations:\n"))
        #expect(text.contains("[env: METRICS_PORT] [default: 9100]"))
        #expect(text.contains("[env: SHUTDOWN_TIMEOUT] [default: 25s]"))
        #expect(text.contains("-h, --help"))
        #expect(!text.contains("default-secret"))
    }

    @Test("subcommands split off the first word and render a top-level help")
    func subcommands() throws {
        let table = SubcommandTable(
            program: "generator", summary: "Makes test data.",
            subcommands: [Subcommand("events", summary: "Clickstream events."), Subcommand("cdc", summary: "CDC.")])
        #expect(try table.select(["events", "--seed", "1"]) == .run(name: "events", arguments: ["--seed", "1"]))
        guard case .help(let text) = try table.select(["--help"]) else {
            Issue.record("expected help")
            return
        }
        #expect(text.contains("events") && text.contains("Clickstream events.") && text.contains("cdc"))
        let unknown = #expect(throws: ConfigurationError.self) { try table.select(["evnts"]) }
        #expect(unknown?.message == #"unknown subcommand "evnts" (did you mean events?)"#)
        let missing = #expect(throws: ConfigurationError.self) { try table.select([]) }
        #expect(missing?.kind == .unknownSubcommand)
    }

    @Test("--version prints the one shared version, before a subcommand and on any command, even with bad values")
    func version() throws {
        let table = SubcommandTable(
            program: "generator", summary: "Makes test data.", subcommands: [Subcommand("events", summary: "Events.")])
        #expect(try table.select(["--version"]) == .help("generator \(BuildInfo.version)\n"))
        let reader = ConfigReader(
            arguments: ["--rate", "not-a-number", "--version"], environment: [:], command: "generator events")
        _ = reader.int("rate", env: "RATE", default: 1, help: "r")
        #expect(try reader.finish() == .help("generator \(BuildInfo.version)\n"))
        #expect(reader.helpText().contains("--version"))
    }

    @Test("help descriptions wrap at 100 columns without splitting a bracketed note")
    func wrapping() {
        let rows = HelpLayout.table([
            ("--metrics-port <int>", String(repeating: "word ", count: 30) + "[env:\u{1F}METRICS_PORT]")
        ])
        #expect(rows.count > 1)
        #expect(rows.allSatisfy { $0.count <= HelpLayout.lineWidth })
        #expect(rows.contains { $0.contains("[env: METRICS_PORT]") })
    }
}
