import PipelineRuntime
import SalesforceModel
import Synchronization

/// The Salesforce REST API, as far as the extractor depends on it, serving a ``SalesforceOrg`` at an org clock.
///
/// Routes (see ``route(_:)``): OAuth2 token, query / queryAll / query-more, describe, limits, and the `/_sim/*`
/// control API (clock, faults, stats). Every `/services/data` response carries `Sforce-Limit-Info`; each
/// authenticated call counts 1 against the daily allocation.
final class SalesforceSimulator: Sendable {
    struct Settings: Sendable {
        var clientID: String
        var clientSecret: String
        var dailyAPILimit: Int
        var tokenLifetime: Duration
        /// `instance_url` in token responses (the bound address), set once the server listens.
        var instanceURL: String
    }

    /// A query's result set, kept for `nextRecordsUrl` paging (a snapshot, as Salesforce's cursors are).
    struct Cursor: Sendable {
        var rows: [SalesforceRecord]
        var fields: [SalesforceFieldDescription]
        var batchSize: Int
        var version: String
    }

    struct State: Sendable {
        var clockMs: Int64
        var settings: Settings
        var tokens: [String: ContinuousClock.Instant] = [:]
        var refreshTokens: Set<String> = []
        var issued = 0
        var cursors: [String: Cursor] = [:]
        var apiUsage = 0
        var faults = SimulatorFaults()
        var requests: [String: Int] = [:]
        var cached: SalesforceOrgState?
    }

    let org: SalesforceOrg
    let state: Mutex<State>

    init(org: SalesforceOrg, settings: Settings, clockMs: Int64) {
        self.org = org
        state = Mutex(State(clockMs: clockMs, settings: settings))
    }

    func setInstanceURL(_ url: String) { state.withLock { $0.settings.instanceURL = url } }

    func arm(_ kind: SimulatorFaults.Kind, count: Int, retryAfterSeconds: Int = 1, delayMs: Int = 1_500) {
        state.withLock { $0.faults.arm(kind, count: count, retryAfterSeconds: retryAfterSeconds, delayMs: delayMs) }
    }

    /// The org as of the current clock (cached per clock value).
    func currentState() -> SalesforceOrgState {
        let clock = state.withLock { s -> Int64? in
            if let cached = s.cached, cached.asOfMs == s.clockMs { return nil }
            return s.clockMs
        }
        guard let clock else { return state.withLock { $0.cached! } }
        let computed = org.state(asOf: clock)
        state.withLock { $0.cached = computed }
        return computed
    }

    // MARK: - Routing

    /// Answers one request; API faults, delays and truncation are applied here.
    func route(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.path
        if path.hasPrefix("/_sim/") { return control(request) }
        if path == "/services/oauth2/token" {
            count("token")
            guard request.method == "POST" else { return .json(SimulatorJSON.error("METHOD_NOT_ALLOWED", "POST only"), status: 405) }
            return token(request)
        }
        guard path.hasPrefix("/services/data") else {
            return .json(SimulatorJSON.error("NOT_FOUND", "The requested resource does not exist"), status: 404)
        }
        var response = await api(request)
        response.headers.append(("Sforce-Limit-Info", state.withLock { "api-usage=\($0.apiUsage)/\($0.settings.dailyAPILimit)" }))
        return response
    }

    private func count(_ route: String) { state.withLock { $0.requests[route, default: 0] += 1 } }

