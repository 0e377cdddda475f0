/// Everything the Bigtable client needs to know, with documented defaults.
///
/// Build it once in `main` (``endpoint(environment:)`` reads `BIGTABLE_EMULATOR_HOST`);
/// nothing in this module reads the environment by itself.
public struct BigtableConfiguration: Sendable {
    /// Where the client connects.
    public enum Endpoint: Sendable, Hashable {
        /// The Bigtable emulator: plaintext HTTP/2, no credentials. Data and admin share it.
        case emulator(host: String, port: Int)
        /// Google's endpoints over TLS with a Bearer token.
        case google(dataHost: String, adminHost: String, port: Int)

        /// `bigtable.googleapis.com:443` and `bigtableadmin.googleapis.com:443`.
        public static let production = Endpoint.google(
            dataHost: "bigtable.googleapis.com", adminHost: "bigtableadmin.googleapis.com", port: 443)

        /// Whether the endpoint is the emulator (plaintext, no token).
        public var isEmulator: Bool {
            if case .emulator = self { return true }
            return false
        }
    }

    /// GCP project id (any value works with the emulator).
    public var projectID: String
    /// Bigtable instance id (any value works with the emulator).
    public var instanceID: String
    /// App profile for data requests; empty means the instance's default profile.
    public var appProfileID: String
    /// Where to connect. Default: ``Endpoint/production``.
    public var endpoint: Endpoint
    /// Deadline of one unary or MutateRows attempt. Default: 20 s.
    public var requestTimeout: Duration
    /// Deadline of a whole ReadRows stream, which may scan many rows. Default: 5 min.
    public var readRowsTimeout: Duration
    /// Deadline of one admin call (CreateTable can be slow). Default: 60 s.
    public var adminTimeout: Duration
    /// Mutations per MutateRows request; bigger batches are split. Bigtable's hard cap is
    /// 100,000; official clients flush far earlier. Default: 10,000, clamped to 1...50,000.
    public var maxMutationsPerRequest: Int {
        get { _maxMutationsPerRequest }
        set { _maxMutationsPerRequest = min(max(newValue, 1), Self.mutationsPerRequestCeiling) }
    }
    /// How failed MutateRows entries are retried. Default: ``BigtableRetryPolicy/init()``.
    public var retryPolicy: BigtableRetryPolicy
    /// A PEM bundle of CAs trusted for Google's TLS endpoints instead of the system store (a TLS-inspecting proxy,
    /// a private endpoint). Ignored by the emulator, which is plaintext. Default: `nil`, the system store.
    /// Certificate verification itself is always on.
    public var caFile: String?

    private var _maxMutationsPerRequest: Int

    /// Half of Bigtable's 100,000 cap, so one oversized entry cannot push a request over.
    public static let mutationsPerRequestCeiling = 50_000

    /// Creates a configuration with the documented defaults.
    public init(
        projectID: String, instanceID: String, appProfileID: String = "", endpoint: Endpoint = .production,
        requestTimeout: Duration = .seconds(20), readRowsTimeout: Duration = .seconds(300),
        adminTimeout: Duration = .seconds(60), maxMutationsPerRequest: Int = 10_000,
        retryPolicy: BigtableRetryPolicy = BigtableRetryPolicy(), caFile: String? = nil
    ) {
        self.caFile = caFile
        self.projectID = projectID
        self.instanceID = instanceID
        self.appProfileID = appProfileID
        self.endpoint = endpoint
        self.requestTimeout = requestTimeout
        self.readRowsTimeout = readRowsTimeout
        self.adminTimeout = adminTimeout
        self._maxMutationsPerRequest = min(max(maxMutationsPerRequest, 1), Self.mutationsPerRequestCeiling)
        self.retryPolicy = retryPolicy
    }

    /// `projects/P/instances/I`, the parent of every table.
    public var instanceName: String { "projects/\(projectID)/instances/\(instanceID)" }

    /// `projects/P/instances/I/tables/T`.
    public func tableName(_ table: String) -> String { "\(instanceName)/tables/\(table)" }

    /// The emulator when `BIGTABLE_EMULATOR_HOST` (`host:port`) is set, else production.
    ///
    /// - Parameter environment: the process environment, read once by the caller.
    /// - Throws: `.configuration` when the variable is set but not `host:port`.
    public static func endpoint(environment: [String: String]) throws(BigtableError) -> Endpoint {
        guard let value = environment["BIGTABLE_EMULATOR_HOST"], !value.isEmpty else { return .production }
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]),
            (1...65_535).contains(port), colon != value.startIndex
        else {
            throw BigtableError(.configuration, message: "BIGTABLE_EMULATOR_HOST must be host:port, got '\(value)'")
        }
        var host = String(value[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return .emulator(host: host, port: port)
    }
}
