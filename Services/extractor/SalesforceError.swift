import PipelineHTTP

/// Why a Salesforce call did not produce a usable answer.
enum SalesforceError: Error, CustomStringConvertible {
    /// The next call could take the org's usage past this extractor's share: stop the pass.
    case budgetExhausted(used: Int, limit: Int)
    /// The org's whole daily allocation is spent (403 `REQUEST_LIMIT_EXCEEDED`): stop the pass.
    case requestLimitExceeded
    /// The token endpoint refused the credentials.
    case authentication(String)
    /// An answer that retrying will not change (400 `MALFORMED_QUERY`, 404…).
    case rejected(status: Int, code: String, message: String)
    /// Retries ran out on a transient failure.
    case unavailable(String)
    case cancelled

    /// Stops the pass without it being an error of the extractor: usage limits.
    var isLimit: Bool {
        switch self {
        case .budgetExhausted, .requestLimitExceeded: true
        default: false
        }
    }

    var description: String {
        switch self {
        case .budgetExhausted(let used, let limit): "API budget reached (\(used) of \(limit) calls used)"
        case .requestLimitExceeded: "the org's API request limit is exceeded (REQUEST_LIMIT_EXCEEDED)"
        case .authentication(let message): "authentication failed: \(message)"
        case .rejected(let status, let code, let message): "Salesforce answered \(status) \(code): \(message)"
        case .unavailable(let message): "Salesforce unavailable: \(message)"
        case .cancelled: "cancelled"
        }
    }
}