    /// `/services/data/...`: authenticate, apply faults, count usage, then serve.
    private func api(_ request: HTTPRequest) async -> HTTPResponse {
        let parts = request.path.split(separator: "/").map(String.init)  // services, data, v62.0, …
        let routeName = parts.count > 3 ? parts[3] : "versions"
        // Only known names become counters, so a client cannot grow the stats without bound.
        count(["query", "queryAll", "sobjects", "limits", "versions"].contains(routeName) ? routeName : "other")
        if parts.count == 2 {
            return .json("[{\"label\":\"Winter '25\",\"url\":\"/services/data/v62.0\",\"version\":\"62.0\"}]")
        }
        guard request.method == "GET" else {
            return .json(SimulatorJSON.error("METHOD_NOT_ALLOWED", "HTTP Method '\(request.method)' not allowed"), status: 405)
        }
        let version = parts[2]
        guard version.hasPrefix("v"), Double(version.dropFirst()) != nil else {
            return .json(SimulatorJSON.error("NOT_FOUND", "The requested resource does not exist"), status: 404)
        }
        // Authentication, then faults, then the daily allocation, as the real service orders them.
        let bearer = request.header("authorization").flatMap { value -> String? in
            for prefix in ["Bearer ", "OAuth "] where value.hasPrefix(prefix) { return String(value.dropFirst(prefix.count)) }
            return nil
        }
        enum Gate { case ok(delayMs: Int?, truncate: Bool), fail(HTTPResponse) }
        let gate: Gate = state.withLock { s in
            let now = ContinuousClock.now
            guard let token = bearer, let expiry = s.tokens[token], expiry > now else {
                return .fail(.json(SimulatorJSON.error("INVALID_SESSION_ID", "Session expired or invalid"), status: 401))
            }
            if s.faults.take(.expiredToken) != nil {
                s.tokens[token] = nil
                return .fail(.json(SimulatorJSON.error("INVALID_SESSION_ID", "Session expired or invalid"), status: 401))
            }
            for kind in [SimulatorFaults.Kind.http429, .http503] {
                if let fault = s.faults.take(kind) {
                    var response = HTTPResponse.json(
                        SimulatorJSON.error(kind == .http429 ? "TOO_MANY_REQUESTS" : "SERVER_UNAVAILABLE",
                                            kind == .http429 ? "Too many requests" : "Service temporarily unavailable"),
                        status: kind == .http429 ? 429 : 503)
                    response.headers.append(("Retry-After", String(fault.retryAfterSeconds)))
                    return .fail(response)
                }
            }
            if s.faults.take(.requestLimit) != nil || s.apiUsage >= s.settings.dailyAPILimit {
                return .fail(.json(SimulatorJSON.error("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), status: 403))
            }
            s.apiUsage += 1
            return .ok(delayMs: s.faults.take(.slow)?.delayMs, truncate: s.faults.take(.truncated) != nil)
        }
        switch gate {
        case .fail(let response):
            return response
        case .ok(let delayMs, let truncate):
            if let delayMs { try? await Task.sleep(for: .milliseconds(delayMs)) }
            var response = serve(parts: parts, request: request, version: version)
            if truncate { response.truncateBodyAt = response.body.count / 2 }
            return response
        }
    }

    private func serve(parts: [String], request: HTTPRequest, version: String) -> HTTPResponse {
        switch parts.count > 3 ? parts[3] : "" {
        case "query" where parts.count == 5, "queryAll" where parts.count == 5:
            return queryMore(parts[4], request: request)
        case "query" where parts.count == 4, "queryAll" where parts.count == 4:
            return query(request, includeDeleted: parts[3] == "queryAll", version: version)
        case "sobjects" where parts.count == 6 && parts[5] == "describe":
            guard let object = org.describe(parts[4]) else {
                return .json(SimulatorJSON.error("NOT_FOUND", "The requested resource does not exist"), status: 404)
            }
            return .json(SimulatorJSON.describe(object))
        case "limits" where parts.count == 4:
            let (used, max) = state.withLock { ($0.apiUsage, $0.settings.dailyAPILimit) }
            return .json("{\"DailyApiRequests\":{\"Max\":\(max),\"Remaining\":\(Swift.max(0, max - used))}}")
        default:
            return .json(SimulatorJSON.error("NOT_FOUND", "The requested resource does not exist"), status: 404)
        }
    }

    // MARK: - Query

    private func query(_ request: HTTPRequest, includeDeleted: Bool, version: String) -> HTTPResponse {
        guard let soql = request.queryItems["q"], !soql.isEmpty else {
            return .json(SimulatorJSON.error("MALFORMED_QUERY", "A query string has to be specified"), status: 400)
        }
        let plan: SOQLPlan
        do throws(SOQLError) {
            plan = try SOQLPlan(try SOQLParser.parse(soql), org: org)
        } catch {
            return .json(SimulatorJSON.error(error.code, error.message), status: 400)
        }
        let records = currentState().records[plan.object.name] ?? []
        let rows = plan.run(on: includeDeleted ? records : records.filter { !$0.isDeleted })
        let batchSize = Self.batchSize(request.header("sforce-query-options"))
        let cursor = Cursor(rows: rows, fields: plan.fields, batchSize: batchSize, version: version)
        return page(cursor, from: 0)
    }

    private func queryMore(_ locator: String, request: HTTPRequest) -> HTTPResponse {
        let pieces = locator.split(separator: "-")
        let cursor = state.withLock { s in pieces.count == 2 ? s.cursors[String(pieces[0])] : nil }
        guard let cursor, let offset = Int(pieces[1]), offset > 0, offset < cursor.rows.count else {
            return .json(SimulatorJSON.error("INVALID_QUERY_LOCATOR", "invalid query locator"), status: 400)
        }
        return page(cursor, from: offset, locator: String(pieces[0]))
    }

    private func page(_ cursor: Cursor, from offset: Int, locator: String? = nil) -> HTTPResponse {
        let end = min(cursor.rows.count, offset + cursor.batchSize)
        var body = "{\"totalSize\":\(cursor.rows.count),\"done\":\(end == cursor.rows.count)"
        if end < cursor.rows.count {
            let id = locator ?? state.withLock { s in
                s.issued += 1
                let id = SalesforceID.withSuffix("0r8" + "Sm" + String(String(repeating: "0", count: 10) + String(s.issued)).suffix(10))
                s.cursors[id] = cursor
                return id
            }
            body += ",\"nextRecordsUrl\":\(JSONText.quoted("/services/data/\(cursor.version)/query/\(id)-\(end)"))"
        }
        body += ",\"records\":["
        body += cursor.rows[offset..<end].map { SimulatorJSON.record($0, fields: cursor.fields, version: cursor.version) }
            .joined(separator: ",")
        body += "]}"
        return HTTPResponse(status: 200, contentType: "application/json;charset=UTF-8", body: Array(body.utf8))
    }

    /// `Sforce-Query-Options: batchSize=N`, clamped to 200–2,000; 2,000 when absent or unreadable.
    static func batchSize(_ header: String?) -> Int {
        guard let header else { return 2_000 }
        for item in header.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            if pair.count == 2, pair[0].lowercased() == "batchsize", let n = Int(pair[1]) { return min(2_000, max(200, n)) }
        }
        return 2_000
    }
}
