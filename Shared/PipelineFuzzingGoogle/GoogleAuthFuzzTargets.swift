import GoogleAuth
import PipelineFuzzing
import PipelineHTTP

/// The OAuth2 token endpoint's (and metadata server's) answer, as the Bigtable client's token source reads it.
enum GoogleAuthFuzzTargets {
    static let all = [tokenResponse]

    static let tokenResponse = FuzzTarget(
        name: "google.token-response", summary: "TokenResponse.parse on a token endpoint body (200, and 400)",
        seeds: FuzzTarget.utf8([
            #"{"access_token":"ya29.a0AfB_byC","expires_in":3599,"token_type":"Bearer"}"#,
            #"{"token_type":"bearer","expires_in":1,"access_token":"t","scope":"x"}"#,
        ]),
        tokens: FuzzTarget.utf8([
            "\"expires_in\":", "\"access_token\":", "\"token_type\":", "\"error\":\"invalid_grant\"",
            "\"error_description\":", "9223372036854775807", "-1", "1e400",
        ])
    ) { bytes in
        let now = ContinuousClock.now
        // An error status must be refused with a description whatever the body holds.
        do {
            _ = try TokenResponse.parse(HTTPClientResponse(status: 400, body: bytes), receivedAt: now, endpoint: "fuzz")
            return .failed("a 400 answer was taken as a token")
        } catch {
            if String(describing: error).isEmpty { return .failed("a 400 answer refused without a description") }
        }
        return FuzzOutcome.checking(
            kind: { (error: GoogleAuthError) in "GoogleAuthError.\(error.kind)" },
            { () throws(GoogleAuthError) in
                try TokenResponse.parse(HTTPClientResponse(status: 200, body: bytes), receivedAt: now, endpoint: "fuzz")
            },
            contract: { token in token.value.isEmpty || token.expiresAt <= now ? "an empty or expired token" : nil })
    }
}
