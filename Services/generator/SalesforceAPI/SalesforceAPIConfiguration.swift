import PipelineRuntime
import SalesforceModel

/// Everything `generator salesforce-api` is told: the org, where to listen, credentials, limits and faults.
struct SalesforceAPIConfiguration: Sendable {
    var org: SalesforceOrg.Configuration
    var host: String
    var port: Int
    var addressFile: String?
    /// The org clock at start, epoch ms; nil = the base time.
    var asOfMs: Int64?
    var clientID: String
    var clientSecret: String
    var dailyAPILimit: Int
    var tokenLifetime: Duration
    var faults: [(SimulatorFaults.Kind, Int)]

    init(reader: ConfigReader) {
        org = SalesforceOrgOptions.read(from: reader)
        reader.section = "Simulator"
        let listen = reader.string(
            "listen", env: "SALESFORCE_SIM_LISTEN", default: "127.0.0.1:0",
            help: "host:port to serve on; port 0 picks a free one (printed and written to --address-file).")
        let colon = listen.lastIndex(of: ":")
        host = colon.map { String(listen[..<$0]) } ?? listen
        let port = colon.flatMap { Int(listen[listen.index(after: $0)...]) }
        reader.require(port != nil && (0...65_535).contains(port!), "--listen must be host:port")
        self.port = port ?? 0
        addressFile = reader.optionalString(
            "address-file", env: "SALESFORCE_SIM_ADDRESS_FILE", help: "Where to write the bound base URL.")
        let asOf = reader.optionalString(
            "as-of", env: "SALESFORCE_SIM_AS_OF", help: "Initial org clock (epoch ms or ISO-8601); default the base time.")
        asOfMs = asOf.flatMap(SalesforceOrgOptions.parseTime)
        reader.require(asOf == nil || asOfMs != nil, "--as-of must be epoch milliseconds or an ISO-8601 datetime")
        clientID = reader.string(
            "client-id", env: "SALESFORCE_CLIENT_ID", default: "tributary-extractor",
            help: "The connected app's client id the token endpoint accepts.")
        clientSecret = reader.string(
            "client-secret", env: "SALESFORCE_CLIENT_SECRET", default: "tributary-secret",
            help: "The client secret the token endpoint accepts.", secret: true)
        dailyAPILimit = reader.int(
            "daily-api-limit", env: "SALESFORCE_DAILY_API_LIMIT", default: 100_000,
            help: "The org's API allocation; calls beyond it get 403 REQUEST_LIMIT_EXCEEDED.", range: 1...100_000_000)
        tokenLifetime = reader.duration(
            "token-lifetime", env: "SALESFORCE_TOKEN_LIFETIME", default: .seconds(7_200),
            help: "How long an access token works.")
        let faultText = reader.string(
            "fault", env: "SALESFORCE_SIM_FAULTS", default: "",
            help: "Faults armed at start: NAME[:count] items separated by commas (count 0 = until cleared); names: "
                + SimulatorFaults.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        let faults = faultText.isEmpty ? [] : SimulatorFaults.parse(faultText)
        reader.require(faults != nil, "--fault must be NAME[:count],… with known fault names")
        self.faults = faults ?? []
    }
}
