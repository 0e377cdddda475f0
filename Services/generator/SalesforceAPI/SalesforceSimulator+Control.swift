import PipelineRuntime
import SalesforceModel
import Synchronization

/// OAuth2 tokens and the `/_sim/*` control API.
extension SalesforceSimulator {
    /// `POST /services/oauth2/token`, form-encoded: `grant_type=client_credentials` with `client_id` and
    /// `client_secret`, or `grant_type=refresh_token` with `refresh_token` (and `client_id`).
    func token(_ request: HTTPRequest) -> HTTPResponse {
        let form = HTTPRequest(method: "POST", path: "/", query: request.bodyText).queryItems
        return state.withLock { s in
            let settings = s.settings
            switch form["grant_type"] {
            case "client_credentials":
                guard form["client_id"] == settings.clientID, form["client_secret"] == settings.clientSecret else {
                    return Self.oauthError("invalid_client", "invalid client credentials")
                }
            case "refresh_token":
                guard form["client_id"] == nil || form["client_id"] == settings.clientID,
                    let refresh = form["refresh_token"], s.refreshTokens.contains(refresh)
                else { return Self.oauthError("invalid_grant", "expired access/refresh token") }
            default:
                return Self.oauthError("unsupported_grant_type", "grant type not supported")
            }
            s.issued += 1
            let access = "00DSm0000000001!AQ\(Self.tokenText(seed: org.configuration.seed, serial: s.issued))"
            let refresh = "5Aep\(Self.tokenText(seed: org.configuration.seed ^ 0xFF, serial: s.issued))"
            s.tokens[access] = ContinuousClock.now + settings.tokenLifetime
            s.refreshTokens.insert(refresh)
            let issuedAt = String(org.configuration.baseTimeMs + Int64(s.issued))
            return .json(
                "{\"access_token\":\(JSONText.quoted(access)),\"refresh_token\":\(JSONText.quoted(refresh)),"
                    + "\"instance_url\":\(JSONText.quoted(settings.instanceURL)),"
                    + "\"id\":\"\(settings.instanceURL)/id/00DSm0000000001/005Sm0000000001\","
                    + "\"token_type\":\"Bearer\",\"issued_at\":\"\(issuedAt)\",\"signature\":\"c2ltdWxhdGVk\"}")
        }
    }

    private static func oauthError(_ error: String, _ description: String) -> HTTPResponse {
        .json("{\"error\":\(JSONText.quoted(error)),\"error_description\":\(JSONText.quoted(description))}", status: 400)
    }

    private static func tokenText(seed: UInt64, serial: Int) -> String {
        var value = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(serial) &* 0xBF58_476D_1CE4_E5B9
        var text = ""
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        for _ in 0..<40 {
            value = (value ^ (value >> 29)) &* 0x94D0_49BB_1331_11EB &+ 0x2545_F491_4F6C_DD1D
            text.append(alphabet[Int(value >> 32) % alphabet.count])
        }
        return text
    }

    // MARK: - /_sim

    /// `GET|POST /_sim/clock`, `POST|DELETE /_sim/faults`, `GET /_sim/stats`.
    func control(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/_sim/clock"):
            return .json(clockJSON())
        case ("POST", "/_sim/clock"):
            guard let body = SimulatorJSON.flatObject(request.bodyText), let text = body["asOf"],
                let ms = Int64(text) ?? SalesforceTime.parseDateTime(text)
            else { return .json(SimulatorJSON.error("BAD_REQUEST", "body must be {\"asOf\": <epoch ms or ISO>}"), status: 400) }
            state.withLock { $0.clockMs = ms }
            return .json(clockJSON())
        case ("POST", "/_sim/faults"):
            guard let body = SimulatorJSON.flatObject(request.bodyText), let name = body["fault"],
                let kind = SimulatorFaults.Kind(rawValue: name)
            else {
                let names = SimulatorFaults.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                return .json(SimulatorJSON.error("BAD_REQUEST", "body must be {\"fault\": one of \(names), "
                    + "\"count\": N, \"retryAfterSeconds\": S, \"delayMs\": D}"), status: 400)
            }
            arm(kind, count: body["count"].flatMap { Int($0) } ?? 1,
                retryAfterSeconds: body["retryAfterSeconds"].flatMap { Int($0) } ?? 1,
                delayMs: body["delayMs"].flatMap { Int($0) } ?? 1_500)
            return .json(statsJSON())
        case ("DELETE", "/_sim/faults"):
            state.withLock { $0.faults.clear() }
            return .json(statsJSON())
        case ("GET", "/_sim/stats"):
            return .json(statsJSON())
        default:
            return .json(SimulatorJSON.error("NOT_FOUND", "no such control route"), status: 404)
        }
    }

    func clockJSON() -> String {
        let ms = state.withLock { $0.clockMs }
        return "{\"asOf\":\(ms),\"asOfText\":\(JSONText.quoted(SalesforceTime.restDateTime(ms)))}"
    }

    /// Counters: requests by route, faults served and still armed, API usage, clock.
    func statsJSON() -> String {
        state.withLock { s in
            func object(_ pairs: [(String, String)]) -> String {
                "{" + pairs.sorted { $0.0 < $1.0 }.map { "\(JSONText.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
            }
            let requests = object(s.requests.map { ($0.key, String($0.value)) })
            let served = object(s.faults.served.map { ($0.key.rawValue, String($0.value)) })
            let armed = object(s.faults.armed.map { ($0.key.rawValue, $0.value.remaining.map(String.init) ?? "null") })
            return "{\"requests\":\(requests),\"faultsServed\":\(served),\"faultsArmed\":\(armed),"
                + "\"apiUsage\":\(s.apiUsage),\"apiLimit\":\(s.settings.dailyAPILimit),\"clockMs\":\(s.clockMs),"
                + "\"tokensIssued\":\(s.tokens.count),\"openCursors\":\(s.cursors.count)}"
        }
    }
}
