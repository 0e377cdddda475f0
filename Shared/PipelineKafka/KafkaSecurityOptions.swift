public import PipelineRuntime

/// TLS and SASL for the Kafka connection, as typed options every executable shares (through ``KafkaOptions``).
///
/// Each option maps to one librdkafka property and reads the environment variable the `KAFKA_*` pass-through
/// would have mapped to that property (`KAFKA_SASL_PASSWORD` → `sasl.password`), so deployments that set those
/// variables before these options existed keep working; declaring them adds `--help` text, validation and
/// redaction of the two passwords in the start-up print.
public struct KafkaSecurityOptions: Sendable, Equatable {
    /// `security.protocol`.
    public enum SecurityProtocol: String, CaseIterable, Sendable {
        case plaintext = "PLAINTEXT"
        case ssl = "SSL"
        case saslPlaintext = "SASL_PLAINTEXT"
        case saslSSL = "SASL_SSL"

    }

    /// `ssl.endpoint.identification.algorithm`: `https` checks the broker's certificate names its host.
    public enum EndpointIdentification: String, CaseIterable, Sendable {
        case https
        case none
    }

    /// `nil` leaves librdkafka's default (PLAINTEXT) or a pass-through value in place.
    public var securityProtocol: SecurityProtocol?
    /// `sasl.mechanisms`: PLAIN (Google Managed Kafka), SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI.
    public var saslMechanism: String?
    public var saslUsername: String?
    /// A credential: redacted in the start-up print, never logged.
    public var saslPassword: String?
    /// `ssl.ca.location`: a PEM bundle of trusted CAs; `nil` uses the system store.
    public var caLocation: String?
    /// `ssl.certificate.location`: the client certificate for mutual TLS.
    public var certificateLocation: String?
    /// `ssl.key.location`: the client certificate's private key.
    public var keyLocation: String?
    /// A credential: redacted in the start-up print, never logged.
    public var keyPassword: String?
    /// `nil` keeps librdkafka's default, `https` (host name verification on).
    public var endpointIdentification: EndpointIdentification?

    public init(
        securityProtocol: SecurityProtocol? = nil, saslMechanism: String? = nil, saslUsername: String? = nil,
        saslPassword: String? = nil, caLocation: String? = nil, certificateLocation: String? = nil,
        keyLocation: String? = nil, keyPassword: String? = nil, endpointIdentification: EndpointIdentification? = nil
    ) {
        self.securityProtocol = securityProtocol
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
        self.caLocation = caLocation
        self.certificateLocation = certificateLocation
        self.keyLocation = keyLocation
        self.keyPassword = keyPassword
        self.endpointIdentification = endpointIdentification
    }

    /// The mechanisms librdkafka implements; anything else is a typo that would only fail at connect time.
    public static let mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"]

    /// Declares the options in the current help section; call before the `KAFKA_*` pass-through is declared.
    public static func read(from reader: ConfigReader) -> KafkaSecurityOptions {
        var options = KafkaSecurityOptions()
        let protocolText = reader.optionalString(
            "kafka-security-protocol", env: "KAFKA_SECURITY_PROTOCOL",
            help: "security.protocol: PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL (Managed Kafka).")
        options.securityProtocol = protocolText.flatMap { text in
            SecurityProtocol.allCases.first { $0.rawValue == text.uppercased() }
        }
        reader.require(
            protocolText == nil || options.securityProtocol != nil,
            "--kafka-security-protocol must be one of "
                + SecurityProtocol.allCases.map(\.rawValue).joined(separator: ", "))
        options.saslMechanism = reader.optionalString(
            "kafka-sasl-mechanism", env: "KAFKA_SASL_MECHANISMS",
            help: "sasl.mechanisms: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI.")?.uppercased()
        reader.require(
            options.saslMechanism.map(Self.mechanisms.contains) ?? true,
            "--kafka-sasl-mechanism must be one of \(Self.mechanisms.joined(separator: ", "))")
        options.saslUsername = reader.optionalString(
            "kafka-sasl-username", env: "KAFKA_SASL_USERNAME", help: "sasl.username (PLAIN and SCRAM).")
        options.saslPassword = reader.optionalString(
            "kafka-sasl-password", env: "KAFKA_SASL_PASSWORD", help: "sasl.password (PLAIN and SCRAM); redacted.",
            secret: true)
        options.caLocation = reader.optionalString(
            "kafka-ssl-ca-location", env: "KAFKA_SSL_CA_LOCATION",
            help: "ssl.ca.location: PEM file of CAs trusted for the brokers; default: the system store.")
        options.certificateLocation = reader.optionalString(
            "kafka-ssl-certificate-location", env: "KAFKA_SSL_CERTIFICATE_LOCATION",
            help: "ssl.certificate.location: client certificate (PEM) for mutual TLS.")
        options.keyLocation = reader.optionalString(
            "kafka-ssl-key-location", env: "KAFKA_SSL_KEY_LOCATION",
            help: "ssl.key.location: the client certificate's private key (PEM).")
        options.keyPassword = reader.optionalString(
            "kafka-ssl-key-password", env: "KAFKA_SSL_KEY_PASSWORD",
            help: "ssl.key.password: the private key's passphrase; redacted.", secret: true)
        let identification = reader.optionalString(
            "kafka-ssl-endpoint-identification", env: "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM",
            help: "ssl.endpoint.identification.algorithm: https (default: the certificate must name the broker) or none.")
        options.endpointIdentification = identification.flatMap { EndpointIdentification(rawValue: $0.lowercased()) }
        reader.require(
            identification == nil || options.endpointIdentification != nil,
            "--kafka-ssl-endpoint-identification must be https or none")
        return options
    }

    /// Combinations librdkafka would accept but that cannot work, caught at start rather than at first connect.
    /// - Parameter properties: the final librdkafka properties (these options over the pass-through ones), so a
    ///   setting made with `--kafka sasl.mechanism=PLAIN` counts too.
    public static func problems(in properties: [String: String]) -> [String] {
        var found: [String] = []
        let securityProtocol = properties["security.protocol"]?.uppercased() ?? "PLAINTEXT"
        let mechanism = (properties["sasl.mechanisms"] ?? properties["sasl.mechanism"])?.uppercased()
        if securityProtocol.hasPrefix("SASL_"), mechanism == nil {
            found.append("security.protocol \(securityProtocol) needs --kafka-sasl-mechanism (sasl.mechanisms)")
        }
        if let mechanism, ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].contains(mechanism),
            properties["sasl.username"] == nil || properties["sasl.password"] == nil
        {
            found.append("sasl.mechanisms \(mechanism) needs --kafka-sasl-username and --kafka-sasl-password")
        }
        if (properties["ssl.certificate.location"] == nil) != (properties["ssl.key.location"] == nil) {
            found.append("--kafka-ssl-certificate-location and --kafka-ssl-key-location go together (mutual TLS)")
        }
        return found
    }

    /// The librdkafka properties these options set; unset options add nothing.
    public var properties: [String: String] {
        var properties: [String: String] = [:]
        properties["security.protocol"] = securityProtocol?.rawValue
        properties["sasl.mechanisms"] = saslMechanism
        properties["sasl.username"] = saslUsername
        properties["sasl.password"] = saslPassword
        properties["ssl.ca.location"] = caLocation
        properties["ssl.certificate.location"] = certificateLocation
        properties["ssl.key.location"] = keyLocation
        properties["ssl.key.password"] = keyPassword
        properties["ssl.endpoint.identification.algorithm"] = endpointIdentification?.rawValue
        return properties
    }
}
