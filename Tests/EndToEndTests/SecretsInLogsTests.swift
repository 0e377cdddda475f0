import Foundation
import HTTPTestSupport
import PipelineKafka
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Every configured secret stays out of every log line: the extractor, alerting, the Salesforce simulator and the
/// broker run with distinctive credentials at debug level, meet the errors that tend to print URLs, headers and
/// request bodies (401s, a rejected client secret, a webhook answering 500, one refusing connections), and then
/// every line they wrote to stdout and stderr is searched for each secret and for the OAuth tokens handed out.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SecretsInLogsTests {
    /// Random per run, so a match can only be a leak.
    static let run = String(UInt64.random(in: 1 << 40..<1 << 48), radix: 36)
    static let clientSecret = "sfCLIENTSECRET\(run)"
    static let wrongClientSecret = "sfWRONGSECRET\(run)"
    static let saslPassword = "kafkaSASLSECRET\(run)"
    static let keyPassword = "kafkaKEYSECRET\(run)"
    static let webhookToken = "hookSECRET\(run)"
    static let criticalWebhookToken = "pagerSECRET\(run)"

    /// The simulator's access tokens are `<org id>!AQ` + 40 characters, its refresh tokens `5Aep` + 40.
    static let tokenPatterns = [#"00DSm0000000001!AQ[A-Za-z0-9]{8}"#, #"5Aep[A-Za-z0-9]{40}"#]

    /// Kafka TLS/SASL settings every process gets; PLAINTEXT because the local broker has no listener for them,
    /// so the credentials are configured, printed (redacted) at start, and otherwise unused.
    static let kafkaSecrets = [
        "KAFKA_SASL_MECHANISMS": "PLAIN", "KAFKA_SASL_USERNAME": "tributary-e2e", "KAFKA_SASL_PASSWORD": saslPassword,
        "KAFKA_SSL_KEY_PASSWORD": keyPassword, "LOG_LEVEL": "debug",
    ]

    @Test func noSecretReachesAnyLogLine() async throws {
        let broker = try await BrokerProcess(partitions: 2)
        let environment = broker.environment.merging(Self.kafkaSecrets) { $1 }
        var processes: [(String, Spawned)] = [("broker", broker.process)]

        // Salesforce: the simulator accepts only the configured client secret and expires the first tokens.
        let simulator = try await SimulatorProcess(arguments: [
            "--seed", "5", "--records", "40", "--changes", "0", "--client-secret", Self.clientSecret,
            "--fault", "expired-token:2", "--log-level", "debug",
        ])
        processes.append(("simulator", simulator.process))
        let extractorArguments = [
            "once", "--api-base-url", simulator.baseURL, "--objects", "Account,Contact", "--page-size", "200",
            "--request-timeout", "2s",
        ]
        let rejected = try Spawned(
            "extractor", extractorArguments + ["--max-attempts", "2", "--max-retry-time", "5s"],
            environment: environment.merging(["SALESFORCE_CLIENT_SECRET": Self.wrongClientSecret]) { $1 })
        processes.append(("extractor (wrong secret)", rejected))
        #expect(await rejected.exitCode(within: .seconds(60)) != 0, "a wrong client secret must fail the run")
        let extractor = try Spawned(
            "extractor", extractorArguments,
            environment: environment.merging(["SALESFORCE_CLIENT_SECRET": Self.clientSecret]) { $1 })
        processes.append(("extractor", extractor))
        #expect(await extractor.exitCode(within: .seconds(90)) == 0, "\(extractor.stderr.suffix(2_000))")
        #expect(extractor.stderr.contains("salesforce session expired"), "the 401 path ran")

        // Alerting: a lag alert goes to a webhook answering 500 (retried), the critical one to a closed port.
        let webhook = try LoopbackServer { _ in .text("invalid_token", status: 500) }
        try await broker.createTopic("secrettest", partitions: 2)
        let alerting = try Spawned(
            "alerting",
            [
                "--metrics-port", "0", "--groups", "lagger:secrettest", "--lag-threshold", "2s", "--lag-interval", "300ms",
                "--webhook-spacing", "100ms", "--max-backoff", "300ms", "--heartbeat-timeout", "1h",
            ],
            environment: environment.merging([
                "ALERTING_WEBHOOK_URL": webhook.baseURL + "/services/T0/B0/\(Self.webhookToken)",
                "ALERTING_CRITICAL_WEBHOOK_URL": "http://127.0.0.1:1/services/T1/B1/\(Self.criticalWebhookToken)",
            ]) { $1 })
        processes.append(("alerting", alerting))
        #expect(await alerting.operationsAddress() != nil, "\(alerting.stderr)")
        try await broker.produce("secrettest", values: (0..<20).map { "m\($0)" })
        let admin = try KafkaAdmin(client: broker.client, logger: broker.logger)
        try await admin.commitOffsets(
            group: "lagger",
            offsets: [TopicPartition(topic: "secrettest", partition: 0): 0, TopicPartition(topic: "secrettest", partition: 1): 0])
        let deadline = ContinuousClock.now.advanced(by: .seconds(40))
        while webhook.requests.count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(webhook.requests.count >= 3, "the failing webhook was tried and retried: \(alerting.stderr.suffix(2_000))")
        #expect(webhook.requests.allSatisfy { $0.target.hasSuffix(Self.webhookToken) }, "the secret URL was used")
        alerting.signal(SIGTERM)
        await alerting.expectCleanExit(within: .seconds(30))
        try await Self.checkTokenPatterns(simulator)
        simulator.process.signal(SIGTERM)
        _ = await simulator.process.exitCode(within: .seconds(10))

        let secrets = [
            Self.clientSecret, Self.wrongClientSecret, Self.saslPassword, Self.keyPassword, Self.webhookToken,
            Self.criticalWebhookToken,
        ]
        var linesSearched = 0
        for (name, process) in processes {
            let lines = (process.stdout + "\n" + process.stderr).split(separator: "\n")
            linesSearched += lines.count
            for (number, line) in lines.enumerated() {
                for secret in secrets where line.contains(secret) {
                    Issue.record("\(name) logged a secret on line \(number + 1): \(line)")
                }
                for pattern in Self.tokenPatterns where line.range(of: pattern, options: .regularExpression) != nil {
                    Issue.record("\(name) logged an OAuth token on line \(number + 1): \(line)")
                }
            }
        }
        // The search had something to find: the configuration dumps that hold the secrets, redacted, and the errors.
        #expect(linesSearched > 50, "only \(linesSearched) lines logged")
        for (name, process) in processes where name.hasPrefix("extractor") || name == "alerting" {
            #expect(process.stderr.contains("kafka-sasl-password") && process.stderr.contains("<redacted>"), "\(name)")
        }
        #expect(rejected.stderr.contains("salesforce-client-secret"))
        #expect(alerting.stderr.contains("webhook refused the notification"), "alerting logged the webhook failures")
    }

    /// Guards the token patterns, so the search cannot pass by matching nothing: tokens fetched from the simulator
    /// the way the extractor fetches them match both.
    static func checkTokenPatterns(_ simulator: SimulatorProcess) async throws {
        var request = URLRequest(url: URL(string: simulator.baseURL + "/services/oauth2/token")!, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("grant_type=client_credentials&client_id=tributary-extractor&client_secret=\(clientSecret)".utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        let answer = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let access = try #require(answer["access_token"] as? String, "\(answer)")
        let refresh = try #require(answer["refresh_token"] as? String, "\(answer)")
        #expect(access.range(of: tokenPatterns[0], options: .regularExpression) != nil, "\(access)")
        #expect(refresh.range(of: tokenPatterns[1], options: .regularExpression) != nil, "\(refresh)")
    }
}
