import Glibc
import Logging
import PipelineRuntime
import SalesforceModel
import ServiceLifecycle

/// `generator salesforce-api`: the Salesforce REST API simulator, serving the seeded org until SIGTERM.
enum SalesforceAPICommand {
    static let summary = """
        Serves a seeded synthetic Salesforce org over HTTP on 127.0.0.1 the way the extractor uses Salesforce: \
        POST /services/oauth2/token (client_credentials, refresh_token), GET /services/data/v62.0/query?q= and \
        /queryAll?q= (SOQL: SELECT fields FROM Object [WHERE …] [ORDER BY …] [LIMIT n]), nextRecordsUrl paging \
        (up to 2,000 rows; Sforce-Query-Options: batchSize=N), /sobjects/X/describe, /limits, and \
        Sforce-Limit-Info on every response. The org clock starts at --as-of (default the base time); tests move \
        it with POST /_sim/clock {"asOf": ms}. Faults: --fault, POST /_sim/faults {"fault","count",\
        "retryAfterSeconds","delayMs"}, DELETE /_sim/faults; counters at GET /_sim/stats.
        """

    static func run(arguments: [String]) async -> Never {
        await ServiceMain(
            service: "generator", command: "generator salesforce-api", summary: summary, defaultMetricsPort: 0,
            configuration: SalesforceAPIConfiguration.init(reader:),
            services: { context in
                let configuration = context.configuration
                let org = SalesforceOrg(configuration: configuration.org)
                let simulator = SalesforceSimulator(
                    org: org,
                    settings: .init(
                        clientID: configuration.clientID, clientSecret: configuration.clientSecret,
                        dailyAPILimit: configuration.dailyAPILimit, tokenLifetime: configuration.tokenLifetime,
                        instanceURL: ""),
                    clockMs: configuration.asOfMs ?? configuration.org.baseTimeMs)
                for (kind, count) in configuration.faults { simulator.arm(kind, count: count) }
                let server = try SimulatorServer.start(
                    simulator, host: configuration.host, port: configuration.port, metrics: context.metrics,
                    logger: context.logger)
                let address = "http://\(configuration.host):\(server.port ?? 0)"
                if let path = configuration.addressFile { try SimulatorServer.writeAddress(address, to: path) }
                print(address)
                fflush(nil)  // all streams: the address line must reach a piped stdout now
                context.logger.info(
                    "salesforce simulator listening",
                    metadata: [
                        "http.address": "\(address)", "org.records": "\(org.state(asOf: org.configuration.baseTimeMs).allRecords.count)",
                        "org.commits": "\(org.commits.count)",
                    ])
                return [server]
            }
        ).run(arguments: arguments)
    }
}
