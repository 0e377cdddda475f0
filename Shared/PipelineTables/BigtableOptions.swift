public import PipelineBigtable
public import PipelineRuntime

/// The Bigtable options every service and command that touches Bigtable shares.
///
/// `BIGTABLE_EMULATOR_HOST` (host:port) selects the emulator, as Google's own clients do; otherwise the client
/// speaks TLS to Google with OAuth2 tokens (`GOOGLE_APPLICATION_CREDENTIALS` or the metadata server), verifying
/// the certificate against the system store or `--bigtable-ca-file`. Plaintext is only ever used for the emulator.
public struct BigtableOptions: Sendable {
    public var project: String
    public var instance: String
    public var appProfile: String
    public var emulatorHost: String?
    public var createTables: Bool
    /// The deadline of one RPC attempt.
    public var requestTimeout: Duration
    /// How long a write keeps retrying before the caller treats Bigtable as unavailable.
    public var retryTimeout: Duration
    /// PEM bundle trusted for Google's TLS endpoints; `nil` uses the system store.
    public var caFile: String?

    public init(
        project: String, instance: String, appProfile: String = "", emulatorHost: String? = nil,
        createTables: Bool = false, requestTimeout: Duration = .seconds(20), retryTimeout: Duration = .seconds(60),
        caFile: String? = nil
    ) {
        self.caFile = caFile
        self.requestTimeout = requestTimeout
        self.retryTimeout = retryTimeout
        self.project = project
        self.instance = instance
        self.appProfile = appProfile
        self.emulatorHost = emulatorHost
        self.createTables = createTables
    }

    /// Declares the options under a "Bigtable" help section.
    /// - Parameter createTablesDefault: whether `--create-tables` defaults to on.
    public static func read(from reader: ConfigReader, createTablesDefault: Bool = false) -> BigtableOptions {
        reader.section = "Bigtable"
        let project = reader.string(
            "bigtable-project", env: "BIGTABLE_PROJECT", default: "tributary-local", help: "Google Cloud project id.")
        let instance = reader.string(
            "bigtable-instance", env: "BIGTABLE_INSTANCE", default: "local", help: "Bigtable instance id.")
        let profile = reader.string(
            "bigtable-app-profile", env: "BIGTABLE_APP_PROFILE", default: "", help: "App profile (empty: default).")
        let emulator = reader.optionalString(
            "bigtable-emulator-host", env: "BIGTABLE_EMULATOR_HOST",
            help: "host:port of the Bigtable emulator; unset means Google's endpoints with OAuth2.")
        let create = reader.bool(
            "create-tables", env: "BIGTABLE_CREATE_TABLES", default: createTablesDefault,
            help: "Create missing tables and column families at start.")
        let timeout = reader.duration(
            "bigtable-timeout", env: "BIGTABLE_TIMEOUT", default: .seconds(20), help: "Deadline of one Bigtable RPC attempt.")
        let retryTimeout = reader.duration(
            "bigtable-retry-timeout", env: "BIGTABLE_RETRY_TIMEOUT", default: .seconds(60),
            help: "How long a write retries before Bigtable counts as unavailable (consumption then pauses).")
        let caFile = reader.optionalString(
            "bigtable-ca-file", env: "BIGTABLE_CA_FILE",
            help: "PEM bundle of CAs trusted for Bigtable's TLS endpoints; default: the system store.")
        reader.require(
            emulator == nil || caFile == nil,
            "--bigtable-ca-file applies to Google's TLS endpoints; the emulator (--bigtable-emulator-host) is plaintext")
        return BigtableOptions(
            project: project, instance: instance, appProfile: profile, emulatorHost: emulator, createTables: create,
            requestTimeout: timeout, retryTimeout: retryTimeout, caFile: caFile)
    }

    /// The client configuration these options describe.
    public func configuration() throws(BigtableError) -> BigtableConfiguration {
        var environment: [String: String] = [:]
        if let emulatorHost { environment["BIGTABLE_EMULATOR_HOST"] = emulatorHost }
        return BigtableConfiguration(
            projectID: project, instanceID: instance, appProfileID: appProfile,
            endpoint: try BigtableConfiguration.endpoint(environment: environment), requestTimeout: requestTimeout,
            retryPolicy: BigtableRetryPolicy(totalTimeout: retryTimeout), caFile: caFile)
    }
}
