package import PipelineHTTP

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns a token endpoint's answer (OAuth2 token endpoint or metadata server, same JSON) into a token or a typed
/// error.
package enum TokenResponse {
    private struct Body: Decodable {
        var access_token: String
        var expires_in: Int
        var token_type: String?
    }

    private struct ErrorBody: Decodable {
        var error: String?
        var error_description: String?
    }

    /// Reads an HTTP response from a token endpoint.
    /// - Parameters:
    ///   - response: The endpoint's answer.
    ///   - receivedAt: When it arrived; the expiry counts from here.
    ///   - endpoint: What to call the endpoint in messages ("token endpoint", "metadata server").
    /// - Throws: ``GoogleAuthError`` of kind `rejected` (401/403), `badStatus`, or `invalidResponse`.
    package static func parse(
        _ response: HTTPClientResponse, receivedAt: ContinuousClock.Instant, endpoint: String
    ) throws(GoogleAuthError) -> GoogleAccessToken {
        guard response.isSuccess else {
            let reason = self.errorReason(response.body)
            let status = response.status
            let kind: GoogleAuthError.Kind = status == 401 || status == 403 ? .rejected : .badStatus
            throw GoogleAuthError(
                kind: kind, status: status, message: "\(endpoint) answered \(status)\(reason)",
                isRetriable: status == 429 || status >= 500)
        }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(response.body))
        } catch {
            throw GoogleAuthError(
                kind: .invalidResponse, status: response.status,
                message: "\(endpoint) answered with something other than token JSON (\(response.body.count) bytes)")
        }
        let tokenType = body.token_type ?? "Bearer"
        guard !body.access_token.isEmpty, body.expires_in > 0, tokenType.lowercased() == "bearer" else {
            throw GoogleAuthError(
                kind: .invalidResponse, status: response.status,
                message: "\(endpoint) answered with an empty token, a non-positive expiry or a non-Bearer type")
        }
        return GoogleAccessToken(
            value: body.access_token, tokenType: tokenType, expiresAt: receivedAt + .seconds(body.expires_in))
    }

    /// `: invalid_grant (Invalid JWT Signature.)` from an OAuth2 error body, cut short; empty when there is none.
    private static func errorReason(_ body: [UInt8]) -> String {
        guard let parsed = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)), let code = parsed.error else {
            return ""
        }
        let detail = parsed.error_description.map { " (\($0.prefix(200)))" } ?? ""
        return ": \(code.prefix(100))\(detail)"
    }
}
