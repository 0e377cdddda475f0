public import Logging
import Synchronization

/// Hands out a Google OAuth2 access token, fetching a new one only when needed.
///
/// The token is cached until ``refreshMargin`` before it expires. Refreshing is single-flight: however many
/// callers ask at once, one request goes out and all share its result. When a refresh fails but the old token
/// has not actually expired yet, callers keep getting the old one; otherwise they get the error and the next
/// call tries again.
public final class GoogleAccessTokenSource: Sendable {
    private struct State {
        var cached: GoogleAccessToken?
        var refresh: Task<Result<GoogleAccessToken, GoogleAuthError>, Never>?
    }

    private enum Step {
        case use(GoogleAccessToken)
        case wait(Task<Result<GoogleAccessToken, GoogleAuthError>, Never>)
    }

    /// Where tokens come from.
    public let credentials: any GoogleCredentials
    /// How long before expiry a token counts as stale: 60 s by default.
    public let refreshMargin: Duration
    private let logger: Logger
    private let state = Mutex(State())

    /// Creates a source over some credentials.
    /// - Parameters:
    ///   - credentials: A key file, the metadata server, or a test double.
    ///   - refreshMargin: Refresh this long before expiry.
    ///   - logger: Refreshes are logged at `debug`, failures at `info`; tokens never.
    public init(credentials: any GoogleCredentials, refreshMargin: Duration = .seconds(60), logger: Logger) {
        self.credentials = credentials
        self.refreshMargin = refreshMargin
        self.logger = logger
    }

    /// The current access token, for an `Authorization: Bearer` header.
    /// - Throws: ``GoogleAuthError`` when no valid token can be had.
    public func accessToken() async throws(GoogleAuthError) -> String {
        try await self.token().value
    }

    /// The current token with its type and expiry.
    /// - Throws: ``GoogleAuthError`` when no valid token can be had.
    public func token() async throws(GoogleAuthError) -> GoogleAccessToken {
        let step = self.state.withLock { state -> Step in
            if let token = state.cached, ContinuousClock.now < token.expiresAt - self.refreshMargin {
                return .use(token)
            }
            if let refresh = state.refresh { return .wait(refresh) }
            // Unstructured on purpose: a caller that is cancelled must not cancel the refresh others wait for.
            let refresh = Task { await self.refresh() }
            state.refresh = refresh
            return .wait(refresh)
        }
        switch step {
        case .use(let token):
            return token
        case .wait(let refresh):
            switch await refresh.value {
            case .success(let token):
                return token
            case .failure(let error):
                if let token = self.state.withLock({ $0.cached }), ContinuousClock.now < token.expiresAt {
                    return token
                }
                throw error
            }
        }
    }

    /// Fetches once and publishes the outcome; runs inside the shared refresh task.
    private func refresh() async -> Result<GoogleAccessToken, GoogleAuthError> {
        self.logger.debug(
            "fetching a Google access token", metadata: ["auth.credentials": "\(self.credentials.logDescription)"])
        let result: Result<GoogleAccessToken, GoogleAuthError>
        do {
            result = .success(try await self.credentials.fetchToken())
        } catch {
            self.logger.info(
                "cannot fetch a Google access token",
                metadata: [
                    "auth.credentials": "\(self.credentials.logDescription)", "error.kind": "\(error.kind)",
                    "error.message": "\(error.message)",
                ])
            result = .failure(error)
        }
        self.state.withLock { state in
            if case .success(let token) = result { state.cached = token }
            state.refresh = nil
        }
        return result
    }
}
