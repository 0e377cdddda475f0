import PipelineHTTP
import PipelineKafka
import PipelineRuntime
import SalesforceExtraction

/// What `extractor run` and `extractor once` are told, from flags and environment variables.
struct ExtractorConfiguration: Sendable {
    /// The login and API base, e.g. `http://127.0.0.1:8443` (the token's `instance_url` takes over for API calls).
    var apiBaseURL: String
    var clientID: String
    var clientSecret: String
    var objects: [String]
    var apiVersion: String
    var budgetShare: Double
    var pageSize: Int
    var requestTimeout: Duration
    var maximumAttempts: Int
    var maximumRetryElapsed: Duration
    var pollInterval: Duration
    var recordsTopic: String
    var watermarksTopic: String
    var batchTopic: String
    var deadLetterTopic: String
    /// `once` only: also serve the `pipeline.batch` requests waiting, then exit.
    var serveBatchRequests: Bool
    /// Outbound HTTPS to Salesforce: CA bundle, connect deadline, response cap (`--request-timeout` is the total).
    var http: HTTPOptions
    var kafka: KafkaOptions

    init(reader: ConfigReader, once: Bool) {
        reader.section = "Salesforce"
        apiBaseURL = reader.string(
            "api-base-url", env: "SALESFORCE_API_BASE_URL", default: "http://127.0.0.1:8443",
            help: "Where the OAuth2 token endpoint is (the simulator: generator salesforce-api).")
        while apiBaseURL.hasSuffix("/") { apiBaseURL.removeLast() }
        // No defaults: a deployment that forgets them must fail at start, not try the local simulator's
        // credentials against a real org. `tributary up`, compose and the dev overlay pass the simulator's.
        clientID = reader.requiredString(
            "salesforce-client-id", env: "SALESFORCE_CLIENT_ID",
            help: "OAuth2 client id of the Connected App (--client-id is Kafka's client.id).")
        clientSecret = reader.requiredString(
            "salesforce-client-secret", env: "SALESFORCE_CLIENT_SECRET", help: "OAuth2 client secret.", secret: true)
        let objectList = reader.string(
            "objects", env: "SALESFORCE_OBJECTS", default: "Account,Contact,Lead,Opportunity,Case,User",
            help: "Objects to extract, comma-separated; pipeline.batch requests for others are dead-lettered.")
        objects = objectList.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
        apiVersion = reader.string("api-version", env: "SALESFORCE_API_VERSION", default: "62.0", help: "REST API version.")
        budgetShare = reader.double(
            "budget-share", env: "SALESFORCE_BUDGET_SHARE", default: 0.5,
            help: "Stop calling once the org's daily API usage (Sforce-Limit-Info) would pass this share of the allocation.",
            range: 0.000_001...1)
        pageSize = reader.int(
            "page-size", env: "SALESFORCE_PAGE_SIZE", default: 2_000,
            help: "Sforce-Query-Options batchSize: records per query page.", range: 200...2_000)
        requestTimeout = reader.duration(
            "request-timeout", env: "SALESFORCE_REQUEST_TIMEOUT", default: .seconds(60),
            help: "Deadline of one HTTP exchange.")
        maximumAttempts = reader.int(
            "max-attempts", env: "SALESFORCE_MAX_ATTEMPTS", default: 8,
            help: "Attempts per call (429/503/timeouts/truncated bodies are retried with backoff).", range: 1...100)
        maximumRetryElapsed = reader.duration(
            "max-retry-time", env: "SALESFORCE_MAX_RETRY_TIME", default: .seconds(300),
            help: "No retry of a call starts later than this after its first attempt.")
        reader.section = "Extractor"
        pollInterval = reader.duration(
            "poll-interval", env: "EXTRACTOR_POLL_INTERVAL", default: .seconds(60),
            help: "run: time between incremental passes.")
        recordsTopic = reader.string(
            "records-topic", env: "EXTRACTOR_RECORDS_TOPIC", default: PipelineTopic.salesforceRecords.rawValue,
            help: "Where RecordChange messages go.")
        watermarksTopic = reader.string(
            "watermarks-topic", env: "EXTRACTOR_WATERMARKS_TOPIC", default: PipelineTopic.salesforceWatermarks.rawValue,
            help: "Compacted topic keeping each object's watermark.")
        batchTopic = reader.string(
            "batch-topic", env: "EXTRACTOR_BATCH_TOPIC", default: PipelineTopic.pipelineBatch.rawValue,
            help: "BatchRequest messages to serve.")
        deadLetterTopic = reader.string(
            "dead-letter-topic", env: "EXTRACTOR_DEAD_LETTER_TOPIC", default: PipelineTopic.eventsDeadLetter.rawValue,
            help: "Where unusable rows and requests go, with the reason.")
        serveBatchRequests =
            once
            ? reader.bool(
                "batch-requests", env: "EXTRACTOR_BATCH_REQUESTS",
                help: "Also serve the pipeline.batch requests waiting, then exit.")
            : true
        // A 2,000-record page of wide objects runs to a few MiB; 64 MiB leaves room and still bounds memory.
        http = HTTPOptions.read(from: reader, defaultTimeout: nil, defaultMaximumResponseBytes: 64 << 20)
        kafka = KafkaOptions.read(from: reader, clientID: "extractor", defaultGroup: "extractor")
        reader.require(!objects.isEmpty, "--objects names no object")
        // Object names go into describe URLs and, once described, into SOQL: only plain API names.
        reader.require(
            objects.allSatisfy(SOQLIdentifier.isValid),
            "--objects: every entry must be an object API name (Account, Invoice__c, SBQQ__Quote__c)")
        for object in objects { reader.require(SOQLIdentifier.queryRefusal(object: object) == nil, "--objects: " + (SOQLIdentifier.queryRefusal(object: object) ?? "")) }
        reader.require(
            apiBaseURL.hasPrefix("http://") || apiBaseURL.hasPrefix("https://"), "--api-base-url must be http(s)")
    }

    var sessionSettings: SalesforceSession.Settings {
        SalesforceSession.Settings(
            baseURL: apiBaseURL, clientID: clientID, clientSecret: clientSecret, apiVersion: apiVersion,
            budgetShare: budgetShare, pageSize: pageSize, requestTimeout: requestTimeout,
            retry: RetryPolicy(
                maximumAttempts: maximumAttempts, initialBackoff: .milliseconds(200), maximumBackoff: .seconds(30),
                maximumElapsed: maximumRetryElapsed, retryServerErrors: true))
    }
}
