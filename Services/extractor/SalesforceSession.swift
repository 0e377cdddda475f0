import Metrics
import Logging
import PipelineHTTP
import SalesforceExtraction

/// The extractor's one conversation with the Salesforce REST API: OAuth2 token (client credentials, refresh
/// token when one was issued), the API budget, and retries.
///
/// Every call, retries included, is reserved against the ``APIBudget`` before it is sent, so the org's usage never
/// passes the configured share. A 401 gets a fresh token and an immediate retry; 429/503 and transport failures
/// back off (honouring `Retry-After`) under the shared ``RetryPolicy``; a body that is not JSON (cut short) is
/// retried the same way; 403 `REQUEST_LIMIT_EXCEEDED` stops at once.
actor SalesforceSession {
    struct Settings: Sendable {
        var baseURL: String
        var clientID: String
        var clientSecret: String
        var apiVersion: String
        var budgetShare: Double
        var pageSize: Int
        var requestTimeout: Duration
        var retry: RetryPolicy
    }

    private let settings: Settings
    private let client: HTTPClient
    private let retrier: HTTPRetrier
    private let logger: Logger
    private let metrics: ExtractorMetrics
    private var token: AccessToken?
    /// Issued with some tokens; preferred over the client credentials while it works.
    private var refreshToken: String?
    private(set) var budget: APIBudget

    init(settings: Settings, client: HTTPClient, logger: Logger, metrics: ExtractorMetrics) {
        self.settings = settings
        self.client = client
        self.retrier = HTTPRetrier(policy: settings.retry)
        self.logger = logger
        self.metrics = metrics
        self.budget = APIBudget(share: settings.budgetShare)
    }

    var apiPath: String { "/services/data/v\(settings.apiVersion)" }

    // MARK: - API calls

    /// `GET path` on the org's instance, with the bearer token, decoded by `decode`.
    func get<Value: Sendable>(
        _ path: String, decode: ([UInt8]) throws(SalesforceResponseError) -> Value
    ) async throws(SalesforceError) -> Value {
        var attempt = 0
        var refreshedAt: Int?
        let started = ContinuousClock.now
        while true {
            attempt += 1
            let token = try await currentToken()
            let base = token.instanceURL ?? settings.baseURL
            let request = HTTPClientRequest(
                url: base + path,
                headers: [
                    "Authorization": "Bearer \(token.accessToken)", "Accept": "application/json",
                    "Sforce-Query-Options": "batchSize=\(settings.pageSize)",
                ],
                timeout: settings.requestTimeout, target: "salesforce")
            let outcome = try await send(request)
            let failure: String
            var retryAfter: Duration?
            switch outcome {
            case .success(let response) where response.isSuccess:
                do {
                    return try decode(response.body)
                } catch where error.isMalformedJSON {
                    metrics.malformedResponses.increment()
                    failure = error.message
                } catch {
                    throw .rejected(status: response.status, code: "INVALID_RESPONSE", message: error.message)
                }
            case .success(let response) where response.status == 401:
                // The token expired or was revoked: a fresh one, at once the first time, with backoff after.
                self.token = nil
                metrics.tokenRefreshes.increment()
                if refreshedAt == nil {
                    refreshedAt = attempt
                    logger.info("salesforce session expired; getting a new token")
                    continue
                }
                failure = "401 again after a new token"
            case .success(let response):
                let error = SalesforceAPIError(json: response.body)
                if response.status == 403, error?.errorCode == "REQUEST_LIMIT_EXCEEDED" { throw .requestLimitExceeded }
                guard settings.retry.isRetriable(status: response.status) else {
                    throw .rejected(
                        status: response.status, code: error?.errorCode ?? "", message: error?.message ?? response.bodyText.prefix(200).description)
                }
                metrics.throttled.increment()
                failure = "HTTP \(response.status)"
                retryAfter = RetryAfter.delay(
                    from: response.headers["Retry-After"], now: HTTPRetrier.systemWallClockSeconds())
            case .failure(let error):
                guard error.isRetriable else { throw .unavailable(error.description) }
                failure = error.description
            }
            try await backOff(attempt: attempt, started: started, retryAfter: retryAfter, failure: failure)
        }
    }

    /// Waits before the next attempt as the policy says, or gives up.
    private func backOff(
        attempt: Int, started: ContinuousClock.Instant, retryAfter: Duration?, failure: String
    ) async throws(SalesforceError) {
        let decision = settings.retry.decide(
            attempt: attempt, elapsed: ContinuousClock.now - started, retriable: true, retryAfter: retryAfter,
            unit: retrier.random())
        guard case .retry(let wait) = decision else {
            throw .unavailable("gave up after \(attempt) attempts: \(failure)")
        }
        metrics.retries.increment()
        logger.info(
            "salesforce call will be retried",
            metadata: ["http.attempt": "\(attempt)", "error": "\(failure)", "retry.wait_ms": "\(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)"])
        do {
            try await retrier.sleep(wait)
        } catch {
            throw .cancelled
        }
    }

    /// Sends one request inside the budget and settles the budget with its `Sforce-Limit-Info`.
    private func send(_ request: HTTPClientRequest) async throws(SalesforceError) -> Result<HTTPClientResponse, HTTPClientError> {
        guard budget.reserve() else {
            throw .budgetExhausted(used: budget.used ?? 0, limit: budget.limit ?? 0)
        }
        metrics.apiCalls.increment()
        do {
            let response = try await client.execute(request)
            budget.settle(response.headers["Sforce-Limit-Info"].flatMap(APIUsage.init(header:)), answered: true)
            if let used = budget.used { metrics.apiUsage.record(used) }
            return .success(response)
        } catch {
            budget.settle(nil, answered: false)
            if error.kind == .cancelled { throw .cancelled }
            return .failure(error)
        }
    }

    // MARK: - OAuth2

    private func currentToken() async throws(SalesforceError) -> AccessToken {
        if let token { return token }
        var attempt = 0
        let started = ContinuousClock.now
        while true {
            attempt += 1
            var form = [("grant_type", "client_credentials"), ("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
            if let refresh = refreshToken {
                form = [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
            }
            let request = HTTPClientRequest(
                method: .post, url: settings.baseURL + "/services/oauth2/token",
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
                body: URLComponentEncoding.form(form), timeout: settings.requestTimeout, target: "salesforce")
            let failure: String
            var retryAfter: Duration?
            switch try await send(request) {
            case .success(let response) where response.isSuccess:
                do {
                    let fresh = try AccessToken(json: response.body)
                    token = fresh
                    if let refresh = fresh.refreshToken { refreshToken = refresh }
                    return fresh
                } catch where error.isMalformedJSON {
                    failure = error.message
                } catch {
                    throw .authentication(error.message)
                }
            case .success(let response) where settings.retry.isRetriable(status: response.status):
                failure = "token endpoint answered \(response.status)"
                retryAfter = RetryAfter.delay(
                    from: response.headers["Retry-After"], now: HTTPRetrier.systemWallClockSeconds())
            case .success(let response):
                let error = SalesforceAPIError(json: response.body)
                if response.status == 403, error?.errorCode == "REQUEST_LIMIT_EXCEEDED" { throw .requestLimitExceeded }
                if refreshToken != nil {
                    // The refresh token was revoked or expired: fall back to the client credentials.
                    refreshToken = nil
                    continue
                }
                throw .authentication("token endpoint answered \(response.status) \(error?.errorCode ?? "")")
            case .failure(let error):
                guard error.isRetriable else { throw .unavailable(error.description) }
                failure = error.description
            }
            try await backOff(attempt: attempt, started: started, retryAfter: retryAfter, failure: failure)
        }
    }
}
