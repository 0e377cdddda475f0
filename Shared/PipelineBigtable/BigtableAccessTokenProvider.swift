internal import GRPCCore

/// Supplies OAuth2 access tokens for Google's Bigtable endpoints.
///
/// Implementations cache and refresh tokens themselves; the client asks once per RPC
/// attempt, so `accessToken()` must be cheap when the cached token is still valid.
public protocol BigtableAccessTokenProvider: Sendable {
    /// A currently valid access token (without the `Bearer ` prefix).
    func accessToken() async throws -> String
}

/// Adds `authorization: Bearer <token>` to every RPC.
///
/// An interceptor rather than per-call metadata so that transport-level retries and every
/// generated stub get it too, and so tests can assert on it at the server.
struct BigtableAuthorizationInterceptor: ClientInterceptor {
    let provider: any BigtableAccessTokenProvider

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        let token: String
        do {
            token = try await provider.accessToken()
        } catch {
            // Surfaces as UNAUTHENTICATED; the token itself never reaches a message or a log.
            throw RPCError(code: .unauthenticated, message: "could not obtain a Bigtable access token", cause: error)
        }
        var request = request
        request.metadata.replaceOrAddString("Bearer \(token)", forKey: "authorization")
        return try await next(request, context)
    }
}
